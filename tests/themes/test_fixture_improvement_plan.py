"""The fixture for section 1 of the Children's Continuous Improvement Plan 2021-24 (seed 004)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Action, Division, Lead, ProgressUpdate, Status, SubStep, Timeframe
from themes.models import Plan, Saving, Theme

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIXTURE = FIXTURES / "childrens_continuous_improvement_plan_2021_24.json"
CYPE_FIXTURE = FIXTURES / "cype_directorate_plan_2022_24.json"
SLUG = "childrens-continuous-improvement-plan-2021-24"

NAMED_LEADS = {
    ("Iain Low", "IL"),
    ("Rodica Cobarzan", "RC"),
    ("Shaun Hanks", "SH"),
    ("James Moore", "JM"),
    ("Róisín Madden", "RM"),
    ("Debby MacCormack", "DM"),
    ("Kathy Roberts", "KR"),
}
INITIALS_ONLY_LEADS = {"RB", "OC", "PB", "MW", "ST", "SC", "JF", "SS", "SD"}


def load(path=FIXTURE):
    call_command("loaddata", str(path), verbosity=0)


def action(reference):
    return Action.objects.select_related("lead", "timeframe").get(
        theme__plan__slug=SLUG, reference=reference
    )


def snapshot():
    """What the database holds, in a form two loads can be compared by."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Plan,
                Theme,
                Saving,
                Division,
                Lead,
                Timeframe,
                Action,
                SubStep,
                ProgressUpdate,
            )
        },
        "actions": [
            (
                *values,
                sorted(
                    Action.objects.get(pk=values[0]).supporting_leads.values_list("pk", flat=True)
                ),
            )
            for values in Action.objects.order_by("pk").values_list()
        ],
        "leads": list(Lead.objects.order_by("pk").values_list()),
        "divisions": list(Division.objects.order_by("pk").values_list()),
        "timeframes": list(Timeframe.objects.order_by("pk").values_list()),
        "sub_steps": list(SubStep.objects.order_by("pk").values_list()),
        "updates": list(ProgressUpdate.objects.order_by("pk").values_list()),
        "savings": list(Saving.objects.order_by("pk").values_list()),
        "themes": list(Theme.objects.order_by("pk").values_list()),
        "plans": list(Plan.objects.order_by("pk").values_list()),
    }


def test_fixture_gives_no_primary_keys_only_natural_keys():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))

    assert objects
    assert not [item for item in objects if "pk" in item]


@pytest.mark.django_db
def test_fixture_loads_into_empty_database_with_the_seeds_counts():
    load()

    assert Plan.objects.count() == 1
    assert Theme.objects.count() == 7
    # 1.1-1.4, 2.1-2.8, 3.1-3.3, 4.1-4.4, 5.1-5.4, 6.1-6.6, 7.1-7.3
    assert Action.objects.count() == 32
    assert Lead.objects.count() == len(NAMED_LEADS) + len(INITIALS_ONLY_LEADS) == 16
    assert Division.objects.count() == 1
    # Every action but 6.6, whose Progress cell is empty.
    assert ProgressUpdate.objects.count() == 31
    # 1.2: 3, 2.3: 4, 2.8: 4, 3.1: 3, 3.2: 3, 3.3: 4, 6.5: 2
    assert SubStep.objects.count() == 23
    # Projects 1, 2, 4, 5, 7 three years each; project 3 one; project 6 none.
    assert Saving.objects.count() == 16


@pytest.mark.django_db
def test_themes_are_the_seven_savings_projects_in_order():
    load()

    themes = Theme.objects.filter(plan__slug=SLUG).order_by("position")

    assert [(theme.position, theme.reference, theme.name) for theme in themes] == [
        (1, "1", "Reduce Early Help"),
        (2, "2", "Review of Children with Disabilities care packages 0-17"),
        (3, "3", "Reducing the Spend on Children in Care"),
        (4, "4", "Review Support for Young People who are Appeal Rights Exhausted"),
        (5, "5", "Improving Efficiency in the Practice System"),
        (6, "6", "Review Children's Centres Delivery Model"),
        (7, "7", "SEND Strategy - support inclusion and access to local provision"),
    ]
    assert [theme.mtfs_ref for theme in themes] == [
        "CFE SAV 02",
        "CFE SAV 04",
        "CFE SAV 05",
        "",  # cut off in the extraction as "CFE SAV 0"
        "CFE SAV 07",
        "CFE SAV 09",
        "CFE GRO 04",
    ]


@pytest.mark.django_db
def test_actions_are_numbered_in_seed_order_within_each_project():
    load()

    for theme in Theme.objects.filter(plan__slug=SLUG):
        references = [item.reference for item in theme.actions.order_by("position")]
        assert references == [f"{theme.reference}.{n}" for n in range(1, len(references) + 1)]


@pytest.mark.django_db
def test_loading_a_second_time_changes_nothing():
    load()
    before = snapshot()

    load()

    assert snapshot() == before


@pytest.mark.django_db
def test_action_1_2_sub_steps_are_due_1_april_31_july_and_31_october_2021():
    load()

    steps = action("1.2").sub_steps.order_by("position").select_related("timeframe")

    assert [(step.description, step.timeframe.due_on) for step in steps] == [
        ("Re-establish the Early Help Partnership Board", date(2021, 4, 1)),
        (
            "Recruit an Early Help Programme Manager to lead and facilitate activity across "
            "partners",
            date(2021, 7, 31),
        ),
        ("Develop options for change", date(2021, 10, 31)),
    ]
    assert action("1.2").timeframe.due_on == date(2021, 10, 31)


@pytest.mark.django_db
def test_action_3_3_sub_steps_have_no_dates_because_three_dates_do_not_fit_four_steps():
    load()

    steps = action("3.3").sub_steps.all()

    assert steps.count() == 4
    assert not steps.exclude(timeframe=None).exists()
    assert action("3.3").timeframe.is_ongoing
    assert action("3.3").timeframe.due_on is None


@pytest.mark.django_db
def test_action_2_2_is_due_31_march_2022_with_two_milestones():
    load()

    timeframe = action("2.2").timeframe

    assert timeframe.label == "30/09/2021 and 31/03/22"
    assert timeframe.due_on == date(2022, 3, 31)
    assert timeframe.milestone_dates == [date(2021, 9, 30), date(2022, 3, 31)]


@pytest.mark.django_db
def test_action_4_2_april_21_and_ongoing_starts_1_april_2021_and_has_no_due_date():
    load()

    timeframe = action("4.2").timeframe

    assert timeframe.label == "April 21 and ongoing"
    assert timeframe.due_on is None
    assert timeframe.starts_on == date(2021, 4, 1)
    assert timeframe.is_ongoing


@pytest.mark.django_db
def test_action_6_5_sept_to_nov_2021_is_due_30_november_2021():
    load()

    timeframe = action("6.5").timeframe

    assert timeframe.label == "Sept-Nov 2021"
    assert timeframe.due_on == date(2021, 11, 30)


@pytest.mark.django_db
def test_action_6_1_month_11_2020_is_due_30_november_2020():
    load()

    timeframe = action("6.1").timeframe

    assert timeframe.label == "11/2020"
    assert timeframe.due_on == date(2020, 11, 30)


@pytest.mark.django_db
def test_action_2_5_is_led_by_pb_and_supported_by_mw():
    load()

    item = action("2.5")

    assert (item.lead.name, item.lead.initials) == ("", "PB")
    assert [lead.initials for lead in item.supporting_leads.all()] == ["MW"]


@pytest.mark.django_db
def test_action_4_4_is_led_by_james_moore_and_supported_by_sc():
    load()

    item = action("4.4")

    assert (item.lead.name, item.lead.initials) == ("James Moore", "JM")
    assert [lead.initials for lead in item.supporting_leads.all()] == ["SC"]


@pytest.mark.django_db
def test_project_managers_are_named_leads_and_other_owners_have_initials_only():
    load()

    named = set(Lead.objects.exclude(name="").values_list("name", "initials"))
    initials_only = set(Lead.objects.filter(name="").values_list("initials", flat=True))

    assert named == NAMED_LEADS
    assert initials_only == INITIALS_ONLY_LEADS


@pytest.mark.django_db
def test_roisin_madden_directs_childrens_social_care_and_early_help():
    load()

    lead = Lead.objects.get(initials="RM")
    division = Division.objects.get()

    assert lead.name == "Róisín Madden"
    assert lead.job_title == "Director, Children's Social Care and Early Help"
    assert lead.division == division
    assert division.name == "Children's Social Care and Early Help"
    assert division.director == lead


@pytest.mark.django_db
def test_progress_updates_keep_the_status_as_written_and_map_it():
    load()

    def update(reference):
        return ProgressUpdate.objects.get(action=action(reference))

    assert (update("1.2").status, update("1.2").progress_as_written) == (
        Status.IN_PROGRESS,
        "Complete In progress",
    )
    assert (update("2.3").status, update("2.3").progress_as_written) == (
        Status.COMPLETE,
        "Completed",
    )
    assert (update("6.5").status, update("6.5").progress_as_written) == (
        Status.IN_CONSULTATION,
        "In consultation",
    )
    assert (update("5.3").status, update("5.3").progress_as_written) == (
        Status.NOT_STARTED,
        "Not Started",
    )


@pytest.mark.django_db
def test_action_6_6_has_no_progress_update_because_its_cell_is_empty():
    load()

    assert not ProgressUpdate.objects.filter(action=action("6.6")).exists()


@pytest.mark.django_db
def test_progress_updates_are_dated_july_2021_with_no_rag_narrative_or_author():
    load()

    updates = ProgressUpdate.objects.all()

    assert set(updates.values_list("reported_on", flat=True)) == {date(2021, 7, 1)}
    assert not updates.exclude(rag="").exists()
    assert not updates.exclude(entered_by=None).exists()
    for field in ("working_well", "worried_about", "evidence", "evidence_links"):
        assert not updates.exclude(**{field: ""}).exists(), field
    assert not updates.exclude(rag_change_reason="").exists()


@pytest.mark.django_db
def test_project_1_saves_424_then_185_then_nothing():
    load()

    savings = Saving.objects.filter(theme__name="Reduce Early Help").order_by("year")

    assert [(saving.year, saving.amount_thousands) for saving in savings] == [
        ("2021/22", Decimal("424.0")),
        ("2022/23", Decimal("185.0")),
        ("2023/24", Decimal("0.0")),
    ]


@pytest.mark.django_db
def test_loading_with_the_cype_plan_gives_one_roisin_madden_and_one_division_for_her():
    if not CYPE_FIXTURE.exists():
        pytest.skip(f"{CYPE_FIXTURE.name} is not written yet")

    load()
    load(CYPE_FIXTURE)
    load()

    assert Lead.objects.filter(name="Róisín Madden").count() == 1
    assert Division.objects.filter(name="Children's Social Care and Early Help").count() == 1
    division = Division.objects.get(name="Children's Social Care and Early Help")
    assert division.director == Lead.objects.get(name="Róisín Madden")
