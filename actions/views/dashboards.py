"""The exception pages scrutiny opens first: the dashboard and the overdue and at-risk lists."""

from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from cypeplan.kept import kept_rows

from .. import hooks
from ..charts import rag_by_theme_chart
from ..downloads import Context, actions_download, download_format
from ..models import Action
from ..models.rules import counts_from_themes
from .scope import Scope, reader_page

# Rows per page on the grouped lists: a committee's whole list fits on one page; the
# synthetic 10,000-action plan pages rather than sending megabytes.
ROWS_PER_PAGE = 200

# A lead known only by initials sorts by them, as people see it.
LEAD_AS_SHOWN = Coalesce(NullIf("lead__name", Value("")), "lead__initials")

GROUPINGS = {
    "lead": (LEAD_AS_SHOWN, "lead__initials", "lead_id"),
    "theme": ("theme__position", "theme__name", "theme_id"),
    # Actions that answer no named recommendation come last.
    "source": (
        Case(When(answers="", then=Value(1)), default=Value(0)),
        "answers",
        "theme__position",
    ),
}

LISTS = {
    "overdue": {
        "title": "Overdue actions",
        "rule": "overdue",
        "explanation": "Due before the as-at date and not complete or closed by then.",
    },
    "at_risk": {
        "title": "Actions at risk",
        "rule": "at_risk",
        "explanation": (
            "Not complete or closed, and Red or Amber, or due within the warning window and "
            "not started, or with no update for longer than the update window."
        ),
    },
}


def themes_counted(scope, plan):
    """Each of the plan's themes' counts and RAG as at the scope's date (rag_by_theme), in
    one grouped query, kept while nothing in the database changes (cypeplan/kept.py): the
    dashboard's, and a theme's page's."""
    return kept_rows(
        lambda: (
            Action.objects.filter(theme__plan=plan)
            .in_plan_on(scope.as_at)
            .rag_by_theme(scope.as_at)
        ),
        *scope.kept_key("rag_by_theme", plan.pk),
        version=scope.data_version,
    )


@reader_page
def dashboard(request):
    scope = Scope.from_request(request, about_plan=True)
    counts, themes = None, []
    if scope.plan is not None:
        themes = themes_counted(scope, scope.plan)
        counts = counts_from_themes(themes)
    return render(
        request,
        "actions/dashboard.html",
        {
            "scope": scope,
            "counts": counts,
            "themes": themes,
            "chart": rag_by_theme_chart(themes),
            "panels": hooks.panels(
                "dashboard", request, plan=scope.plan, as_at=scope.as_at, counts=counts
            ),
            "nav_section": "dashboard",
        },
    )


def exception_actions(plan, kind, by, as_at):
    """The plan's actions on one exception list as at a date, in the order the page
    shows them: grouped by lead, theme or source. The page and its downloads read this."""
    return (
        getattr(Action.objects.filter(theme__plan=plan).in_plan_on(as_at), LISTS[kind]["rule"])(
            as_at
        )
        .exceptions_first(as_at, within=GROUPINGS[by])
        .listed()
    )


def exception_list(request, kind):
    scope = Scope.from_request(request, about_plan=True)
    by = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "lead"
    listing = LISTS[kind]
    file_format = download_format(request)
    page = None
    if scope.plan is not None:
        if file_format:
            actions = exception_actions(scope.plan, kind, by, scope.as_at)
            return exception_download(scope, kind, by, actions, file_format)

        def draw(page):
            return render_to_string(
                "actions/exception_groups.html",
                {"page": page, "by": by, "listing": listing, "keep_date": scope.keep_date},
            )

        # Kept as drawn while nothing in the database changes (cypeplan/kept.py).
        page = scope.drawn_page(
            lambda: exception_actions(scope.plan, kind, by, scope.as_at),
            ROWS_PER_PAGE,
            request.GET.get("page"),
            draw,
            kind,
            by,
            scope.plan.pk,
        )
    elif file_format:
        raise Http404("No plan has been loaded yet.")
    return render(
        request,
        "actions/exception_list.html",
        {
            "scope": scope,
            "listing": listing,
            "kind": kind,
            "by": by,
            "page": page,
            "keep_params": [("by", by)],
            "nav_section": kind.replace("_", "-"),
        },
    )


def exception_download(scope, kind, by, actions, file_format):
    listing = LISTS[kind]
    context = Context(
        plan=scope.plan.name,
        title=listing["title"],
        grouped_by=by,
        which=listing["explanation"],
        as_at=scope.as_at,
        filters=[],
        made_at=timezone.now(),
        synthetic=scope.plan.is_synthetic,
    )
    return actions_download(
        actions,
        file_format=file_format,
        context=context,
        names=[scope.plan.slug, kind.replace("_", "-"), f"by-{by}"],
    )


@reader_page
def overdue(request):
    return exception_list(request, "overdue")


@reader_page
def at_risk(request):
    return exception_list(request, "at_risk")
