"""Response headers and sessions that hold up when the database doesn't."""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import BadRequest
from django.db import DatabaseError
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

log = logging.getLogger(__name__)


class PrivatePagesMiddleware:
    """Every page refuses the browser features we never use (Permissions-Policy); a page
    or download for someone signed in is kept out of every cache, so the next person at
    a shared PC can't bring it back with the Back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class SessionSavedIfPossibleMiddleware(SessionMiddleware):
    """Django's sessions, except that failing to save one never turns a response that
    is ready (a redirect after an update was committed, a page already read) into an
    error. The session only keeps its idle timer and messages: losing one save costs
    nothing that matters, while an error page would tell an officer a saved update
    failed. (Django reports a session it could not update as SessionInterrupted, a bare
    400, whether the database failed or the person signed out in another tab.)"""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted):
            log.exception("Could not save the session; the response goes out without it.")
            return response


def note_activity(session):
    session["active_at"] = int(time.time())


def session_activity(get_response):
    """Start a signed-in session's idle time again (SESSION_COOKIE_AGE) when it was last
    noted more than SESSION_ACTIVITY_SECONDS ago: saving the session moves its expiry."""

    def middleware(request):
        if request.user.is_authenticated:
            noted = request.session.get("active_at", 0)
            if int(time.time()) - noted > settings.SESSION_ACTIVITY_SECONDS:
                note_activity(request.session)
        return get_response(request)

    return middleware


class NulCharacter(BadRequest):
    """A NUL character in a form sent: the 400 page shows this message."""


def _shown(name):
    name = name.replace("\x00", "%00")
    return name if len(name) <= 40 else name[:40] + "…"


def refuse_nul_characters(get_response):
    """No one types a NUL character, and PostgreSQL can't store or compare one. In a web
    address, the parameters holding one are left out and the page says so, as a page says
    it left out a date it can't read; in a form sent, nothing is recorded and the 400 page
    says why. After MessageMiddleware, which the page's message needs."""

    def middleware(request):
        bad_address = [name for name, values in request.GET.lists() if _has_nul(name, values)]
        if bad_address and request.method in ("GET", "HEAD"):
            kept = [
                (name, value)
                for name, values in request.GET.lists()
                if name not in bad_address
                for value in values
            ]
            messages.error(
                request,
                "The web address had a character no one types (a NUL, written %00) in "
                + ", ".join(f"“{_shown(name)}”" for name in bad_address)
                + ": it was left out.",
            )
            # One leading slash: "//elsewhere.example/" would send the browser to another site.
            path = "/" + request.path.lstrip("/\\")
            return redirect(path + (f"?{urlencode(kept)}" if kept else ""))
        bad_form = [name for name, values in request.POST.lists() if _has_nul(name, values)]
        if bad_address or bad_form:
            raise NulCharacter(
                "What was sent had a character no one types (a NUL, written %00) in "
                + ", ".join(f"“{_shown(name)}”" for name in bad_address + bad_form)
                + ": nothing was recorded. Go back, type it again and send it."
            )
        return get_response(request)

    return middleware


def _has_nul(name, values):
    return "\x00" in name or any("\x00" in value for value in values)
