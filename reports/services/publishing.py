"""Publishing a quarterly report, drafting one, correcting one, and reading one back."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from actions.changes import updates_in_period, what_changed
from actions.models import Action
from actions.positions import Position, positions
from cypeplan.history import as_stored
from themes.models import Plan
from themes.periods import Quarter

from ..content import ReportContent, long_date, moment
from ..models import HEADER_FIELDS, QuarterlyReport, ReportPosition


def quarter_for_plan(plan, quarter_ends_on, *, today=None):
    """The quarter ending on `quarter_ends_on`, checked for reporting on `plan`: a real
    quarter end, within the plan's life, and already passed. ValidationError otherwise,
    naming what is wrong."""
    today = today or timezone.localdate()
    try:
        quarter = Quarter.ending_on(quarter_ends_on)
    except ValueError as error:
        raise ValidationError({"quarter_ends_on": str(error)}) from error
    if quarter.ends_on < plan.starts_on or quarter.starts_on > plan.ends_on:
        raise ValidationError(
            {
                "quarter_ends_on": (
                    f"{quarter.name} is outside the {plan.name}, which runs from "
                    f"{long_date(plan.starts_on)} to {long_date(plan.ends_on)}."
                )
            }
        )
    if quarter.ends_on >= today:
        raise ValidationError(
            {
                "quarter_ends_on": (
                    f"{quarter.name} hasn’t ended yet: a quarter is reported on once it is over "
                    f"(after {long_date(quarter.ends_on)})."
                )
            }
        )
    return quarter


def published_quarters_outside(plan):
    """{field: why} for the dates `plan` can't have: every quarter reported on (published)
    stays within the plan's life, as quarter_for_plan required when it was published.
    One query."""
    published = QuarterlyReport.objects.filter(plan=plan).aggregate(
        first=Min("quarter_ends_on"), last=Max("quarter_ends_on")
    )
    problems = {}
    if published["first"] and published["first"] < plan.starts_on:
        quarter = Quarter.ending_on(published["first"])
        problems["starts_on"] = (
            f"The plan can’t start after {long_date(quarter.ends_on)}: its report for "
            f"{quarter.name} is published."
        )
    if published["last"]:
        quarter = Quarter.ending_on(published["last"])
        if quarter.starts_on > plan.ends_on:
            problems["ends_on"] = (
                f"The plan can’t end before {long_date(quarter.starts_on)}: its report for "
                f"{quarter.name} is published."
            )
    return problems


def previous_report(plan, quarter):
    """The latest current version of the plan's reports for an earlier quarter, or None."""
    return (
        QuarterlyReport.objects.current()
        .filter(plan=plan, quarter_ends_on__lt=quarter.ends_on)
        .order_by("-quarter_ends_on")
        .first()
    )


def report_name(report):
    """ "the Quarter 1 2022/23 report (version 1, published 5 July 2022 at 09:00)"."""
    return (
        f"the {report.quarter.short_name} report (version {report.version}, published "
        f"{moment(report.published_at)})"
    )


def quarterly_report_draft(*, plan, quarter, known_at=None, header=()):
    """What the plan's report for `quarter` says if published at `known_at` (default now):
    every action's position as at the quarter end as known then, the counts, and what
    changed since the previous published report (else since the previous quarter end, as
    known then)."""
    known_at = known_at or timezone.now()
    # Actions added to the plan since a quarter end were no part of it then.
    in_plan = Action.objects.filter(theme__plan=plan)
    actions = in_plan.in_plan_on(quarter.ends_on)
    current = positions(actions, as_at=quarter.ends_on, known_at=known_at)
    # The update window is kept with the counts, so "no update for over 90 days" reads the
    # same even if the setting changes later.
    counts = {
        **actions.counts(quarter.ends_on, known_at=known_at),
        "update_window_days": settings.UPDATE_WINDOW_DAYS,
    }
    earlier = previous_report(plan, quarter)
    if earlier is not None:
        before = [
            Position.from_dict(data)
            for data in earlier.positions.order_by("order").values_list("data", flat=True)
        ]
        previous_counts = earlier.counts
        compared_with_name = report_name(earlier)
        compared_with_short_name = earlier.quarter.short_name
    else:
        previous = quarter.previous
        compared_with_short_name = previous.short_name
        if previous.ends_on < plan.starts_on:
            # The plan's first quarter: nothing before it to compare with, and the quarter
            # before it (Quarter 4 2021/22) is no part of the plan, so not named.
            before, previous_counts = None, {}
            compared_with_name = f"the plan's start on {long_date(plan.starts_on)}"
            compared_with_short_name = "the plan's start"
        else:
            then = in_plan.in_plan_on(previous.ends_on)
            before = positions(then, as_at=previous.ends_on, known_at=known_at)
            previous_counts = then.counts(previous.ends_on, known_at=known_at)
            compared_with_name = (
                f"the position as at {long_date(previous.ends_on)}, the end of "
                f"{previous.short_name} (no report was published for it)"
            )
    return ReportContent(
        plan_name=plan.name,
        plan_slug=plan.slug,
        quarter=quarter,
        known_at=known_at,
        positions=current,
        counts=counts,
        previous_counts=previous_counts,
        compared_with_name=compared_with_name,
        compared_with_short_name=compared_with_short_name,
        changes=what_changed(
            before,
            current,
            since=quarter.starts_on,
            updates=updates_in_period(current, since=quarter.starts_on),
        ),
        header=list(header),
    ), earlier


class PublishedMeanwhile(ValidationError):
    """Another version of the quarter's report was published after the draft being
    published was shown. `report` is that version."""

    def __init__(self, report):
        self.report = report
        who = report.published_by_name or "A scheduled job"
        super().__init__(
            f"{who} published version {report.version} of this quarter’s report on "
            f"{moment(report.published_at)}, after this draft was shown, so yours was not "
            f"published. Read version {report.version} first: publishing now makes version "
            f"{report.version + 1}, which replaces it."
        )


def quarterly_report_publish(
    *, plan, quarter_ends_on, published_by=None, replacing_version=None, **header
):
    """Publish the plan's report for the quarter ending `quarter_ends_on`, in one
    transaction: freeze every action's position as at the quarter end as known at this
    moment, with the counts, what changed and the header block. Publishing a plan and
    quarter again makes a new version that replaces the last; the old stays readable.
    Raises ValidationError (nothing saved) for a date that is no reportable quarter end,
    and PublishedMeanwhile if `replacing_version` (the current version when the draft was
    shown, 0 for none; None: not checked) is no longer the current one."""
    unknown = set(header) - {name for name, _ in HEADER_FIELDS}
    if unknown:
        raise TypeError(f"Unknown header fields: {', '.join(sorted(unknown))}")
    quarter = quarter_for_plan(plan, quarter_ends_on)
    with transaction.atomic():
        # One publication of a plan at a time, so versions never collide.
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        replaces = (
            QuarterlyReport.objects.current()
            .filter(plan=plan, quarter_ends_on=quarter.ends_on)
            .first()
        )
        if replacing_version is not None and replaces and replaces.version != replacing_version:
            raise PublishedMeanwhile(replaces)
        known_at = timezone.now()
        content, earlier = quarterly_report_draft(plan=plan, quarter=quarter, known_at=known_at)
        report = QuarterlyReport.objects.create(
            plan=plan,
            quarter_ends_on=quarter.ends_on,
            version=replaces.version + 1 if replaces else 1,
            replaces=replaces,
            published_at=known_at,
            published_by=published_by,
            published_by_name=_person(published_by),
            plan_name=plan.name,
            plan_slug=plan.slug,
            quarter_name=quarter.name,
            compared_with=earlier,
            compared_with_name=content.compared_with_name,
            compared_with_short_name=content.compared_with_short_name,
            wording=content.wording,
            counts=content.counts,
            previous_counts=content.previous_counts,
            changes=content.changes.to_dict(),
            **{name: (header.get(name) or "").strip() for name, _ in HEADER_FIELDS},
        )
        _positions_insert(report, content.positions)
    return report


def quarterly_report_correct(*, report, corrected_by):
    """Save a superuser's correction of a published report's header block and, in the same
    transaction, discard its kept Word and PDF files: they are made again from the corrected
    report at their next download, so the page and both files always agree. The report's
    history records the correction, and by whom. A report sent back as found, line breaks
    aside, is left as stored: nothing was corrected."""
    with transaction.atomic():
        stored = QuarterlyReport.objects.select_for_update().filter(pk=report.pk).first()
        if as_stored(report, stored):
            return
        report._change_reason = CORRECTED
        report.save(corrected_by=corrected_by)
        report.documents.all().delete()


# The history's words for a correction (at most 100 characters).
CORRECTED = "Corrected; its Word and PDF files are made again at their next download"


def _positions_insert(report, frozen):
    """Every frozen position in one statement run for each row (executemany): one query
    however big the plan, where bulk_create would take a batch per 249 rows on SQLite."""
    table = ReportPosition._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("report_id", "order", "action_id", "data"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({columns}) VALUES (%s, %s, %s, %s)",
            [
                (report.pk, order, position.action_id, json.dumps(position.to_dict()))
                for order, position in enumerate(frozen)
            ],
        )


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def report_content(report):
    """A published report's content, from its frozen copy alone (two queries: the report
    is given; its positions)."""
    frozen = report.positions.order_by("order").values_list("data", flat=True)
    return ReportContent.from_report(report, list(frozen))
