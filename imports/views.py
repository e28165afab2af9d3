"""Plan administrators' pages: import a plan (upload, preview, confirm), the template and a
plan in the import layout, the data-quality page and confirming a date."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import Action, SubStep
from actions.services import ConfirmedMeanwhile, date_confirmation_record
from cypeplan.inputs import plain_number
from themes.models import Plan

from .forms import NEW_PLAN, ConfirmForm, DateConfirmationForm, PlanUploadForm, UploadForm
from .layout import plan_rows, template_workbook, workbook
from .models import PlanImport
from .quality import data_quality
from .reading import FileProblems, read_table, size_limit_words
from .services import PreviewMoved, plan_import_confirm, plan_import_preview
from .updates import COLUMNS as UPDATE_COLUMNS
from .updates import INSTRUCTIONS as UPDATE_INSTRUCTIONS
from .updates import (
    UpdateProblems,
    newest_update_number,
    preview_as_now,
    preview_of_updates,
    propose_updates,
    undated_report_on,
    update_rows,
    updates_record,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_administer(user):
    """Plan administrators (and superusers): they add and change actions."""
    return user.has_perm("actions.add_action") and user.has_perm("actions.change_action")


def administrator_page(view):
    @login_required
    @wraps(view)
    def page(request, *args, **kwargs):
        if not may_administer(request.user):
            raise PermissionDenied("Only plan administrators can do that.")
        return view(request, *args, **kwargs)

    return page


def _xlsx(data, file_name):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@administrator_page
def start(request):
    problems = []
    if request.method == "POST":
        form = PlanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            slug = form.cleaned_data["plan"]
            try:
                record = plan_import_preview(
                    file_name=upload.name,
                    data=upload.read(),
                    plan_slug="" if slug == NEW_PLAN else slug,
                    user=request.user,
                )
            except FileProblems as error:
                problems = error.messages
                form.add_error(
                    "file",
                    f"The file can’t be imported: correct the "
                    f"{'problem' if len(problems) == 1 else f'{len(problems)} problems'} "
                    "listed above and upload it again.",
                )
            else:
                return redirect("imports:preview", record.key)
    else:
        form = PlanUploadForm()
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "problems": problems,
            "size_limit": size_limit_words(),
            "plans": Plan.objects.filter(is_synthetic=False),
            "recent": PlanImport.objects.select_related("uploaded_by", "plan")[:10],
            "nav_section": "admin",
        },
        status=400 if problems or form.errors else 200,
    )


@administrator_page
def template(request):
    return _xlsx(template_workbook(), "cypeplan-import-template.xlsx")


@administrator_page
def plan_download(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    return _xlsx(workbook(plan_rows(plan)), f"{plan.slug}-import-layout.xlsx")


@administrator_page
def preview(request, key):
    record = get_object_or_404(PlanImport.objects.select_related("uploaded_by"), key=key)
    if record.kind != PlanImport.PLAN:
        return redirect(record)
    problems, notice = [], ""
    form = ConfirmForm(preview=record.preview)
    if request.method == "POST" and record.status == PlanImport.PREVIEWED:
        form = ConfirmForm(request.POST, preview=record.preview)
        if form.is_valid():
            try:
                plan_import_confirm(plan_import=record, user=request.user)
            except PreviewMoved as moved:
                record = moved.args[0]
                form = ConfirmForm(preview=record.preview)
                notice = (
                    "The plan changed in cypeplan since you previewed this file, so the "
                    "preview below has been worked out again. Check it, then confirm."
                )
            except FileProblems as error:
                problems = error.messages
            else:
                messages.success(request, f"Imported {record.file_name}.")
                return redirect("imports:preview", record.key)
    return render(
        request,
        "imports/preview.html",
        {
            "record": record,
            "preview": record.preview if record.status != PlanImport.CONFIRMED else record.changes,
            "form": form,
            "problems": problems,
            "notice": notice,
            "nav_section": "admin",
        },
        status=400 if problems or form.errors else 200,
    )


@administrator_page
@require_POST
def abandon(request, key):
    record = get_object_or_404(PlanImport, key=key, status=PlanImport.PREVIEWED)
    record.status = PlanImport.ABANDONED
    record.save(update_fields=["status"])
    messages.success(request, f"{record.file_name} was not imported. Nothing was changed.")
    return redirect("imports:start")


@administrator_page
def quality(request):
    return render(
        request,
        "imports/data_quality.html",
        {"lists": data_quality(as_at=timezone.localdate()), "nav_section": "admin"},
    )


@administrator_page
def confirm_date(request, pk):
    action = get_object_or_404(
        Action.objects.select_related("theme__plan", "timeframe", "lead"), pk=pk
    )
    if not action.timeframe.to_be_confirmed:
        messages.info(request, "That action’s date reads as written: there is nothing to confirm.")
        return redirect(action)
    return _confirm(request, action=action, sub_step=None)


@administrator_page
def confirm_step_date(request, pk):
    step = get_object_or_404(
        SubStep.objects.select_related("action__theme__plan", "action__lead", "timeframe"), pk=pk
    )
    if step.timeframe is None or not step.timeframe.to_be_confirmed:
        messages.info(
            request, "That sub-step’s date reads as written: there is nothing to confirm."
        )
        return redirect(step.action)
    return _confirm(request, action=step.action, sub_step=step)


def _confirm(request, *, action, sub_step):
    """The form confirming the date of an action, or of one of its sub-steps."""
    confirmations = action.date_confirmations.filter(sub_step=sub_step)
    newest = confirmations.order_by("-pk").values_list("pk", flat=True).first()
    form = DateConfirmationForm(request.POST or None, initial={"seen_up_to": newest or 0})
    if request.method == "POST" and form.is_valid():
        try:
            date_confirmation_record(
                action=action,
                sub_step=sub_step,
                entered_by=request.user,
                **form.cleaned_data,
            )
        except ConfirmedMeanwhile as error:
            # Shown again as typed, now against theirs: sent again, it is recorded.
            seen = error.confirmation.pk
            form = DateConfirmationForm({**request.POST.dict(), "seen_up_to": seen})
            form.is_valid()
            form.add_error("confirmed_on", error.message_dict["confirmed_on"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"Confirmed: {'the sub-step of ' if sub_step else ''}"
                f"{action.reference or 'the action'} is due "
                f"{form.cleaned_data['confirmed_on']:%-d %B %Y}.",
            )
            anchor = "#steps-to-confirm" if sub_step else "#to-confirm"
            return redirect(reverse("imports:data_quality") + anchor)
    return render(
        request,
        "imports/confirm_date.html",
        {
            "action": action,
            "sub_step": sub_step,
            "timeframe": sub_step.timeframe if sub_step else action.timeframe,
            "form": form,
            "confirmations": confirmations.select_related("entered_by"),
            "nav_section": "admin",
        },
        status=400 if form.errors else 200,
    )


def updates_page(view):
    """Officers and plan administrators: people who record progress."""

    @login_required
    @wraps(view)
    def page(request, *args, **kwargs):
        if not request.user.has_perm("actions.add_progressupdate"):
            raise PermissionDenied("Only people who record progress can do that.")
        return view(request, *args, **kwargs)

    return page


@updates_page
def my_updates_download(request):
    rows = update_rows(Action.objects.involving(request.user), as_at=timezone.localdate())
    return _xlsx(
        workbook(rows, UPDATE_COLUMNS, title="My actions", instructions=UPDATE_INSTRUCTIONS),
        f"my-actions-to-update-{timezone.localdate():%Y-%m-%d}.xlsx",
    )


@administrator_page
def plan_updates_download(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    rows = update_rows(Action.objects.filter(theme__plan=plan), as_at=timezone.localdate())
    return _xlsx(
        workbook(rows, UPDATE_COLUMNS, title="Actions", instructions=UPDATE_INSTRUCTIONS),
        f"{plan.slug}-updates-{timezone.localdate():%Y-%m-%d}.xlsx",
    )


@updates_page
def updates_upload(request):
    problems = []
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["file"].help_text = (
        "The file you downloaded from My actions (or a plan’s), filled in: .xlsx or .csv, "
        f"at most {size_limit_words()}."
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = read_table(upload.name, data, UPDATE_COLUMNS)
            today = timezone.localdate()
            proposed, problems = propose_updates(rows, user=request.user, today=today)
        except FileProblems as error:
            problems = error.messages
        if problems:
            form.add_error(
                "file",
                f"Nothing was recorded: correct the "
                f"{'problem' if len(problems) == 1 else f'{len(problems)} problems'} "
                "listed above and upload the file again.",
            )
        else:
            record = PlanImport.objects.create(
                kind=PlanImport.UPDATES,
                file_name=upload.name[:255],
                file_size=len(data),
                rows=rows,
                preview=preview_of_updates(proposed, today=today),
                uploaded_by=request.user,
            )
            return redirect("imports:updates_preview", record.key)
    return render(
        request,
        "imports/updates_upload.html",
        {
            "form": form,
            "problems": problems,
            "plans": Plan.objects.filter(is_synthetic=False)
            if may_administer(request.user)
            else [],
            "nav_section": "my-actions",
        },
        status=400 if form.errors else 200,
    )


@updates_page
def updates_preview(request, key):
    record = get_object_or_404(
        PlanImport.objects.select_related("uploaded_by"), key=key, kind=PlanImport.UPDATES
    )
    if record.uploaded_by_id != request.user.pk and not may_administer(request.user):
        raise PermissionDenied("This upload is someone else’s.")
    # An administrator may look at anyone's upload, but only its uploader records it: the
    # updates go in under their name, checked against what they may update today.
    own = record.uploaded_by_id == request.user.pk
    if request.method == "POST" and not own:
        raise PermissionDenied(
            "Only the person who uploaded this file can record its updates, under their name."
        )
    problems, moved = [], False
    previewed = record.status == PlanImport.PREVIEWED
    # Read before the preview is worked out again, so the page shows at least every update
    # up to this one.
    newest = newest_update_number(record.preview) if previewed else 0
    if request.method == "POST" and previewed:
        # The page said what had been entered on these actions up to one update: any
        # entered after it, the person has not seen. Show them first, record nothing.
        checked_up_to = plain_number(request.POST.get("checked_up_to", ""))
        moved = checked_up_to is None or newest > checked_up_to
    if previewed and (request.method == "GET" or moved):
        now = preview_as_now(record, today=timezone.localdate())
        if now is not None and now != record.preview:
            record.preview = now
            record.save(update_fields=["preview"])
    if moved:
        problems = [
            "Updates were recorded on these actions since this page was shown: they are listed "
            "above. Check the file’s updates agree with them, then record again."
        ]
    elif request.method == "POST" and previewed:
        try:
            # A row without a date reports on the day the page showed, even past midnight.
            recorded = updates_record(
                rows=record.rows, user=request.user, today=undated_report_on(record.preview)
            )
        except UpdateProblems as error:
            problems = error.messages
        else:
            record.status = PlanImport.CONFIRMED
            record.confirmed_at = timezone.now()
            record.changes = {"recorded": [update.pk for update in recorded]}
            record.save(update_fields=["status", "confirmed_at", "changes"])
            messages.success(
                request,
                f"Recorded {len(recorded)} update{'s' if len(recorded) != 1 else ''} from "
                f"{record.file_name}.",
            )
            return redirect("actions:my_actions")
    return render(
        request,
        "imports/updates_preview.html",
        {
            "record": record,
            "own": own,
            "problems": problems,
            "moved": moved,
            "checked_up_to": newest,
            "entered_since": [
                f"Row {update['row']}"
                f"{', action ' + update['reference'] if update['reference'] else ''}: {entered}"
                for update in record.preview.get("updates", [])
                for entered in update.get("entered_since", [])
            ],
            "nav_section": "my-actions",
        },
        status=400 if problems else 200,
    )
