"""A published report's Word and PDF files: kept once made, or made in a process of their own."""

import fcntl
import hashlib
import json
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from .. import documents
from ..models import ReportDocument
from .publishing import report_content


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
