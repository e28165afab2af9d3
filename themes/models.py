import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from . import hooks


class PlanQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Plan(models.Model):
    """A plan the directorate tracks, such as the CYPE Directorate Plan 2022-24."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Short name used in links, e.g. cype-2022-24. Changing it breaks bookmarks.",
    )
    vision = models.TextField(blank=True)
    values = models.TextField(blank=True, help_text="One value per line.")
    priorities = models.TextField(blank=True, help_text="One priority per line.")
    starts_on = models.DateField(
        help_text="When the plan starts running. An action never updated goes stale once "
        "the plan has been running for the update window."
    )
    ends_on = models.DateField()
    published = models.CharField(
        max_length=50, blank=True, help_text="When the plan was published, as the plan says it."
    )
    is_synthetic = models.BooleanField(
        default=False,
        help_text="Generated demo data, not a real council plan.",
    )
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["is_synthetic", "-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="plan_ends_after_it_starts",
                violation_error_message="A plan must end after the day it starts.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if not (self.starts_on and self.ends_on):
            return
        if self.ends_on <= self.starts_on:
            raise ValidationError(
                {
                    "ends_on": f"The plan must end after it starts: it starts on "
                    f"{self.starts_on:%-d %B %Y}."
                }
            )
        # A plan already in use keeps the dates what it holds needs (progress reported,
        # reports published).
        problems = hooks.plan_dates_problems(self) if self.pk else {}
        if problems:
            raise ValidationError(problems)


class ThemeQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, name):
        return self.get(plan__slug=plan_slug, name=name)


class Theme(models.Model):
    """A heading that groups a plan's actions; in a savings plan, a savings project."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    reference = models.CharField(
        max_length=20, blank=True, help_text="The theme's or project's number in the plan."
    )
    description = models.TextField(blank=True)
    mtfs_ref = models.CharField(
        "MTFS reference", max_length=40, blank=True, help_text="For example CFE SAV 02."
    )
    project_manager = models.CharField(max_length=120, blank=True)
    performance_measures = models.TextField(
        blank=True, help_text="One measure per line, as the plan words it (e.g. EH 9)."
    )
    history = HistoricalRecords()

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="theme_unique_name_in_plan",
                violation_error_message="This plan already has a theme with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.plan.natural_key(), self.name)

    natural_key.dependencies = ["themes.plan"]


# A council financial year as the plans write it: 2021/22.
FINANCIAL_YEAR = re.compile(r"(?P<start>[0-9]{4})/(?P<end>[0-9]{2})", re.ASCII)


class SavingQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, theme_name, year):
        return self.get(theme__plan__slug=plan_slug, theme__name=theme_name, year=year)


class Saving(models.Model):
    """Savings a savings project plans to make in one financial year, in £000s."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="savings")
    year = models.CharField(max_length=7, help_text="Financial year, e.g. 2021/22.")
    amount_thousands = models.DecimalField("amount (£000s)", max_digits=10, decimal_places=1)

    history = HistoricalRecords()

    objects = SavingQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "year"],
                name="saving_unique_year",
                violation_error_message="This project already has savings for this year.",
            ),
        ]

    def __str__(self):
        return f"{self.year}: £{self.amount_thousands}k"

    def clean(self):
        # One way of writing a year, so that "2021-22" is not a second 2021/22 beside it
        # and the years list in order.
        found = FINANCIAL_YEAR.fullmatch(self.year)
        if not found or (int(found["start"]) + 1) % 100 != int(found["end"]):
            raise ValidationError(
                {
                    "year": f"“{self.year}” is not a financial year as the plans write one: "
                    "the year it starts and the next, e.g. 2021/22 (April 2021 to March 2022)."
                }
            )

    def natural_key(self):
        return (*self.theme.natural_key(), self.year)

    natural_key.dependencies = ["themes.theme"]
