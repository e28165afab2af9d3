from django.db import migrations, models


class Migration(migrations.Migration):
    """Reports published before their wording was kept were written in the first."""

    dependencies = [
        ("reports", "0003_report_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalquarterlyreport",
            name="wording",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="The way of writing its words it was published with (1: the first).",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="quarterlyreport",
            name="wording",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="The way of writing its words it was published with (1: the first).",
            ),
            preserve_default=False,
        ),
    ]
