"""Imports as one write each: read and preview (storing the rows read), then confirm."""

from django.db import transaction
from django.utils import timezone

from .layout import PLAN_COLUMNS
from .models import PlanImport
from .plans import compare, fingerprint, plan_import_write
from .reading import FileProblems, read_table


class PreviewMoved(Exception):
    """The plan changed between the preview and the confirmation: look again."""


def plan_import_preview(*, file_name, data, plan_slug, user):
    """Read a plan's spreadsheet and store what it would change, writing nothing else.

    Raises FileProblems (nothing stored at all) when the file can't be read or a row is
    wrong; dates to confirm and new leads are not errors but questions for the preview.
    """
    rows = read_table(file_name, data, PLAN_COLUMNS)
    preview = compare(rows, plan_slug=plan_slug)
    if preview["errors"]:
        raise FileProblems(preview["errors"])
    return PlanImport.objects.create(
        kind=PlanImport.PLAN,
        file_name=file_name[:255],
        file_size=len(data),
        plan_slug=preview["plan"]["slug"],
        rows=rows,
        preview=preview,
        uploaded_by=user,
    )


def _summary(preview):
    """What an import changed, without what it left alone."""
    return {
        "plan": preview["plan"],
        "counts": preview["counts"],
        "theme_counts": preview["theme_counts"],
        "themes": [
            {
                **theme,
                "actions": [
                    {
                        key: entry[key]
                        for key in (
                            "row",
                            "reference",
                            "description",
                            "action",
                            "changes",
                            "details",
                            "kept_because",
                            "confirmation_lapses",
                            "steps_kept",
                        )
                        if key in entry
                    }
                    for entry in theme["actions"]
                    if entry["action"] != "same"
                ],
            }
            for theme in preview["themes"]
            if theme["action"] != "same"
            or any(entry["action"] != "same" for entry in theme["actions"])
        ],
        "new_leads": preview["new_leads"],
        "dates_to_confirm": preview["dates_to_confirm"],
    }


def plan_import_confirm(*, plan_import, user):
    """Write a previewed import in one transaction, or nothing.

    The rows are compared with the database again; if that gives a different preview
    (someone changed the plan meanwhile), the new preview is stored and PreviewMoved
    raised, so the person confirms what will really happen.
    """
    with transaction.atomic():
        record = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
        if record.status != PlanImport.PREVIEWED:
            raise FileProblems(["This import has already been confirmed or abandoned."])
        if not record.rows:
            raise FileProblems(["This upload has no rows to import: upload the file again."])
        preview = compare(record.rows, plan_slug=record.plan_slug)
        if preview["errors"]:
            raise FileProblems(preview["errors"])
        if fingerprint(preview) != fingerprint(record.preview):
            record.preview = preview
            record.save(update_fields=["preview"])
            moved = True
        else:
            moved = False
            plan, warnings = plan_import_write(
                preview=preview, user=user, file_name=record.file_name
            )
            record.plan = plan
            record.status = PlanImport.CONFIRMED
            record.confirmed_at = timezone.now()
            record.changes = _summary(preview)
            record.warnings = warnings
            record.save()
    if moved:
        raise PreviewMoved(record)
    return record
