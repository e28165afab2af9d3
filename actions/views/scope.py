"""Which plan and which date a page answers for, read from the query string."""

import re
from dataclasses import dataclass
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.utils import timezone
from django.views.decorators.http import require_safe

from themes.models import Plan

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def read_as_at(raw, today):
    """The as-at date from `?as_at=YYYY-MM-DD`: (date, message). A bad value falls back to
    today with a message saying what was wrong, never an error page."""
    raw = (raw or "").strip()
    if not raw:
        return today, ""
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    match = _ISO_DATE.match(raw)
    if not match:
        return today, (
            f"“{shown}” is not a date in the form YYYY-MM-DD, for example 2023-03-31. "
            "Showing the position as at today instead."
        )
    try:
        return date(*(int(part) for part in match.groups())), ""
    except ValueError:
        return today, f"“{shown}” is not a real date. Showing the position as at today instead."


@dataclass(frozen=True)
class Scope:
    """The plan and as-at date a page answers for, and the links that keep them."""

    today: date
    as_at: date
    as_at_error: str
    plans: list
    plan: Plan | None
    plan_error: str

    @classmethod
    def from_request(cls, request):
        today = timezone.localdate()
        as_at, as_at_error = read_as_at(request.GET.get("as_at"), today)
        plans = list(Plan.objects.all())
        slug = request.GET.get("plan", "").strip()
        plan = next((p for p in plans if p.slug == slug), None)
        plan_error = ""
        if slug and plan is None:
            plan_error = "There is no plan with that name in the link. Showing the first plan."
        if plan is None and plans:
            plan = plans[0]
        return cls(today, as_at, as_at_error, plans, plan, plan_error)

    @property
    def is_today(self):
        return self.as_at == self.today

    @property
    def keep(self):
        """The query string that carries the chosen plan and as-at date onto other pages."""
        values = {}
        if self.plan is not None:
            values["plan"] = self.plan.slug
        if not self.is_today:
            values["as_at"] = self.as_at.isoformat()
        return urlencode(values)

    @property
    def keep_date(self):
        """Like keep, for pages that are not about one plan."""
        return "" if self.is_today else urlencode({"as_at": self.as_at.isoformat()})


def reader_page(view):
    """A page for anyone who may read the plans: signed in, with view permission, and
    read-only (GET and HEAD only)."""

    @wraps(view)
    @require_safe
    @login_required
    @permission_required("actions.view_action", raise_exception=True)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return page
