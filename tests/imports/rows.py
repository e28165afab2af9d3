"""What the database holds, in words that don't depend on primary keys, so a plan loaded
from a fixture and one imported from a spreadsheet can be compared row by row."""

from django.apps import apps

from actions.models import Action, Lead, SubStep, Timeframe
from themes.models import Plan, Theme


def plan_rows():
    return {
        "plans": sorted(Plan.objects.values_list("name", "slug", "starts_on", "ends_on")),
        "themes": sorted(
            Theme.objects.values_list(
                "plan__slug", "name", "position", "reference", "description", "performance_measures"
            )
        ),
        "leads": sorted(Lead.objects.values_list("name", "initials")),
        "timeframes": sorted(
            Timeframe.objects.values_list(
                "label",
                "starts_on",
                "due_on",
                "milestones",
                "is_ongoing",
                "qualifier",
                "to_be_confirmed",
                "problem",
            ),
            key=str,
        ),
        "actions": sorted(
            (
                action.theme.plan.slug,
                action.theme.name,
                action.position,
                action.reference,
                action.description,
                action.expected_outcome,
                str(action.lead),
                sorted(str(lead) for lead in action.supporting_leads.all()),
                action.timeframe.label,
                action.answers,
                action.delivered_through,
                action.performance_measures,
            )
            for action in Action.objects.select_related("theme__plan", "lead", "timeframe")
        ),
        "sub_steps": sorted(
            (
                step.action.theme.name,
                step.action.position,
                step.position,
                step.description,
                step.timeframe.label if step.timeframe else "",
            )
            for step in SubStep.objects.select_related("action__theme", "timeframe")
        ),
    }


def table_counts():
    """How many rows every table holds: a failed import must leave each as it was."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"themes", "actions", "imports", "auth"}
    }
