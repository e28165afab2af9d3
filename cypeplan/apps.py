from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class CypeplanConfig(AppConfig):
    """The project itself: what every app shares (sign-in sessions, the admin's inputs)."""

    name = "cypeplan"
    verbose_name = "CYPE plan tracker"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import note_activity

        # A new session starts its idle time at sign-in, with nothing more to write.
        user_logged_in.connect(
            lambda request, **kwargs: note_activity(request.session),
            dispatch_uid="cypeplan.note_activity_at_sign_in",
            weak=False,
        )


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on a site that refuses malformed input before it reaches a query."""

    default_site = "cypeplan.admin_site.CouncilAdminSite"
