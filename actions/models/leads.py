from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class DivisionQuerySet(models.QuerySet):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Division(models.Model):
    """One of the directorate's divisions, such as Education."""

    name = models.CharField(max_length=200, unique=True)
    # Deleting a lead who directs a division, or a division with leads, is refused (the
    # admin names them): emptying the field instead would leave no trace in their history.
    director = models.ForeignKey(
        "Lead", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = DivisionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class LeadQuerySet(models.QuerySet):
    def get_by_natural_key(self, name, initials):
        return self.get(name=name, initials=initials)


class Lead(models.Model):
    """A person accountable for (or supporting) actions.

    Plans often name people only by initials ("IL", "PB"); such a lead has initials
    and no name until someone who knows fills it in.
    """

    name = models.CharField(max_length=120, blank=True)
    initials = models.CharField(max_length=10, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, null=True, blank=True, related_name="leads"
    )
    # Deleting the account is refused (the lead is named): emptying this instead would
    # take away the lead's sign-in with no trace in the lead's history. Unlink it here
    # first, or switch the account off.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
        help_text="The account this person signs in with, if they have one.",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delegated_leads",
        help_text="People who may record progress on this lead's actions on their behalf.",
    )
    history = HistoricalRecords(m2m_fields=[delegates])

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["name", "initials"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "initials"],
                name="lead_unique_name",
                violation_error_message="There is already a lead with this name and these "
                "initials.",
            ),
            models.CheckConstraint(
                condition=~Q(name="", initials=""),
                name="lead_has_name_or_initials",
                violation_error_message="Enter the lead’s name, their initials, or both.",
            ),
        ]

    def __str__(self):
        return self.shown_as(self.name, self.initials)

    def get_absolute_url(self):
        return reverse("actions:lead", args=[self.pk])

    def natural_key(self):
        return (self.name, self.initials)

    @staticmethod
    def shown_as(name, initials):
        """How people see a lead: "Iain Low (IL)", "Iain Low", or just "IL"."""
        if name and initials:
            return f"{name} ({initials})"
        return name or initials
