"""What imports adds to actions' pages, through actions.hooks (arrows run towards actions)."""

from django.template.loader import render_to_string
from django.utils import timezone


def administration(request, **context):
    """On the dashboard, for plan administrators: where to import a plan and check its data."""
    from .views import may_administer

    if not may_administer(request.user):
        return ""
    return render_to_string("imports/panel_administration.html", request=request)


def date_to_confirm(request, *, action, confirmations=(), **context):
    """On an action whose date is to be confirmed, for plan administrators: a warning and
    where to confirm it; once confirmed (`confirmations`, newest first), where to correct
    it."""
    from .views import may_administer

    if not action.timeframe.to_be_confirmed or not may_administer(request.user):
        return ""
    return render_to_string(
        "imports/panel_confirm_date.html",
        {"action": action, "confirmed": confirmations[0] if confirmations else None},
        request=request,
    )


def updates_by_spreadsheet(request, **context):
    """On My actions: record updates on several actions at once, by spreadsheet."""
    return render_to_string("imports/panel_updates.html", request=request)


def dates_confirmed(action_ids):
    """{action id: "it has a confirmed date (28 February 2023, confirmed by Pat Admin on
    10 January 2023)"} for those of these actions with a date a person confirmed (for the
    action or one of its steps), the newest: one query. Deleting the action would delete
    who confirmed it and why, so it is kept (closed) instead."""
    from actions.models import DateConfirmation

    kept = {}
    for confirmation in DateConfirmation.objects.filter(action_id__in=action_ids).select_related(
        "entered_by"
    ):
        person = confirmation.entered_by
        kept.setdefault(
            confirmation.action_id,
            f"it has a confirmed date ({confirmation.confirmed_on:%-d %B %Y}, confirmed by "
            f"{person.get_full_name() or person.username} on "
            f"{timezone.localtime(confirmation.entered_at):%-d %B %Y})",
        )
    return kept
