"""A form sent after the session ended is kept, not lost.

Signed out by the idle limit (SESSION_IDLE_HOURS) while writing an update or an answer, a
person's post would otherwise be dropped on the way to the sign-in page. Instead what they
sent is kept in the (new, anonymous) session for an hour; the sign-in page says so; once
signed in they come back to the form filled in as they left it, with nothing recorded
until they send it. Signing in keeps the session's data (django.contrib.auth.login).
"""

from datetime import timedelta
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

SESSION_KEY = "unsent_form"
KEPT_FOR = timedelta(hours=1)
# The most characters kept: more than any form here holds filled to its limits (an
# update's six narratives of 10,000 characters). Anyone can post to these pages signed
# out, so without a limit each post could store megabytes in the sessions table.
KEPT_UP_TO = 100_000


def keeping_what_was_sent(view):
    """login_required for a form's page that keeps a post sent while signed out, and gives
    the view it back as `request.unsent` (a QueryDict, or None) when they return."""

    @wraps(view)
    def page(request, *args, **kwargs):
        if not request.user.is_authenticated:
            sent = {
                name: values
                for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken"
            }
            if request.method == "POST" and _characters(sent) <= KEPT_UP_TO:
                request.session[SESSION_KEY] = {
                    "path": request.path,
                    "data": sent,
                    "at": timezone.now().isoformat(),
                }
            return redirect_to_login(
                request.path if request.method == "POST" else request.get_full_path()
            )
        request.unsent = _taken_back(request)
        return view(request, *args, **kwargs)

    return page


def _characters(sent):
    return sum(len(name) + sum(len(value) for value in values) for name, values in sent.items())


def _taken_back(request):
    """What was sent to this page while signed out, once, if within the hour."""
    kept = request.session.get(SESSION_KEY)
    if request.method != "GET" or not kept or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    sent_at = parse_datetime(kept.get("at", ""))
    if sent_at is None or timezone.now() - sent_at > KEPT_FOR:
        return None
    data = QueryDict(mutable=True)
    for name, values in kept.get("data", {}).items():
        data.setlist(name, values)
    return data
