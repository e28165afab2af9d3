from django.db import migrations, models


def label_confirmed(apps, schema_editor):
    """A confirmation made before this answers for the words its action (or sub-step) has
    now: the only words it could have been confirmed for, as no import has changed them
    since without this field to say so."""
    DateConfirmation = apps.get_model("actions", "DateConfirmation")
    confirmations = list(
        DateConfirmation.objects.select_related("action__timeframe", "sub_step__timeframe")
    )
    for confirmation in confirmations:
        timeframe = (
            confirmation.sub_step.timeframe
            if confirmation.sub_step_id
            else confirmation.action.timeframe
        )
        confirmation.timeframe_label = timeframe.label if timeframe else ""
    DateConfirmation.objects.bulk_update(confirmations, ["timeframe_label"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0011_entered_late_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="dateconfirmation",
            name="timeframe_label",
            field=models.CharField(
                default="",
                help_text="The timeframe as written when the date was confirmed, e.g. “31/09/21”.",
                max_length=200,
                verbose_name="timeframe confirmed",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(label_confirmed, migrations.RunPython.noop, elidable=True),
    ]
