from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Quarterly reports"

    def ready(self):
        # actions doesn't know reports exist: the dashboard asks hooks what to show.
        from actions import hooks

        from .panels import dashboard_since_last_report

        hooks.register_panel("dashboard", dashboard_since_last_report)
        hooks.register_navigation("reports", "Reports", "reports:list")

        from themes import hooks as plan_hooks

        from .services import published_quarters_outside

        plan_hooks.register_plan_dates_check(published_quarters_outside)
