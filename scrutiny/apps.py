from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny: meetings and members’ items"

    def ready(self):
        # Show scrutiny's items on actions' pages, in its reminders and register, without
        # actions importing scrutiny (actions/hooks.py).
        from . import panels

        panels.register()
