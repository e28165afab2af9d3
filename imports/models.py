import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from themes.models import Plan


class PlanImportQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def with_warnings(self):
        """Confirmed imports that brought something in for a person to look at again: dates
        to be confirmed or leads created new."""
        return self.filter(status=PlanImport.CONFIRMED).exclude(warnings=[])


class PlanImport(models.Model):
    """One spreadsheet uploaded to change a plan (or to record officers' updates): the rows
    as read, what the preview showed, and, once confirmed, what it changed and who said so.

    The parsed rows are kept here between the preview and the confirmation, so a confirmed
    import writes exactly what was read from the file, never anything posted back.
    """

    PLAN, UPDATES = "plan", "updates"
    KINDS = [(PLAN, "A plan"), (UPDATES, "Progress updates")]
    PREVIEWED, CONFIRMED, ABANDONED = "previewed", "confirmed", "abandoned"
    STATUSES = [(PREVIEWED, "Previewed"), (CONFIRMED, "Confirmed"), (ABANDONED, "Not confirmed")]

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=KINDS, default=PLAN)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField(help_text="In bytes.")
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    plan_slug = models.SlugField(max_length=80, blank=True)
    rows = models.JSONField(default=list, help_text="The rows as read from the file.")
    options = models.JSONField(default=dict, blank=True)
    preview = models.JSONField(default=dict, blank=True, help_text="What the preview showed.")
    changes = models.JSONField(default=dict, blank=True, help_text="What the import changed.")
    warnings = models.JSONField(
        default=list, blank=True, help_text="What it brought in for a person to look at."
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=PREVIEWED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "import"

    def __str__(self):
        return f"{self.file_name}, {timezone.localtime(self.uploaded_at):%-d %B %Y at %H:%M}"

    def get_absolute_url(self):
        if self.kind == self.UPDATES:
            return reverse("imports:updates_preview", args=[self.key])
        return reverse("imports:preview", args=[self.key])

    def natural_key(self):
        return (str(self.key),)
