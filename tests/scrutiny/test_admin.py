"""The admin's add-item page sent twice (a double click on Save, a reload, a second tab):
one item is raised, its officers are emailed once, and the second send is shown the item
the first added."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.models import Item, Kind, StateChange
from tests.factories import MeetingFactory
from tests.html_forms import post_form
from tests.scrutiny import at_once, on

ASKED = "Members asked for the number of children waiting for an assessment."


@pytest.fixture(autouse=True)
def today():
    with on(date(2023, 5, 12)):
        yield


@pytest.fixture
def meeting(db):
    return MeetingFactory(held_on=date(2023, 5, 10))


def add_item_form(browser, people, meeting, who="clerk", **fields):
    """The admin's add-item page as the scrutiny officer (or `who`) fills it in, and where
    it goes."""
    browser.force_login(people[who])
    url = reverse("admin:scrutiny_item_add")
    data = post_form(browser.get(url).content.decode())
    data.update(
        {
            "meeting": str(meeting.pk),
            "position": "1",
            "kind": Kind.ACTION,
            "words": ASKED,
            "answerer": str(people["lead"].pk),
            "due_on": "2023-06-14",
            **fields,
        }
    )
    return url, data


def test_the_add_item_form_sent_twice_adds_one_item_and_shows_it(
    client, people, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    url, data = add_item_form(client, people, meeting)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, data)

    item = Item.objects.get()
    assert first.status_code == 302
    assert StateChange.objects.filter(item=item).count() == 1
    assert len(mailoutbox) == 2  # The officer and their delegate, once each.
    assert again.status_code == 200
    change_url = reverse("admin:scrutiny_item_change", args=[item.pk])
    page = again.content.decode()
    assert (
        f'This form has already been saved: the item “<a href="{change_url}">{ASKED}</a>” is '
        "recorded at the meeting of 10 May 2023. To add another item, start a new form."
    ) in page


def test_two_add_item_forms_opened_one_after_the_other_add_two_items(client, people, meeting):
    url, first = add_item_form(client, people, meeting)
    _, second = add_item_form(client, people, meeting, words="Members asked for the budget.")

    assert client.post(url, first).status_code == 302
    assert client.post(url, second).status_code == 302

    assert sorted(Item.objects.values_list("words", flat=True)) == [
        "Members asked for the budget.",
        ASKED,
    ]


@pytest.mark.django_db(transaction=True)
def test_the_add_item_form_sent_twice_at_once_adds_one_item(people, meeting, mailoutbox):
    browsers = [Client(), Client()]
    url, data = add_item_form(browsers[0], people, meeting)
    browsers[1].force_login(people["clerk"])

    statuses = at_once([(browser, url, data) for browser in browsers])

    assert sorted(statuses) in ([200, 302], [302, 302])
    assert Item.objects.count() == 1
    assert sorted(message.to[0] for message in mailoutbox) == [
        "delegate@example.org",
        "owes@example.org",
    ]


def test_back_after_adding_an_item_and_save_again_is_refused_naming_the_item(
    client, people, meeting
):
    # Back opens the page afresh, under a new key, with what was typed restored.
    url, first = add_item_form(client, people, meeting, words=ASKED.replace(" for", "\r\nfor"))
    _, again = add_item_form(client, people, meeting, words=ASKED.replace(" for", "\r\nfor"))
    assert again["form_key"] != first["form_key"]
    assert client.post(url, first).status_code == 302

    refused = client.post(url, again)

    item = Item.objects.get()
    change_url = reverse("admin:scrutiny_item_change", args=[item.pk])
    page = refused.content.decode()
    assert refused.status_code == 200
    assert (
        "You added this item at the meeting of 10 May 2023 already: "
        # The item's words end with their own full stop: not another after the quote.
        f'“<a href="{change_url}">{item}</a>” Nothing new has been saved.'
    ) in page
    assert '<input type="checkbox" name="record_again"' in page
    assert (
        '<label class="vCheckboxLabel" for="id_record_again">Record it again anyway</label>' in page
    )


def test_ticking_record_it_again_anyway_adds_a_second_item(client, people, meeting):
    url, first = add_item_form(client, people, meeting)
    _, again = add_item_form(client, people, meeting)
    client.post(url, first)
    refused = client.post(url, again)

    resent = client.post(url, {**post_form(refused.content.decode()), "record_again": "on"})

    assert resent.status_code == 302
    assert list(Item.objects.values_list("words", flat=True)) == [ASKED, ASKED]


def test_a_tick_sent_with_an_error_is_not_carried_to_a_later_repeat(client, people, meeting):
    """Ticked, then refused for another reason (here a due date that isn't one, so whether
    it repeats isn't known and the box is hidden again): the tick is not carried forward
    in the page, and the repeat sent after the error is fixed is refused once more."""
    url, first = add_item_form(client, people, meeting)
    _, again = add_item_form(client, people, meeting)
    client.post(url, first)
    refused = client.post(url, again)
    ticked = {**post_form(refused.content.decode()), "record_again": "on", "due_on": "2023-06-31"}
    in_error = client.post(url, ticked)
    assert in_error.status_code == 200

    fixed = client.post(url, {**post_form(in_error.content.decode()), "due_on": "2023-06-14"})

    assert fixed.status_code == 200
    assert "Nothing new has been saved." in fixed.content.decode()
    assert Item.objects.count() == 1


def test_an_item_saying_something_else_at_the_same_meeting_is_added(client, people, meeting):
    url, first = add_item_form(client, people, meeting)
    _, other = add_item_form(client, people, meeting, due_on="2023-06-28")
    client.post(url, first)

    assert client.post(url, other).status_code == 302
    assert Item.objects.count() == 2


def test_the_same_item_added_by_someone_else_is_added(client, people, meeting):
    url, first = add_item_form(client, people, meeting)
    client.post(url, first)
    _, theirs = add_item_form(client, people, meeting, who="admin")

    assert client.post(url, theirs).status_code == 302
    assert Item.objects.count() == 2
