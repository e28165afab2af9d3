"""A committee or an officer named in Hebrew or Arabic keeps to itself: the comma and date
after it stay after it, instead of joining its right-to-left order
("5 ,ועדת הביקורת February 2019")."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from scrutiny.services import response_record
from tests.factories import ActionFactory, ItemFactory, LeadFactory, MeetingFactory, UserFactory
from tests.scrutiny import on

COMMITTEE = "ועדת הביקורת"
RAISED = date(2019, 2, 5)


@pytest.fixture
def clerk(db):
    user = UserFactory(username="clerk", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.SCRUTINY_OFFICERS))
    return user


@pytest.fixture
def item(db):
    lead = LeadFactory(name="محمد علي", job_title="רכז שירות")
    with on(RAISED):
        return ItemFactory(
            meeting=MeetingFactory(committee=COMMITTEE, held_on=RAISED),
            answerer=lead,
            actions=[ActionFactory(lead=lead)],
        )


def test_an_items_page_sets_its_committee_apart_from_the_date(client, clerk, item):
    client.force_login(clerk)
    with on(date(2019, 3, 1)):
        page = client.get(reverse("scrutiny:item", args=[item.pk])).content.decode()

    assert f"<bdi>{COMMITTEE}</bdi>, 5 February 2019" in page


def test_the_action_page_sets_its_leads_name_and_job_title_apart(client, clerk, item):
    client.force_login(clerk)
    action = item.actions.get()
    with on(date(2019, 3, 1)):
        page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()

    assert "محمد علي</a></bdi>, <bdi>רכז שירות</bdi>" in page
    assert "<bdi>محمد علي, רכז שירות</bdi> to answer by" in page


def test_the_choice_of_meeting_sets_its_committee_apart_from_the_date(client, clerk, item):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent.", considers_answered=True, entered_by=clerk)
    client.force_login(clerk)
    with on(date(2019, 3, 1)):
        page = client.get(reverse("scrutiny:item_decide", args=[item.pk])).content.decode()

    assert f"\u2068{COMMITTEE}\u2069, 5 February 2019</option>" in page


# A page's <title> can't hold <bdi>: a name in Hebrew or Arabic beside other words there is
# set apart with Unicode's isolates instead, else the browser's tab reads
# "5 February 2019 ,ועדת הביקורת". Names with no right-to-left letter are left as they are.


def title(page):
    return re.search(r"<title>(.*?)</title>", page, re.S)[1]


def test_a_meetings_tab_title_sets_its_committee_apart_from_the_date(client, clerk, item):
    client.force_login(clerk)
    with on(date(2019, 3, 1)):
        page = client.get(reverse("scrutiny:meeting", args=[item.meeting_id])).content.decode()

    assert title(page) == f"\u2068{COMMITTEE}\u2069, 5 February 2019 – CYPE plan tracker"


def test_an_items_tab_title_sets_its_words_apart(client, clerk, item):
    item.words = "נתוני ביצועים חודשיים"
    item.save()
    client.force_login(clerk)
    with on(date(2019, 3, 1)):
        page = client.get(reverse("scrutiny:item", args=[item.pk])).content.decode()

    assert f": \u2068{item.words}\u2069 – CYPE plan tracker" in title(page)


def test_an_action_lead_and_theme_tab_title_set_their_names_apart(client, clerk, item):
    action = item.actions.get()
    action.reference, action.description = "4.2", "גיוס עובדים סוציאליים"
    action.save()
    theme = action.theme
    theme.name = "رعاية الأطفال"
    theme.save()
    client.force_login(clerk)
    as_at = {"as_at": "2023-03-31"}

    def title_of(name, pk):
        return title(client.get(reverse(name, args=[pk]), as_at).content.decode())

    plan = theme.plan.name
    assert title_of("actions:detail", action.pk).startswith(
        f"4.2 \u2068{action.description}\u2069 – {plan} – as at 31 March 2023"
    )
    assert title_of("actions:lead", action.lead_id).startswith(
        "\u2068محمد علي\u2069 – as at 31 March 2023"
    )
    assert title_of("actions:theme", theme.pk).startswith(
        f"\u2068{theme.name}\u2069 – {plan} – as at 31 March 2023"
    )


def test_a_tab_title_leaves_a_name_with_no_right_to_left_letter_as_it_is(client, clerk, item):
    item.meeting.committee = "Children and Young People Scrutiny Sub-Committee"
    item.meeting.save()
    client.force_login(clerk)
    with on(date(2019, 3, 1)):
        page = client.get(reverse("scrutiny:meeting", args=[item.meeting_id])).content.decode()

    assert title(page).startswith("Children and Young People Scrutiny Sub-Committee, 5 Feb")
