"""Scrutiny's pages: the action list and meetings (anyone who reads the plans), recording
meetings, items and the committee's decisions (scrutiny officers), and answering (the
officer who owes the answer, their delegates, plan administrators)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import Action
from actions.views.scope import Scope, reader_page
from cypeplan.forms import full_stop_after
from cypeplan.unsent import keeping_what_was_sent

from . import documents
from .forms import DecisionForm, ItemForm, MeetingForm, ResponseForm
from .models import CLOSED, Change, Item, Meeting, Response, StateChange
from .notices import SENT_BACK, answer_owed_notify, answer_owed_tell
from .services import decision_record, item_raise, response_record


def _day(value):
    return date_format(value, "j F Y")


def items_for_list(items, as_at):
    """Items with their state, latest response and the plan actions they concern, each
    action's position as at `as_at` (actions' own with_state): a fixed number of queries."""
    return (
        items.with_state(as_at)
        .select_related("meeting", "answerer")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.with_state(as_at)
                .select_related("theme__plan", "timeframe")
                .order_by("theme__plan__name", "theme__position", "position"),
            )
        )
    )


def action_list(meeting):
    """What the agenda pack for `meeting` prints under "Action List Update": every item
    raised at earlier meetings and not accepted or withdrawn before this one, oldest
    first, as at the day before it."""
    as_at = meeting.action_list_as_at
    return list(items_for_list(Item.objects.outstanding(as_at), as_at))


@reader_page
def index(request):
    scope = Scope.from_request(request)
    items = list(items_for_list(Item.objects.outstanding(scope.as_at), scope.as_at))
    return render(
        request,
        "scrutiny/index.html",
        {
            "scope": scope,
            "items": items,
            "rows": documents.rows(items),
            "overdue_count": sum(item.is_overdue for item in items),
            "meetings": Meeting.objects.all(),
            "may_record_meeting": request.user.has_perm("scrutiny.add_meeting"),
            "nav_section": "scrutiny",
        },
    )


@reader_page
def meeting_detail(request, pk):
    scope = Scope.from_request(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    raised = list(items_for_list(meeting.items.order_by("position", "pk"), scope.as_at))
    return render(
        request,
        "scrutiny/meeting_detail.html",
        {
            "scope": scope,
            "meeting": meeting,
            "raised": raised,
            "action_list": documents.rows(action_list(meeting)),
            "may_add_item": request.user.has_perm("scrutiny.add_item"),
            "nav_section": "scrutiny",
        },
    )


@reader_page
def meeting_action_list_document(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    paper = documents.action_list_paper(meeting, action_list(meeting))
    return paper.response(f"action-list-{meeting.held_on.isoformat()}.docx")


@reader_page
def item_detail(request, pk):
    scope = Scope.from_request(request)
    item = get_object_or_404(
        items_for_list(Item.objects.all(), scope.as_at).prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("entered_by").order_by(
                    "responded_on", "pk"
                ),
            ),
            Prefetch(
                "state_changes",
                queryset=StateChange.objects.select_related("meeting", "entered_by").order_by(
                    "on", "pk"
                ),
            ),
        ),
        pk=pk,
    )
    latest = max(item.state_changes.all(), key=lambda change: (change.on, change.pk))
    still_open = item.owes_answer and latest.state not in CLOSED
    return render(
        request,
        "scrutiny/item_detail.html",
        {
            "scope": scope,
            "item": item,
            "history": _history(item, scope.as_at),
            "current": latest,
            "may_answer": still_open
            and Item.objects.answerable_by(request.user).filter(pk=item.pk).exists(),
            "may_decide": still_open and request.user.has_perm("scrutiny.record_decision"),
            "nav_section": "scrutiny",
        },
    )


def _history(item, as_at):
    """The item's steps and answers on or before `as_at`, oldest first; an answer that
    moved the item to answered is shown with that step, not twice."""
    responses = {response.pk: response for response in item.responses.all()}
    entries = [
        {"change": change, "response": responses.pop(change.response_id, None), "at": change}
        for change in item.state_changes.all()
        if change.on <= as_at
    ]
    entries += [
        {"change": None, "response": response, "at": response}
        for response in responses.values()
        if response.responded_on <= as_at
    ]
    return sorted(
        entries,
        key=lambda entry: (
            entry["change"].on if entry["change"] else entry["response"].responded_on,
            entry["at"].entered_at,
        ),
    )


@keeping_what_was_sent
@permission_required("scrutiny.add_meeting", raise_exception=True)
def meeting_add(request):
    form = MeetingForm(request.POST or request.unsent or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                meeting = form.save()
        except IntegrityError:
            # A colleague recorded the same meeting since the form was checked: checked
            # again, the form says so, as for one recorded earlier.
            form = MeetingForm(request.POST)
            if form.is_valid():
                raise
        else:
            messages.success(request, f"The meeting of {_day(meeting.held_on)} has been recorded.")
            return redirect(meeting)
    return render(
        request,
        "scrutiny/meeting_form.html",
        {"form": form, "nav_section": "scrutiny"},
    )


@keeping_what_was_sent
@permission_required("scrutiny.add_item", raise_exception=True)
def item_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = ItemForm(request.POST or request.unsent or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            item = item_raise(meeting=meeting, entered_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _say_raised(request, item)
            if "add_another" in request.POST:
                return redirect("scrutiny:item_add", meeting.pk)
            return redirect(meeting)
    return render(
        request,
        "scrutiny/item_form.html",
        {"form": form, "meeting": meeting, "nav_section": "scrutiny"},
    )


def _say_raised(request, item):
    """Email who owes the item's answer, the first time it is sent (item_raise has
    committed it: views run outside a transaction), and tell the scrutiny officer who was
    emailed and who wasn't."""
    if item.sent_before:
        # The same form sent again (a second click, a second tab): raised, and its
        # officers emailed, the first time.
        stop = full_stop_after(item)
        messages.success(request, f"This item was already recorded: “{item}”{stop}")
        return
    answer_owed_tell(
        request, answer_owed_notify(item=item), recorded=f"The item “{item}” has been recorded."
    )


def _add_errors(form, error):
    """A service's ValidationError onto the form: to the field it names, if the form has
    it, else above the fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _open_item(pk):
    # As it stands today, for its due date now (a decision may have set a new one).
    return get_object_or_404(
        Item.objects.with_state(timezone.localdate()).select_related("meeting", "answerer"),
        pk=pk,
    )


@keeping_what_was_sent
def item_answer(request, pk):
    item = _open_item(pk)
    if not Item.objects.answerable_by(request.user).filter(pk=item.pk).exists():
        raise PermissionDenied("Only the officer who owes the answer can answer this item.")
    form = ResponseForm(request.POST or request.unsent or None)
    if request.method == "POST" and form.is_valid():
        try:
            response_record(item=item, entered_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "Your answer has been recorded"
                + (
                    ": the item now waits for the committee to accept it."
                    if form.cleaned_data["considers_answered"]
                    else "."
                ),
            )
            return redirect(item)
    return render(
        request,
        "scrutiny/answer_form.html",
        {"form": form, "item": item, "nav_section": "scrutiny"},
    )


@keeping_what_was_sent
@permission_required("scrutiny.record_decision", raise_exception=True)
def item_decide(request, pk):
    item = _open_item(pk)
    form = DecisionForm(request.POST or request.unsent or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            change = decision_record(item=item, entered_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            said = {
                Change.ACCEPTED: "accepted by the committee: it leaves the action list",
                Change.NOT_ACCEPTED: "sent back: it is open again",
                Change.WITHDRAWN: "withdrawn: it leaves the action list",
            }[change.change]
            said = f"The item is {said}."
            if change.sent_before:
                # The same form sent again (a second click, a second tab): recorded the
                # first time, so no error.
                messages.success(request, f"This decision was already recorded. {said}")
            elif change.change == Change.NOT_ACCEPTED:
                # Open again: tell who owes the answer (decision_record has committed).
                notice = answer_owed_notify(item=item, because=SENT_BACK, sent_back=change)
                answer_owed_tell(request, notice, recorded=said)
            else:
                messages.success(request, said)
            return redirect(item)
    return render(
        request,
        "scrutiny/decision_form.html",
        {"form": form, "item": item, "nav_section": "scrutiny"},
    )
