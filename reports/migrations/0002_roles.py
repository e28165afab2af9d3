"""Who may read, preview and publish quarterly reports: everyone in the three groups reads
them (scrutiny officers too); plan administrators also preview drafts, publish and read
the history.

A copy of what actions/roles.py says about reports, as migrations must not import app code.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ("view_quarterlyreport", "view_reportposition")
GROUPS = {
    "Plan administrators": READ
    + ("add_quarterlyreport", "preview_quarterlyreport", "view_historicalquarterlyreport"),
    "Officers": READ,
    "Scrutiny members": READ,
    # Made by scrutiny's own migration too; whichever runs first makes it.
    "Scrutiny officers": READ,
}


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=using)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = list(
            Permission.objects.using(using).filter(
                content_type__app_label="reports", codename__in=codenames
            )
        )
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="reports"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("actions", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
