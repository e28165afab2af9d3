import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q

from cypeplan.kept import rows_and_version
from themes.models import Plan, Theme

from . import hooks
from .models import FINISHED, NO_CONCERNS, RAG, Action, Division, Lead, Status, Timeframe

YES_NO = [("yes", "Yes"), ("no", "No")]


def position_filter(label):
    """Yes / No / Either on one of the as-at rules, by the filter's name."""
    return django_filters.ChoiceFilter(
        method="position", choices=YES_NO, empty_label="Either", label=label
    )


class ActionFilter(django_filters.FilterSet):
    """The register's filters. Position filters call the ActionQuerySet rules as at the
    page's date, passed in as `as_at`."""

    q = django_filters.CharFilter(method="search", label="Search")
    plan = django_filters.ModelChoiceFilter(
        label="Plan",
        field_name="theme__plan",
        queryset=Plan.objects.all(),
        to_field_name="slug",
        empty_label="All plans",
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme", queryset=Theme.objects.select_related("plan"), empty_label="All themes"
    )
    lead = django_filters.ModelChoiceFilter(
        label="Lead or supporting lead",
        method="led_or_supported_by",
        queryset=Lead.objects.all(),
        empty_label="All leads",
    )
    division = django_filters.ModelChoiceFilter(
        label="Lead’s division",
        field_name="lead__division",
        queryset=Division.objects.all(),
        empty_label="All divisions",
    )
    answers = django_filters.ChoiceFilter(
        label="Recommendation or source it answers",
        choices=lambda: [(source, source) for source in Action.objects.sources()],
        empty_label="Any source",
    )
    status = django_filters.ChoiceFilter(
        method="latest_status",
        label="Latest status",
        choices=Status.choices,
        empty_label="Any status",
    )
    rag = django_filters.ChoiceFilter(
        method="rated",
        label="Latest RAG",
        choices=[*RAG.choices, ("none", "Not rated")],
        empty_label="Any RAG",
    )
    overdue = position_filter("Overdue")
    at_risk = position_filter("At risk")
    stale = position_filter(f"No update for over {settings.UPDATE_WINDOW_DAYS} days")
    finished = position_filter("Complete or closed")
    no_concerns = position_filter("No concerns (not finished, overdue or at risk)")

    class Meta:
        fields = []

    def __init__(self, *args, as_at, **kwargs):
        self.as_at = as_at
        super().__init__(*args, **kwargs)
        # Filters other apps offer (actions/hooks.py), e.g. "members have asked about it".
        for name, extra in hooks.register_filters(as_at):
            extra.parent = self
            self.filters[name] = extra
        self.filters["theme"].field.label_from_instance = lambda theme: (
            f"{theme.name} ({theme.plan.name})"
        )
        for name in ("q",):
            self.filters[name].field.widget = forms.TextInput(attrs={"type": "search"})
        # A link edited by hand (?lead=abc) is told which filter and value, in words.
        for extra in self.filters.values():
            field = extra.field
            if "invalid_choice" in field.error_messages:
                label = str(field.label).replace("%", "%%")
                field.error_messages["invalid_choice"] = (
                    f"{label}: “%(value)s” is not one of the choices. Choose from the list."
                )

    def read_choices(self):
        """Reads every filter's list of choices from the database now, rather than as each
        is drawn, and gives the data's version the last was read at (cypeplan/kept.py),
        or None. The page read the version before any of them (Scope): if the two agree,
        nothing was written between, so every list is the data's as at that version (an
        empty list carries no version, so the plans, which a register to show has, are
        read last)."""
        rows, version = rows_and_version(Action.objects.source_rows())
        self.form.fields["answers"].choices = [(row["answers"], row["answers"]) for row in rows]
        listed = [field for field in self.form.fields.values() if hasattr(field, "queryset")]
        for field in reversed(listed):  # the plans last
            rows, version = rows_and_version(field.queryset)
            empty = [] if field.empty_label is None else [("", field.empty_label)]
            # As ModelChoiceIterator gives them, for the widget only: the field still checks
            # a chosen value against its queryset.
            field.widget.choices = empty + [
                (field.prepare_value(row), field.label_from_instance(row)) for row in rows
            ]
        return version

    def in_words(self):
        """The filters applied, as "Label: value" for people (downloads say them)."""
        form = self.form
        if not form.is_valid():
            return ["Filters not understood, so no actions: " + form.errors.as_text()]
        words = []
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if hasattr(field, "label_from_instance"):
                shown = field.label_from_instance(value)
            elif hasattr(field, "choices"):
                shown = dict(field.choices).get(value, value)
            else:
                shown = f"“{value}”"
            words.append(f"{field.label}: {shown}")
        return words

    def search(self, queryset, name, value):
        # Each word, whatever its case, accents or apostrophes (cypeplan/search.py). The
        # leads and timeframes it names are found once each, from their own tables: joined
        # to every action, their words were read again for each of the plan's actions, in
        # both the page's count and its rows.
        for word in value.split()[:10]:
            leads = Lead.objects.filter(Q(name__matches=word) | Q(initials__matches_exactly=word))
            timeframes = Timeframe.objects.filter(label__matches=word)
            queryset = queryset.filter(
                Q(lead__in=leads.values("pk"))
                | Q(timeframe__in=timeframes.values("pk"))
                | Q(reference__matches=word)
                | Q(description__matches=word)
                | Q(expected_outcome__matches=word)
            )
        return queryset

    def led_or_supported_by(self, queryset, name, lead):
        return queryset.of_lead(lead)

    def latest_status(self, queryset, name, value):
        return queryset.with_state(self.as_at).filter(latest_status=value)

    def rated(self, queryset, name, value):
        rows = queryset.with_state(self.as_at)
        if value != "none":
            return rows.filter(latest_rag=value)
        # As the dashboard counts them: a finished action shows its status, not a rating.
        return rows.filter(latest_rag="").exclude(latest_status__in=FINISHED)

    def position(self, queryset, name, value):
        if value == "yes":
            return getattr(queryset, name)(self.as_at)
        if name == "no_concerns":
            return queryset.with_state(self.as_at).exclude(NO_CONCERNS)
        return queryset.with_state(self.as_at).filter(**{f"is_{name}": False})
