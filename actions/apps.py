from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions and progress"

    def ready(self):
        from themes import hooks

        from .models.progress import progress_before_plan_starts

        hooks.register_plan_dates_check(progress_before_plan_starts)
