"""Officers at work: their actions, recording an update, and naming delegates."""

import logging
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from cypeplan.forms import says_what_is_saved
from cypeplan.inputs import plain_number
from cypeplan.paging import OneQueryPaginator
from cypeplan.unsent import keeping_what_was_sent

from .. import hooks
from ..forms import NO_RATING, DelegateForm, ProgressUpdateForm
from ..models import Action, Lead, ProgressUpdate
from ..models.rules import NEWEST_FIRST
from ..services import progress_update_record
from .dashboards import ROWS_PER_PAGE
from .scope import Scope

log = logging.getLogger(__name__)


@login_required
@permission_required("actions.add_progressupdate", raise_exception=True)
def my_actions(request):
    scope = Scope.from_request(request)
    actions = (
        Action.objects.involving(request.user)
        .in_plan_on(scope.as_at)
        .exceptions_first(scope.as_at)
        .listed()
    )
    page = OneQueryPaginator(actions, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/my_actions.html",
        {
            "scope": scope,
            "actions": page,
            "page": page,
            "leads": Lead.objects.filter(user=request.user),
            "delegate_for": Lead.objects.filter(delegates=request.user),
            "is_administrator": request.user.has_perm("actions.change_action"),
            "panels": hooks.panels("my_actions", request, as_at=scope.as_at),
            "nav_section": "my-actions",
        },
    )


def _latest_update(action):
    return action.progress_updates.select_related("entered_by").order_by(*NEWEST_FIRST).first()


def _posted_number(data, name):
    return plain_number(data.get(name, ""))


def _form_key(request, action):
    """The posted form's one-time key, and the update already saved under it on this
    action (None if none). A key some other action's update has is not this form's."""
    try:
        key = uuid.UUID(request.POST.get("key", ""))
    except ValueError:
        return None, None
    saved = ProgressUpdate.objects.filter(key=key).first()
    if saved is None:
        return key, None
    return (key, saved) if saved.action_id == action.pk else (None, None)


def _says_what_was_saved(form, saved):
    """Whether the form sent again says what was saved under its key: if it does, it is
    the same form sent twice; if not, the officer changed it after it was recorded."""
    if not form.is_valid():
        return False
    return says_what_is_saved(form.cleaned_data, saved, form.content_fields)


def _form_to_send_again(request, action, written):
    """The posted form under a new key, as if opened now: nothing is recorded from it."""
    data = request.POST.copy()
    data["key"] = str(uuid.uuid4())
    data["seen_up_to"] = str(_newest_entered(action) or 0)
    written.seen_up_to = None
    return ProgressUpdateForm(data, instance=written)


def _newest_entered(action):
    return action.progress_updates.order_by("-pk").values_list("pk", flat=True).first()


def _recorded_page(action, update, *, again=False):
    """The action's page, naming the update just saved: the page reads it from the
    database, so it shows even if nothing else from this request (messages, the
    session) could be kept."""
    query = {"recorded": update.key, **({"again": 1} if again else {})}
    return redirect(f"{reverse('actions:detail', args=[action.pk])}?{urlencode(query)}#history")


def _person(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.username


@keeping_what_was_sent
def record_update(request, pk):
    action = get_object_or_404(
        Action.objects.select_related("theme__plan", "lead", "timeframe"), pk=pk
    )
    if not action.may_be_updated_by(request.user):
        raise PermissionDenied("You can’t record progress on this action.")
    today = timezone.localdate()

    resent = None
    if request.method == "POST":
        key, saved = _form_key(request, action)
        # The updates there were when the form opened: the RAG rule compares with the one
        # before the reported date among those. Without the number, with all of them.
        seen_up_to = _posted_number(request.POST, "seen_up_to")
        written = ProgressUpdate(action=action)
        written.seen_up_to = seen_up_to
        # A form whose key has an update saved under it is compared with that update, not
        # refused as repeating its person's newest: sent twice, it is the same form.
        form_class = ProgressUpdateForm if saved else ProgressUpdateForm.for_person(request.user)
        form = form_class(request.POST, instance=written)
        shown = _latest_update(action)
        if saved is not None and _says_what_was_saved(form, saved):
            return _recorded_page(action, saved, again=True)
        if saved is not None:
            # Recorded, then changed (Back, edit, send): what they typed now is kept in the
            # form, not recorded, to send as a new update with a new key.
            resent = saved
            form = _form_to_send_again(request, action, written)
        elif form.is_valid():
            # Recorded, then Back (which opens the form afresh, under a new key, with what
            # was typed restored) and sent again: the form refuses the same update unless
            # the officer ticks "Record it again anyway".
            fields = {name: form.cleaned_data[name] for name in form.content_fields}
            try:
                update = progress_update_record(
                    action=action,
                    entered_by=request.user,
                    seen_up_to=seen_up_to,
                    key=key,
                    **fields,
                )
            except ValidationError as error:
                # The same form sent twice at once: the first saved it.
                _, saved = _form_key(request, action)
                if saved is not None:
                    return _recorded_page(action, saved, again=True)
                form.add_error(None, error)
            else:
                # Saved: nothing that can fail may now stand between the officer and
                # the page showing their update.
                try:
                    _tell_what_happened(request, action, update, seen_up_to or 0)
                except DatabaseError:
                    log.exception("Update %s saved; could not check for others.", update.key)
                return _recorded_page(action, update)
    elif request.unsent is not None:
        # Sent after the session ended: back as they left it, recorded only when sent.
        shown = _latest_update(action)
        written = ProgressUpdate(action=action)
        written.seen_up_to = _posted_number(request.unsent, "seen_up_to")
        form = ProgressUpdateForm(request.unsent, instance=written)
    else:
        shown = _latest_update(action)
        seen_up_to = _newest_entered(action)
        form = ProgressUpdateForm(
            instance=ProgressUpdate(action=action),
            initial={
                "reported_on": today,
                "status": shown.status if shown else None,
                "rag": (shown.rag or NO_RATING) if shown else None,
                "seen_up_to": seen_up_to or 0,
                "key": uuid.uuid4(),
            },
        )

    return render(
        request,
        "actions/record_update.html",
        {
            "action": action,
            "form": form,
            "previous": shown,
            "resent": resent,
            "state": Action.objects.with_state(today).get(pk=action.pk),
            "nav_section": "my-actions",
        },
    )


def _tell_what_happened(request, action, update, seen_up_to):
    """If others recorded updates while the form was open (entered after the newest one
    there was when it opened), say so. (The action's page says this one is saved.)"""
    meanwhile = (
        action.progress_updates.filter(pk__gt=seen_up_to)
        .exclude(pk=update.pk)
        .select_related("entered_by")
        .order_by("pk")
    )
    for other in meanwhile:
        messages.warning(
            request,
            f"While you had the form open, {_person(other.entered_by)} recorded an update "
            "reporting on "
            f"{date_format(other.reported_on, 'j F Y')}. Both are kept: read theirs below "
            "and check the two agree.",
        )
    latest = _latest_update(action)
    if latest.pk != update.pk:
        messages.info(
            request,
            f"An update reporting on a later date ({date_format(latest.reported_on, 'j F Y')}) "
            "remains the latest position.",
        )


def may_manage_delegates(user, lead):
    """A lead manages their own delegates; a plan administrator manages anyone's."""
    return (lead.user_id is not None and lead.user_id == user.pk) or user.has_perm(
        "actions.change_lead"
    )


# The lead's page shows these beside its Delegates section, where the redirect lands,
# rather than in the banner at the top of a long page.
DELEGATES_TAG = "delegates"
# The choice a refused "Add delegate" sent, for the lead's page to show it again with its
# error on the field (a redirect, so reloading or paging that page never posts again).
REFUSED_DELEGATE = "refused_delegate"


@require_POST
@login_required
def lead_delegates(request, pk):
    lead = get_object_or_404(Lead, pk=pk)
    if not may_manage_delegates(request.user, lead):
        raise PermissionDenied("Only the lead or a plan administrator can change delegates.")
    back = reverse("actions:lead", args=[lead.pk]) + "#delegates"

    if "remove" in request.POST:
        removed = lead.delegates.filter(pk=_posted_number(request.POST, "remove") or 0).first()
        if removed is None:
            messages.error(
                request, "That person is not a delegate for this lead.", extra_tags=DELEGATES_TAG
            )
        else:
            with transaction.atomic():
                lead.delegates.remove(removed)
            messages.success(
                request, f"{_person(removed)} is no longer a delegate.", extra_tags=DELEGATES_TAG
            )
        return redirect(back)

    form = DelegateForm(request.POST, lead=lead)
    if form.is_valid():
        delegate = form.cleaned_data["delegate"]
        with transaction.atomic():
            lead.delegates.add(delegate)
        messages.success(
            request,
            f"{_person(delegate)} can now record progress on {lead}’s actions.",
            extra_tags=DELEGATES_TAG,
        )
        return redirect(back)
    request.session[REFUSED_DELEGATE] = {
        "lead": lead.pk,
        "delegate": request.POST.get("delegate", ""),
    }
    return redirect(back)


def delegates_outcome(request, lead):
    """For the lead's page: the add or remove just done (messages tagged for the Delegates
    section), the other messages for the banner, and the form, bound to a refused choice
    so that its error shows on the field."""
    shown = list(messages.get_messages(request))
    outcome = [message for message in shown if DELEGATES_TAG in message.extra_tags.split()]
    others = [message for message in shown if message not in outcome]
    refused = request.session.pop(REFUSED_DELEGATE, None)
    if refused and refused.get("lead") == lead.pk:
        form = DelegateForm({"delegate": refused.get("delegate", "")}, lead=lead)
        form.is_valid()
    else:
        form = DelegateForm(lead=lead)
    return outcome, others, form
