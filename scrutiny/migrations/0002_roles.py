"""The Scrutiny officers group, and what the other three groups may do with scrutiny's
records.

A copy of actions/roles.py's scrutiny lines as they stood when this was written:
migrations must not import app code that may change. A later change needs a new migration.
It lives here, not in actions, because it needs scrutiny's tables and actions never
depends on scrutiny.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ("view",)
PLAN_READING = (
    "themes.plan",
    "themes.theme",
    "themes.saving",
    "actions.division",
    "actions.lead",
    "actions.timeframe",
    "actions.action",
    "actions.substep",
    "actions.progressupdate",
)
RECORDS = ("scrutiny.meeting", "scrutiny.item")
RESPONSE = ("scrutiny.response",)
STATE_CHANGE = ("scrutiny.statechange",)
HISTORY = (
    "scrutiny.historicalmeeting",
    "scrutiny.historicalitem",
    "scrutiny.historicalitem_actions",
)
READING = RECORDS + RESPONSE + STATE_CHANGE

SCRUTINY_OFFICERS = "Scrutiny officers"

# Group name: (verbs, models) pairs added to what 0004_roles in actions gave it.
GRANTS = {
    "Plan administrators": [
        (("add", "change", "view"), RECORDS),
        (("add", "view"), RESPONSE),
        (VIEW, STATE_CHANGE + HISTORY),
    ],
    "Officers": [
        (VIEW, READING),
        (("add",), RESPONSE),
    ],
    "Scrutiny members": [
        (VIEW, READING),
    ],
    SCRUTINY_OFFICERS: [
        (VIEW, PLAN_READING + READING + HISTORY),
        (("add", "change"), RECORDS),
    ],
}
# Accept an answer, send it back, or withdraw an item.
DECISION = {SCRUTINY_OFFICERS: {("scrutiny", "record_decision")}}


def wanted_permissions(name):
    wanted = set(DECISION.get(name, ()))
    for verbs, models in GRANTS[name]:
        for model in models:
            app_label, model_name = model.split(".")
            wanted.update((app_label, f"{verb}_{model_name}") for verb in verbs)
    return wanted


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    for label in ("themes", "actions", "scrutiny"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = list(Permission.objects.using(using).select_related("content_type"))
    for name in GRANTS:
        wanted = wanted_permissions(name)
        permissions = [p for p in every if (p.content_type.app_label, p.codename) in wanted]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.using(using).filter(name=SCRUTINY_OFFICERS).delete()
    scrutiny = Permission.objects.using(using).filter(content_type__app_label="scrutiny")
    for group in Group.objects.using(using).filter(name__in=GRANTS):
        group.permissions.remove(*scrutiny)


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0001_initial"),
        ("actions", "0004_roles"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
