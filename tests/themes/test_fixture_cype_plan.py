from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command

from actions.models import Action, Division, Lead, ProgressUpdate, SubStep, Timeframe
from themes.models import Plan, Saving, Theme

FIXTURE = settings.BASE_DIR / "fixtures" / "cype_directorate_plan_2022_24.json"
SLUG = "cype-directorate-plan-2022-24"

# The plan table in seed 000, theme by theme, with how many actions each has.
SEED_THEMES = [
    ("Service transformation and redesign", 6),
    ("Working in Partnership", 3),
    ("Ensuring all children and young people can develop, learn and be inspired", 3),
    ("Quality Assurance and Challenge", 4),
    ("Listening to the Voices of Children and Young People", 1),
    ("Valuing our Workforce", 2),
    ("Ensuring value for the Croydon pound", 4),
]

# Every timeframe the plan table uses, and its due date as DOMAIN.md reads it.
SEED_DUE_DATES = {
    "March 2023": date(2023, 3, 31),
    "December 2022": date(2022, 12, 31),
    "August 2022": date(2022, 8, 31),
    "On going": None,
    "July 2022": date(2022, 7, 31),
    "September 2022": date(2022, 9, 30),
    "Ongoing": None,
}


def load_plan():
    call_command("loaddata", str(FIXTURE), verbosity=0)


def action_in(theme_name, position):
    return Action.objects.get(theme__plan__slug=SLUG, theme__name=theme_name, position=position)


def everything_loaded():
    """Every row the fixture touches, with its primary key, as plain values."""
    return {
        "plans": list(Plan.objects.order_by("pk").values()),
        "themes": list(Theme.objects.order_by("pk").values()),
        "divisions": list(Division.objects.order_by("pk").values()),
        "leads": list(Lead.objects.order_by("pk").values()),
        "timeframes": list(Timeframe.objects.order_by("pk").values()),
        "actions": list(Action.objects.order_by("pk").values()),
        "actions_as_read": [
            (
                action.theme.name,
                action.position,
                action.description,
                action.expected_outcome,
                action.lead.name,
                action.timeframe.label,
                [lead.name for lead in action.supporting_leads.all()],
            )
            for action in Action.objects.select_related("theme", "lead", "timeframe").order_by("pk")
        ],
    }


@pytest.mark.django_db
def test_cype_plan_fixture_loads_the_seeds_counts_into_an_empty_database():
    load_plan()

    assert Plan.objects.count() == 1
    assert Theme.objects.count() == 7
    assert Action.objects.count() == 23
    assert Lead.objects.count() == 4
    assert Division.objects.count() == 3
    assert Timeframe.objects.count() == len(SEED_DUE_DATES)
    assert ProgressUpdate.objects.count() == 0
    assert SubStep.objects.count() == 0
    assert Saving.objects.count() == 0


@pytest.mark.django_db
def test_loading_cype_plan_fixture_twice_changes_nothing():
    load_plan()
    before = everything_loaded()

    load_plan()

    assert everything_loaded() == before
    assert len(before["actions"]) == 23


@pytest.mark.django_db
def test_cype_plan_reuses_a_lead_another_plan_already_loaded():
    social_care = Division.objects.create(name="Children's Social Care and Early Help")
    existing = Lead.objects.create(name="Róisín Madden", initials="RM", division=social_care)

    load_plan()

    assert Lead.objects.filter(name="Róisín Madden").get() == existing
    assert Division.objects.count() == 3
    assert action_in("Service transformation and redesign", 6).lead == existing


@pytest.mark.django_db
def test_cype_plan_has_the_seeds_vision_values_priorities_and_years():
    load_plan()

    plan = Plan.objects.get_by_natural_key(SLUG)
    assert plan.name == "Children, Young People and Education (CYPE) Directorate Plan 2022-24"
    assert plan.vision == (
        "We will support families to keep children and young people safely at home, and work "
        "with education providers to offer every child and young person an opportunity to "
        "develop, learn and be inspired."
    )
    assert plan.values.splitlines() == [
        "Promoting equality and inclusion in the community and in our workforce",
        "Listening to and acting on the voices of children and young people, and celebrating "
        "their achievements",
        "We are one team across the Directorate, the Council, with our partners and our community",
        "We will tackle difficult issues together, across the Directorate and across the Council",
    ]
    priorities = plan.priorities.splitlines()
    assert len(priorities) == 3
    assert priorities[1] == (
        "Develop local SEND provision so that more children and young people with SEND "
        "attend and thrive in Croydon schools."
    )
    assert (plan.starts_on, plan.ends_on) == (date(2022, 4, 1), date(2024, 3, 31))
    assert plan.published == ""
    assert plan.is_synthetic is False


@pytest.mark.django_db
def test_cype_plan_themes_and_their_actions_follow_the_seeds_order():
    load_plan()

    themes = Theme.objects.filter(plan__slug=SLUG).order_by("position")
    assert [(theme.position, theme.name) for theme in themes] == [
        (position, name) for position, (name, _) in enumerate(SEED_THEMES, start=1)
    ]
    for theme, (_, count) in zip(themes, SEED_THEMES, strict=True):
        positions = list(theme.actions.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, count + 1)), theme.name
    assert action_in("Working in Partnership", 1).description.startswith(
        "Work across the council and with our partners"
    )
    assert action_in("Ensuring value for the Croydon pound", 4).description.startswith(
        "Maintain a robust budget monitoring plan for the High Needs Block"
    )


@pytest.mark.django_db
def test_cype_plan_front_door_action_is_mended_from_its_split_row():
    load_plan()

    action = action_in("Service transformation and redesign", 6)
    assert action.description == (
        "Review the Children's Social Care Front Door to optimise triaging and signposting "
        "to other preventative services where this is a better option for the child than "
        "referral into social care."
    )
    assert action.expected_outcome == (
        "Families receive appropriate support at the right time. Potentially reduced costs "
        "as more children are signposted into support other than children's social care "
        "where this is appropriate."
    )
    assert action.lead.name == "Róisín Madden"
    assert action.timeframe.label == "August 2022"


@pytest.mark.django_db
def test_cype_plan_fair_access_outcome_keeps_both_paragraphs():
    load_plan()

    action = action_in(
        "Ensuring all children and young people can develop, learn and be inspired", 1
    )
    assert action.description == "Review the Fair Access Panel processes"
    assert action.expected_outcome.splitlines() == [
        "Ensure all local schools are engaged in a Fair Access process which has been "
        "developed and agreed by the schools",
        "Reducing the number of managed pupil moves which take place outside of the agreed process",
    ]
    assert Action.objects.filter(description="").count() == 0


@pytest.mark.django_db
def test_cype_plan_foster_carers_action_is_mended_from_its_split_row():
    load_plan()

    action = action_in("Ensuring value for the Croydon pound", 2)
    assert action.description == (
        "Implement our plan to increase the number of foster carers employed by the council, "
        "enabling us to reduce costs of funding foster carers employed through IFAs, and to "
        "focus on ensuring high quality support and training is in place"
    )
    assert action.expected_outcome == (
        "Cost reduction in IFA employed foster carers, and a stronger foster carer workforce "
        "who can better support our vulnerable children and young people"
    )
    assert action.lead.name == "Róisín Madden"
    assert action.timeframe.label == "Ongoing"


@pytest.mark.django_db
def test_cype_plan_keeps_the_councils_wording_as_written():
    load_plan()

    send = action_in("Service transformation and redesign", 2)
    assert send.expected_outcome == (
        "More children and young people with SEND are educated in schools in the borough "
        "(mainstream?)"
    )
    early_years = action_in("Service transformation and redesign", 3)
    assert early_years.description == (
        "Co-produce and publish our Early Years Strategy along with a plan to translate it "
        "into action."
    )
    recruiting = action_in("Valuing our Workforce", 2)
    assert recruiting.expected_outcome.endswith(
        "Each permanent recruit will represent a saving to the Council."
    )
    schools = action_in(
        "Ensuring all children and young people can develop, learn and be inspired", 3
    )
    assert schools.expected_outcome == (
        "Better shared oversight of vulnerable pupils by strengthening schools awareness and "
        "access to appropriate support"
    )
    assert action_in("Working in Partnership", 1).timeframe.label == "On going"
    assert action_in("Quality Assurance and Challenge", 1).timeframe.label == "Ongoing"
    assert not Action.objects.exclude(reference="").exists()


@pytest.mark.django_db
def test_cype_plan_actions_belong_to_the_leads_the_table_names():
    load_plan()

    counts = {lead.name: lead.actions.count() for lead in Lead.objects.all()}
    assert counts == {
        "Róisín Madden": 4,
        "Shelley Davies": 8,
        "Kerry Crichlow": 9,
        "Debbie Jones": 2,
    }
    assert not Action.objects.filter(supporting_leads__isnull=False).exists()


@pytest.mark.django_db
def test_each_cype_director_directs_their_own_division():
    load_plan()

    divisions = Division.objects.select_related("director__division").order_by("position")
    assert [(division.name, division.director.name) for division in divisions] == [
        ("Children's Social Care and Early Help", "Róisín Madden"),
        ("Education", "Shelley Davies"),
        ("Quality, Commissioning, Performance & Improvement", "Kerry Crichlow"),
    ]
    for division in divisions:
        assert division.director.division == division
    roisin = Lead.objects.get_by_natural_key("Róisín Madden", "RM")
    assert roisin.job_title == "Director, Children's Social Care and Early Help"
    debbie = Lead.objects.get_by_natural_key("Debbie Jones", "")
    assert debbie.job_title == "Executive Director, Children, Families & Education"
    assert debbie.division is None


@pytest.mark.django_db
def test_cype_plan_timeframes_are_due_when_domain_says():
    load_plan()

    for action in Action.objects.select_related("timeframe"):
        timeframe = action.timeframe
        assert timeframe.label in SEED_DUE_DATES, timeframe.label
        assert timeframe.due_on == SEED_DUE_DATES[timeframe.label], timeframe.label
        assert timeframe.is_ongoing is (SEED_DUE_DATES[timeframe.label] is None), timeframe.label
    assert set(Timeframe.objects.values_list("label", flat=True)) == set(SEED_DUE_DATES)
