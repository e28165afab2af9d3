"""What imports adds to actions' pages, through actions.hooks (arrows run towards actions)."""

from django.template.loader import render_to_string


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
