"""Plan administrators see the record of every import and every date confirmed, in the
admin (read only: both are history). actions/roles.py lists the same."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = [("imports", "view_planimport"), ("actions", "view_dateconfirmation")]


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    for label in ("imports", "actions"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.using(using).filter(name="Plan administrators").first()
    if group is None:
        return
    for app_label, codename in GRANTS:
        group.permissions.add(
            Permission.objects.using(using).get(
                content_type__app_label=app_label, codename=codename
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Plan administrators").first()
    if group is not None:
        for app_label, codename in GRANTS:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("actions", "0007_date_confirmation"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
