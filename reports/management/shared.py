"""What the reports' commands share: finding the plan they name, and making a published
report's Word and PDF files ahead of its readers (a large plan's PDF takes a minute or more
to make: README, "Quarterly reports"; longer than a reader should wait, or than a server's
request timeout allows)."""

import time

from django.core.management.base import CommandError
from django.utils import timezone

from reports.models import ReportDocument
from reports.services import (
    report_document_make,
    report_documents_failure_record,
    report_documents_lock,
)
from themes.models import Plan


def plan_named(slug):
    """The plan with this slug; CommandError naming the plans there are if there is none."""
    try:
        return Plan.objects.get(slug=slug)
    except Plan.DoesNotExist:
        slugs = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none loaded"
        raise CommandError(f"No plan called “{slug}”. The plans are: {slugs}.") from None


def documents_make(report, out):
    """Make whichever of the report's Word and PDF files are not kept yet, saying on `out`
    what was made and how long it took; nothing if another process on this machine is
    making them (a download started it while a scheduled run, or an earlier download,
    was at it). Returns the number that could not be made."""
    with report_documents_lock(report) as mine:
        if not mine:
            out.write(f"{report}: its files are being made by another process already.")
            return 0
        failed = _documents_make(report, out)
        # For the page a reader's download shows instead of "being made".
        report_documents_failure_record(report, failed=timezone.now() if failed else None)
        return failed


def _documents_make(report, out):
    failed = 0
    for kind, label in ReportDocument.Kind.choices:
        started = time.perf_counter()
        try:
            _, made = report_document_make(report=report, kind=kind)
        except Exception as error:  # noqa: BLE001 - said, and the others still made
            failed += 1
            out.write(
                f"{report}: its {label} file could not be made ({error}). A reader's first "
                "download makes it, or run manage.py make_report_documents again."
            )
            continue
        if made:
            out.write(f"{report}: made its {label} file in {time.perf_counter() - started:.1f} s.")
        else:
            out.write(f"{report}: its {label} file was made already.")
    return failed
