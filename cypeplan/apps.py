from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class CypeplanConfig(AppConfig):
    """The project itself: what every app shares (sign-in sessions, the admin's inputs)."""

    name = "cypeplan"
    verbose_name = "CYPE plan tracker"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from .kept import install_sqlite_version
        from .middleware import note_activity
        from .search import add_function_to_sqlite

        # A new session starts its idle time at sign-in, with nothing more to write.
        user_logged_in.connect(
            lambda request, **kwargs: note_activity(request.session),
            dispatch_uid="cypeplan.note_activity_at_sign_in",
            weak=False,
        )
        # Search ignores case, accents and apostrophes on SQLite too (cypeplan/search.py).
        connection_created.connect(
            add_function_to_sqlite, dispatch_uid="cypeplan.search_on_sqlite", weak=False
        )
        # SQLite's data version for kept results (cypeplan/kept.py), after every migration.
        post_migrate.connect(install_sqlite_version, dispatch_uid="cypeplan.kept_version")


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on a site that refuses malformed input before it reaches a query."""

    default_site = "cypeplan.admin_site.CouncilAdminSite"
