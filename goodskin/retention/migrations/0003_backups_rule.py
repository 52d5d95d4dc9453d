from django.db import migrations


def create_rule(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.get_or_create(
        key="backups",
        defaults={"period_days": 35, "counted_from": "collection", "outcome": "delete"},
    )


class Migration(migrations.Migration):
    dependencies = [("retention", "0002_default_rules")]

    operations = [migrations.RunPython(create_rule, migrations.RunPython.noop)]
