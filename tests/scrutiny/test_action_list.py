"""The committee's action list as at a date, overdue answers, and the real meetings of
February and March 2019 (seed 003) loaded word for word."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from scrutiny.models import Change, Item, Kind, Meeting, State
from scrutiny.services import decision_record, response_record
from tests.factories import ItemFactory, MeetingFactory
from tests.scrutiny import on


@pytest.fixture
def three_meetings(db):
    """Items raised in January and February; one accepted in March, one withdrawn in
    February, one still open."""
    january = MeetingFactory(held_on=date(2019, 1, 14))
    february = MeetingFactory(held_on=date(2019, 2, 5))
    march = MeetingFactory(held_on=date(2019, 3, 12))
    with on(date(2019, 1, 14)):
        accepted = ItemFactory(meeting=january, words="Accepted in March")
        withdrawn = ItemFactory(meeting=january, words="Withdrawn in February")
    with on(date(2019, 2, 5)):
        ItemFactory(meeting=february, words="Still open")
        ItemFactory(meeting=february, kind=Kind.CONCLUSION, words="A conclusion")
    with on(date(2019, 2, 10)):
        response_record(item=accepted, text="Here it is", considers_answered=True, entered_by=None)
        decision_record(
            item=withdrawn, decision=Change.WITHDRAWN, reason="Overtaken", entered_by=None
        )
    with on(date(2019, 3, 12)):
        decision_record(item=accepted, decision=Change.ACCEPTED, meeting=march, entered_by=None)
    return {"january": january, "february": february, "march": march}


def listed(as_at):
    return list(Item.objects.outstanding(as_at).values_list("words", flat=True))


def test_the_action_list_as_at_a_date_is_exactly_the_items_not_accepted_by_then(three_meetings):
    assert listed(date(2019, 1, 13)) == []
    assert listed(date(2019, 1, 14)) == ["Accepted in March", "Withdrawn in February"]
    assert listed(date(2019, 2, 5)) == [
        "Accepted in March",
        "Withdrawn in February",
        "Still open",
    ]
    assert listed(date(2019, 2, 10)) == ["Accepted in March", "Still open"]
    assert listed(date(2019, 3, 11)) == ["Accepted in March", "Still open"]
    assert listed(date(2019, 3, 12)) == ["Still open"]


def test_a_meetings_action_list_is_what_was_outstanding_the_day_before_it(three_meetings):
    from scrutiny.views import action_list

    assert [item.words for item in action_list(three_meetings["january"])] == []
    assert [item.words for item in action_list(three_meetings["february"])] == [
        "Accepted in March",
        "Withdrawn in February",
    ]
    # Accepted at the March meeting: still on that meeting's list, as the pack printed it.
    assert [item.words for item in action_list(three_meetings["march"])] == [
        "Accepted in March",
        "Still open",
    ]


@pytest.mark.parametrize(
    ("as_at", "overdue"),
    [
        (date(2019, 3, 10), False),  # the day before it is due
        (date(2019, 3, 11), False),  # the day it is due
        (date(2019, 3, 12), True),  # the day after
    ],
)
@pytest.mark.django_db
def test_an_open_item_is_overdue_only_after_its_due_date(as_at, overdue):
    with on(date(2019, 2, 5)):
        item = ItemFactory(
            meeting=MeetingFactory(held_on=date(2019, 2, 5)), due_on=date(2019, 3, 11)
        )

    assert Item.objects.with_state(as_at).get(pk=item.pk).is_overdue is overdue
    assert Item.objects.overdue(as_at).filter(pk=item.pk).exists() is overdue


@pytest.mark.django_db
def test_an_answered_item_is_not_overdue_while_it_waits_for_the_committee():
    with on(date(2019, 2, 5)):
        item = ItemFactory(
            meeting=MeetingFactory(held_on=date(2019, 2, 5)), due_on=date(2019, 3, 1)
        )
    with on(date(2019, 3, 5)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)

    assert Item.objects.with_state(date(2019, 3, 4)).get().is_overdue is True
    assert Item.objects.with_state(date(2019, 3, 5)).get().is_overdue is False
    assert Item.objects.with_state(date(2019, 3, 5)).get().state == State.ANSWERED


def test_the_action_list_page_flags_overdue_answers_on_both_sides_of_the_due_date(
    three_meetings, client, django_user_model
):
    from django.contrib.auth.models import Group

    from actions.roles import SCRUTINY_MEMBERS

    member = django_user_model.objects.create_user("member")
    member.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
    client.force_login(member)
    still_open = Item.objects.get(words="Still open")
    due = still_open.due_on

    before = client.get(reverse("scrutiny:index"), {"as_at": due.isoformat()})
    after = client.get(reverse("scrutiny:index"), {"as_at": (due + timedelta(days=1)).isoformat()})

    assert "Answer overdue" not in before.content.decode()
    assert after.content.decode().count("Answer overdue") == 1
    assert "1 with the answer overdue" in after.content.decode()


# --- The real meetings (seed 003) ---------------------------------------------------

COMMITTEE = "Scrutiny Children & Young People Sub-Committee"

# Word for word from the minutes of 5 February 2019 in the agenda pack for 12 March 2019
# (seed 003), with who the minutes say must answer.
INFORMATION_REQUESTS = [
    (
        "12/19",
        "Line of Sight – Schedule of activities and intelligence gathered to be shared with "
        "the sub- committee.",
        "Officers",
    ),
    ("12/19", "Monthly performance data that was presented to the Improvement Board", "Officers"),
    (
        "12/19",
        "Forward Plan on emerging Strategies",
        "Cabinet Member for Children Young People and Learning",
    ),
    (
        "12/19",
        "Due to past experience the Sub-Committee was not reassured of the likelihood of the "
        "realisation of this promise and requested data which proved this task was possible.",
        "Executive Director of Children Families and Education",
    ),
    (
        "13/19",
        "Briefing note on viability of Sixth Form provision to be provided to the Chair by May "
        "2019",
        "Head of Standards, Safeguarding, Learning Access and Inclusion",
    ),
    (
        "14/19",
        "A table that reflected all the 32 London Borough's DSG 2019/20 Schools block "
        "allocations per pupil",
        "Officers",
    ),
    (
        "14/19",
        "School block funding – documented evident of low funding and its effects.",
        "Officers",
    ),
]
ACTIONS = [
    (
        "11/19",
        "Officers agreed to look into the items outstanding and provide updates.",
        "Officers",
    ),
    (
        "13/19",
        "The Head of Standards, Safeguarding, Learning Access and Inclusion agreed to take "
        "away the comments raised and to reflect on this matter with the officer responsible "
        "for post 16 provision.",
        "Head of Standards, Safeguarding, Learning Access and Inclusion",
    ),
]
RECOMMENDATIONS = [
    (
        "14/19",
        "Cabinet Member for Children, Young People and Learning that the Council and its "
        "partners should be meeting in preparation for the eventuality of the Council finding "
        "itself in the position of having to utilise its recovery plan.",
        "Cabinet Member for Children, Young People and Learning",
    ),
]
CONCLUSIONS = [
    "The attendance of representatives from the staff workforce at the meeting provided a "
    "positive element to discussion.",
    "There was concern regarding the pace and progress of improvements in the recruitment and "
    "retention of staff.",
    "There was lack of evidence of plans being in place to improve the conversion rate of "
    "locum staff to permanent roles.",
    "It was concerning that emerging strategies were not being shared with the Sub-Committee.",
    "It would be beneficial for the Chair to discuss development of a Transition service with "
    "relevant officers with the possibility of a future joint meeting with Health and Social "
    "Care Scrutiny Sub-Committee to be considered.",
    "The report was thorough and informative.",
    "There were concerns regarding the viability of Sixth Form provision and further "
    "information was required in order for the Sub-Committee to plan its inclusion in the "
    "future work programme.",
    "The Sub-Committee were concerned about the risks arising from the lack of government "
    "guidance on the requirement for local authorities to have a recovery plan in the event "
    "that their Designated Schools Grant budget falling below a 1% deficit.",
    "It was clear that Croydon's Designated Schools Grant funding allocation was insufficient "
    "for the borough's need and that the funding differential to other local authorities was "
    "evident.",
    "The Sub-Committee were pleased to note that information was being gathered to evidence "
    "Croydon's low funding allocation, enabling the Council to present a case for fairer "
    "funding to the Department for Education.",
]


@pytest.fixture
def seed_meetings(db):
    call_command("loaddata", "scrutiny_meetings_2019", verbosity=0)


def items_of(kind):
    return sorted(
        Item.objects.filter(kind=kind).values_list("minute", "words", "answerer_as_minuted")
    )


def test_both_real_meetings_load_with_their_dates_and_minute_numbers(seed_meetings):
    assert list(Meeting.objects.order_by("held_on").values_list("committee", "held_on")) == [
        (COMMITTEE, date(2019, 2, 5)),
        (COMMITTEE, date(2019, 3, 12)),
    ]
    assert Meeting.objects.get(held_on=date(2019, 2, 5)).minute_numbers == "7/19 to 16/19"


def test_what_members_asked_in_february_2019_is_loaded_word_for_word(seed_meetings):
    assert items_of(Kind.INFORMATION_REQUEST) == sorted(INFORMATION_REQUESTS)
    assert items_of(Kind.ACTION) == sorted(ACTIONS)
    assert items_of(Kind.RECOMMENDATION) == sorted(RECOMMENDATIONS)
    assert sorted(Item.objects.filter(kind=Kind.CONCLUSION).values_list("words", flat=True)) == (
        sorted(CONCLUSIONS)
    )
    # The minutes name roles, not people: nobody is invented.
    assert not Item.objects.filter(answerer__isnull=False).exists()
    assert Item.objects.get(words__startswith="Briefing note").due_on == date(2019, 5, 31)


def test_a_new_user_sees_the_real_action_list_for_the_march_2019_meeting(
    seed_meetings, client, django_user_model
):
    from django.contrib.auth.models import Group

    from actions.roles import SCRUTINY_MEMBERS

    member = django_user_model.objects.create_user("member")
    member.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
    client.force_login(member)
    march = Meeting.objects.get(held_on=date(2019, 3, 12))

    html = client.get(reverse("scrutiny:meeting", args=[march.pk])).content.decode()

    listed = html.split('id="action-list-heading"')[1]
    for _, words, who in INFORMATION_REQUESTS + ACTIONS + RECOMMENDATIONS:
        assert words.replace("'", "&#x27;") in listed
        assert who in listed
    for words in CONCLUSIONS:
        assert words.replace("'", "&#x27;") not in listed
    assert listed.count('data-label="No."') == 10


def test_load_plans_loads_the_meetings_once_and_leaves_them_alone_after(db):
    call_command("load_plans", verbosity=0)
    item = Item.objects.get(minute="11/19")
    item.words = "Changed in the admin"
    item.save()

    call_command("load_plans", verbosity=0)

    assert Meeting.objects.count() == 2
    assert Item.objects.count() == 20
    assert Item.objects.get(pk=item.pk).words == "Changed in the admin"
    assert all(
        state == State.OPEN
        for state in Item.objects.with_state(date(2019, 3, 11)).values_list("state", flat=True)
    )
