"""The page shown when a request fails: 503 when the database is the reason."""

import sys

from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.views import defaults

from .middleware import NulCharacter

# PostgreSQL's "read_only_sql_transaction": a read-only server or replica refused a write.
READ_ONLY_SQLSTATE = "25006"


def database_unavailable(error):
    """A database that can't be reached or written: PostgreSQL down or read-only, SQLite
    on a full or read-only disk, or locked for longer than the busy timeout."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    cause = getattr(error, "__cause__", None)
    return isinstance(error, InternalError) and getattr(cause, "sqlstate", "") == READ_ONLY_SQLSTATE


def server_error(request):
    """The service being unavailable is not a fault in the page: 503, with a page that
    says so and asks the browser to try again later."""
    if database_unavailable(sys.exc_info()[1]):
        page = loader.get_template("503.html").render()
        return HttpResponse(page, status=503, headers={"Retry-After": "120"})
    return defaults.server_error(request)


def bad_request(request, exception):
    """Django's 400 page, saying what was wrong when we know it in words for people (a NUL
    character in a form); Django's own reasons stay unsaid."""
    reason = str(exception) if isinstance(exception, NulCharacter) else ""
    page = loader.get_template("400.html").render({"reason": reason})
    return HttpResponseBadRequest(page)
