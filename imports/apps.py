from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports from spreadsheets"

    def ready(self):
        from actions import hooks

        from . import panels

        hooks.register_panel("dashboard", panels.administration)
        hooks.register_panel("action_detail", panels.date_to_confirm)
        hooks.register_panel("my_actions", panels.updates_by_spreadsheet)
        hooks.register_action_keeper(panels.dates_confirmed)
