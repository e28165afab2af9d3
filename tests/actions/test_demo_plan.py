"""The synthetic demo plan: plainly fake, the size asked for, repeatable, and never a
danger to a real plan."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from actions.demo import DemoPlanRefused, demo_plan_delete, demo_plan_generate
from actions.models import (
    Action,
    Lead,
    NewestUpdate,
    ProgressUpdate,
    Status,
    SubStep,
    Timeframe,
)
from actions.timeframes import parse_timeframe
from tests.factories import ActionFactory, LeadFactory, PlanFactory, ProgressUpdateFactory
from themes.models import Plan

AS_AT = date(2025, 9, 30)


def generate(*args):
    out = StringIO()
    call_command("generate_demo_plan", *args, stdout=out)
    return out.getvalue()


def plan_contents(plan):
    """What a reader could see of a plan, without database ids."""
    actions = Action.objects.filter(theme__plan=plan).order_by("theme__position", "position")
    return {
        "themes": list(plan.themes.values_list("name", flat=True)),
        "actions": list(
            actions.values_list(
                "reference", "description", "lead__name", "timeframe__label", "answers"
            )
        ),
        "supporting": sorted(
            actions.filter(supporting_leads__isnull=False).values_list(
                "reference", "supporting_leads__name"
            )
        ),
        "updates": list(
            ProgressUpdate.objects.filter(action__theme__plan=plan)
            .order_by("action__theme__position", "action__position", "reported_on")
            .values_list("key", "reported_on", "status", "rag", "working_well", "worried_about")
        ),
    }


@pytest.mark.django_db
def test_makes_exactly_the_actions_and_updates_asked_for_in_one_synthetic_plan():
    output = generate("--actions", "60", "--updates-per-action", "4")

    plan = Plan.objects.get()
    assert plan.is_synthetic
    assert plan.slug == "synthetic-demo-60"
    assert plan.name == "Synthetic demo plan: 60 actions (generated, not a council plan)"
    assert Action.objects.count() == Action.objects.filter(theme__plan=plan).count() == 60
    assert ProgressUpdate.objects.filter(action__theme__plan=plan).count() == 60 * 4
    assert all(
        name.startswith("Synthetic theme") for name in plan.themes.values_list("name", flat=True)
    )
    assert "Synthetic demo plan: 60 actions" in output
    assert "240 progress updates" in output
    assert " s:" in output  # how long it took


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's upkeep")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_generated_plan_is_left_analysed_and_vacuumed():
    """Pages over a just-generated plan are timed as they run once autovacuum has been: the
    planner knows the new rows, and counts can read an index alone (all-visible pages)."""
    generate("--actions", "40", "--updates-per-action", "3")

    tables = ["actions_action", "actions_progressupdate", "actions_newestupdate"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples, relallvisible FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
        found = {name: (tuples, visible) for name, tuples, visible in cursor.fetchall()}
    assert {name: tuples for name, (tuples, _) in found.items()} == {
        "actions_action": 40,
        "actions_progressupdate": 120,
        "actions_newestupdate": NewestUpdate.objects.count(),
    }
    assert all(visible > 0 for _, visible in found.values()), found


@pytest.mark.django_db
def test_some_actions_are_never_updated_and_others_have_more():
    plan = demo_plan_generate(actions=200, updates_per_action=3, as_at=AS_AT)

    counts = [action.progress_updates.count() for action in Action.objects.filter(theme__plan=plan)]
    assert 0 in counts
    assert max(counts) > 3
    assert sum(counts) == 600


@pytest.mark.django_db
def test_every_narrative_says_it_is_synthetic():
    plan = demo_plan_generate(actions=100, updates_per_action=3, as_at=AS_AT)
    actions = Action.objects.filter(theme__plan=plan)
    updates = ProgressUpdate.objects.filter(action__theme__plan=plan)

    assert all(
        text.startswith("Synthetic action")
        for text in actions.values_list("description", flat=True)
    )
    assert all(
        text.startswith("Synthetic update")
        for text in updates.values_list("working_well", flat=True)
    )
    worries = updates.filter(rag__in=["red", "amber"]).values_list("worried_about", flat=True)
    assert worries and all(text.startswith("Synthetic update") for text in worries)
    evidence = updates.filter(status=Status.COMPLETE).values_list("evidence", flat=True)
    assert evidence and all(text.startswith("Synthetic evidence") for text in evidence)


@pytest.mark.django_db
def test_updates_meet_the_rules_an_officer_meets(time_machine):
    time_machine.move_to(AS_AT)
    plan = demo_plan_generate(actions=40, updates_per_action=4, as_at=AS_AT)

    for update in ProgressUpdate.objects.filter(action__theme__plan=plan).select_related(
        "action__theme__plan"
    ):
        update.full_clean()
        assert plan.starts_on <= update.reported_on <= AS_AT


@pytest.mark.django_db
def test_timeframes_are_worded_as_the_plans_word_them_and_dated_from_their_words():
    plan = demo_plan_generate(actions=300, updates_per_action=1, as_at=AS_AT)
    timeframes = Timeframe.objects.filter(actions__theme__plan=plan).distinct()
    labels = set(timeframes.values_list("label", flat=True))

    for timeframe in timeframes:
        parsed = parse_timeframe(timeframe.label)
        assert (timeframe.due_on, timeframe.starts_on, timeframe.is_ongoing) == (
            parsed.due_on,
            parsed.starts_on,
            parsed.is_ongoing,
        )
    assert {"Ongoing", "On going"} & labels
    assert any(label.endswith("and ongoing") for label in labels)
    assert any("-" in label and label[0].isalpha() for label in labels)  # Sept-Nov 2025
    assert any(label.endswith("(TBC)") for label in labels)
    assert any(len(label.split()) == 2 and label.split()[1].isdigit() for label in labels)
    milestones = [timeframe for timeframe in timeframes if len(timeframe.milestones) > 1]
    assert milestones
    assert SubStep.objects.filter(action__timeframe=milestones[0]).exists()


@pytest.mark.django_db
def test_leads_are_synthetic_and_no_real_lead_is_given_an_action():
    real = LeadFactory(name="Jo Bloggs", initials="JB")
    plan = demo_plan_generate(actions=150, updates_per_action=1, as_at=AS_AT)

    actions = Action.objects.filter(theme__plan=plan)
    leads = Lead.objects.filter(actions__in=actions) | Lead.objects.filter(
        supported_actions__in=actions
    )
    assert leads.distinct().count() > 20
    for lead in leads.distinct().select_related("division"):
        assert lead.name.startswith("Demo Lead ")
        assert lead.initials.startswith("DL")
        assert lead.job_title == "Synthetic demo lead"
        assert lead.division.name == "Synthetic demo division"
    assert not real.actions.exists()
    assert actions.filter(supporting_leads__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 200])
def test_the_spread_covers_every_position_as_at_today(size):
    plan = demo_plan_generate(actions=size, updates_per_action=3)

    counts = Action.objects.filter(theme__plan=plan).counts(timezone.localdate())

    assert counts["total"] == size
    for position in ["overdue", "at_risk", "stale", "complete", "no_concerns"]:
        assert counts[position] > 0, position


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_plan_and_another_seed_does_not():
    first = plan_contents(demo_plan_generate(actions=50, updates_per_action=3, seed=7, as_at=AS_AT))
    again = plan_contents(
        demo_plan_generate(actions=50, updates_per_action=3, seed=7, as_at=AS_AT, replace=True)
    )
    other = plan_contents(
        demo_plan_generate(actions=50, updates_per_action=3, seed=8, as_at=AS_AT, replace=True)
    )

    assert first == again
    assert other != first


@pytest.mark.django_db
def test_refuses_to_overwrite_a_synthetic_plan_without_replace():
    generate("--actions", "20", "--updates-per-action", "2")
    plan = Plan.objects.get()
    update_keys = set(ProgressUpdate.objects.values_list("key", flat=True))

    with pytest.raises(CommandError, match="--replace"):
        generate("--actions", "20", "--updates-per-action", "2", "--seed", "1")

    assert Plan.objects.get() == plan
    assert set(ProgressUpdate.objects.values_list("key", flat=True)) == update_keys


@pytest.mark.django_db
def test_replace_makes_the_plan_afresh_and_leaves_other_plans_alone():
    real_action = ActionFactory(theme__plan__name="CYPE Directorate Plan 2022-24")
    real_update = ProgressUpdateFactory(action=real_action)
    other_size = demo_plan_generate(actions=10, updates_per_action=2, as_at=AS_AT)
    generate("--actions", "20", "--updates-per-action", "2")
    old = Plan.objects.get(slug="synthetic-demo-20")

    generate("--actions", "20", "--updates-per-action", "3", "--replace")

    new = Plan.objects.get(slug="synthetic-demo-20")
    assert new.pk != old.pk
    assert Action.objects.filter(theme__plan=new).count() == 20
    assert ProgressUpdate.objects.filter(action__theme__plan=new).count() == 60
    assert not Action.objects.filter(theme__plan_id=old.pk).exists()
    assert Action.objects.filter(theme__plan=other_size).count() == 10
    assert ProgressUpdate.objects.filter(pk=real_update.pk).exists()


@pytest.mark.django_db
def test_replace_never_deletes_a_real_plan_that_has_the_address():
    real = PlanFactory(slug="synthetic-demo-20", name="A real plan", is_synthetic=False)
    update = ProgressUpdateFactory(action=ActionFactory(theme__plan=real))

    with pytest.raises(CommandError, match="real plan"):
        generate("--actions", "20", "--updates-per-action", "2", "--replace")

    assert Plan.objects.get() == real
    assert ProgressUpdate.objects.get() == update


@pytest.mark.django_db
def test_deleting_refuses_a_real_plan():
    real = ProgressUpdateFactory().action.theme.plan

    with pytest.raises(DemoPlanRefused):
        demo_plan_delete(plan=real)

    assert Plan.objects.filter(pk=real.pk).exists()
    assert ProgressUpdate.objects.filter(action__theme__plan=real).exists()
