"""Published quarterly reports: each action's position as at a quarter end, frozen as it was
known when the report was published, with the paper's header block, counts and what changed.

A published report is history. It reads the same for ever: every word shown comes from the
frozen copy here, never from the live actions, leads or updates. Nobody but a superuser can
change or delete one, and even they only through save(corrected_by=...) and
delete(deleted_by=...), which the admin calls; a bulk update or delete is refused outright.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from themes.models import Plan
from themes.periods import Quarter

# The header block of a committee report (seed 001), in the order it prints.
HEADER_FIELDS = (
    ("report_to", "Report to"),
    ("subject", "Subject"),
    ("lead_officer", "Lead officer"),
    ("cabinet_member", "Cabinet member"),
    ("origin_of_item", "Origin of item"),
    ("brief_for_committee", "Brief for the committee"),
)


class PublishedReportLocked(PermissionDenied):
    """Raised when anything but a superuser's correction would change a published report."""


def _require_superuser(user, doing):
    if user is None or not (user.is_active and user.is_superuser):
        raise PublishedReportLocked(
            f"A published report is history: only a superuser can {doing} it."
        )


class QuarterlyReportQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, quarter_ends_on, version):
        return self.get(plan__slug=plan_slug, quarter_ends_on=quarter_ends_on, version=version)

    def current(self):
        """Reports no later version has replaced."""
        return self.filter(replaced_by__isnull=True)

    def update(self, **kwargs):
        raise PublishedReportLocked("Published reports can't be changed in bulk.")

    def delete(self):
        raise PublishedReportLocked("Published reports can't be deleted in bulk.")


class QuarterlyReport(models.Model):
    """One published version of a plan's quarterly report to scrutiny."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="quarterly_reports")
    quarter_ends_on = models.DateField(help_text="The quarter end the positions are as at.")
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="The earlier version of this plan and quarter's report that this one replaces.",
    )
    published_at = models.DateTimeField(
        help_text="The moment it was published: its positions are as known at this moment."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when a scheduled job published it.",
    )
    published_by_name = models.CharField(max_length=200, blank=True)
    # As they read when it was published: later renames don't reach the report.
    plan_name = models.CharField(max_length=200)
    plan_slug = models.CharField(max_length=80)
    quarter_name = models.CharField(max_length=100)
    report_to = models.CharField("report to", max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    lead_officer = models.CharField(max_length=300, blank=True)
    cabinet_member = models.CharField(max_length=300, blank=True)
    origin_of_item = models.CharField("origin of item", max_length=300, blank=True)
    brief_for_committee = models.TextField("brief for the committee", blank=True)
    # What it is compared with: the previous published report, else the previous quarter
    # end's position as known at publication. compared_with_name says which, in words.
    compared_with = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    compared_with_name = models.CharField(max_length=300)
    compared_with_short_name = models.CharField(max_length=100)
    # Some of a report's words are worked out each time it is shown, from the rows above and
    # its positions; this says which way of writing them it was published with, so a later
    # way of writing (reports.content.WORDING) never reaches a report published before it.
    wording = models.PositiveSmallIntegerField(
        help_text="The way of writing its words it was published with (1: the first)."
    )
    counts = models.JSONField(help_text="The headline counts, as published.")
    previous_counts = models.JSONField(help_text="The same counts for what it compares with.")
    changes = models.JSONField(help_text="What changed since the last quarter, as published.")

    history = HistoricalRecords(excluded_fields=["counts", "previous_counts", "changes"])

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan_name", "-quarter_ends_on", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "quarter_ends_on", "version"], name="report_unique_version"
            ),
        ]
        permissions = [("preview_quarterlyreport", "Can preview a draft quarterly report")]

    def __str__(self):
        return f"{self.plan_name}: {self.quarter_name}, version {self.version}"

    def save(self, *args, corrected_by=None, **kwargs):
        if not self._state.adding:
            _require_superuser(corrected_by, "change")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def delete(self, *args, deleted_by=None, **kwargs):
        _require_superuser(deleted_by, "delete")
        return super().delete(*args, **kwargs)

    def natural_key(self):
        return (*self.plan.natural_key(), self.quarter_ends_on.isoformat(), self.version)

    natural_key.dependencies = ["themes.plan"]

    @property
    def quarter(self):
        return Quarter.ending_on(self.quarter_ends_on)

    def header(self):
        """The header block as (label, value) pairs, in print order."""
        return [(label, getattr(self, name)) for name, label in HEADER_FIELDS]


class ReportPositionQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, quarter_ends_on, version, action_id):
        return self.get(
            report=QuarterlyReport.objects.get_by_natural_key(plan_slug, quarter_ends_on, version),
            action_id=action_id,
        )

    def update(self, **kwargs):
        raise PublishedReportLocked("A published report's positions can't be changed.")

    def delete(self):
        raise PublishedReportLocked("A published report's positions can't be deleted.")


class ReportPosition(models.Model):
    """One action's position as a published report froze it (actions.positions.Position)."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="positions")
    order = models.PositiveIntegerField(help_text="Its place in the plan.")
    # Not a foreign key: the frozen copy stands whatever later happens to the action.
    action_id = models.BigIntegerField(db_index=True)
    data = models.JSONField(help_text="The position as published (Position.to_dict()).")

    objects = ReportPositionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "action_id"], name="report_position_unique_action"
            ),
        ]

    def __str__(self):
        return f"{self.data.get('reference', '')} in {self.report}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PublishedReportLocked("A published report's positions can't be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PublishedReportLocked(
            "A published report's positions go only with the whole report (a superuser's job)."
        )

    def natural_key(self):
        return (*self.report.natural_key(), self.action_id)

    natural_key.dependencies = ["reports.quarterlyreport"]


class ReportDocumentQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, quarter_ends_on, version, kind):
        return self.get(
            report=QuarterlyReport.objects.get_by_natural_key(plan_slug, quarter_ends_on, version),
            kind=kind,
        )


class ReportDocument(models.Model):
    """A published report's Word or PDF file, kept as first made: the report never changes,
    so neither does its file, and a large plan's PDF is written once, not on every download."""

    class Kind(models.TextChoices):
        DOCX = "docx", "Word"
        PDF = "pdf", "PDF"

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    content = models.BinaryField()
    made_at = models.DateTimeField(auto_now_add=True)

    objects = ReportDocumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="report_document_unique_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.report}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PublishedReportLocked("A published report's file can't be changed.")
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.report.natural_key(), self.kind)

    natural_key.dependencies = ["reports.quarterlyreport"]
