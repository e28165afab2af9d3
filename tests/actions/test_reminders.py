"""Update reminders by email: who gets one, what it lists, and that each person gets at most
one a day.

The plan starts on 1 April 2022 and the reminders run on Thursday 1 June 2023, so the
update window (90 days) reaches back to 3 March 2023 and the warning window (30 days)
forward to 1 July 2023.
"""

import re
from datetime import date, datetime, timedelta
from io import StringIO
from smtplib import SMTPRecipientsRefused
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import (
    RAG,
    Reminder,
    Status,
    may_record_updates,
    people_who_may_record_updates,
)
from actions.reminders import reminders_send
from actions.roles import OFFICERS, PLAN_ADMINISTRATORS, SCRUTINY_MEMBERS
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    TimeframeFactory,
    UserFactory,
)

AS_AT = date(2023, 6, 1)
SITE = "https://plans.example.org"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2023, 6, 1, 7, tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def theme(db):
    plan = PlanFactory(name="CYPE Directorate Plan 2022-24", starts_on=date(2022, 4, 1))
    return ThemeFactory(plan=plan, name="Working in Partnership")


def person(username, group=OFFICERS, **fields):
    """Someone with an account and email address, in `group` (None: no group)."""
    made = UserFactory(username=username, **{"email": f"{username}@example.org", **fields})
    if group:
        made.groups.add(Group.objects.get(name=group))
    return made


def action(theme, lead, reference, label, *, reported_on=None, status=None, rag=RAG.GREEN, **kw):
    """An action due as `label` says, with one progress update if `reported_on` is given."""
    made = ActionFactory(
        theme=theme,
        lead=lead,
        reference=reference,
        description=kw.pop("description", f"Action {reference}"),
        timeframe=TimeframeFactory(label=label),
        **kw,
    )
    if reported_on:
        ProgressUpdateFactory(
            action=made, reported_on=reported_on, status=status or Status.IN_PROGRESS, rag=rag
        )
    return made


def fine(theme, lead, reference):
    """On track: Green, updated a fortnight ago, due next year."""
    return action(theme, lead, reference, "March 2024", reported_on=date(2023, 5, 18))


def messages_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def only_message_to(address):
    messages = messages_to(address)
    assert len(messages) == 1, f"{len(messages)} messages to {address}"
    return messages[0]


def html_part(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def listed(message):
    """The actions a reminder's text lists, as its reader sees them: the numbered heading,
    why it is listed, and the link to record an update."""
    items = []
    for line in message.body.splitlines():
        if heading := re.match(r"\d+\. (.*)", line):
            items.append({"action": heading[1]})
        elif why := re.match(r"   Why: (.*)", line):
            items[-1]["why"] = why[1]
        elif link := re.match(r"   Record an update: (.*)", line):
            items[-1]["update"] = link[1]
    return items


def run(*args):
    out = StringIO()
    call_command("send_update_reminders", *args, stdout=out)
    return out.getvalue()


# What the email says


@pytest.fixture
def kerry(theme):
    """A lead with an account and a delegate, with one action of each kind."""
    lead = LeadFactory(name="Kerry Crichlow", user=person("kerry", first_name="Kerry"))
    lead.delegates.add(person("assistant"))
    actions = {
        "fine": fine(theme, lead, "1.1"),
        "due soon": action(theme, lead, "1.2", "June 2023", reported_on=date(2023, 5, 20)),
        "complete": action(
            theme, lead, "1.3", "March 2023", reported_on=date(2023, 3, 1), status=Status.COMPLETE
        ),
        "red and stale": action(
            theme, lead, "1.4", "March 2024", reported_on=date(2023, 2, 1), rag=RAG.RED
        ),
        "overdue": action(theme, lead, "1.5", "March 2023", reported_on=date(2023, 5, 15)),
    }
    return lead, actions


@pytest.mark.django_db
def test_reminder_lists_actions_needing_an_update_overdue_first_with_reasons_and_links(kerry):
    lead, actions = kerry

    run()

    message = only_message_to("kerry@example.org")
    assert message.subject == "3 actions need an update (CYPE plan tracker)"
    assert message.from_email == "cypeplan@localhost"
    assert listed(message) == [
        {
            "action": "1.5 Action 1.5",
            "why": "Overdue by 62 days",
            "update": f"{SITE}/actions/{actions['overdue'].pk}/update/",
        },
        {
            "action": "1.4 Action 1.4",
            "why": "At risk: Red; No update for over 90 days",
            "update": f"{SITE}/actions/{actions['red and stale'].pk}/update/",
        },
        {
            "action": "1.2 Action 1.2",
            "why": "Due 30 June 2023 — within 30 days",
            "update": f"{SITE}/actions/{actions['due soon'].pk}/update/",
        },
    ]
    assert message.body.startswith("Hello Kerry,\n")
    assert f"See all your actions: {SITE}/my-actions/" in message.body


@pytest.mark.django_db
def test_reminder_shows_each_action_plan_timeframe_due_date_and_latest_status_in_words(kerry):
    run()

    body = only_message_to("kerry@example.org").body
    overdue = body[body.index("1. 1.5") : body.index("2. 1.4")]
    assert overdue.splitlines()[1:] == [
        "   Why: Overdue by 62 days",
        "   Plan: CYPE Directorate Plan 2022-24",
        "   Lead: Kerry Crichlow",
        "   Timeframe: March 2023, due 31 March 2023",
        "   Latest: In progress, Green (updated 15 May 2023)",
        f"   Record an update: {SITE}/actions/{kerry[1]['overdue'].pk}/update/",
        "",
    ]


@pytest.mark.django_db
def test_reminder_html_part_links_each_action_its_update_page_and_my_actions(kerry):
    _, actions = kerry

    run()

    html = html_part(only_message_to("kerry@example.org"))
    for name in ["overdue", "red and stale", "due soon"]:
        pk = actions[name].pk
        assert f'href="{SITE}/actions/{pk}/"' in html
        assert f'href="{SITE}/actions/{pk}/update/"' in html
    assert f'href="{SITE}/my-actions/"' in html
    assert "Overdue by 62 days" in html
    assert "Due 30 June 2023 — within 30 days" in html
    for name in ["fine", "complete"]:
        assert f"/actions/{actions[name].pk}/" not in html


@pytest.mark.django_db
def test_reminder_of_actions_alone_closes_saying_it_comes_for_actions(kerry):
    reminders_send(as_at=AS_AT)

    message = only_message_to("kerry@example.org")
    closing = (
        "You get this email when an action you lead, support or record progress for is "
        "overdue, at risk, has had no update for 90 days, or is due within 30 days."
    )
    assert closing in message.body
    assert closing in html_part(message)
    assert "scrutiny" not in message.body


def test_reminder_long_descriptions_are_shortened(theme):
    lead = LeadFactory(user=person("kerry"))
    action(theme, lead, "2.1", "March 2023", description="Word " * 100)

    run()

    [item] = listed(only_message_to("kerry@example.org"))
    assert len(item["action"]) < 160
    assert item["action"].endswith("…")


@pytest.mark.parametrize(
    ("due", "why"),
    [
        (AS_AT - timedelta(days=1), "Overdue by 1 day"),
        (AS_AT, "Due 1 June 2023 (today)"),
        (AS_AT + timedelta(days=1), "Due 2 June 2023 (tomorrow)"),
        (AS_AT + timedelta(days=2), "Due 3 June 2023 — within 30 days"),
        (AS_AT + timedelta(days=30), "Due 1 July 2023 — within 30 days"),
        (AS_AT + timedelta(days=31), None),
    ],
)
@pytest.mark.django_db
def test_reminder_lists_an_action_on_track_only_when_overdue_or_due_within_the_warning_window(
    theme, due, why
):
    lead = LeadFactory(user=person("kerry"))
    action(theme, lead, "3.1", due.strftime("%d/%m/%Y"), reported_on=date(2023, 5, 20))

    run()

    if why is None:
        assert mail.outbox == []
    else:
        assert [item["why"] for item in listed(only_message_to("kerry@example.org"))] == [why]


@pytest.mark.django_db
def test_reminder_says_one_action_needs_an_update(theme):
    action(theme, LeadFactory(user=person("kerry")), "4.1", "March 2023")

    run()

    message = only_message_to("kerry@example.org")
    assert message.subject == "1 action needs an update (CYPE plan tracker)"
    assert "1 action you lead, support or record progress for needs an update" in message.body


@pytest.mark.django_db
def test_no_email_for_someone_whose_actions_are_all_on_track_or_complete(theme):
    lead = LeadFactory(user=person("kerry"))
    fine(theme, lead, "5.1")
    action(theme, lead, "5.2", "March 2023", reported_on=date(2023, 3, 1), status=Status.COMPLETE)
    action(theme, lead, "5.3", "March 2023", reported_on=date(2023, 3, 1), status=Status.CLOSED)

    summary = reminders_send(as_at=AS_AT)

    assert mail.outbox == []
    assert summary.sent == []
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_user_typed_text_is_escaped_in_the_html_part_and_literal_in_the_text_part(theme):
    description = '<script>alert("hi")</script> & Co'
    action(theme, LeadFactory(user=person("kerry")), "6.1", "March 2023", description=description)

    run()

    message = only_message_to("kerry@example.org")
    html = html_part(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; Co" in html
    assert f"1. 6.1 {description}\n" in message.body


# Who gets one


@pytest.mark.django_db
def test_a_lead_and_their_delegate_each_get_one_message(kerry):
    run()

    lead_message = only_message_to("kerry@example.org")
    delegate_message = only_message_to("assistant@example.org")
    assert len(mail.outbox) == 2
    assert listed(delegate_message) == listed(lead_message)


@pytest.mark.django_db
def test_a_delegate_for_two_leads_gets_one_message_listing_both_leads_actions_once(theme):
    delegate = person("assistant")
    first = LeadFactory(name="Iain Low", user=person("iain"))
    second = LeadFactory(name="Shelley Davies", user=person("shelley"))
    first.delegates.add(delegate)
    second.delegates.add(delegate)
    action(theme, first, "7.1", "March 2023")
    action(theme, second, "7.2", "March 2023")
    both = action(theme, first, "7.3", "March 2023")
    both.supporting_leads.add(second)

    run()

    assert len(mail.outbox) == 3
    headings = [item["action"] for item in listed(only_message_to("assistant@example.org"))]
    assert headings == ["7.1 Action 7.1", "7.2 Action 7.2", "7.3 Action 7.3"]
    assert [item["action"] for item in listed(only_message_to("iain@example.org"))] == [
        "7.1 Action 7.1",
        "7.3 Action 7.3",
    ]
    assert [item["action"] for item in listed(only_message_to("shelley@example.org"))] == [
        "7.2 Action 7.2",
        "7.3 Action 7.3",
    ]


@pytest.mark.django_db
def test_leads_without_an_account_and_people_without_email_are_reported_not_emailed(theme):
    unlinked = LeadFactory(name="", initials="SS")
    unlinked.delegates.add(person("assistant"))
    left = LeadFactory(name="", initials="JF", user=person("jfoster", is_active=False))
    no_address = LeadFactory(name="Iain Low", user=person("ilow", email=""))
    action(theme, unlinked, "8.1", "March 2023")
    action(theme, left, "8.2", "March 2023")
    action(theme, no_address, "8.3", "March 2023")

    output = run()

    assert [message.to for message in mail.outbox] == [["assistant@example.org"]]
    assert "2 leads have no account to email: JF, SS\n" in output
    assert "1 person has no email address: ilow\n" in output
    assert list(Reminder.objects.values_list("recipient__username", flat=True)) == ["assistant"]


@pytest.mark.django_db
def test_only_people_who_may_record_updates_are_reminded_and_their_links_open(theme, client):
    lead = LeadFactory(name="Kerry Crichlow", user=person("kerry"))
    lead.delegates.add(
        person("assistant"),
        person("administrator", group=PLAN_ADMINISTRATORS),
        person("moved", group=SCRUTINY_MEMBERS),
        person("nogroup", group=None),
    )
    moved_lead = LeadFactory(name="Iain Low", user=person("iain", group=SCRUTINY_MEMBERS))
    action(theme, lead, "11.1", "March 2023")
    action(theme, moved_lead, "11.2", "March 2023").supporting_leads.add(lead)

    output = run()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "administrator@example.org",
        "assistant@example.org",
        "kerry@example.org",
    ]
    assert (
        "  3 people are a lead's account or delegate but may not record updates, so not "
        "reminded of actions: iain, moved, nogroup"
    ) in output
    for message in mail.outbox:
        client.force_login(User.objects.get(email=message.to[0]))
        for item in listed(message):
            assert client.get(item["update"].removeprefix(SITE)).status_code == 200
    # Those left out would have been turned away.
    client.force_login(User.objects.get(username="moved"))
    assert client.get(item["update"].removeprefix(SITE)).status_code == 403


@pytest.mark.django_db
def test_people_who_may_record_updates_are_those_each_may_record_updates_allows(db):
    people = [
        person("officer"),
        person("administrator", group=PLAN_ADMINISTRATORS),
        person("scrutiny", group=SCRUTINY_MEMBERS),
        person("nogroup", group=None),
        person("left", is_active=False),
        person("superuser", group=None, is_superuser=True),
        person("former superuser", group=None, is_superuser=True, is_active=False),
    ]
    direct = person("given directly", group=None)
    direct.user_permissions.add(Permission.objects.get(codename="add_progressupdate"))
    people.append(User.objects.get(pk=direct.pk))

    listed = set(people_who_may_record_updates().values_list("username", flat=True))

    assert listed == {user.username for user in people if may_record_updates(user)}
    assert listed == {"officer", "administrator", "superuser", "given directly"}


# Once a day


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_and_records_nothing_new(kerry):
    first = run()
    second = run()

    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2
    assert "Sent 2 people a reminder (6 actions in all).\n" in first
    assert "Sent 0 people a reminder.\n  Skipped 2 people already reminded on 1 June 2023.\n" in (
        second
    )


@pytest.mark.django_db
def test_the_next_day_sends_again(kerry):
    run()

    with time_machine.travel(datetime(2023, 6, 2, 7, tzinfo=ZoneInfo("Europe/London")), tick=False):
        run()

    assert len(messages_to("kerry@example.org")) == 2
    reminders = Reminder.objects.filter(recipient__username="kerry").order_by("sent_on")
    assert [(r.sent_on, r.action_count, r.subject) for r in reminders] == [
        (date(2023, 6, 1), 3, "3 actions need an update (CYPE plan tracker)"),
        (date(2023, 6, 2), 3, "3 actions need an update (CYPE plan tracker)"),
    ]


@pytest.mark.django_db
def test_the_date_option_judges_actions_as_at_that_date(theme):
    lead = LeadFactory(user=person("kerry"))
    action(theme, lead, "10.1", "March 2023", reported_on=date(2023, 2, 1))

    output = run("--date", "2023-03-01")

    [item] = listed(only_message_to("kerry@example.org"))
    assert item["why"] == "Due 31 March 2023 — within 30 days"
    assert list(Reminder.objects.values_list("sent_on", flat=True)) == [date(2023, 3, 1)]
    assert output.startswith("Update reminders as at 1 March 2023:\n")


@pytest.mark.parametrize("day", ["1899-12-31", "3000-01-01", "9999-12-31", "0001-01-01"])
@pytest.mark.django_db
def test_the_date_option_refuses_a_date_outside_those_the_pages_answer_for(kerry, day):
    with pytest.raises(CommandError) as refused:
        run("--date", day)

    assert str(refused.value) == (
        f"Error: argument --date: “{day}” is outside the dates this service answers for: "
        "enter a date between 1 January 1900 and 31 December 2999."
    )
    assert not mail.outbox
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    "day, shown", [("1900-01-01", "1 January 1900"), ("2999-12-31", "31 December 2999")]
)
@pytest.mark.django_db
def test_the_date_option_takes_the_first_and_last_dates_the_pages_answer_for(kerry, day, shown):
    output = run("--date", day)

    assert output.startswith(f"Update reminders as at {shown}:\n")


class RefusesAssistantBackend(LocmemBackend):
    """The locmem backend, except that the mail server refuses assistant@example.org."""

    def send_messages(self, messages):
        for message in messages:
            if "assistant@example.org" in message.to:
                raise SMTPRecipientsRefused({"assistant@example.org": (550, b"No such user")})
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_failed_send_records_nothing_for_that_person_so_the_next_run_retries(kerry, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesAssistantBackend"

    with pytest.raises(CommandError, match="Could not send to 1 person.*assistant@example.org"):
        run()

    assert [message.to for message in mail.outbox] == [["kerry@example.org"]]
    assert list(Reminder.objects.values_list("recipient__username", flat=True)) == ["kerry"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    output = run()

    assert [message.to for message in mail.outbox] == [
        ["kerry@example.org"],
        ["assistant@example.org"],
    ]
    assert "Sent 1 person a reminder (3 actions in all).\n" in output
    assert "Skipped 1 person already reminded on 1 June 2023.\n" in output
    assert Reminder.objects.count() == 2


# The record


@pytest.mark.django_db
def test_reminders_sent_are_listed_read_only_in_the_admin(kerry, admin_client):
    run()
    reminder = Reminder.objects.get(recipient__username="kerry")

    listing = admin_client.get(reverse("admin:actions_reminder_changelist"))
    change = admin_client.get(reverse("admin:actions_reminder_change", args=[reminder.pk]))

    assert listing.status_code == 200
    assert listing.content.decode().count("3 actions need an update (CYPE plan tracker)") == 2
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert admin_client.get(reverse("admin:actions_reminder_add")).status_code == 403


# Queries


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("delegates", [0, 2])
@pytest.mark.django_db
def test_reminders_run_a_fixed_number_of_queries_per_person_however_many_actions(
    theme, django_assert_num_queries, count, delegates
):
    lead = LeadFactory(user=person("kerry"))
    lead.delegates.add(*[person(f"delegate{n}") for n in range(delegates)])
    for n in range(count):
        made = action(theme, lead, f"9.{n}", "March 2023")
        made.supporting_leads.add(LeadFactory())
    recipients = 1 + delegates

    # 8 in all: the actions with their state, plans, leads' accounts and timeframes; the
    # leads' delegates; the supporting leads with their accounts; the supporting leads'
    # delegates; scrutiny's reminder section (answers overdue or due soon: none here; who
    # may answer); who may record updates; who was already reminded today. Then 3 per
    # person: a savepoint, recording the reminder, releasing the savepoint.
    with django_assert_num_queries(8 + 3 * recipients):
        summary = reminders_send(as_at=AS_AT)

    assert len(summary.sent) == recipients
    assert len(mail.outbox) == recipients
    assert all(len(listed(message)) == count for message in mail.outbox)


@pytest.mark.django_db
def test_reminder_says_when_an_actions_plan_has_ended(theme):
    lead = LeadFactory(name="Kerry Crichlow", user=person("kerry", first_name="Kerry"))
    ended = ThemeFactory(
        plan=PlanFactory(
            name="Old Plan 2020-22",
            slug="old",
            starts_on=date(2020, 4, 1),
            ends_on=date(2022, 3, 31),
        )
    )
    action(ended, lead, "9.1", "March 2022", reported_on=date(2022, 1, 10))
    action(theme, lead, "1.5", "March 2023", reported_on=date(2023, 3, 20))

    run()

    why = {row["action"]: row["why"] for row in listed(only_message_to("kerry@example.org"))}
    assert why["9.1 Action 9.1"].endswith(
        "Its plan ended on 31 March 2022: if the action no longer applies, close it"
    )
    assert "plan ended" not in why["1.5 Action 1.5"]
