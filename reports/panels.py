"""What reports adds to actions' pages, through actions.hooks (actions never imports
reports)."""

from django.conf import settings
from django.template.loader import render_to_string

from .content import change_words
from .models import QuarterlyReport
from .services import LateCounts, changed_since_publication

# The dashboard's counts, as the panel words them, in its order.
COUNT_WORDS = (
    ("overdue", "overdue"),
    ("at_risk_not_overdue", "at risk (not overdue)"),
    ("no_concerns", "with no concerns"),
    ("complete_or_closed", "complete or closed"),
    ("stale", "with no update for over {window} days"),
)


def dashboard_since_last_report(request, *, plan, as_at, counts, **context):
    """Beside the dashboard's counts, each count's change since the last report published
    for a quarter ending on or before the as-at date, a link to it, and, when the as-at
    date is that report's quarter end and later entries changed positions, a notice that
    the position changed after publication. Queries: the report; the live counts; at a
    published quarter end, the late updates, confirmed due dates and timeframe changes (and,
    only if any, those actions' positions).
    `counts` are the dashboard's own live counts as at `as_at`."""
    if plan is None or not request.user.has_perm("reports.view_quarterlyreport"):
        return ""
    report = (
        QuarterlyReport.objects.current()
        .filter(plan=plan, quarter_ends_on__lte=as_at)
        .order_by("-quarter_ends_on")
        .first()
    )
    if report is None:
        return ""
    short_name = report.quarter.short_name
    rows = [
        {
            "key": key,
            "words": words.format(window=settings.UPDATE_WINDOW_DAYS),
            "now": counts[key],
            "change": change_words(counts[key], report.counts[key], short_name),
        }
        for key, words in COUNT_WORDS
        if key in counts and key in report.counts
    ]
    late_changes, late_counts = [], LateCounts()
    if report.quarter_ends_on == as_at:
        late_changes, late_counts = changed_since_publication(report)
    return render_to_string(
        "reports/dashboard_panel.html",
        {
            "report": report,
            "rows": rows,
            "as_at": as_at,
            "at_quarter_end": report.quarter_ends_on == as_at,
            "late_changes": late_changes,
            "late": late_counts,
        },
        request=request,
    )
