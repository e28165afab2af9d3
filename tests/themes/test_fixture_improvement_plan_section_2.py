"""Section 2 of the Children's Continuous Improvement Plan 2021-24 (seed 004, "Practice
priorities", lines 180-235), loaded beside section 1 in the same plan.

How the counts were made, reading the seed's table a row at a time:
- Themes: the five numbered priorities, "1 Identify and reduce risks…" to "5. Ofsted
  Focused Visit- Early Help and the Front Door (June 2021)".
- Actions: every numbered action under them: 1.1-1.3 (3; 1.1's number was lost by the
  extraction, which printed only the priority's "1"), 2.1-2.5 (5), 3.1-3.10 (10; 3.5 is
  printed "0.0"), 4.1-4.3 (3), 5.1-5.3 (3) = 24.
- Sub-steps: each step an action sets out on its own: numbered or lettered items
  ((i), (a), a), 1.2.1) and the unnumbered steps that follow an action's text; bullets
  written inside a numbered step stay part of it. 1.1: 3, 1.2: 2, 1.3: 3, 2.1: 3, 2.2: 4,
  3.1: 2, 3.2: 2, 3.3: 3, 3.4: 2, 3.8: 3, 3.9: 2, 5.1: 7 ((i), (ii), (a), (b), (c), (iii),
  (iv)), 5.2: 4, 5.3: 2 = 42.
"""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Action, Lead, SubStep
from themes.models import Theme

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SECTION_1 = FIXTURES / "childrens_continuous_improvement_plan_2021_24.json"
SECTION_2 = FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"
SLUG = "childrens-continuous-improvement-plan-2021-24"
PRIORITIES = [
    "Identify and reduce risks to vulnerable children & young people",
    "Co-produced plans, language and recording",
    "Service development and improvement",
    "Workforce Development",
    "Ofsted Focused Visit- Early Help and the Front Door (June 2021)",
]


@pytest.fixture
def plan(db):
    call_command("loaddata", str(SECTION_1), verbosity=0)
    call_command("loaddata", str(SECTION_2), verbosity=0)


def action(reference, theme):
    return Action.objects.select_related("lead", "timeframe").get(
        theme__plan__slug=SLUG, theme__name=theme, reference=reference
    )


def steps(item):
    return [
        (step.description.split()[0], step.timeframe.label if step.timeframe else "")
        for step in item.sub_steps.select_related("timeframe").order_by("position")
    ]


def test_section_2_counts_equal_the_count_from_the_seed(plan):
    section_2 = Theme.objects.filter(plan__slug=SLUG, name__in=PRIORITIES)

    assert section_2.count() == 5
    assert Action.objects.filter(theme__in=section_2).count() == 24
    assert SubStep.objects.filter(action__theme__in=section_2).count() == 42
    # Section 1 is untouched beside it.
    assert Action.objects.filter(theme__plan__slug=SLUG).count() == 32 + 24


def test_priorities_follow_the_savings_projects_in_the_same_plan(plan):
    themes = Theme.objects.filter(plan__slug=SLUG).order_by("position")

    assert [theme.name for theme in themes][7:] == PRIORITIES
    assert [theme.reference for theme in themes][7:] == ["1", "2", "3", "4", "5"]
    counts = [Action.objects.filter(theme__name=name).count() for name in PRIORITIES]
    assert counts == [3, 5, 10, 3, 3]


def test_sub_steps_keep_their_own_dates(plan):
    assert steps(action("5.1", PRIORITIES[4])) == [
        ("(i)", "31/07/21"),
        ("(ii)", ""),
        ("(a)", "19/07/21"),
        ("(b)", "22/07/21"),
        ("(c)", "Initial meeting 05/08/21"),
        ("(iii)", "30/09/21"),
        ("(iv)", "31/10/21"),
    ]
    step_c = action("5.1", PRIORITIES[4]).sub_steps.get(position=5).timeframe
    assert (step_c.due_on, step_c.qualifier) == (date(2021, 8, 5), "Initial meeting")
    assert steps(action("5.2", PRIORITIES[4]))[1:] == [
        ("(ii)", "30/09/21 (TBC)"),
        ("(iii)", "30/09/21 (TBC)"),
        ("(iv)", "30/09/21 (TBC)"),
    ]
    tbc = action("5.2", PRIORITIES[4]).sub_steps.get(position=4).timeframe
    assert (tbc.due_on, tbc.qualifier) == (date(2021, 9, 30), "TBC")
    assert steps(action("1.2", PRIORITIES[0])) == [("1.2.1", "30/09/21"), ("1.2.2", "31/01/22")]
    assert action("1.2", PRIORITIES[0]).timeframe.due_on == date(2022, 1, 31)


def test_multi_person_leads_first_accountable_rest_supporting(plan):
    def people(reference, theme):
        item = action(reference, theme)
        return str(item.lead), [str(lead) for lead in item.supporting_leads.all()]

    assert people("5.3", PRIORITIES[4]) == ("Róisín Madden (RM)", ["CD"])
    assert people("5.1", PRIORITIES[4]) == ("EB", ["DJ"])
    assert people("1.3", PRIORITIES[0]) == ("Shaun Hanks (SH)", ["KC"])
    assert people("3.4", PRIORITIES[2]) == ("Róisín Madden (RM)", ["SP"])
    assert people("1.1", PRIORITIES[0]) == ("Iain Low (IL)", [])


def test_leads_are_matched_to_section_1_and_never_invented(plan):
    # Section 1 holds 16 leads; section 2 adds only the six initials it alone uses.
    assert Lead.objects.count() == 16 + 6
    for initials in ["KC", "DW", "SP", "DJ", "EB", "CD"]:
        assert Lead.objects.get(initials=initials).name == ""
    assert Lead.objects.filter(initials="IL").count() == 1


def test_the_source_each_action_answers(plan):
    answers = dict(
        Action.objects.filter(theme__name__in=PRIORITIES).values_list("reference", "answers")
    )

    assert {ref for ref, source in answers.items() if source == "Ofsted ILACS recommendation"} == {
        "1.1",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
    }
    visit = "Ofsted Focused Visit area for improvement"
    assert {ref for ref, source in answers.items() if source == visit} == {"5.1", "5.2", "5.3"}
    assert not Action.objects.filter(theme__name__in=PRIORITIES, description__contains="[").exists()


def test_5_3_comes_in_as_a_date_to_be_confirmed_with_no_due_date(plan):
    timeframe = action("5.3", PRIORITIES[4]).timeframe

    assert timeframe.label == "31/09/21"
    assert timeframe.to_be_confirmed
    assert timeframe.due_on is None
    assert timeframe.problem == (
        "Timeframe “31/09/21” is not a real date: September 2021 has 30 days."
    )


def test_loading_section_2_again_changes_nothing(plan):
    before = (
        list(Action.objects.order_by("pk").values_list()),
        list(SubStep.objects.order_by("pk").values_list()),
    )

    call_command("loaddata", str(SECTION_2), verbosity=0)

    after = (
        list(Action.objects.order_by("pk").values_list()),
        list(SubStep.objects.order_by("pk").values_list()),
    )
    assert after == before


@pytest.mark.parametrize(
    "as_at", [date(2021, 9, 30), date(2021, 10, 1), date(2022, 6, 30), date(2024, 3, 31)]
)
def test_5_3_is_not_overdue_at_any_as_at_date(plan, as_at):
    item = action("5.3", PRIORITIES[4])

    assert not Action.objects.overdue(as_at).filter(pk=item.pk).exists()
    assert not item.state(as_at).is_overdue
