"""Scrutiny's pages run the same number of queries at 5 and 500 items, and every text a
person typed shows as text (never markup) on every page, email and download."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from docx import Document

from actions import roles
from actions.reminders import reminders_send
from cypeplan.documents import table_rows
from scrutiny.models import Change, Item, Kind, Response, State, StateChange
from scrutiny.services import decision_record, item_raise, response_record
from tests.factories import (
    ActionFactory,
    LeadFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)
from tests.scrutiny import on

RAISED = date(2019, 2, 5)
TODAY = date(2019, 4, 1)


@pytest.fixture(autouse=True)
def today():
    with on(TODAY):
        yield


@pytest.fixture
def officer(db):
    user = UserFactory(username="owes")
    user.groups.add(Group.objects.get(name=roles.OFFICERS))
    return user


def many_items(count, lead):
    """`count` open items raised in February, each about two actions, with one answer:
    made in bulk (the rows item_raise and response_record would make)."""
    february = MeetingFactory(held_on=RAISED)
    theme = ThemeFactory()
    actions = [ActionFactory(theme=theme) for _ in range(4)]
    for action in actions:
        ProgressUpdateFactory(action=action, reported_on=date(2019, 3, 1))
    items = Item.objects.bulk_create(
        Item(
            meeting=february,
            position=n,
            kind=Kind.INFORMATION_REQUEST,
            words=f"Request {n}",
            minute="12/19",
            answerer=lead,
            due_on=date(2019, 3, 12),
        )
        for n in range(count)
    )
    Item.actions.through.objects.bulk_create(
        Item.actions.through(item=item, action=actions[(n + k) % 4])
        for n, item in enumerate(items)
        for k in (0, 1)
    )
    StateChange.objects.bulk_create(
        StateChange(item=item, change=Change.RAISED, state=State.OPEN, on=RAISED) for item in items
    )
    Response.objects.bulk_create(
        Response(item=item, responded_on=date(2019, 3, 1), text="Working on it") for item in items
    )
    return february, actions[0]


@pytest.mark.parametrize("count", [5, 500])
def test_scrutiny_pages_run_a_fixed_number_of_queries(
    client, officer, django_assert_num_queries, count
):
    lead = LeadFactory(user=officer)
    february, action = many_items(count, lead)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    first = Item.objects.order_by("pk").first()
    client.force_login(officer)
    pages = [
        # session, user, the user's and their groups' permissions (4); the plans for the
        # scope; the items with their state; their actions with state; the meetings.
        (reverse("scrutiny:index"), 8),
        # those 4; plans; the meeting; the items raised there, and this meeting's action
        # list, each with their actions (February raised them all and has an empty list;
        # March raised none and lists them all: an empty list needs no second query).
        (reverse("scrutiny:meeting", args=[february.pk]), 9),
        (reverse("scrutiny:meeting", args=[march.pk]), 9),
        # those 4; the meeting; the action list; its actions.
        (reverse("scrutiny:meeting_action_list_document", args=[march.pk]), 7),
        # those 4; plans; the item with state; its actions, answers and steps; whether the
        # user may answer it.
        (reverse("scrutiny:item", args=[first.pk]), 10),
        # session, user; the item; permissions (2); whether the user may answer it.
        (reverse("scrutiny:item_answer", args=[first.pk]), 6),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("count", [5, 500])
def test_the_panels_on_actions_pages_add_one_query_each(
    client, officer, django_assert_num_queries, count
):
    lead = LeadFactory(user=officer)
    _, action = many_items(count, lead)
    client.force_login(officer)
    # The panels' single queries: the items about this action (whether any are is read
    # with the action; kept, tests/test_kept.py); the items this officer owes.
    with django_assert_num_queries(10 + 1):
        html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Request 0" in html
    with django_assert_num_queries(8 + 1):
        html = client.get(reverse("actions:my_actions")).content.decode()
    assert f"{count} items awaiting an answer or the committee" in html


# --- Escaping -----------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile(db, officer):
    """A `<script>` typed into every text field a person fills in."""
    lead = LeadFactory(name=f"Lead {SCRIPT}", job_title=f"Head {SCRIPT}", user=officer)
    action = ActionFactory(description=f"Action {SCRIPT}")
    february = MeetingFactory(
        held_on=RAISED, committee=f"Committee {SCRIPT}", minute_numbers=f"7/19 {SCRIPT}"
    )
    with on(RAISED):
        item = item_raise(
            meeting=february,
            kind=Kind.ACTION,
            words=f"Words {SCRIPT}",
            minute=f"1 {SCRIPT}"[:20],
            answerer=lead,
            answerer_as_minuted=f"Role {SCRIPT}",
            due_on=date(2019, 3, 1),
            actions=[action],
            entered_by=None,
        )
    with on(date(2019, 2, 20)):
        response_record(
            item=item,
            text=f"Answer {SCRIPT}",
            evidence=f"Evidence {SCRIPT}",
            considers_answered=True,
            entered_by=officer,
        )
    march = MeetingFactory(held_on=date(2019, 3, 12), committee=february.committee)
    with on(date(2019, 3, 12)):
        decision_record(
            item=item,
            decision=Change.NOT_ACCEPTED,
            meeting=march,
            reason=f"Reason {SCRIPT}",
            entered_by=None,
        )
    return {"item": item, "action": action, "february": february, "march": march}


def test_every_text_field_is_escaped_on_every_page(client, officer, hostile):
    clerk = UserFactory(username="clerk")
    clerk.groups.add(Group.objects.get(name=roles.SCRUTINY_OFFICERS))
    item = hostile["item"]
    pages = [
        (officer, reverse("scrutiny:index")),
        (officer, reverse("scrutiny:meeting", args=[hostile["february"].pk])),
        (officer, reverse("scrutiny:meeting", args=[hostile["march"].pk])),
        (officer, reverse("scrutiny:item", args=[item.pk])),
        (officer, reverse("scrutiny:item_answer", args=[item.pk])),
        (clerk, reverse("scrutiny:item_decide", args=[item.pk])),
        (clerk, reverse("scrutiny:item_add", args=[hostile["march"].pk])),
        (officer, reverse("actions:detail", args=[hostile["action"].pk])),
        (officer, reverse("actions:my_actions")),
    ]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert ESCAPED in html or "&lt;script&gt;" in html, url


def test_the_reminder_email_escapes_what_people_typed(officer, hostile, settings):
    settings.SITE_URL = "https://plans.example.org"

    reminders_send(as_at=TODAY)

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<script>alert" not in html
    assert "Words &lt;script&gt;" in html
    # Plain text is not markup: it says what was typed.
    assert f"Words {SCRIPT}" in message.body


def test_the_word_download_holds_what_people_typed_as_text(client, officer, hostile):
    client.force_login(officer)

    download = client.get(
        reverse("scrutiny:meeting_action_list_document", args=[hostile["march"].pk])
    )

    document = Document(io.BytesIO(download.content))
    cells = [cell for table in table_rows(document) for row in table for cell in row]
    assert f"Action: Words {SCRIPT}" in cells
    assert any(f"Answer {SCRIPT}" in cell for cell in cells)
    assert any(f"Lead {SCRIPT}" in cell for cell in cells)
