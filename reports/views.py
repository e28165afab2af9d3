"""The quarterly reports: the list, each published report and its downloads, and the
administrators' draft preview and publishing."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from themes.models import Plan

from . import documents
from .content import ReportContent
from .forms import ChooseQuarterForm, PublishForm, header_initial
from .models import HEADER_FIELDS, QuarterlyReport, ReportDocument
from .services import (
    PublishedMeanwhile,
    changed_since_publication,
    quarterly_report_draft,
    quarterly_report_publish,
    report_content,
    report_document_download,
    report_documents_failed,
    report_documents_start,
    report_documents_try_again,
)

READ = "reports.view_quarterlyreport"
PREVIEW = "reports.preview_quarterlyreport"
PUBLISH = "reports.add_quarterlyreport"


def report_reader_page(view):
    """Anyone who may read published reports, read-only (GET and HEAD)."""

    @wraps(view)
    @require_safe
    @login_required
    @permission_required(READ, raise_exception=True)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return page


@report_reader_page
def report_list(request):
    reports = list(
        QuarterlyReport.objects.select_related("replaced_by").order_by(
            "plan_name", "-quarter_ends_on", "-version"
        )
    )
    plans = []
    for report in reports:
        if not plans or plans[-1]["name"] != report.plan_name:
            plans.append({"name": report.plan_name, "quarters": []})
        quarters = plans[-1]["quarters"]
        if not quarters or quarters[-1]["ends_on"] != report.quarter_ends_on:
            quarters.append(
                {"ends_on": report.quarter_ends_on, "name": report.quarter_name, "versions": []}
            )
        quarters[-1]["versions"].append(report)
    return render(
        request,
        "reports/report_list.html",
        {
            "plans": plans,
            "may_preview": request.user.has_perm(PREVIEW),
            "print_context": f"Quarterly reports · Printed {timezone.localdate():%-d %B %Y}",
            "nav_section": "reports",
        },
    )


def _published(pk):
    return get_object_or_404(QuarterlyReport.objects.select_related("replaces"), pk=pk)


@report_reader_page
def report_detail(request, pk):
    report = _published(pk)
    content = report_content(report)
    late_changes, late_counts = changed_since_publication(report, frozen=content.positions)
    later_versions = list(
        QuarterlyReport.objects.filter(
            plan_id=report.plan_id,
            quarter_ends_on=report.quarter_ends_on,
            version__gt=report.version,
        ).order_by("version")
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": content,
            "published": report,
            "late_changes": late_changes,
            "late": late_counts,
            "later_versions": later_versions,
            "nav_section": "reports",
        },
    )


@report_reader_page
def report_print_css(request, pk):
    """The report page's print margins: plan, quarter, as-at date and edition on every page.
    A stylesheet of its own because the page's Content-Security-Policy allows no inline
    style, and Chromium prints page-margin text only from CSS."""
    # The running header needs the report's own fields, not its positions.
    content = ReportContent.from_report(_published(pk), [])
    return HttpResponse(documents.running_css(content), content_type="text/css; charset=utf-8")


def _stored_document(request, pk, kind):
    """A published report's Word or PDF file, as first made (report_document_download);
    while a large report's is still being made, a page saying so."""
    report = _published(pk)
    data = report_document_download(report=report, kind=kind)
    content = ReportContent.from_report(report, [])
    if data is None:
        failed_at = report_documents_failed(report)
        response = render(
            request,
            "reports/document_being_made.html",
            {
                "report": content,
                "published": report,
                "kind": kind,
                "label": ReportDocument.Kind(kind).label,
                "failed_at": failed_at,
                "may_try_again": request.user.has_perm(PUBLISH),
                "nav_section": "reports",
            },
            # Failed: nothing is being made, so there is nothing to come back for.
            status=500 if failed_at else 202,
        )
        if not failed_at:
            response["Retry-After"] = "120"
        return response
    return HttpResponse(
        data,
        content_type=documents.CONTENT_TYPES[kind],
        headers={"Content-Disposition": content_disposition_header(True, content.filename(kind))},
    )


@report_reader_page
def report_docx(request, pk):
    return _stored_document(request, pk, ReportDocument.Kind.DOCX)


@report_reader_page
def report_pdf(request, pk):
    return _stored_document(request, pk, ReportDocument.Kind.PDF)


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def documents_try_again(request, pk):
    """A plan administrator starts making a report's Word and PDF files again after the
    process making them failed."""
    report = _published(pk)
    report_documents_try_again(report)
    messages.success(
        request,
        "Its Word and PDF files are being made again: for a report of "
        f"{report.counts['total']:,} actions that takes some minutes.",
    )
    return redirect(report)


def _draft_page(request, choose, publish_form=None, status=200):
    """The draft preview: the chosen plan and quarter's report as it would be published
    now, with the publish form (bound, with its errors, after a refused POST)."""
    content = latest = None
    if choose.is_bound and choose.is_valid():
        plan, quarter = choose.cleaned_data["plan"], choose.cleaned_data["quarter"]
        latest = (
            QuarterlyReport.objects.current()
            .filter(plan=plan, quarter_ends_on=quarter.ends_on)
            .first()
        )
        initial = header_initial(plan, quarter, latest)
        if publish_form is None:
            publish_form = PublishForm(
                initial={
                    **initial,
                    "plan": plan.slug,
                    "quarter_ends_on": quarter.ends_on,
                    "replacing_version": latest.version if latest else 0,
                }
            )
        content, _ = quarterly_report_draft(
            plan=plan,
            quarter=quarter,
            header=[(label, initial.get(name, "")) for name, label in HEADER_FIELDS],
        )
    return render(
        request,
        "reports/draft.html",
        {
            "choose": choose,
            "report": content,
            "publish_form": publish_form,
            "latest": latest,
            "may_publish": request.user.has_perm(PUBLISH),
            # Every printed sheet of a draft says it is one (base.html's print header).
            "print_context": content.running_header if content else "",
            "nav_section": "reports",
        },
        status=status,
    )


@require_safe
@login_required
@permission_required(PREVIEW, raise_exception=True)
def draft(request):
    """Choose a plan and quarter; see the report as it would be published now."""
    choose = ChooseQuarterForm(request.GET or None, plans=list(Plan.objects.all()))
    return _draft_page(request, choose)


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def publish(request):
    posted_at = timezone.now()
    form = PublishForm(request.POST)
    status = 400
    if form.is_valid():
        header = {name: form.cleaned_data[name] for name, _ in HEADER_FIELDS}
        try:
            report = quarterly_report_publish(
                plan=form.cleaned_data["plan"],
                quarter_ends_on=form.cleaned_data["quarter_ends_on"],
                published_by=request.user,
                replacing_version=form.cleaned_data["replacing_version"],
                **header,
            )
        except PublishedMeanwhile as error:
            if _same_submission(error.report, request.user, header, posted_at):
                # A double-click's second post: the first published it.
                return redirect(error.report)
            # Shown again as typed, now against the version that is current.
            form = PublishForm({**request.POST.dict(), "replacing_version": error.report.version})
            form.is_valid()
            form.add_error(None, error.messages)
            status = 409
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            later = report_documents_start(report)
            messages.success(
                request,
                f"Published {report.quarter_name}, version {report.version}: it now reads "
                "the same for ever."
                + (
                    " Its Word and PDF files are being made: for a report of "
                    f"{report.counts['total']:,} actions that takes some minutes."
                    if later
                    else ""
                ),
            )
            return redirect(report)
    chosen = {
        "plan": request.POST.get("plan", ""),
        "quarter_ends_on": request.POST.get("quarter_ends_on", ""),
    }
    plans = list(Plan.objects.all())
    choose = ChooseQuarterForm(chosen, plans=plans)
    if not choose.is_valid():
        # The publish form's errors say what is wrong; don't say it twice.
        choose = ChooseQuarterForm(initial=chosen, plans=plans)
    return _draft_page(request, choose, publish_form=form, status=status)


def _same_submission(report, user, header, posted_at):
    """Whether `report` is what this post would have published: the same header block,
    published by the same person moments before the post arrived (a second click on the
    button, which waited while the first published)."""
    return (
        report.published_by_id == user.pk
        and all(getattr(report, name) == value.strip() for name, value in header.items())
        and posted_at - report.published_at < timedelta(seconds=10)
    )
