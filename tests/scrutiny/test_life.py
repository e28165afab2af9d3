"""The life of an item members raised: raised, answered, sent back, answered again, accepted;
its state as at every date between, over many items (with_state) and one (state_at)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from scrutiny.models import Change, Item, Kind, Response, State, StateChange
from scrutiny.services import decision_record, item_raise, meeting_change, response_record
from tests.factories import ItemFactory, LeadFactory, MeetingFactory, UserFactory
from tests.scrutiny import on

RAISED = date(2019, 2, 5)
ANSWERED = date(2019, 2, 20)
SENT_BACK = date(2019, 3, 12)
ANSWERED_AGAIN = date(2019, 3, 25)
ACCEPTED = date(2019, 4, 9)


def states_by_date(item, days):
    """{day: state} from the queryset rule, checked against the one-item rule."""
    found = {}
    for day in days:
        many = Item.objects.with_state(day).get(pk=item.pk)
        one = Item.objects.prefetch_related("state_changes", "responses").get(pk=item.pk)
        assert one.state_at(day).state == many.state, day
        assert one.state_at(day).is_overdue == many.is_overdue, day
        due_soon = Item.objects.due_soon(day).filter(pk=item.pk).exists()
        assert one.state_at(day).is_due_soon == due_soon, day
        assert one.state_at(day).is_outstanding == many.is_outstanding, day
        assert one.state_at(day).answer_due_on == many.answer_due_on, day
        found[day] = many.state
    return found


@pytest.fixture
def life(db):
    """One item through its whole life, each step on its own day."""
    february = MeetingFactory(held_on=RAISED)
    march = MeetingFactory(held_on=SENT_BACK)
    april = MeetingFactory(held_on=ACCEPTED)
    officer = UserFactory(username="officer")
    clerk = UserFactory(username="clerk")
    lead = LeadFactory(user=officer)
    with on(RAISED):
        item = item_raise(
            meeting=february,
            kind=Kind.INFORMATION_REQUEST,
            words="Monthly performance data that was presented to the Improvement Board",
            minute="12/19",
            answerer=lead,
            due_on=date(2019, 3, 1),
            entered_by=clerk,
        )
    with on(ANSWERED):
        response_record(
            item=item,
            text="The January data is attached.",
            considers_answered=True,
            entered_by=officer,
        )
    with on(SENT_BACK):
        decision_record(
            item=item,
            decision=Change.NOT_ACCEPTED,
            meeting=march,
            reason="Members asked for the February data as well.",
            entered_by=clerk,
        )
    with on(ANSWERED_AGAIN):
        response_record(
            item=item,
            text="January and February data attached.",
            considers_answered=True,
            entered_by=officer,
        )
    with on(ACCEPTED):
        decision_record(item=item, decision=Change.ACCEPTED, meeting=april, entered_by=clerk)
    return item


def test_an_items_state_as_at_each_date_of_its_life(life):
    day = timedelta(days=1)
    assert states_by_date(
        life,
        [
            RAISED - day,
            RAISED,
            ANSWERED - day,
            ANSWERED,
            SENT_BACK - day,
            SENT_BACK,
            ANSWERED_AGAIN - day,
            ANSWERED_AGAIN,
            ACCEPTED - day,
            ACCEPTED,
            ACCEPTED + 365 * day,
        ],
    ) == {
        RAISED - day: None,
        RAISED: State.OPEN,
        ANSWERED - day: State.OPEN,
        ANSWERED: State.ANSWERED,
        SENT_BACK - day: State.ANSWERED,
        SENT_BACK: State.OPEN,
        ANSWERED_AGAIN - day: State.OPEN,
        ANSWERED_AGAIN: State.ANSWERED,
        ACCEPTED - day: State.ANSWERED,
        ACCEPTED: State.ACCEPTED,
        ACCEPTED + 365 * day: State.ACCEPTED,
    }


def test_the_history_is_every_step_in_order_with_the_reason_and_the_accepting_meeting(life):
    steps = list(life.state_changes.order_by("on", "pk").values_list("change", "on", "reason"))
    assert steps == [
        (Change.RAISED, RAISED, ""),
        (Change.ANSWERED, ANSWERED, ""),
        (Change.NOT_ACCEPTED, SENT_BACK, "Members asked for the February data as well."),
        (Change.ANSWERED, ANSWERED_AGAIN, ""),
        (Change.ACCEPTED, ACCEPTED, ""),
    ]
    assert life.state_changes.get(change=Change.ACCEPTED).meeting.held_on == ACCEPTED
    assert list(life.responses.order_by("pk").values_list("text", flat=True)) == [
        "The January data is attached.",
        "January and February data attached.",
    ]


def test_the_latest_answer_as_at_a_date_is_the_one_given_by_then(life):
    assert Item.objects.with_state(ANSWERED - timedelta(days=1)).get().latest_response_text is None
    assert (
        Item.objects.with_state(SENT_BACK).get().latest_response_text
        == "The January data is attached."
    )
    assert (
        Item.objects.with_state(ACCEPTED).get().latest_response_text
        == "January and February data attached."
    )


def test_an_answer_sent_back_is_overdue_again_once_past_its_due_date(life):
    # Due 1 March: answered on 20 February (not overdue), sent back on 12 March (overdue).
    assert Item.objects.with_state(ANSWERED).get().is_overdue is False
    assert Item.objects.with_state(SENT_BACK).get().is_overdue is True
    assert Item.objects.with_state(ANSWERED_AGAIN).get().is_overdue is False


def test_nothing_can_be_recorded_on_an_accepted_item(life):
    with on(ACCEPTED + timedelta(days=2)), pytest.raises(ValidationError, match="accepted"):
        response_record(item=life, text="More", considers_answered=True, entered_by=None)
    with on(ACCEPTED + timedelta(days=2)), pytest.raises(ValidationError, match="accepted"):
        decision_record(item=life, decision=Change.WITHDRAWN, reason="x", entered_by=None)
    assert life.responses.count() == 2
    assert life.state_changes.count() == 5


@pytest.mark.django_db
def test_an_answer_the_officer_calls_progress_leaves_the_item_open():
    with on(RAISED):
        item = ItemFactory(meeting=MeetingFactory(held_on=RAISED))
    with on(ANSWERED):
        response_record(item=item, text="Work started", considers_answered=False, entered_by=None)

    assert Item.objects.with_state(ANSWERED).get().state == State.OPEN
    assert Item.objects.with_state(ANSWERED).get().latest_response_text == "Work started"


@pytest.mark.django_db
def test_an_open_item_cannot_be_sent_back_and_a_reason_is_needed_to_send_one_back():
    with on(RAISED):
        item = ItemFactory(meeting=MeetingFactory(held_on=RAISED))
    march = MeetingFactory(held_on=SENT_BACK)
    with on(SENT_BACK), pytest.raises(ValidationError) as refused:
        decision_record(item=item, decision=Change.NOT_ACCEPTED, meeting=march, entered_by=None)

    assert "still open" in str(refused.value.message_dict["decision"])
    assert "Say why" in str(refused.value.message_dict["reason"])
    assert item.state_changes.count() == 1


@pytest.mark.django_db
def test_withdrawing_needs_a_reason_and_takes_the_item_off_the_list():
    with on(RAISED):
        item = ItemFactory(meeting=MeetingFactory(held_on=RAISED))
    with on(ANSWERED):
        with pytest.raises(ValidationError, match="Say why the item is withdrawn"):
            decision_record(item=item, decision=Change.WITHDRAWN, entered_by=None)
        decision_record(
            item=item, decision=Change.WITHDRAWN, reason="Raised in error", entered_by=None
        )

    assert Item.objects.outstanding(ANSWERED - timedelta(days=1)).get() == item
    assert not Item.objects.outstanding(ANSWERED).exists()
    assert Item.objects.with_state(ANSWERED).get().state_reason == "Raised in error"


@pytest.mark.django_db
def test_a_step_cannot_be_dated_before_the_last_one_or_in_the_future():
    with on(RAISED):
        item = ItemFactory(meeting=MeetingFactory(held_on=RAISED))
    with on(ANSWERED):
        with pytest.raises(ValidationError, match="before the item’s last step"):
            response_record(
                item=item,
                text="x",
                considers_answered=True,
                responded_on=RAISED - timedelta(days=1),
                entered_by=None,
            )
        with pytest.raises(ValidationError, match="can’t be in the future"):
            decision_record(
                item=item,
                decision=Change.ACCEPTED,
                meeting=MeetingFactory(held_on=ANSWERED + timedelta(days=1)),
                entered_by=None,
            )
    assert not Response.objects.exists()
    assert StateChange.objects.count() == 1


@pytest.mark.django_db
def test_an_item_owed_an_answer_must_say_who_answers_and_cannot_be_due_before_its_meeting():
    meeting = MeetingFactory(held_on=RAISED)
    with pytest.raises(ValidationError) as refused:
        item_raise(
            meeting=meeting,
            kind=Kind.ACTION,
            words="Do it",
            due_on=RAISED - timedelta(days=1),
            entered_by=None,
        )

    assert set(refused.value.message_dict) == {"answerer_as_minuted", "due_on"}
    assert not Item.objects.exists()
    assert not StateChange.objects.exists()


@pytest.mark.django_db
def test_a_conclusion_needs_no_answer_and_is_never_on_the_action_list():
    with on(RAISED):
        item = item_raise(
            meeting=MeetingFactory(held_on=RAISED),
            kind=Kind.CONCLUSION,
            words="The report was thorough and informative.",
            entered_by=None,
        )
        with pytest.raises(ValidationError, match="needs no answer"):
            response_record(item=item, text="x", considers_answered=True, entered_by=None)

    assert not Item.objects.outstanding(RAISED + timedelta(days=400)).exists()


@pytest.mark.django_db
def test_an_answer_sent_back_with_a_new_date_is_due_by_it_from_that_meeting_on():
    march = MeetingFactory(held_on=SENT_BACK)
    with on(RAISED):
        item = ItemFactory(meeting=MeetingFactory(held_on=RAISED), due_on=date(2019, 3, 1))
    with on(ANSWERED):
        response_record(item=item, text="Attached", considers_answered=True, entered_by=None)
    with on(SENT_BACK):
        decision_record(
            item=item,
            decision=Change.NOT_ACCEPTED,
            meeting=march,
            reason="February's data is missing",
            due_on=date(2019, 4, 30),
            entered_by=None,
        )
    days = [SENT_BACK - timedelta(days=1), SENT_BACK, date(2019, 4, 30), date(2019, 5, 1)]

    states_by_date(item, days)  # the one-item rule agrees, due date included
    due = {day: Item.objects.with_state(day).get() for day in days}

    # Before the meeting that sent it back, the list reads as it did: due 1 March.
    assert due[days[0]].answer_due_on == date(2019, 3, 1)
    # From it on, due 30 April: open again, but not overdue until after that.
    assert [due[day].answer_due_on for day in days[1:]] == [date(2019, 4, 30)] * 3
    assert [due[day].is_overdue for day in days[1:]] == [False, False, True]
    item.refresh_from_db()
    assert item.due_on == date(2019, 3, 1)


@pytest.mark.django_db
def test_a_new_date_comes_only_with_an_answer_sent_back_and_after_that_meeting():
    march = MeetingFactory(held_on=SENT_BACK)
    with on(RAISED):
        item = ItemFactory(meeting=MeetingFactory(held_on=RAISED))
    with on(ANSWERED):
        response_record(item=item, text="Attached", considers_answered=True, entered_by=None)

    with on(SENT_BACK), pytest.raises(ValidationError) as accepted:
        decision_record(
            item=item,
            decision=Change.ACCEPTED,
            meeting=march,
            due_on=date(2019, 4, 30),
            entered_by=None,
        )
    with on(SENT_BACK), pytest.raises(ValidationError) as too_soon:
        decision_record(
            item=item,
            decision=Change.NOT_ACCEPTED,
            meeting=march,
            reason="Missing",
            due_on=SENT_BACK,
            entered_by=None,
        )

    assert accepted.value.message_dict["due_on"] == [
        "A new date is for an answer sent back: leave it empty to accept or withdraw."
    ]
    assert too_soon.value.message_dict["due_on"] == [
        "The new date must be after the meeting that sent it back (12 March 2019)."
    ]
    assert item.state_changes.count() == 2


@pytest.mark.parametrize(("stored", "sent"), [("\n", "\r\n"), ("\r\n", "\n")])
def test_a_meeting_saved_changed_only_in_its_line_breaks_keeps_them_and_its_history(
    db, stored, sent
):
    meeting = MeetingFactory(minute_numbers=f"7/19 to 16/19{stored}17/19")
    meeting.minute_numbers = f"7/19 to 16/19{sent}17/19"

    meeting_change(meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.minute_numbers == f"7/19 to 16/19{stored}17/19"
    assert [entry.history_type for entry in meeting.history.all()] == ["+"]
