from django.conf import settings


def windows(request):
    """The update and warning windows, so pages can say what "stale" and "due soon" mean."""
    return {
        "update_window_days": settings.UPDATE_WINDOW_DAYS,
        "warning_window_days": settings.WARNING_WINDOW_DAYS,
    }
