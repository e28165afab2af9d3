"""The daily reminder's section on answers owed to scrutiny: overdue answers, and answers
due within the warning window, each worded so the officer can tell them apart.

The reminder runs on 1 June 2023; the warning window (30 days) reaches to 1 July 2023."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group

from actions import roles
from actions.reminders import reminders_send
from scrutiny.services import response_record
from tests.factories import ActionFactory, ItemFactory, LeadFactory, MeetingFactory, UserFactory
from tests.scrutiny import on

HELD = date(2023, 5, 10)
AS_AT = date(2023, 6, 1)


@pytest.fixture
def lead(db):
    owes = UserFactory(username="owes", first_name="Olu", last_name="Owes")
    owes.groups.add(Group.objects.get(name=roles.OFFICERS))
    return LeadFactory(name="Olu Owes", user=owes)


@pytest.fixture
def meeting(db):
    return MeetingFactory(held_on=HELD)


def owed(lead, meeting, due_on, words):
    with on(HELD):
        return ItemFactory(meeting=meeting, answerer=lead, due_on=due_on, words=words)


def reminder(mailoutbox):
    with on(AS_AT):
        reminders_send(as_at=AS_AT)
    [message] = [m for m in mailoutbox if m.to == ["owes@example.org"]]
    return message


@pytest.mark.parametrize(
    ("due_on", "said"),
    [
        (date(2023, 5, 31), "Answer due 31 May 2023: overdue by 1 day"),
        (date(2023, 6, 1), "Answer due 1 June 2023 (today)"),
        (date(2023, 6, 2), "Answer due 2 June 2023 (tomorrow)"),
        (date(2023, 7, 1), "Answer due 1 July 2023 — within 30 days"),
    ],
)
def test_an_answer_overdue_or_due_within_the_warning_window_is_listed_and_says_which(
    lead, meeting, mailoutbox, due_on, said
):
    owed(lead, meeting, due_on, "Members asked for the waiting times.")

    message = reminder(mailoutbox)

    assert said in message.body
    assert said in message.alternatives[0][0]
    assert "Members asked for the waiting times." in message.body


def test_an_answer_due_after_the_warning_window_is_not_listed(lead, meeting, mailoutbox):
    owed(lead, meeting, AS_AT + timedelta(days=31), "Members asked for the waiting times.")

    with on(AS_AT):
        summary = reminders_send(as_at=AS_AT)

    assert summary.sent == []
    assert mailoutbox == []


def test_an_answer_given_is_no_longer_listed_as_due_soon(lead, meeting, mailoutbox):
    item = owed(lead, meeting, date(2023, 6, 2), "Members asked for the waiting times.")
    with on(date(2023, 5, 20)):
        response_record(
            item=item, text="Sent to members.", considers_answered=True, entered_by=lead.user
        )

    with on(AS_AT):
        summary = reminders_send(as_at=AS_AT)

    assert summary.sent == []


def test_overdue_answers_come_before_those_due_soon_and_the_subject_counts_each(
    lead, meeting, mailoutbox
):
    owed(lead, meeting, date(2023, 6, 2), "Members asked for the waiting times.")
    owed(lead, meeting, date(2023, 6, 20), "Members asked for the budget.")
    owed(lead, meeting, date(2023, 5, 25), "Members asked for the audit.")

    message = reminder(mailoutbox)

    assert message.subject == "3 answers to scrutiny: 1 overdue, 2 due soon (CYPE plan tracker)"
    assert "Answers owed to the scrutiny committee, overdue or due soon" in message.body
    listed = re.findall(r"\d+\. Members asked for the (\w+)", message.body)
    assert listed == ["audit", "waiting", "budget"]


def test_only_answers_due_soon_say_so_in_the_subject_and_heading(lead, meeting, mailoutbox):
    owed(lead, meeting, date(2023, 6, 2), "Members asked for the waiting times.")

    message = reminder(mailoutbox)

    assert message.subject == "1 answer to scrutiny due soon (CYPE plan tracker)"
    assert "Answers owed to the scrutiny committee, due soon" in message.body
    assert "overdue by" not in message.body


def test_only_people_allowed_to_record_answers_are_reminded_of_them(lead, meeting, mailoutbox):
    councillor = UserFactory(username="cllr")
    councillor.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    lead.delegates.add(councillor)
    owed(lead, meeting, date(2023, 5, 31), "Members asked for the waiting times.")

    with on(AS_AT):
        summary = reminders_send(as_at=AS_AT)

    assert [reminder.recipient.username for reminder in summary.sent] == ["owes"]
    assert [message.to for message in mailoutbox] == [["owes@example.org"]]


ANSWERS_WHY = (
    "an answer to the scrutiny committee that you, or a lead whose answers you may record, "
    "must give is overdue or due within 30 days"
)


def test_a_reminder_of_answers_alone_closes_saying_it_comes_for_answers(lead, meeting, mailoutbox):
    owed(lead, meeting, date(2023, 6, 2), "Members asked for the waiting times.")

    message = reminder(mailoutbox)

    closing = f"You get this email when {ANSWERS_WHY}."
    assert closing in message.body
    assert closing in message.alternatives[0][0]
    assert "an action you lead" not in message.body
    assert "an action you lead" not in message.alternatives[0][0]


def test_a_reminder_of_actions_and_answers_closes_saying_it_comes_for_both(
    lead, meeting, mailoutbox
):
    ActionFactory(lead=lead, description="Publish the sufficiency report.")  # Overdue.
    owed(lead, meeting, date(2023, 6, 2), "Members asked for the waiting times.")

    message = reminder(mailoutbox)

    closing = (
        "You get this email when an action you lead, support or record progress for is "
        "overdue, at risk, has had no update for 90 days, or is due within 30 days, or when "
        f"{ANSWERS_WHY}."
    )
    assert "Publish the sufficiency report." in message.body
    assert closing in message.body
    assert closing in message.alternatives[0][0]
