"""Scrutiny's pages and forms, as each role meets them: who may record, answer and decide,
what the pages show, the Word action list, and the panels on actions' pages."""

import html
import io
import re
import threading
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from docx import Document

from cypeplan.documents import table_rows
from scrutiny.forms import MeetingForm
from scrutiny.models import Change, Item, Kind, Meeting, Response, State, StateChange
from scrutiny.services import decision_record, response_record
from tests.factories import (
    ActionFactory,
    ItemFactory,
    LeadFactory,
    MeetingFactory,
    ProgressUpdateFactory,
)
from tests.html_forms import post_form
from tests.scrutiny import at_once, on

RAISED = date(2019, 2, 5)
TODAY = date(2019, 3, 20)


@pytest.fixture
def item(people):
    action = ActionFactory(reference="4.2", description="Recruit and retain social workers")
    with on(RAISED):
        return ItemFactory(
            meeting=MeetingFactory(held_on=RAISED),
            answerer=people["lead"],
            due_on=date(2019, 3, 12),
            words="Monthly performance data that was presented to the Improvement Board",
            actions=[action],
        )


@pytest.fixture(autouse=True)
def today():
    with on(TODAY):
        yield


def sign_in(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])


def recorded():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Meeting, Item, Response, StateChange)
    ]


ANSWER = {"text": "The data is on the intranet.", "considers_answered": "yes"}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("clerk", False),
        ("owes", True),
        ("delegate", True),
        ("other officer", False),
        ("admin", True),
    ],
)
def test_who_may_answer_an_item(client, people, item, role, allowed):
    sign_in(client, people, role)
    url = reverse("scrutiny:item_answer", args=[item.pk])

    page = client.get(url)
    posted = client.post(url, ANSWER)

    if role == "anonymous":
        assert page.status_code == posted.status_code == 302
    else:
        assert page.status_code == (200 if allowed else 403)
        assert posted.status_code == (302 if allowed else 403)
    assert item.responses.exists() is allowed
    state = Item.objects.with_state(TODAY).get().state
    assert state == (State.ANSWERED if allowed else State.OPEN)
    if allowed:
        assert item.responses.get().entered_by == people[role]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("clerk", True),
        ("owes", False),
        ("delegate", False),
        ("other officer", False),
        ("admin", False),
    ],
)
def test_only_scrutiny_officers_record_the_committees_decision(client, people, item, role, allowed):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    sign_in(client, people, role)
    url = reverse("scrutiny:item_decide", args=[item.pk])

    page = client.get(url)
    posted = client.post(url, {"decision": Change.ACCEPTED, "meeting": march.pk})

    if role == "anonymous":
        assert page.status_code == posted.status_code == 302
    else:
        assert page.status_code == (200 if allowed else 403)
        assert posted.status_code == (302 if allowed else 403)
    expected = State.ACCEPTED if allowed else State.ANSWERED
    assert Item.objects.with_state(TODAY).get().state == expected


def test_sending_an_answer_back_with_a_new_date_shows_it_and_keeps_the_old_lists(
    client, people, item
):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    sign_in(client, people, "clerk")

    posted = client.post(
        reverse("scrutiny:item_decide", args=[item.pk]),
        {
            "decision": Change.NOT_ACCEPTED,
            "meeting": march.pk,
            "reason": "February's data is missing",
            "due_on_day": "30",
            "due_on_month": "4",
            "due_on_year": "2019",
        },
    )

    assert posted.status_code == 302
    page = " ".join(client.get(reverse("scrutiny:item", args=[item.pk])).content.decode().split())
    assert "Answer now due by:</strong> 30 April 2019" in page
    listed = client.get(reverse("scrutiny:index")).content.decode()
    before = client.get(reverse("scrutiny:index"), {"as_at": "2019-03-11"}).content.decode()
    assert "Due 30 April 2019" in listed
    assert "Due 12 March 2019" in before and "Due 30 April 2019" not in before


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("clerk", True),
        ("owes", False),
        ("delegate", False),
        ("other officer", False),
        ("admin", True),
    ],
)
def test_who_may_record_a_meeting_and_its_items(client, people, role, allowed):
    sign_in(client, people, role)

    meeting_page = client.get(reverse("scrutiny:meeting_add"))
    meeting_post = client.post(
        reverse("scrutiny:meeting_add"),
        {
            "committee": "Scrutiny Children & Young People Sub-Committee",
            "held_on_day": "12",
            "held_on_month": "3",
            "held_on_year": "2019",
            "minute_numbers": "17/19 to 25/19",
        },
    )
    meeting = Meeting.objects.first() or MeetingFactory(held_on=date(2019, 3, 12))
    item_post = client.post(
        reverse("scrutiny:item_add", args=[meeting.pk]),
        {
            "kind": Kind.ACTION,
            "words": "Officers agreed to circulate the table.",
            "minute": "18/19",
            "answerer": people["lead"].pk,
            "due_on_day": "9",
            "due_on_month": "4",
            "due_on_year": "2019",
        },
    )

    if role == "anonymous":
        assert {meeting_page.status_code, meeting_post.status_code, item_post.status_code} == {302}
        assert not Item.objects.exists()
        return
    assert meeting_page.status_code == (200 if allowed else 403)
    assert meeting_post.status_code == (302 if allowed else 403)
    assert item_post.status_code == (302 if allowed else 403)
    assert Meeting.objects.filter(minute_numbers="17/19 to 25/19").exists() is allowed
    assert Item.objects.filter(words="Officers agreed to circulate the table.").exists() is allowed
    if allowed:
        raised = Item.objects.with_state(TODAY).get()
        assert (raised.state, raised.answerer, raised.due_on) == (
            State.OPEN,
            people["lead"],
            date(2019, 4, 9),
        )


@pytest.mark.parametrize("role", ["member", "clerk", "owes", "delegate", "other officer", "admin"])
def test_everyone_who_reads_the_plans_reads_the_scrutiny_pages(client, people, item, role):
    sign_in(client, people, role)
    for url in [
        reverse("scrutiny:index"),
        reverse("scrutiny:meeting", args=[item.meeting_id]),
        reverse("scrutiny:item", args=[item.pk]),
        reverse("scrutiny:meeting_action_list_document", args=[item.meeting_id]),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_scrutiny_member_can_post_nothing_anywhere_in_scrutiny(client, people, item):
    response_record(item=item, text="Sent", considers_answered=True, entered_by=people["owes"])
    client.force_login(people["member"])
    before = recorded()
    everything = {
        **ANSWER,
        "decision": Change.ACCEPTED,
        "meeting": item.meeting_id,
        "committee": "X",
        "held_on_day": "1",
        "held_on_month": "1",
        "held_on_year": "2019",
        "kind": Kind.ACTION,
        "words": "x",
        "answerer_as_minuted": "Officers",
    }
    for url in [
        reverse("scrutiny:index"),
        reverse("scrutiny:meeting_add"),
        reverse("scrutiny:meeting", args=[item.meeting_id]),
        reverse("scrutiny:item_add", args=[item.meeting_id]),
        reverse("scrutiny:item", args=[item.pk]),
        reverse("scrutiny:item_answer", args=[item.pk]),
        reverse("scrutiny:item_decide", args=[item.pk]),
        reverse("scrutiny:meeting_action_list_document", args=[item.meeting_id]),
    ]:
        assert client.post(url, everything).status_code in {403, 405}, url
    assert recorded() == before


def test_the_buttons_show_only_to_those_who_may_use_them(client, people, item):
    url = reverse("scrutiny:item", args=[item.pk])
    for role, answer, decide in [
        ("member", False, False),
        ("owes", True, False),
        ("delegate", True, False),
        ("other officer", False, False),
        ("clerk", False, True),
        ("admin", True, False),
    ]:
        client.force_login(people[role])
        html = client.get(url).content.decode()
        assert ("Answer this item" in html) is answer, role
        assert ("Record the committee’s decision" in html) is decide, role


def test_an_answers_evidence_links_its_web_addresses_and_nothing_else(client, people, item):
    with on(date(2019, 3, 1)):
        response_record(
            item=item,
            text="Sent",
            considers_answered=True,
            entered_by=None,
            evidence="The board's papers: https://example.org/board?m=3&y=2019. Not data:,hi",
            evidence_links="https://example.org/data",
        )
    sign_in(client, people, "member")

    page = client.get(reverse("scrutiny:item", args=[item.pk])).content.decode()

    assert 'href="https://example.org/board?m=3&amp;y=2019"' in page
    assert 'href="https://example.org/data"' in page
    assert "Not data:,hi" in page
    assert 'href="data:' not in page


# --- Forms: error states ------------------------------------------------------------


def test_an_empty_answer_is_refused_with_an_error_summary(client, people, item):
    client.force_login(people["owes"])

    response = client.post(reverse("scrutiny:item_answer", args=[item.pk]), {"text": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your answer" in html
    assert "Answer “Do you consider the item answered?”" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Answer an item" in html
    assert not Response.objects.exists()


def test_a_bad_evidence_link_is_refused_naming_it(client, people, item):
    client.force_login(people["owes"])

    response = client.post(
        reverse("scrutiny:item_answer", args=[item.pk]),
        {**ANSWER, "evidence_links": "https://example.org/ok\nnot a link"},
    )

    assert "This is not: not a link" in response.content.decode()
    assert not Response.objects.exists()


def test_sending_an_answer_back_needs_a_reason(client, people, item):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    client.force_login(people["clerk"])
    url = reverse("scrutiny:item_decide", args=[item.pk])

    refused = client.post(url, {"decision": Change.NOT_ACCEPTED, "meeting": march.pk})
    sent_back = client.post(
        url, {"decision": Change.NOT_ACCEPTED, "meeting": march.pk, "reason": "Too late"}
    )

    assert "Say why the answer was not accepted." in refused.content.decode()
    assert sent_back.status_code == 302
    reopened = Item.objects.with_state(TODAY).get()
    assert (reopened.state, reopened.state_reason) == (State.OPEN, "Too late")


def test_the_decision_form_names_every_problem_at_once(client, people, item):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    client.force_login(people["clerk"])

    refused = client.post(
        reverse("scrutiny:item_decide", args=[item.pk]),
        {
            "decision": Change.NOT_ACCEPTED,
            "meeting": "",
            "reason": "",
            "due_on_day": "31",
            "due_on_month": "13",
            "due_on_year": "27",
        },
    )

    page = html.unescape(refused.content.decode())
    assert refused.status_code == 200
    assert "Choose the meeting at which the committee decided." in page
    assert "Say why the answer was not accepted." in page
    summary = page[page.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    assert summary.count("<li>") == 3, summary
    assert Item.objects.with_state(TODAY).get().state == State.ANSWERED


def test_accepting_needs_the_meeting(client, people, item):
    response_record(item=item, text="Sent", considers_answered=True, entered_by=people["owes"])
    client.force_login(people["clerk"])

    refused = client.post(
        reverse("scrutiny:item_decide", args=[item.pk]), {"decision": Change.ACCEPTED}
    )

    assert "Choose the meeting at which the committee decided." in refused.content.decode()
    assert Item.objects.with_state(TODAY).get().state == State.ANSWERED


def test_an_item_needs_its_words_and_who_answers(client, people, item):
    client.force_login(people["clerk"])

    response = client.post(
        reverse("scrutiny:item_add", args=[item.meeting_id]), {"kind": Kind.ACTION, "words": ""}
    )

    html = response.content.decode()
    assert "Enter words as minuted" in html
    assert "Say who must answer" in html
    assert Item.objects.count() == 1


def test_a_meeting_with_an_impossible_date_or_twice_on_one_day_is_refused(client, people, item):
    client.force_login(people["clerk"])
    url = reverse("scrutiny:meeting_add")
    committee = item.meeting.committee

    impossible = client.post(
        url,
        {"committee": committee, "held_on_day": "31", "held_on_month": "9", "held_on_year": "2019"},
    )
    twice = client.post(
        url,
        {"committee": committee, "held_on_day": "5", "held_on_month": "2", "held_on_year": "2019"},
    )

    assert "September 2019 has 30 days" in impossible.content.decode()
    assert "already has a meeting on 5 February 2019" in twice.content.decode()
    assert Meeting.objects.count() == 1


def test_a_meeting_dated_in_a_year_the_service_does_not_answer_for_is_refused(client, people, item):
    client.force_login(people["clerk"])

    response = client.post(
        reverse("scrutiny:meeting_add"),
        {
            "committee": item.meeting.committee,
            "held_on_day": "12",
            "held_on_month": "3",
            "held_on_year": "1019",
        },
    )

    assert (
        "Date of the meeting: “12 March 1019” is outside the dates this service answers for: "
        "enter a date between 1 January 1900 and 31 December 2999."
    ) in html.unescape(response.content.decode())
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("held_on", "refused"),
    [(date(2019, 3, 19), False), (TODAY, False), (date(2019, 3, 21), True)],
)
def test_a_meeting_is_recorded_only_once_it_has_been_held(client, people, held_on, refused):
    client.force_login(people["clerk"])
    committee = "Scrutiny Children & Young People Sub-Committee"

    page = client.post(
        reverse("scrutiny:meeting_add"),
        {
            "committee": committee,
            "held_on_day": held_on.day,
            "held_on_month": held_on.month,
            "held_on_year": held_on.year,
        },
    )
    admin = client.post(
        reverse("admin:scrutiny_meeting_add"),
        {"committee": "Another committee", "held_on": held_on.isoformat()},
    )

    said = (
        "A meeting is recorded once it has been held: 21 March 2019 is after today (20 March 2019)."
    )
    assert (said in html.unescape(page.content.decode())) is refused
    assert (said in html.unescape(admin.content.decode())) is refused
    assert Meeting.objects.filter(held_on=held_on).count() == (0 if refused else 2)


def test_an_item_raised_at_a_meeting_dated_in_the_future_says_so_when_answered(client, people):
    # Recorded before such dates were refused: it can't be answered or withdrawn yet.
    with on(date(2019, 4, 2)):
        item = ItemFactory(
            meeting=MeetingFactory(held_on=date(2019, 4, 2)), answerer=people["lead"]
        )
    before = recorded()
    said = (
        "This item was raised at the meeting of 2 April 2019, a date in the future (today is "
        "20 March 2019): nothing can be recorded on it before that date. If the meeting was "
        "put off, or its date is wrong, a scrutiny officer can change the meeting's date in "
        "the admin, and its items move with it."
    )

    client.force_login(people["owes"])
    answered = client.post(reverse("scrutiny:item_answer", args=[item.pk]), ANSWER)
    client.force_login(people["clerk"])
    withdrawn = client.post(
        reverse("scrutiny:item_decide", args=[item.pk]),
        {"decision": Change.WITHDRAWN, "reason": "Raised in error"},
    )

    for response in (answered, withdrawn):
        text = html.unescape(response.content.decode()).replace("’", "'")
        assert said in text
        assert "before the item's last step" not in text
    assert recorded() == before


# --- What the pages show --------------------------------------------------------------


def answered_then_sent_back(item, *, answer, reason):
    """Answered on 1 March 2019, sent back at the meeting of 12 March with `reason`."""
    march = MeetingFactory(held_on=date(2019, 3, 12))
    with on(date(2019, 3, 1)):
        response_record(item=item, text=answer, considers_answered=True, entered_by=None)
    with on(march.held_on):
        decision_record(
            item=item,
            decision=Change.NOT_ACCEPTED,
            meeting=march,
            reason=reason,
            entered_by=None,
        )


def test_the_item_page_shows_its_history_with_answers_and_reasons(client, people, item):
    answered_then_sent_back(item, answer="First go", reason="Not the data asked for")
    with on(date(2019, 3, 15)):
        response_record(item=item, text="Progress only", considers_answered=False, entered_by=None)
    client.force_login(people["member"])

    html = client.get(reverse("scrutiny:item", args=[item.pk])).content.decode()

    history = html.split('id="history"')[1]
    order = [
        "5 February 2019: Raised at the meeting",
        "1 March 2019: Answered",
        "First go",
        "12 March 2019: Not accepted: sent back at the meeting of 12 March 2019",
        "Not the data asked for",
        "15 March 2019: Answer (progress; the item stays open)",
        "Progress only",
    ]
    positions = [history.index(text) for text in order]
    assert positions == sorted(positions)
    # As at 10 March the committee had not yet sent it back.
    earlier = client.get(reverse("scrutiny:item", args=[item.pk]), {"as_at": "2019-03-10"})
    assert "Not the data asked for" not in earlier.content.decode()


def test_the_action_list_shows_each_plan_actions_position_as_at_the_date(client, people, item):
    action = item.actions.get()
    ProgressUpdateFactory(action=action, reported_on=date(2019, 3, 1), status="complete")
    client.force_login(people["member"])

    before = client.get(reverse("scrutiny:index"), {"as_at": "2019-02-28"}).content.decode()
    after = client.get(reverse("scrutiny:index"), {"as_at": "2019-03-01"}).content.decode()

    assert "Recruit and retain social workers" in before
    assert ">Complete</strong>" not in before
    assert ">Complete</strong>" in after
    assert "Overdue" in before


def test_the_word_action_list_holds_the_same_rows_as_the_page(client, people, item):
    with on(RAISED):
        ItemFactory(meeting=item.meeting, words="Forward Plan on emerging Strategies")
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Published", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    client.force_login(people["member"])

    page = client.get(reverse("scrutiny:meeting", args=[march.pk])).content.decode()
    download = client.get(reverse("scrutiny:meeting_action_list_document", args=[march.pk]))

    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="action-list-2019-03-12.docx"' in download["Content-Disposition"]
    document = Document(io.BytesIO(download.content))
    header, *rows = table_rows(document)[-1]
    assert header == [
        "No.",
        "Raised",
        "Item",
        "Who answers, and by when",
        "Where it stands",
        "Latest answer",
        "Plan actions it concerns",
    ]
    assert [row[2] for row in rows] == [
        "Information request: Monthly performance data that was presented to the Improvement Board",
        "Information request: Forward Plan on emerging Strategies",
    ]
    # Laid out for landscape A4: the grid gives the words room, the number little.
    grid = [column.width for column in document.tables[-1].columns]
    assert grid[0] < grid[1] < grid[2]
    assert document.sections[0].page_width > document.sections[0].page_height
    assert rows[0][3] == "Olu Owes, Head of Finance\nDue 12 March 2019"
    assert rows[0][4].startswith("Answered, awaiting the committee")
    assert rows[0][5] == "1 March 2019: Published"
    assert rows[1][4].startswith("Open")
    listed = page.split('id="action-list-heading"')[1]
    for row in rows:
        assert f'data-label="No.">{row[0]}</td>' in listed
        assert row[2].split(": ", 1)[1] in listed
        assert row[5].split(": ", 1)[-1] in listed
        # Each plan action named as the page names it, its position in the page's words.
        for line in row[6].splitlines() if row[6] != "None" else []:
            label, words = line.rsplit(" (", 1)
            assert label in html.unescape(listed)
            for word in words.rstrip(")").split(", "):
                assert f">{word}</strong>" in listed
    assert listed.count('data-label="No."') == len(rows)
    assert any(row[6] != "None" for row in rows)


# --- On actions' pages, in reminders and on the register --------------------------------


def test_an_actions_page_lists_the_members_items_about_it(client, people, item):
    client.force_login(people["member"])

    html = client.get(reverse("actions:detail", args=[item.actions.get().pk])).content.decode()

    assert "What scrutiny members have asked about it" in html
    assert "Monthly performance data that was presented to the Improvement Board" in html
    assert "Answer overdue" in html


def test_my_actions_shows_the_items_an_officer_owes_overdue_first(client, people, item):
    with on(RAISED):
        later = ItemFactory(
            meeting=item.meeting, answerer=people["lead"], due_on=date(2019, 6, 1), words="Later"
        )
        ItemFactory(meeting=item.meeting, words="Someone else's")
    for role in ["owes", "delegate"]:
        client.force_login(people[role])
        html = client.get(reverse("actions:my_actions")).content.decode()
        panel = html.split("Answers you owe the scrutiny committee")[1]
        assert panel.index("Monthly performance data") < panel.index("Later")
        assert "Someone else" not in panel
        assert reverse("scrutiny:item_answer", args=[later.pk]) in panel
    client.force_login(people["other officer"])
    assert "Answers you owe" not in client.get(reverse("actions:my_actions")).content.decode()


def test_the_register_filters_actions_members_have_asked_about(client, people, item):
    asked = item.actions.get()
    other = ActionFactory(description="Nobody asked about this")
    client.force_login(people["member"])

    def descriptions(value):
        html = client.get(reverse("actions:register"), {"asked_about": value}).content.decode()
        return [a.description for a in (asked, other) if a.description in html]

    assert descriptions("yes") == [asked.description]
    assert descriptions("outstanding") == [asked.description]
    assert descriptions("no") == [other.description]
    with on(date(2019, 3, 25)):
        # Five days on: a new session (sessions end after a working day idle).
        client.force_login(people["member"])
        response_record(item=item, text="x", considers_answered=True, entered_by=None)
        decision_record(
            item=item,
            decision=Change.ACCEPTED,
            meeting=MeetingFactory(held_on=date(2019, 3, 25)),
            entered_by=None,
        )
        assert descriptions("outstanding") == []
        assert descriptions("yes") == [asked.description]


def test_reminders_include_overdue_answers_for_the_officer_and_their_delegate(
    people, item, mailoutbox, settings
):
    from actions.reminders import reminders_send

    settings.SITE_URL = "https://plans.example.org"
    with on(RAISED):
        ItemFactory(meeting=item.meeting, answerer=people["lead"], due_on=date(2019, 6, 1))

    summary = reminders_send(as_at=TODAY)

    assert sorted(reminder.recipient.username for reminder in summary.sent) == [
        "delegate",
        "owes",
    ]
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert message.subject == "1 answer to scrutiny overdue (CYPE plan tracker)"
    assert "Monthly performance data that was presented to the Improvement Board" in message.body
    assert "overdue by 8 days" in message.body
    url = "https://plans.example.org" + reverse("scrutiny:item_answer", args=[item.pk])
    assert url in message.body
    assert url in message.alternatives[0][0]

    # Not overdue yet the day it is due: listed as due that day.
    mailoutbox.clear()
    reminders_send(as_at=date(2019, 3, 12))
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert message.subject == "1 answer to scrutiny due soon (CYPE plan tracker)"
    assert "Answer due 12 March 2019 (today)" in message.body
    assert "overdue by" not in message.body


# --- The admin --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "admin"])
def test_an_item_added_in_the_admin_is_raised_and_its_history_kept(client, people, item, role):
    client.force_login(people[role])
    action = item.actions.get()

    added = client.post(
        reverse("admin:scrutiny_item_add"),
        {
            "meeting": item.meeting_id,
            "position": 5,
            "kind": Kind.RECOMMENDATION,
            "words": "The Council and its partners should meet.",
            "minute": "14/19",
            "answerer_as_minuted": "Cabinet Member for Children, Young People and Learning",
            "due_on": "2019-03-12",
            "actions": [action.pk],
        },
    )
    new = Item.objects.get(kind=Kind.RECOMMENDATION)
    changed = client.post(
        reverse("admin:scrutiny_item_change", args=[new.pk]),
        {
            "position": 5,
            "kind": Kind.RECOMMENDATION,
            "words": "The Council and its partners should meet soon.",
            "minute": "14/19",
            "answerer_as_minuted": "Cabinet Member for Children, Young People and Learning",
            "due_on": "2019-03-12",
            "actions": [action.pk],
            "state_changes-TOTAL_FORMS": 1,
            "state_changes-INITIAL_FORMS": 1,
            "responses-TOTAL_FORMS": 0,
            "responses-INITIAL_FORMS": 0,
        },
    )

    assert added.status_code == changed.status_code == 302
    raised = Item.objects.with_state(TODAY).get(pk=new.pk)
    assert (raised.state, list(new.actions.all())) == (State.OPEN, [action])
    assert new.state_changes.get().on == RAISED
    # Setting its actions is a step of its own in the history: what it said, then what it says.
    words = [h.words for h in new.history.order_by("history_date")]
    assert (words[0], words[-1]) == (
        "The Council and its partners should meet.",
        "The Council and its partners should meet soon.",
    )
    history = client.get(reverse("admin:scrutiny_item_history", args=[new.pk]))
    assert history.status_code == 200


def test_a_meeting_with_items_keeps_its_date_in_the_admin(client, people, item):
    client.force_login(people["clerk"])
    meeting = item.meeting
    held_on = meeting.held_on
    url = reverse("admin:scrutiny_meeting_change", args=[meeting.pk])

    form = client.get(url).content.decode()
    client.post(
        url,
        {
            "committee": meeting.committee,
            "held_on": "2019-03-25",
            "minute_numbers": "1/19 to 9/19",
        },
    )

    assert 'name="held_on"' not in form
    meeting.refresh_from_db()
    # Its date stays the day its items were raised; the rest of it may be put right.
    assert (meeting.held_on, meeting.minute_numbers) == (held_on, "1/19 to 9/19")
    assert item.state_changes.get().on == held_on
    # A meeting with nothing raised at it yet may still move.
    empty = Meeting.objects.create(held_on=date(2019, 3, 1), committee=meeting.committee)
    client.post(
        reverse("admin:scrutiny_meeting_change", args=[empty.pk]),
        {"committee": empty.committee, "held_on": "2019-03-02", "minute_numbers": ""},
    )
    empty.refresh_from_db()
    assert empty.held_on == date(2019, 3, 2)


def test_a_meeting_not_yet_held_is_put_off_with_its_items_in_the_admin(client, people):
    """A meeting dated after today (recorded before such dates were refused) was put off:
    the clerk moves it, and its items with it; once it has been held it can be answered."""
    with on(date(2019, 4, 2)):
        item = ItemFactory(
            meeting=MeetingFactory(held_on=date(2019, 4, 2), minute_numbers=""),
            answerer=people["lead"],
            due_on=date(2019, 5, 1),
        )
    meeting = item.meeting
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_meeting_change", args=[meeting.pk])
    fields = {"committee": meeting.committee, "minute_numbers": ""}

    form = html.unescape(client.get(url).content.decode())
    put_off = client.post(url, {**fields, "held_on": "2019-04-09"})
    meeting.refresh_from_db()
    moved = (meeting.held_on, item.state_changes.get().on)
    # Its date was wrong all along: it was held yesterday.
    client.post(url, {**fields, "held_on": "2019-03-19"})

    assert 'name="held_on"' in form and "its items move with it" in form
    assert put_off.status_code == 302
    assert moved == (date(2019, 4, 9), date(2019, 4, 9))
    meeting.refresh_from_db()
    assert (meeting.held_on, item.state_changes.get().on) == ((date(2019, 3, 19),) * 2)
    assert [listed.pk for listed in Item.objects.outstanding(TODAY)] == [item.pk]
    assert [h.held_on for h in meeting.history.order_by("history_id")] == [
        date(2019, 4, 2),
        date(2019, 4, 9),
        date(2019, 3, 19),
    ]
    # Now it has been held, its date is kept, and its item can be answered.
    assert 'name="held_on"' not in client.get(url).content.decode()
    client.force_login(people["owes"])
    client.post(reverse("scrutiny:item_answer", args=[item.pk]), ANSWER)
    assert item.responses.count() == 1


def test_a_meeting_not_yet_held_is_not_moved_past_its_items_due_dates_or_onto_another(
    client, people
):
    with on(date(2019, 4, 2)):
        item = ItemFactory(
            meeting=MeetingFactory(held_on=date(2019, 4, 2)),
            due_on=date(2019, 5, 30),
            words="Figures for the spring term",
        )
    meeting = item.meeting
    MeetingFactory(held_on=date(2019, 5, 7), committee=meeting.committee)
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_meeting_change", args=[meeting.pk])
    fields = {"committee": meeting.committee, "minute_numbers": ""}

    past_due = client.post(url, {**fields, "held_on": "2019-06-04"})
    taken = client.post(url, {**fields, "held_on": "2019-05-07"})

    said = html.unescape(past_due.content.decode())
    assert "The item “Figures for the spring term” is due by 30 May 2019, before 4 June" in said
    assert "already exists" in html.unescape(taken.content.decode())
    meeting.refresh_from_db()
    assert (meeting.held_on, item.state_changes.get().on) == ((date(2019, 4, 2),) * 2)


def test_a_held_meeting_with_decisions_keeps_its_date_in_the_admin(client, people, item):
    """No item was raised at March's meeting, but it accepted February's answer: that
    decision is dated the day of the meeting, so the meeting keeps its date."""
    march = MeetingFactory(held_on=date(2019, 3, 12), minute_numbers="")
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    with on(march.held_on):
        decision_record(
            item=item, decision=Change.ACCEPTED, meeting=march, entered_by=people["clerk"]
        )
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_meeting_change", args=[march.pk])

    form = client.get(url).content.decode()
    client.post(url, {"committee": march.committee, "held_on": "2019-03-14", "minute_numbers": ""})

    assert 'name="held_on"' not in form
    march.refresh_from_db()
    accepted = item.state_changes.get(change=Change.ACCEPTED)
    assert march.held_on == accepted.on == date(2019, 3, 12)


def test_a_held_meeting_is_not_moved_after_today(client, people):
    held = MeetingFactory(held_on=date(2019, 3, 1))
    client.force_login(people["clerk"])

    moved = client.post(
        reverse("admin:scrutiny_meeting_change", args=[held.pk]),
        {"committee": held.committee, "held_on": "2019-03-21", "minute_numbers": ""},
    )

    assert "21 March 2019 is after today" in html.unescape(moved.content.decode())
    held.refresh_from_db()
    assert held.held_on == date(2019, 3, 1)


def test_an_answered_or_decided_item_keeps_its_kind_and_answerer_in_the_admin(client, people, item):
    answered_then_sent_back(item, answer="Sent", reason="February's data is missing")
    other = LeadFactory(name="Someone Else")
    as_minuted = item.answerer_as_minuted
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[item.pk])

    form = client.get(url).content.decode()
    # A crafted POST naming the kind and another answerer changes neither.
    posted = client.post(
        url,
        {
            "position": item.position,
            "kind": Kind.CONCLUSION,
            "words": item.words,
            "minute": "12/19",
            "answerer": other.pk,
            "answerer_as_minuted": "Head of Something",
            "due_on": "2019-03-12",
            "actions": [action.pk for action in item.actions.all()],
            "state_changes-TOTAL_FORMS": 3,
            "state_changes-INITIAL_FORMS": 3,
            "responses-TOTAL_FORMS": 1,
            "responses-INITIAL_FORMS": 1,
        },
    )

    assert 'name="kind"' not in form and 'name="answerer"' not in form
    assert "withdraw this item with the reason" in form
    assert posted.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.answerer, item.answerer_as_minuted, item.minute) == (
        Kind.INFORMATION_REQUEST,
        people["lead"],
        as_minuted,
        "12/19",
    )
    # March's action list, the officer's answers owed and the item's page read as before.
    assert [listed.pk for listed in Item.objects.outstanding(date(2019, 3, 11))] == [item.pk]
    client.force_login(people["owes"])
    assert "Monthly performance data" in client.get(reverse("actions:my_actions")).content.decode()
    page = html.unescape(client.get(reverse("scrutiny:item", args=[item.pk])).content.decode())
    assert "1 March 2019: Answered" in page and "February's data is missing" in page
    assert "needs no answer" not in page


@pytest.mark.parametrize("on_record_by", ["a later meeting", "an answer"])
def test_an_item_on_record_keeps_its_words_and_due_date_in_the_admin(
    client, people, item, on_record_by
):
    if on_record_by == "a later meeting":
        listed_at = reverse("scrutiny:meeting", args=[MeetingFactory(held_on=TODAY).pk])
    else:
        listed_at = reverse("scrutiny:index")
        with on(date(2019, 3, 1)):
            response_record(item=item, text="Progress", considers_answered=False, entered_by=None)
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[item.pk])
    asked = item.words

    form = client.get(url).content.decode()
    # A crafted POST with other words and another date changes neither.
    posted = client.post(
        url,
        {
            "position": item.position,
            "kind": item.kind,
            "words": "Something the members never asked",
            "minute": "12/19",
            "answerer": people["lead"].pk,
            "due_on": "2019-12-31",
            "actions": [action.pk for action in item.actions.all()],
            "state_changes-TOTAL_FORMS": 1,
            "state_changes-INITIAL_FORMS": 1,
            "responses-TOTAL_FORMS": item.responses.count(),
            "responses-INITIAL_FORMS": item.responses.count(),
        },
    )

    assert 'name="words"' not in form and 'name="due_on"' not in form
    assert "printed on a later meeting’s action list" in html.unescape(form)
    assert posted.status_code == 302
    item.refresh_from_db()
    assert (item.words, item.due_on, item.minute) == (asked, date(2019, 3, 12), "12/19")
    # The action list (the later meeting's, as its agenda pack printed it) reads as before.
    client.force_login(people["member"])
    page = html.unescape(client.get(listed_at).content.decode())
    listed = page.split("Action list")[-1]
    assert asked in listed and "12 March 2019" in listed
    assert "never asked" not in page and "31 December 2019" not in page


def test_an_item_only_raised_may_still_have_its_words_put_right_in_the_admin(client, people, item):
    client.force_login(people["clerk"])

    client.post(
        reverse("admin:scrutiny_item_change", args=[item.pk]),
        {
            "position": item.position,
            "kind": item.kind,
            "words": "Monthly performance data as presented to the Improvement Board",
            "answerer": people["lead"].pk,
            "due_on": "2019-03-14",
            "state_changes-TOTAL_FORMS": 1,
            "state_changes-INITIAL_FORMS": 1,
            "responses-TOTAL_FORMS": 0,
            "responses-INITIAL_FORMS": 0,
        },
    )

    item.refresh_from_db()
    assert (item.words, item.due_on) == (
        "Monthly performance data as presented to the Improvement Board",
        date(2019, 3, 14),
    )
    # What it said before is kept in its history.
    assert item.history.earliest("history_date").words.startswith("Monthly performance data that")


def test_reverting_an_answered_item_to_an_earlier_version_keeps_its_kind_and_answerer(
    client, people, item
):
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[item.pk])
    # While only raised, the clerk puts its kind right: an action, not a request.
    form = post_form(client.get(url).content.decode())
    client.post(url, {**form, "kind": Kind.ACTION, "_save": "Save"})
    answered_then_sent_back(item, answer="Sent", reason="February's data is missing")
    first = item.history.earliest("history_date")
    version = reverse("admin:scrutiny_item_simple_history", args=[item.pk, first.history_id])

    page = client.get(version).content.decode()
    reverted = client.post(version, {**post_form(page), "minute": "12/19", "_save": "Save"})

    assert first.kind == Kind.INFORMATION_REQUEST
    # The page shows what reverting keeps: the kind and answerer it has now.
    assert '<div class="readonly">Action</div>' in page
    assert reverted.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.answerer, item.minute) == (Kind.ACTION, people["lead"], "12/19")


def test_items_typed_in_after_the_next_meeting_was_held_may_still_be_put_right(client, people):
    """A clerk catching up records March's meeting, then types in February's items: no
    action list printed for March had them, so a slip in one can still be put right."""
    MeetingFactory(held_on=date(2019, 3, 12))
    late = ItemFactory(meeting=MeetingFactory(held_on=RAISED), due_on=date(2019, 3, 12))
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[late.pk])

    form = client.get(url).content.decode()
    client.post(
        url, {**post_form(form), "words": "What members really asked", "due_on": "2019-03-14"}
    )

    assert 'name="words"' in form and 'name="due_on"' in form
    late.refresh_from_db()
    assert (late.words, late.due_on) == ("What members really asked", date(2019, 3, 14))


@pytest.mark.parametrize(
    "entered_on, later_meeting_on, on_record",
    [
        (date(2019, 3, 11), date(2019, 3, 12), True),  # in the system the day before it
        (date(2019, 3, 12), date(2019, 3, 12), False),  # typed in on the day of it
        (date(2019, 3, 13), date(2019, 3, 12), False),  # typed in after it
        (date(2019, 2, 6), TODAY, True),  # the later meeting held today
        (date(2019, 2, 6), date(2019, 3, 21), False),  # a later meeting dated after today
    ],
)
def test_an_item_is_on_record_through_a_later_meeting_it_was_entered_before(
    db, entered_on, later_meeting_on, on_record
):
    february = MeetingFactory(held_on=RAISED)
    Meeting.objects.create(committee=february.committee, held_on=later_meeting_on)
    with on(entered_on):
        raised = ItemFactory(meeting=february)

    assert raised.is_on_record() is on_record


def test_an_item_only_raised_may_still_change_its_kind_in_the_admin(client, people, item):
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[item.pk])

    form = client.get(url).content.decode()
    client.post(
        url,
        {
            "position": item.position,
            "kind": Kind.ACTION,
            "words": item.words,
            "answerer": people["lead"].pk,
            "due_on": "2019-03-12",
            "state_changes-TOTAL_FORMS": 1,
            "state_changes-INITIAL_FORMS": 1,
            "responses-TOTAL_FORMS": 0,
            "responses-INITIAL_FORMS": 0,
        },
    )

    assert 'name="kind"' in form
    item.refresh_from_db()
    assert item.kind == Kind.ACTION


@pytest.mark.parametrize("role", ["member", "owes", "other officer"])
def test_members_and_officers_cannot_use_the_scrutiny_admin(client, people, item, role):
    client.force_login(people[role])

    response = client.post(
        reverse("admin:scrutiny_item_change", args=[item.pk]), {"words": "Changed"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert Item.objects.get(pk=item.pk).words == item.words


@pytest.mark.parametrize("changes", [1, 15])
def test_item_history_page_renders_in_the_same_number_of_queries_however_many_changes(
    client, people, django_assert_num_queries, changes
):
    item = ItemFactory()
    for _ in range(changes):
        item.actions.add(ActionFactory())
    client.force_login(people["admin"])
    ContentType.objects.clear_cache()

    # The four every page makes; the item; the count for paging; the page of history rows
    # with who made them and the meeting and lead they name; those records' plan actions;
    # content type (of users).
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:scrutiny_item_history", args=[item.pk]))
    assert response.status_code == 200
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())
    assert text.count("Plan actions it concerns: [") == changes


# An answer's form sent twice (a second click while the first is saving, the same page sent
# again from a second tab) records the answer once: the item's history is only ever added
# to, so a duplicate could never be taken away.


def answer_form(client, item):
    url = reverse("scrutiny:item_answer", args=[item.pk])
    return url, {**post_form(client.get(url).content.decode()), **ANSWER}


@pytest.mark.django_db
def test_the_same_answer_form_sent_twice_records_one_answer(client, people, item):
    client.force_login(people["owes"])
    url, form = answer_form(client, item)

    first = client.post(url, form)
    second = client.post(url, form, follow=True)

    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == item.get_absolute_url()
    assert "Your answer has been recorded" in second.content.decode()
    assert list(Response.objects.values_list("text", flat=True)) == [ANSWER["text"]]
    assert StateChange.objects.filter(state=State.ANSWERED).count() == 1


@pytest.mark.django_db
def test_two_forms_opened_separately_record_two_answers(client, people, item):
    client.force_login(people["owes"])
    url, first = answer_form(client, item)
    _, second = answer_form(client, item)

    client.post(url, {**first, "considers_answered": "no"})
    client.post(url, {**second, "text": "More data is on the intranet."})

    assert Response.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_answer_sent_twice_at_once_records_one_and_no_error(role_groups, people, item):
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(people["owes"])
    url, form = answer_form(browsers[0], item)
    start = threading.Barrier(2)
    statuses = []

    def send(browser):
        start.wait()
        try:
            statuses.append(browser.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302], connection.vendor
    assert Response.objects.count() == 1


ITEM = {
    "kind": Kind.ACTION,
    "words": "Officers agreed to circulate the table.",
    "minute": "18/19",
    "answerer_as_minuted": "Head of Finance",
    "due_on_day": "9",
    "due_on_month": "4",
    "due_on_year": "2019",
}


def item_form(client, meeting):
    url = reverse("scrutiny:item_add", args=[meeting.pk])
    return url, {**post_form(client.get(url).content.decode()), **ITEM}


@pytest.mark.django_db
def test_the_same_item_form_sent_twice_records_one_item(client, people, item):
    client.force_login(people["clerk"])
    url, form = item_form(client, item.meeting)

    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302

    assert item.meeting.items.filter(words=ITEM["words"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_items_sent_at_once_are_each_recorded_once_in_their_own_place(role_groups, people, item):
    browsers = [Client() for _ in range(3)]
    for browser in browsers:
        browser.force_login(people["clerk"])
    url, twice = item_form(browsers[0], item.meeting)
    _, other = item_form(browsers[2], item.meeting)

    statuses = at_once(
        [
            (browsers[0], url, twice),
            (browsers[1], url, twice),
            (browsers[2], url, {**other, "words": "Members asked for the figures."}),
        ]
    )

    assert statuses == [302, 302, 302], connection.vendor
    items = item.meeting.items.order_by("position")
    assert [(row.position, row.words) for row in items][1:] in (
        [(2, ITEM["words"]), (3, "Members asked for the figures.")],
        [(2, "Members asked for the figures."), (3, ITEM["words"])],
    )


def test_a_meeting_recorded_by_a_colleague_at_the_same_moment_is_refused_not_an_error(
    client, people, monkeypatch
):
    # Their meeting is saved after this form was checked and before it is saved: the
    # database refuses the second, and the page says so as it does for one recorded earlier.
    committee = "Scrutiny Children & Young People Sub-Committee"
    original = MeetingForm._post_clean

    def checked_then_a_colleague_saves(form):
        original(form)
        if not Meeting.objects.exists():
            Meeting.objects.create(committee=committee, held_on=date(2019, 3, 12))

    monkeypatch.setattr(MeetingForm, "_post_clean", checked_then_a_colleague_saves)
    client.force_login(people["clerk"])
    client.raise_request_exception = False

    response = client.post(
        reverse("scrutiny:meeting_add"),
        {
            "committee": committee,
            "held_on_day": "12",
            "held_on_month": "3",
            "held_on_year": "2019",
            "minute_numbers": "17/19 to 25/19",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "already has a meeting on 12 March 2019: add items to that one" in html
    assert "17/19 to 25/19" in html
    assert Meeting.objects.count() == 1


# The decision's form sent twice (a second click on "Record the decision", the same page
# sent again from a second tab) records the decision once, and the second send is told it
# was recorded, not that nothing more can be recorded.


def decision_form(client, item, **fields):
    url = reverse("scrutiny:item_decide", args=[item.pk])
    return url, {**post_form(client.get(url).content.decode()), **fields}


@pytest.mark.parametrize(
    ("decision", "said"),
    [
        (Change.ACCEPTED, "The item is accepted by the committee"),
        (Change.NOT_ACCEPTED, "The item is sent back: it is open again"),
        (Change.WITHDRAWN, "The item is withdrawn"),
    ],
)
def test_the_same_decision_form_sent_twice_records_one_decision_and_says_so(
    client, people, item, decision, said
):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    client.force_login(people["clerk"])
    url, form = decision_form(
        client, item, decision=decision, meeting=march.pk, reason="Covered at the meeting"
    )

    first = client.post(url, form)
    second = client.post(url, form, follow=True)

    assert first.status_code == 302
    page = " ".join(html.unescape(second.content.decode()).split())
    assert f"This decision was already recorded. {said}" in page
    assert "nothing more can be recorded" not in page
    assert "govuk-error-summary" not in page
    assert second.redirect_chain[-1][0] == item.get_absolute_url()
    assert StateChange.objects.filter(change=decision).count() == 1


def test_a_decision_from_a_form_opened_separately_is_still_refused(client, people, item):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    client.force_login(people["clerk"])
    url, first = decision_form(client, item, decision=Change.ACCEPTED, meeting=march.pk)
    _, second = decision_form(client, item, decision=Change.ACCEPTED, meeting=march.pk)

    client.post(url, first)
    refused = client.post(url, second)

    assert refused.status_code == 200
    assert "nothing more can be recorded on it" in refused.content.decode()
    assert StateChange.objects.filter(change=Change.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_decision_sent_twice_at_once_records_one_and_no_error(role_groups, people, item):
    with on(date(2019, 3, 1)):
        response_record(item=item, text="Sent", considers_answered=True, entered_by=None)
    march = MeetingFactory(held_on=date(2019, 3, 12))
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(people["clerk"])
    url, form = decision_form(browsers[0], item, decision=Change.ACCEPTED, meeting=march.pk)
    start = threading.Barrier(2)
    statuses = []

    def send(browser):
        start.wait()
        try:
            statuses.append(browser.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302], connection.vendor
    assert StateChange.objects.filter(change=Change.ACCEPTED).count() == 1
