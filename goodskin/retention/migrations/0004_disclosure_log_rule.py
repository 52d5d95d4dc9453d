from django.db import migrations


def create_rule(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.get_or_create(
        key="disclosure-log",
        defaults={"period_days": None, "counted_from": "collection", "outcome": "delete"},
    )


class Migration(migrations.Migration):
    dependencies = [("retention", "0003_backups_rule")]

    operations = [migrations.RunPython(create_rule, migrations.RunPython.noop)]
