"""A form sent after the session ended is kept, not lost.

Signed out by the idle limit (SESSION_IDLE_HOURS) while writing an update or an answer, a
person's post would otherwise be dropped on the way to the sign-in page. Instead what they
sent is kept in the (new, anonymous) session for an hour; the sign-in page says so; once
signed in they come back to the form filled in as they left it, with nothing recorded
until they send it. Signing in keeps the session's data (django.contrib.auth.login).

Only the person who wrote it gets it back: each such form carries who it was shown to
(`written_by`, signed so it can't be made up), and the kept form is given back only to
them. At a shared PC, the next person to sign in never sees it; a post no signed-in person
was shown is not kept at all.
"""

from datetime import timedelta
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

SESSION_KEY = "unsent_form"
KEPT_FOR = timedelta(hours=1)
# The most characters kept: more than any form here holds filled to its limits (an
# update's six narratives of 10,000 characters). Anyone can post to these pages signed
# out, so without a limit each post could store megabytes in the sessions table.
KEPT_UP_TO = 100_000
# The form's hidden field saying who it was shown to, and its signature's salt.
WRITTEN_BY = "written_by"
_SALT = "cypeplan.unsent.written_by"


def keeping_what_was_sent(view):
    """login_required for a form's page that keeps a post sent while signed out, and gives
    the view it back as `request.unsent` (a QueryDict, or None) when its writer returns.
    The page's form includes includes/written_by.html (`request.written_by`)."""

    @wraps(view)
    def page(request, *args, **kwargs):
        if not request.user.is_authenticated:
            sent = {
                name: values
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", WRITTEN_BY)
            }
            author = _author(request.POST.get(WRITTEN_BY, ""))
            if request.method == "POST" and author and _characters(sent) <= KEPT_UP_TO:
                request.session[SESSION_KEY] = {
                    "path": request.path,
                    "data": sent,
                    "author": author,
                    "at": timezone.now().isoformat(),
                }
            return redirect_to_login(
                request.path if request.method == "POST" else request.get_full_path()
            )
        request.unsent = _taken_back(request)
        request.written_by = signing.dumps(request.user.pk, salt=_SALT)
        return view(request, *args, **kwargs)

    return page


def _characters(sent):
    return sum(len(name) + sum(len(value) for value in values) for name, values in sent.items())


def _author(written_by):
    """The id of the person a form was shown to, from its signed `written_by`; None if
    there is none or it was made up."""
    try:
        return signing.loads(written_by, salt=_SALT)
    except signing.BadSignature:
        return None


def _taken_back(request):
    """What its writer sent to this page while signed out, once, if within the hour. Kept
    for someone else (the last person at a shared PC), it is dropped unseen."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return None
    if kept.get("author") != request.user.pk:
        del request.session[SESSION_KEY]
        return None
    if request.method != "GET" or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    sent_at = parse_datetime(kept.get("at", ""))
    if sent_at is None or timezone.now() - sent_at > KEPT_FOR:
        return None
    data = QueryDict(mutable=True)
    for name, values in kept.get("data", {}).items():
        data.setlist(name, values)
    return data
