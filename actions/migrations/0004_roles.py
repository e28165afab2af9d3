"""The three groups people sign in as, with their permissions.

A copy of actions/roles.py as it stood when this was written: migrations must not
import app code that may change. A later change to the roles needs a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVERY = ("add", "change", "delete", "view")
VIEW = ("view",)
PLAN_MODELS = (
    "themes.plan",
    "themes.theme",
    "themes.saving",
    "actions.division",
    "actions.lead",
    "actions.timeframe",
    "actions.action",
    "actions.substep",
)
PROGRESS_UPDATE = ("actions.progressupdate",)
HISTORY_MODELS = (
    "themes.historicalplan",
    "themes.historicaltheme",
    "themes.historicalsaving",
    "actions.historicaldivision",
    "actions.historicallead",
    "actions.historicallead_delegates",
    "actions.historicaltimeframe",
    "actions.historicalaction",
    "actions.historicalaction_supporting_leads",
    "actions.historicalsubstep",
    "actions.historicalprogressupdate",
)

# Group name: (verbs, models) pairs. Progress updates are never changed or deleted.
GROUPS = {
    "Plan administrators": [
        (EVERY, PLAN_MODELS),
        (("add", "view"), PROGRESS_UPDATE),
        (VIEW, HISTORY_MODELS),
        # The log of update reminders sent.
        (VIEW, ("actions.reminder",)),
    ],
    "Officers": [
        (VIEW, PLAN_MODELS + PROGRESS_UPDATE),
        (("add",), PROGRESS_UPDATE),
    ],
    "Scrutiny members": [
        (VIEW, PLAN_MODELS + PROGRESS_UPDATE),
    ],
}


def create_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    # On an empty database the permissions don't exist until after migrate has
    # finished, so make them now (this is what post_migrate would do later).
    for label in ("themes", "actions"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        wanted = set()
        for verbs, models in grants:
            for model in models:
                app_label, model_name = model.split(".")
                wanted.update((app_label, f"{verb}_{model_name}") for verb in verbs)
        permissions = [
            permission
            for permission in Permission.objects.using(using).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_reminder"),
        ("themes", "0002_saving_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
    ]
