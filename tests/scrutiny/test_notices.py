"""Officers told by email, as soon as an item is raised, that they owe its answer: who is
emailed and who isn't, what the email says, and what the scrutiny officer is told."""

import logging
from datetime import date
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse

from actions import roles
from scrutiny.models import Change, Item, Kind, State, StateChange
from scrutiny.notices import answer_owed_recipients
from scrutiny.services import response_record
from tests.factories import ItemFactory, LeadFactory, MeetingFactory
from tests.html_forms import post_form
from tests.scrutiny import member_of, on

HELD = date(2023, 5, 10)
TODAY = date(2023, 5, 12)
SITE = "https://plans.example.org"
NO_DUE_DATE = {"due_on_day": "", "due_on_month": "", "due_on_year": ""}
ASKED = "Members asked for the number of children waiting for an assessment."


@pytest.fixture(autouse=True)
def today(settings):
    settings.SITE_URL = SITE
    with on(TODAY):
        yield


@pytest.fixture(autouse=True)
def delegate_named(people):
    people["delegate"].first_name, people["delegate"].last_name = "Dee", "Legate"
    people["delegate"].save()


@pytest.fixture
def meeting(db):
    return MeetingFactory(held_on=HELD)


def item_form(client, people, meeting, **fields):
    """The add-item page's form as the scrutiny officer sends it, and where."""
    client.force_login(people["clerk"])
    url = reverse("scrutiny:item_add", args=[meeting.pk])
    data = post_form(client.get(url).content.decode())
    data.update(
        {
            "kind": Kind.INFORMATION_REQUEST,
            "words": ASKED,
            "minute": "7/23",
            "answerer": people["lead"].pk,
            "due_on_day": "14",
            "due_on_month": "6",
            "due_on_year": "2023",
            **fields,
        }
    )
    return url, data


def raise_item(client, people, meeting, **fields):
    url, data = item_form(client, people, meeting, **fields)
    return client.post(url, data, follow=True)


def banners(response):
    return [str(message) for message in response.context["messages"]]


def test_the_add_item_page_says_who_will_be_emailed_before_it_is_recorded(client, people, meeting):
    client.force_login(people["clerk"])

    page = client.get(reverse("scrutiny:item_add", args=[meeting.pk])).content.decode()

    assert (
        "They and their delegates are emailed that the answer is owed as soon as you record it."
        in " ".join(page.split())
    )


def test_raising_an_item_emails_the_lead_and_their_delegate_and_says_so(
    client, people, meeting, mailoutbox
):
    page = raise_item(client, people, meeting)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]
    assert banners(page) == [
        f"The item “{ASKED}” has been recorded. Emailed Olu Owes and Dee Legate that the "
        "answer is owed."
    ]


def test_nobody_else_is_emailed_about_an_item(client, people, meeting, mailoutbox):
    raise_item(client, people, meeting)

    told = {address for message in mailoutbox for address in message.to}
    for role in ("other officer", "member", "clerk", "admin"):
        assert people[role].email not in told, role


def test_the_email_says_what_was_asked_at_which_meeting_by_when_and_where_to_answer(
    client, people, meeting, mailoutbox
):
    raise_item(client, people, meeting)

    item = Item.objects.get()
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    html = message.alternatives[0][0]
    answer_url = SITE + reverse("scrutiny:item_answer", args=[item.pk])
    assert message.subject.startswith("Answer owed to scrutiny by 14 June 2023: Members asked")
    assert message.subject.endswith("(CYPE plan tracker)")
    assert message.body.startswith("Hello Olu Owes,")
    assert "At its meeting of 10 May 2023 (minute 7/23)" in message.body
    assert "raised this information request, which you must answer by 14 June 2023." in (
        message.body
    )
    assert ASKED in message.body
    assert "Who must answer: Olu Owes, Head of Finance" in message.body
    assert f"Record the answer: {answer_url}" in message.body
    assert f'<a href="{answer_url}"' in html
    assert "by 14 June 2023" in html
    assert ASKED in html


def test_a_delegate_is_told_whose_answer_they_may_record(client, people, meeting, mailoutbox):
    raise_item(client, people, meeting)

    message = next(m for m in mailoutbox if m.to == ["delegate@example.org"])
    assert message.body.startswith("Hello Dee Legate,")
    assert "which Olu Owes, whose answers you may record, must answer by 14 June 2023" in (
        message.body
    )


def test_typed_words_are_escaped_in_the_html_part_and_kept_in_the_text(
    client, people, meeting, mailoutbox
):
    raise_item(client, people, meeting, words="Figures <script>alert(1)</script> & costs")

    message = mailoutbox[0]
    assert "<script>" not in message.alternatives[0][0]
    assert "Figures &lt;script&gt;alert(1)&lt;/script&gt; &amp; costs" in message.alternatives[0][0]
    assert "Figures <script>alert(1)</script> & costs" in message.body


def test_inactive_accounts_councillors_and_people_without_email_are_not_emailed_and_named(
    client, people, meeting, mailoutbox
):
    lead = people["lead"]
    people["owes"].is_active = False
    people["owes"].save()
    councillor = member_of(roles.SCRUTINY_MEMBERS, "cllr", first_name="Cara", last_name="Cllr")
    no_email = member_of(roles.OFFICERS, "noemail", first_name="Nia", last_name="Bell", email="")
    gone = member_of(roles.OFFICERS, "gone", is_active=False)
    lead.delegates.add(councillor, no_email, gone)

    page = raise_item(client, people, meeting)

    assert [message.to for message in mailoutbox] == [["delegate@example.org"]]
    assert banners(page) == [
        f"The item “{ASKED}” has been recorded. Emailed Dee Legate that the answer is owed.",
        "The item is recorded, but not everyone who owes the answer was emailed: Olu Owes has "
        "no account; Nia Bell has no email address; Cara Cllr is not allowed to record "
        "answers. Tell them yourself.",
    ]
    assert Item.objects.count() == 1


def test_a_role_as_minuted_is_not_emailed_and_the_scrutiny_officer_is_told(
    client, people, meeting, mailoutbox
):
    page = raise_item(client, people, meeting, answerer="", answerer_as_minuted="Head of Finance")

    assert mailoutbox == []
    assert (
        "Nobody was emailed: who must answer is written as the minutes name them"
        in (banners(page)[0])
    )


def test_a_conclusion_owes_no_answer_and_emails_nobody(client, people, meeting, mailoutbox):
    page = raise_item(client, people, meeting, kind=Kind.CONCLUSION, **NO_DUE_DATE)

    assert mailoutbox == []
    assert banners(page) == [f"The item “{ASKED}” has been recorded."]


def test_an_item_sent_twice_is_raised_and_emailed_once(client, people, meeting, mailoutbox):
    url, data = item_form(client, people, meeting)

    client.post(url, data)
    again = client.post(url, data, follow=True)

    assert Item.objects.count() == 1
    assert len(mailoutbox) == 2
    # ASKED ends with its own full stop: not another after the quote.
    assert banners(again)[-1] == f"This item was already recorded: “{ASKED}”"


class RefusesOwes(LocmemBackend):
    """The locmem backend, except that the mail server refuses owes@example.org."""

    def send_messages(self, messages):
        for message in messages:
            if "owes@example.org" in message.to:
                raise SMTPRecipientsRefused({"owes@example.org": (550, b"No such user")})
        return super().send_messages(messages)


def test_a_failed_send_keeps_the_item_logs_it_and_says_so(
    client, people, meeting, mailoutbox, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOwes"

    with caplog.at_level(logging.ERROR, logger="scrutiny.notices"):
        page = raise_item(client, people, meeting)

    assert Item.objects.filter(words=ASKED).count() == 1
    assert StateChange.objects.filter(item__words=ASKED).count() == 1
    assert [message.to for message in mailoutbox] == [["delegate@example.org"]]
    assert banners(page) == [
        f"The item “{ASKED}” has been recorded. Emailed Dee Legate that the answer is owed.",
        "The item is recorded, but not everyone who owes the answer was emailed: the email to "
        "Olu Owes (owes@example.org) could not be sent. Tell them yourself.",
    ]
    assert "Could not email owes@example.org" in caplog.text


def test_the_messages_show_on_the_meeting_page_after_raising(client, people, meeting):
    people["delegate"].email = ""
    people["delegate"].save()

    html = raise_item(client, people, meeting).content.decode()

    assert "Emailed Olu Owes that the answer is owed." in html
    assert "Dee Legate has no email address" in html
    assert "Important" in html


def test_an_item_added_in_the_admin_emails_who_owes_the_answer_once_saved(
    client, people, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people["clerk"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:scrutiny_item_add"),
            {
                "meeting": meeting.pk,
                "position": 1,
                "kind": Kind.ACTION,
                "words": ASKED,
                "answerer": people["lead"].pk,
                "due_on": "2023-06-14",
            },
        )
        # Nothing goes before the admin's transaction commits.
        assert mailoutbox == []

    assert Item.objects.count() == 1
    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]


@pytest.mark.parametrize("delegates", [1, 8])
def test_finding_who_to_email_takes_three_queries_however_many_delegates(
    people, meeting, delegates, django_assert_num_queries
):
    for n in range(delegates):
        people["lead"].delegates.add(member_of(roles.OFFICERS, f"extra{n}"))
    with on(HELD):
        item = ItemFactory(meeting=meeting, answerer=people["lead"])
    item = Item.objects.get(pk=item.pk)

    # The lead and their account; the lead's delegates; the accounts allowed to answer.
    with django_assert_num_queries(3):
        notice, recipients = answer_owed_recipients(item)

    assert len(recipients) == 1 + 1 + delegates
    assert notice.people_without_email == notice.leads_without_account == []


def test_people_are_named_in_the_message_as_their_email_greets_them(
    client, people, meeting, mailoutbox
):
    # A lead's account with no name of its own is the lead, as the demo's "officer" is.
    people["owes"].first_name = people["owes"].last_name = ""
    people["owes"].save()

    page = raise_item(client, people, meeting)

    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert message.body.startswith("Hello Olu Owes,")
    assert "Emailed Olu Owes and Dee Legate that the answer is owed." in banners(page)[0]


# --- Someone else named, or a new date, in the admin ------------------------------------


@pytest.fixture
def raised(people, meeting):
    with on(HELD):
        return ItemFactory(
            meeting=meeting, answerer=people["lead"], due_on=date(2023, 6, 14), words=ASKED
        )


def change_in_admin(client, people, item, **fields):
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[item.pk])
    data = post_form(client.get(url).content.decode())
    data.update(fields)
    return client.post(url, data, follow=True)


@pytest.fixture
def other_lead(people):
    other = people["other officer"]
    other.first_name, other.last_name = "Ola", "Other"
    other.save()
    return LeadFactory(name="Ola Other", job_title="Head of Policy", user=other)


def test_naming_another_officer_in_the_admin_emails_them_that_they_owe_it(
    client, people, raised, other_lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = change_in_admin(client, people, raised, answerer=str(other_lead.pk))

    assert page.status_code == 200
    message = next(m for m in mailoutbox if m.to == ["other@example.org"])
    assert message.subject.startswith("Answer owed to scrutiny by 14 June 2023:")
    assert "You have been named to answer this item to the scrutiny committee." in message.body
    assert "which you must answer by 14 June 2023" in message.body


# Transactional, so the emails go as the admin's save commits, as they do when served,
# and the scrutiny officer's messages saying who was emailed reach the page.
@pytest.mark.django_db(transaction=True)
def test_naming_another_officer_in_the_admin_tells_the_first_and_their_delegate_once(
    client, people, raised, other_lead, mailoutbox
):
    page = change_in_admin(client, people, raised, answerer=str(other_lead.pk))

    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "other@example.org",
        "owes@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    html = message.alternatives[0][0]
    assert message.subject == (
        f"Answer to scrutiny no longer owed by you: {ASKED[:59]}… (CYPE plan tracker)"
    )
    assert message.body.startswith("Hello Olu Owes,")
    assert (
        "You are no longer asked to answer this item to the scrutiny committee: Ola Other, "
        "Head of Policy must answer it now." in message.body
    )
    assert "At its meeting of 10 May 2023" in message.body
    assert "raised this information request. You need not answer it." in message.body
    assert ASKED in message.body
    assert "Who must answer: Ola Other, Head of Policy" in message.body
    assert "Record the answer" not in message.body
    assert SITE + reverse("scrutiny:item", args=[raised.pk]) in message.body
    assert "Ola Other, Head of Policy must answer it now." in html
    delegate = next(m for m in mailoutbox if m.to == ["delegate@example.org"])
    assert delegate.body.startswith("Hello Dee Legate,")
    assert (
        "Olu Owes, whose answers you may record, is no longer asked to answer this item"
        in delegate.body
    )
    assert "Neither Olu Owes nor you need answer it." in delegate.body
    assert banners(page)[1:] == [
        "Emailed Ola Other that the answer is owed.",
        "Emailed Olu Owes and Dee Legate that the answer is no longer owed by them.",
    ]


def test_naming_a_role_as_minuted_instead_tells_the_officer_who_must_answer_now(
    client, people, raised, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_in_admin(client, people, raised, answerer="", answerer_as_minuted="Head of Audit")

    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert "committee: Head of Audit must answer it now." in message.body


def test_making_the_item_a_conclusion_tells_the_officer_it_needs_no_answer(
    client, people, raised, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_in_admin(client, people, raised, kind=Kind.CONCLUSION, due_on="")

    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert "it is now recorded as a conclusion, which needs no answer." in message.body
    assert "Who must answer: nobody: a conclusion needs no answer" in message.body


def test_someone_who_still_owes_it_through_the_officer_now_named_is_not_told_otherwise(
    client, people, raised, other_lead, mailoutbox, django_capture_on_commit_callbacks
):
    other_lead.delegates.add(people["delegate"])

    with django_capture_on_commit_callbacks(execute=True):
        change_in_admin(client, people, raised, answerer=str(other_lead.pk))

    told = [m.to[0] for m in mailoutbox if "no longer owed" in m.subject]
    assert told == ["owes@example.org"]


def test_the_admin_change_sent_twice_tells_the_officer_taken_off_once(
    client, people, raised, other_lead, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people["clerk"])
    url = reverse("admin:scrutiny_item_change", args=[raised.pk])
    data = {**post_form(client.get(url).content.decode()), "answerer": str(other_lead.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
        client.post(url, data)

    told = sorted(m.to[0] for m in mailoutbox if "no longer owed" in m.subject)
    assert told == ["delegate@example.org", "owes@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_to_the_officer_taken_off_keeps_the_change_logs_it_and_says_so(
    client, people, raised, other_lead, mailoutbox, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOwes"

    with caplog.at_level(logging.ERROR, logger="scrutiny.notices"):
        page = change_in_admin(client, people, raised, answerer=str(other_lead.pk))

    assert page.status_code == 200
    assert Item.objects.get().answerer == other_lead
    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "other@example.org",
    ]
    assert banners(page)[1:] == [
        "Emailed Ola Other that the answer is owed.",
        "Emailed Dee Legate that the answer is no longer owed by them.",
        "The item is recorded, but not everyone who no longer owes the answer was emailed: "
        "the email to Olu Owes (owes@example.org) could not be sent. Tell them yourself.",
    ]
    assert "Could not email owes@example.org that the answer to scrutiny item" in caplog.text


def test_a_new_due_date_in_the_admin_emails_who_owes_the_answer_with_the_date(
    client, people, raised, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_in_admin(client, people, raised, due_on="2023-06-30")

    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert message.subject.startswith("New date for an answer owed to scrutiny by 30 June 2023:")
    assert "it is now due by 30 June 2023." in message.body
    assert "it is now due <strong>by 30 June 2023</strong>." in message.alternatives[0][0]


def test_changing_only_the_words_in_the_admin_emails_nobody(
    client, people, raised, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = change_in_admin(client, people, raised, words=ASKED + " By locality.")

    assert page.status_code == 200
    assert Item.objects.get().words.endswith("By locality.")
    assert mailoutbox == []


# --- Sent back by the committee ----------------------------------------------------------


def decide(client, people, item, decision, times=1, **fields):
    """The committee's decision on `item`'s answer, recorded on 21 June 2023 by the
    scrutiny officer, the form sent `times` times (a double-click sends it twice)."""
    later = MeetingFactory(held_on=date(2023, 6, 20))
    with on(date(2023, 6, 1)):
        response_record(item=item, text="Sent.", considers_answered=True, entered_by=None)
    url = reverse("scrutiny:item_decide", args=[item.pk])
    with on(date(2023, 6, 21)):
        client.force_login(people["clerk"])
        data = post_form(client.get(url).content.decode())
        data.update({"decision": decision, "meeting": str(later.pk), **fields})
        for _ in range(times - 1):
            client.post(url, data)
        return client.post(url, data, follow=True)


def send_back(client, people, item, **fields):
    reason = "The figures for May are missing."
    return decide(client, people, item, Change.NOT_ACCEPTED, reason=reason, **fields)


def test_an_answer_sent_back_with_a_new_date_emails_who_owes_it_why_and_by_when(
    client, people, raised, mailoutbox
):
    page = send_back(client, people, raised, due_on_day="31", due_on_month="7", due_on_year="2023")

    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]
    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert message.subject.startswith("Answer sent back: owed again to scrutiny by 31 July 2023:")
    assert (
        "The committee did not accept the answer at its meeting of 20 June 2023 and sent it "
        "back: The figures for May are missing." in message.body
    )
    assert "The item is open again, and now due by 31 July 2023." in message.body
    assert "Answer due: 31 July 2023" in message.body
    assert banners(page) == [
        "The item is sent back: it is open again. Emailed Olu Owes and Dee Legate that the "
        "answer was sent back."
    ]


def test_an_answer_sent_back_without_a_new_date_keeps_the_date_it_had(
    client, people, raised, mailoutbox
):
    send_back(client, people, raised)

    message = next(m for m in mailoutbox if m.to == ["owes@example.org"])
    assert "The item is open again." in message.body
    assert "Answer due: 14 June 2023" in message.body


def test_accepting_an_answer_emails_nobody(client, people, raised, mailoutbox):
    page = decide(client, people, raised, Change.ACCEPTED)

    assert banners(page) == ["The item is accepted by the committee: it leaves the action list."]
    assert Item.objects.with_state(date(2023, 6, 21)).get().state == State.ACCEPTED
    assert mailoutbox == []


def test_an_answer_sent_back_twice_by_a_double_click_emails_once(
    client, people, raised, mailoutbox
):
    again = decide(client, people, raised, Change.NOT_ACCEPTED, times=2, reason="Too thin.")

    assert len(mailoutbox) == 2
    assert banners(again)[-1] == (
        "This decision was already recorded. The item is sent back: it is open again."
    )
