"""Publishing a quarterly report, drafting one, and what entered later changed since.

quarterly_report_publish is the one way a report is published: the admin's browser form,
the publish_quarterly_report command and the tests all call it.
"""

import fcntl
import hashlib
import json
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from actions.changes import updates_in_period, what_changed
from actions.late_entries import correction_words, timeframe_changes_since
from actions.models import Action, DateConfirmation, ProgressUpdate
from actions.positions import Position, positions
from themes.models import Plan
from themes.periods import Quarter

from . import documents
from .content import ReportContent, long_date, moment
from .models import HEADER_FIELDS, QuarterlyReport, ReportDocument, ReportPosition


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
    history records the correction, and by whom."""
    with transaction.atomic():
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


def report_document_kept(*, report, kind):
    """A published report's Word or PDF file as kept, or None if it isn't made yet (one
    query)."""
    kept = report.documents.filter(kind=kind).values_list("content", flat=True).first()
    return None if kept is None else bytes(kept)


def report_document_make(*, report, kind):
    """A published report's Word or PDF file, made once: the file kept since it was first
    made, or made now from the frozen copy and kept (the report never changes, so nor does
    its file; a correction discards it: quarterly_report_correct). Returns the file and
    whether it was made now."""
    kept = report_document_kept(report=report, kind=kind)
    if kept is not None:
        return kept, False
    return _document_made(report, kind)


def _document_made(report, kind):
    content = report_content(report)
    if kind == ReportDocument.Kind.DOCX:
        data = documents.report_docx(content).to_bytes()
    else:
        data = documents.report_pdf(content)
    try:
        with transaction.atomic():
            ReportDocument.objects.create(report=report, kind=kind, content=data)
    except IntegrityError:
        # Someone else made it first: theirs is the one kept.
        return bytes(report.documents.get(kind=kind).content), False
    return data, True


def report_document_download(*, report, kind):
    """The file a reader's download gets: the one kept; else, for a report small enough
    (report_documents_made_while_waiting), made now and kept; else None, and its making is
    started in a process of its own (report_documents_make_later), as no reader can wait
    for it (unless it failed: report_documents_failed). One query when it is kept."""
    kept = report_document_kept(report=report, kind=kind)
    if kept is not None:
        return kept
    if report_documents_made_while_waiting(report):
        return _document_made(report, kind)[0]
    # After a failure only a plan administrator starts it again: a reader's download would
    # start it failing again and again, each reader told it is being made.
    if report_documents_failed(report) is None:
        report_documents_make_later(report)
    return None


def report_documents_made_while_waiting(report):
    """Whether a download may make the report's Word or PDF file while the reader waits:
    it holds no more actions than settings.REPORT_DOCUMENTS_MADE_WHILE_WAITING."""
    return report.counts.get("total", 0) <= settings.REPORT_DOCUMENTS_MADE_WHILE_WAITING


def report_documents_start(report):
    """Once the report's publication commits, start making its Word and PDF files if it
    is too large for a download to make them while the reader waits (the browser's publish
    calls this; the command makes them itself, as it has no timeout): its first readers
    then find them made, or being made, and no request ever runs for minutes. Returns
    whether it started them."""
    if report_documents_made_while_waiting(report):
        return False
    transaction.on_commit(partial(report_documents_make_later, report))
    return True


def _documents_path(report, suffix):
    """A file on this machine named for the database and the report."""
    database = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    name = hashlib.sha256(database.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"cypeplan-report-{name}-{report.pk}.{suffix}"


@contextmanager
def report_documents_lock(report):
    """Whether this process may make the report's files (True), or another process on
    this machine is making them (False): a lock on a file named for the database and the
    report, let go when the process holding it ends, however it ends."""
    with _documents_path(report, "lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def report_documents_failed(report):
    """When making the report's files in a process of their own last failed, or None if it
    hasn't (never tried, or the last try made them). Set by documents_make, cleared when
    they are made or a plan administrator tries again (report_documents_try_again)."""
    try:
        kept = json.loads(_documents_path(report, "failed").read_text())
        # Only this report's: a report deleted by a superuser may leave its number to another.
        if kept["published_at"] != report.published_at.isoformat():
            return None
        return datetime.fromisoformat(kept["failed_at"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def report_documents_failure_record(report, *, failed):
    """Keep when making the report's files failed (`failed`), or that they were made
    (`failed` None), for the page a reader's download shows."""
    path = _documents_path(report, "failed")
    if failed is None:
        path.unlink(missing_ok=True)
    else:
        kept = {"failed_at": failed.isoformat(), "published_at": report.published_at.isoformat()}
        path.write_text(json.dumps(kept))


def report_documents_try_again(report):
    """A plan administrator's second try at making a report's files after a failed one: in
    a process of its own, as the first (report_documents_make_later)."""
    report_documents_failure_record(report, failed=None)
    report_documents_make_later(report)


def report_documents_make_later(report):
    """Start making the report's missing Word and PDF files in a process of its own
    (manage.py make_report_documents --report), which no request's timeout stops and
    which outlives the request that starts it. However often it is started, each file is
    made once: a process finds another making the same report's files and leaves them to
    it (reports.management.shared.documents_make), and none is started while one is at
    it (a reader trying again). Its words go to this process's standard output and
    error: the server's log."""
    with report_documents_lock(report) as free:
        if not free:
            return
    subprocess.Popen(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "make_report_documents",
            *("--report", str(report.pk)),
            # The process must find this report in this database, not in one that a
            # test or benchmark run has put in place of the configured one.
            *("--database-name", str(connection.settings_dict["NAME"])),
        ],
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


@dataclass(frozen=True)
class LateChange:
    """An action whose position as at the quarter end is no longer what was published,
    because of updates entered, due dates confirmed or timeframes changed after publication."""

    published: Position
    now: Position
    entries: list  # ProgressUpdate, oldest entry first
    confirmations: list = field(default_factory=list)  # DateConfirmation, oldest first
    corrections: list = field(default_factory=list)  # (history record, words), oldest first
    timeframes: list = field(default_factory=list)  # late_entries.TimeframeChange, oldest first


@dataclass(frozen=True)
class LateCounts:
    """How many of each kind of later entry there are, changing a position or not, and how
    many of them are listed beside a position they changed (`listed`)."""

    updates: int = 0
    corrected: int = 0
    confirmed: int = 0
    timeframes: int = 0
    listed: int = 0

    @property
    def total(self):
        return self.updates + self.corrected + self.confirmed + self.timeframes

    @property
    def words(self):
        """ "1 update entered later and 2 due dates confirmed later", for the notices."""
        parts = [
            f"{count} {noun}{'' if count == 1 else 's'} {done} later"
            for count, noun, done in (
                (self.updates, "update", "entered"),
                (self.corrected, "update", "corrected"),
                (self.confirmed, "due date", "confirmed"),
                (self.timeframes, "timeframe", "changed"),
            )
            if count
        ]
        return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def changed_since_publication(report, frozen=None):
    """The positions that updates entered or corrected, due dates confirmed or timeframes
    changed after publication changed, each with those later entries (who entered them and
    when), and the LateCounts of the later entries. `frozen` are the report's published
    Positions if the caller has them. A fixed number of queries: the late updates; the
    corrected updates; the late confirmations; the timeframe changes (two, and the actions
    a shared timeframe times if one changed); then, only if there are any, those actions'
    live positions."""
    actions = report.positions.values("action_id")
    late = list(
        ProgressUpdate.objects.filter(
            action_id__in=actions,
            reported_on__lte=report.quarter_ends_on,
            entered_at__gt=report.published_at,
        )
        .select_related("entered_by")
        .order_by("entered_at", "pk")
    )
    corrected = [
        (record, correction_words(record))
        for record in ProgressUpdate.history.corrected_since(
            report.published_at, report.quarter_ends_on
        )
        .filter(action_id__in=actions)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ]
    confirmed = list(
        DateConfirmation.objects.entered_since(report.published_at)
        .filter(action_id__in=actions)
        .select_related("entered_by")
        .order_by("entered_at", "pk")
    )
    timeframes = timeframe_changes_since(
        report.published_at, Action.objects.filter(pk__in=actions)
    )[::-1]
    counts = LateCounts(len(late), len(corrected), len(confirmed), len(timeframes))
    if not counts.total:
        return [], counts
    by_kind = {"entries": {}, "corrections": {}, "confirmations": {}, "timeframes": {}}
    for kind, rows, of_action in (
        ("entries", late, "action_id"),
        ("corrections", corrected, None),
        ("confirmations", confirmed, "action_id"),
        ("timeframes", timeframes, "action_id"),
    ):
        for row in rows:
            action_id = row[0].action_id if of_action is None else getattr(row, of_action)
            by_kind[kind].setdefault(action_id, []).append(row)
    action_ids = set().union(*by_kind.values())
    live = positions(
        Action.objects.filter(pk__in=action_ids), as_at=report.quarter_ends_on, known_at=None
    )
    if frozen is None:
        frozen = [
            Position.from_dict(data)
            for data in report.positions.filter(action_id__in=action_ids).values_list(
                "data", flat=True
            )
        ]
    published = {position.action_id: position for position in frozen}
    changes = [
        LateChange(
            published[now.action_id],
            now,
            **{kind: rows.get(now.action_id, []) for kind, rows in by_kind.items()},
        )
        for now in live
        if now.action_id in published and _differs(published[now.action_id], now)
    ]
    listed = sum(
        len(change.entries)
        + len(change.corrections)
        + len(change.confirmations)
        + len(change.timeframes)
        for change in changes
    )
    return changes, replace(counts, listed=listed)


# What a reader of the report would see change in a position.
COMPARED = (
    "status",
    "rag",
    "due_on",
    "is_finished",
    "is_overdue",
    "is_at_risk",
    "is_stale",
    "latest_update_id",
)


def _differs(published, now):
    return any(getattr(published, name) != getattr(now, name) for name in COMPARED)
