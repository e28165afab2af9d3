"""Which plan and which date a page answers for, read from the query string."""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.urls import get_script_prefix
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions.models.rules.known import update_window, warning_window
from cypeplan.kept import version_expression
from cypeplan.paging import drawn_page
from themes.models import Plan
from themes.periods import Quarter, in_range, quarter_ends_until

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

BOX_PARTS = ("day", "month", "year")


def read_as_at(raw):
    """The as-at date from `?as_at=YYYY-MM-DD`: (date or None, message). None with no
    message when there is none; None with a message saying what was wrong when it is bad."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    match = _ISO_DATE.match(raw)
    if not match:
        return None, f"“{shown}” is not a date in the form YYYY-MM-DD, for example 2023-03-31."
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        return None, f"“{shown}” is not a real date."
    return in_range(day, shown)


def read_as_at_boxes(typed):
    """The as-at date from the three boxes of the GOV.UK date pattern (`as_at_day`,
    `as_at_month`, `as_at_year`): (date or None, message), as read_as_at."""
    if not any(typed.values()):
        return None, ""
    missing = [part for part in BOX_PARTS if not typed[part]]
    if missing:
        return None, "The as-at date must include a " + " and a ".join(missing) + "."
    if not all(typed[part].isdigit() and len(typed[part]) <= 4 for part in BOX_PARTS):
        return None, "Enter the as-at date as numbers, for example 31 3 2023."
    if len(typed["year"]) != 4:
        return None, "Enter the year of the as-at date with 4 numbers, for example 2023."
    shown = "/".join(typed[part] for part in BOX_PARTS)
    try:
        day = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        return None, f"“{shown}” is not a real date."
    return in_range(day, shown)


@dataclass(frozen=True)
class Scope:
    """The plan and as-at date a page answers for, and the links that keep them.

    A page about one plan that has ended opens at the plan's last quarter end rather than
    today (`opens_at_plan_end`), with a notice; any other page opens at today.
    """

    today: date
    as_at: date
    as_at_error: str
    plans: list
    plan: Plan | None
    plan_error: str
    # The plan whose life the quarter-end choices cover; None for pages across plans.
    about_plan: Plan | None = None
    opens_at_plan_end: bool = False
    typed: dict = field(default_factory=dict)
    # The data's version as the page read its plans (cypeplan/kept.py); None: not kept.
    data_version: str | None = None

    @classmethod
    def from_request(cls, request, *, plan=None, about_plan=False, open_at_plan_end=True):
        """`plan`: the plan the page is about (a theme's, an action's). `about_plan`: the
        page is about the plan chosen by ?plan= (the dashboard and the exception lists).
        `open_at_plan_end`: an ended plan's page opens at its last quarter end (not an
        action's page, where an officer records today's progress and expects to see it)."""
        today = timezone.localdate()
        # The data's version comes with the plans, for the results pages keep (cypeplan/kept.py).
        plans = list(Plan.objects.annotate(data_version=version_expression()))
        slug = request.GET.get("plan", "").strip()
        chosen = next((p for p in plans if p.slug == slug), None)
        plan_error = ""
        if slug and chosen is None:
            plan_error = "There is no plan with that name in the link. Showing the first plan."
        if chosen is None and plans:
            chosen = plans[0]
        if plan is None and about_plan:
            plan = chosen

        typed = {part: request.GET.get(f"as_at_{part}", "").strip()[:10] for part in BOX_PARTS}
        as_at, as_at_error = read_as_at_boxes(typed)
        if as_at is None and not as_at_error:
            as_at, as_at_error = read_as_at(request.GET.get("as_at"))
        opens_at_plan_end = False
        if as_at is None:
            as_at = today
            ended = open_at_plan_end and plan is not None and plan.ends_on < today
            ends = quarter_ends_until(plan.starts_on, plan.ends_on, today) if ended else []
            if ends:
                as_at, opens_at_plan_end = ends[-1], True
        if as_at_error:
            as_at_error += f" Showing the position as at {as_at:%-d %B %Y} instead."
            typed = typed if any(typed.values()) else {}
        else:
            typed = {}
        return cls(
            today=today,
            as_at=as_at,
            as_at_error=as_at_error,
            plans=plans,
            plan=chosen,
            plan_error=plan_error,
            about_plan=plan,
            opens_at_plan_end=opens_at_plan_end,
            typed=typed,
            data_version=_version_of(plans),
        )

    def kept_key(self, *about):
        """What a result `about` something, as at this scope's date, is kept under while
        nothing in the database changes (cypeplan/kept.py): with the date, today (the rules
        read the kept newest updates as at today) and the rules' windows (settings)."""
        return (*about, self.as_at, self.today, update_window(), warning_window())

    def drawn_page(self, actions, per_page, number, draw, *about):
        """Page `number` of the list `actions()` gives, drawn by `draw(page)`
        (cypeplan.paging.drawn_page), kept as drawn while nothing in the database changes
        under what it is `about` and this scope (kept_key), with the links the rows keep
        (keep_date) and the address the site is served at."""
        return drawn_page(
            actions,
            per_page,
            number,
            draw,
            kept_as=self.kept_key(*about, self.keep_date, get_script_prefix()),
            version=self.data_version,
        )

    @property
    def is_today(self):
        return self.as_at == self.today

    @property
    def is_past(self):
        return self.as_at < self.today

    @property
    def plan_has_ended(self):
        return self.about_plan is not None and self.about_plan.ends_on < self.today

    @property
    def date_boxes(self):
        """The three date boxes: what was typed, when it was wrong; else the as-at date."""
        values = self.typed or {
            "day": self.as_at.day,
            "month": self.as_at.month,
            "year": self.as_at.year,
        }
        return [
            {
                "part": part,
                "label": part.capitalize(),
                "width": 4 if part == "year" else 2,
                "value": values[part],
            }
            for part in BOX_PARTS
        ]

    @property
    def quarter_ends(self):
        """The quarter ends of the plan's life (of every plan's, on pages across plans)
        that have arrived, newest first, as Quarters."""
        plans = [self.about_plan] if self.about_plan is not None else self.plans
        if not plans:
            return []
        starts_on = min(plan.starts_on for plan in plans)
        ends_on = max(plan.ends_on for plan in plans)
        ends = quarter_ends_until(starts_on, ends_on, self.today)
        return [Quarter.ending_on(day) for day in reversed(ends)]

    def _as_at_values(self):
        # An ended plan's page opens at the plan's end, so today must then be explicit.
        if self.is_today and not self.plan_has_ended:
            return {}
        return {"as_at": self.as_at.isoformat()}

    @property
    def keep(self):
        """The query string that carries the chosen plan and as-at date onto other pages."""
        values = {}
        if self.plan is not None:
            values["plan"] = self.plan.slug
        values.update(self._as_at_values())
        return urlencode(values)

    @property
    def keep_date(self):
        """Like keep, for pages that are not about one plan."""
        return urlencode(self._as_at_values())

    @property
    def print_context(self):
        """What every printed page says at its head: the plan, the as-at date, the print
        date."""
        plan = self.about_plan.name if self.about_plan is not None else "All plans"
        printed = timezone.localtime()
        return f"{plan} · Position as at {self.as_at:%-d %B %Y} · Printed {printed:%-d %B %Y}"

    @property
    def today_value(self):
        """The ?as_at= value that shows today's position on this page."""
        return self.today.isoformat() if self.plan_has_ended else ""


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


def _version_of(plans):
    """The data's version the plans were read with (Scope.data_version)."""
    version = plans[0].data_version if plans else None
    return None if version is None else str(version)
