"""List filters that ask ActionQuerySet for each action's state as at today."""

from django.contrib import admin

from actions.models import RAG, Status

from .display import as_at


class StatusFilter(admin.SimpleListFilter):
    title = "latest status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_state(as_at(request)).filter(latest_status=self.value())
        return queryset


class RAGFilter(admin.SimpleListFilter):
    title = "latest RAG"
    parameter_name = "rag"

    def lookups(self, request, model_admin):
        return RAG.choices

    def queryset(self, request, queryset):
        if self.value():
            # A finished action shows its status, not a colour, so it is not listed here.
            return queryset.with_state(as_at(request)).filter(
                latest_rag=self.value(), is_finished=False
            )
        return queryset


class FlagFilter(admin.SimpleListFilter):
    """Yes or No on one of ActionQuerySet's rules, as at today."""

    flag = ""

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def rule(self, queryset, as_at):
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return self.rule(queryset, as_at(request))
        if self.value() == "no":
            return queryset.with_state(as_at(request)).filter(**{self.flag: False})
        return queryset


class OverdueFilter(FlagFilter):
    title = "overdue"
    parameter_name = "overdue"
    flag = "is_overdue"

    def rule(self, queryset, as_at):
        return queryset.overdue(as_at)


class AtRiskFilter(FlagFilter):
    title = "at risk"
    parameter_name = "at_risk"
    flag = "is_at_risk"

    def rule(self, queryset, as_at):
        return queryset.at_risk(as_at)


class StaleFilter(FlagFilter):
    title = "stale (no recent update)"
    parameter_name = "stale"
    flag = "is_stale"

    def rule(self, queryset, as_at):
        return queryset.stale(as_at)
