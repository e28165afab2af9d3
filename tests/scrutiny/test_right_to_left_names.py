"""A committee or an officer named in Hebrew or Arabic keeps to itself: the comma and date
after it stay after it, instead of joining its right-to-left order
("5 ,ועדת הביקורת February 2019")."""

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
