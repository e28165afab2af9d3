"""A confirmed date across imports: it answers for the words it confirmed, and an import
never loses it."""

import html
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, DateConfirmation, Status, SubStep, Timeframe
from actions.services import date_confirmation_record
from imports.layout import plan_rows, workbook
from imports.quality import data_quality
from imports.services import plan_import_confirm, plan_import_preview
from tests.factories import ActionFactory, PlanFactory, SubStepFactory, ThemeFactory


def to_be_confirmed(label):
    timeframe = Timeframe(label=label, to_be_confirmed=True)
    timeframe.save()
    return timeframe


@pytest.fixture
def confirmed(db, administrator):
    """An action whose "31/02/2023" was confirmed as 28 February 2023."""
    theme = ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1)))
    action = ActionFactory(theme=theme, position=1, timeframe=to_be_confirmed("31/02/2023"))
    ActionFactory(theme=theme, position=2)
    with time_machine.travel(date(2023, 1, 10)):
        date_confirmation_record(
            action=action,
            confirmed_on=date(2023, 2, 28),
            reason="Confirmed with the Head of Service: the plan meant the month end.",
            entered_by=administrator,
        )
    return action


def import_plan(plan, user, edit=lambda row: row, keep=lambda row: True):
    rows = [edit(dict(row)) for row in plan_rows(plan) if keep(row)]
    record = plan_import_preview(
        file_name="edited.xlsx", data=workbook(rows), plan_slug=plan.slug, user=user
    )
    return record


def entry_for(record, action):
    return next(
        entry
        for theme in record.preview["themes"]
        for entry in theme["actions"]
        if entry.get("id") == action.pk
    )


def retimed(action, label):
    def edit(row):
        if row["action"] == action.description:
            row["timeframe"] = label
        return row

    return edit


def test_a_confirmed_date_does_not_carry_over_to_a_new_impossible_date(
    client, confirmed, administrator
):
    plan = confirmed.theme.plan
    record = import_plan(plan, administrator, edit=retimed(confirmed, "31/04/2023"))

    assert entry_for(record, confirmed)["confirmation_lapses"] == (
        "Its confirmed due date, 28 February 2023, no longer applies: it was confirmed for "
        "the timeframe “31/02/2023”, and the timeframe changed."
    )
    plan_import_confirm(plan_import=record, user=administrator)
    client.force_login(administrator)
    page = client.get(reverse("imports:preview", args=[record.key])).content.decode()
    assert "Its confirmed due date, 28 February 2023, no longer applies" in page

    row = Action.objects.with_state(date(2023, 6, 1)).get(pk=confirmed.pk)
    assert (row.due_on, row.is_overdue) == (None, False)
    confirmed.refresh_from_db()
    assert confirmed.state(date(2023, 6, 1)).due_on is None
    assert [action.pk for action in data_quality(as_at=date(2023, 6, 1))["to_confirm"]["rows"]] == [
        confirmed.pk
    ]
    detail = client.get(reverse("actions:detail", args=[confirmed.pk])).content.decode()
    assert "Date to be confirmed" in detail
    assert "Confirmed due date:" not in detail
    assert "No longer applies, confirmed for the earlier timeframe “31/02/2023”" in detail
    # Kept, not lost: the confirmation is still there, for the words it confirmed.
    assert DateConfirmation.objects.get().timeframe_label == "31/02/2023"


def test_a_confirmed_date_applies_again_when_its_words_come_back(confirmed, administrator):
    plan = confirmed.theme.plan
    plan_import_confirm(
        plan_import=import_plan(plan, administrator, edit=retimed(confirmed, "31/04/2023")),
        user=administrator,
    )

    record = import_plan(plan, administrator, edit=retimed(confirmed, "31/02/2023"))

    assert "confirmation_lapses" not in entry_for(record, confirmed)
    plan_import_confirm(plan_import=record, user=administrator)
    assert Action.objects.with_state(date(2023, 6, 1)).get(pk=confirmed.pk).due_on == date(
        2023, 2, 28
    )
    assert data_quality(as_at=date(2023, 6, 1))["to_confirm"]["count"] == 0


def test_an_import_that_keeps_the_words_keeps_the_confirmed_date(confirmed, administrator):
    record = import_plan(confirmed.theme.plan, administrator)

    assert "confirmation_lapses" not in entry_for(record, confirmed)
    assert Action.objects.with_state(date(2023, 6, 1)).get(pk=confirmed.pk).is_overdue


def test_confirmations_made_before_labels_were_kept_answer_for_the_words_they_have(
    confirmed, administrator
):
    from importlib import import_module

    from django.apps import apps

    from tests.factories import SubStepFactory

    step = SubStepFactory(action=confirmed, timeframe=to_be_confirmed("31/06/21"))
    DateConfirmation.objects.create(
        action=confirmed,
        sub_step=step,
        confirmed_on=date(2022, 6, 30),
        reason="x",
        entered_by=administrator,
    )
    DateConfirmation.objects.update(timeframe_label="")
    migration = import_module("actions.migrations.0012_date_confirmation_timeframe_label")

    migration.label_confirmed(apps, None)

    assert sorted(DateConfirmation.objects.values_list("timeframe_label", flat=True)) == [
        "31/02/2023",
        "31/06/21",
    ]


def test_a_never_updated_action_with_a_confirmed_date_is_closed_not_removed(
    client, confirmed, administrator
):
    plan = confirmed.theme.plan
    record = import_plan(
        plan, administrator, keep=lambda row: row["action"] != confirmed.description
    )

    entry = entry_for(record, confirmed)
    assert entry["action"] == "close"
    assert entry["kept_because"] == (
        "it has a confirmed date (28 February 2023, confirmed by Pat Admin on 10 January 2023)"
    )
    client.force_login(administrator)
    page = client.get(reverse("imports:preview", args=[record.key])).content.decode()
    assert (
        "Closed rather than removed: it has a confirmed date (28 February 2023, confirmed by "
        "Pat Admin on 10 January 2023)." in page
    )

    plan_import_confirm(plan_import=record, user=administrator)

    confirmation = DateConfirmation.objects.get()
    assert (confirmation.action_id, confirmation.reason) == (
        confirmed.pk,
        "Confirmed with the Head of Service: the plan meant the month end.",
    )
    assert confirmed.progress_updates.get().status == Status.CLOSED
    # After the import, its record still says why it was kept.
    page = client.get(reverse("imports:preview", args=[record.key])).content.decode()
    assert "Closed rather than removed: it has a confirmed date" in page


@pytest.fixture
def steps(db, administrator):
    """An action with three steps; the second's "31/06/21" and the third's "31/09/21" were
    confirmed."""
    theme = ThemeFactory(plan=PlanFactory(starts_on=date(2021, 4, 1)))
    action = ActionFactory(theme=theme, position=1, reference="1.1")
    made = [
        SubStepFactory(action=action, position=1, description="Map the front door"),
        SubStepFactory(
            action=action,
            position=2,
            description="Audit the front door",
            timeframe=to_be_confirmed("31/06/21"),
        ),
        SubStepFactory(
            action=action,
            position=3,
            description="Report to the board",
            timeframe=to_be_confirmed("31/09/21"),
        ),
    ]
    with time_machine.travel(date(2023, 1, 10)):
        for step, confirmed_on in ((made[1], date(2021, 6, 30)), (made[2], date(2021, 9, 30))):
            date_confirmation_record(
                action=action,
                sub_step=step,
                confirmed_on=confirmed_on,
                reason="Confirmed with the Head of Early Help: the month end.",
                entered_by=administrator,
            )
    return made


def test_a_sub_step_with_a_confirmed_date_left_out_of_an_import_is_kept_not_deleted(
    client, steps, administrator
):
    first, audit, report = steps
    action = first.action
    plan = action.theme.plan
    with time_machine.travel(date(2023, 3, 1)):
        record = import_plan(
            plan, administrator, keep=lambda row: row["sub_step"] != "Audit the front door"
        )
        client.force_login(administrator)
        page = client.get(reverse("imports:preview", args=[record.key])).content.decode()
        plan_import_confirm(plan_import=record, user=administrator)

    said = (
        "Its sub-step “Audit the front door” is not in the file: it is kept, marked as no "
        "longer in the plan, rather than deleted, as its date was confirmed (30 June 2021, "
        "confirmed by Pat Admin on 10 January 2023)."
    )
    assert entry_for(record, action)["steps_kept"] == [said]
    # The third step's date, confirmed already, is not asked about again.
    assert record.preview["dates_to_confirm"] == []
    assert said in html.unescape(page)
    # Both confirmations are still on record, each with its own step.
    assert sorted(
        DateConfirmation.objects.values_list("sub_step__description", "confirmed_on")
    ) == [
        ("Audit the front door", date(2021, 6, 30)),
        ("Report to the board", date(2021, 9, 30)),
    ]
    kept = SubStep.objects.get(pk=audit.pk)
    assert kept.left_plan_on == date(2023, 3, 1)
    assert [(s.pk, s.position) for s in SubStep.objects.in_plan().order_by("position")] == [
        (first.pk, 1),
        (report.pk, 2),
    ]
    # The plan's pages, its export and the data-quality list have it as it now is.
    client.force_login(administrator)
    detail = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "No longer in the plan: left out by an import on 1 Mar 2023" in detail
    assert [row["sub_step"] for row in plan_rows(plan)] == [
        "Map the front door",
        "Report to the board",
    ]
    assert data_quality(as_at=date(2023, 3, 1))["steps_to_confirm"]["count"] == 0
    # Importing the plan's own file again changes nothing.
    again = import_plan(plan, administrator)
    assert entry_for(again, action)["action"] == "same"


def test_a_sub_step_with_no_confirmed_date_left_out_of_an_import_is_deleted(steps, administrator):
    first, audit, report = steps
    DateConfirmation.objects.filter(sub_step=audit).delete()
    record = import_plan(
        first.action.theme.plan,
        administrator,
        keep=lambda row: row["sub_step"] != "Audit the front door",
    )

    assert "steps_kept" not in entry_for(record, first.action)
    plan_import_confirm(plan_import=record, user=administrator)

    assert list(SubStep.objects.order_by("position").values_list("description", flat=True)) == [
        "Map the front door",
        "Report to the board",
    ]
    assert DateConfirmation.objects.get().sub_step == report
