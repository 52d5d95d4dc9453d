from django.db import migrations

# A frozen copy of the starting schedule (goodskin/retention/defaults.py at the time), so this
# migration means the same thing however the defaults change later.
RULES = [
    ("account", 0, "account_closure", "anonymise"),
    ("person", 30, "last_activity", "anonymise"),
    ("submission", 730, "last_activity", "delete"),
    ("session", 0, "expiry", "delete"),
    ("consent", 1095, "collection", "delete"),
    ("analytics-events", 395, "collection", "aggregate"),
    ("rate-limit-window", 0, "expiry", "delete"),
    ("outbox", 730, "collection", "delete"),
    ("preferences", None, "last_activity", "delete"),
    ("suppression", None, "collection", "delete"),
    ("notices", 730, "collection", "delete"),
    ("hold", None, "dispute_end", "delete"),
]


def create_rules(apps, schema_editor):
    rule = apps.get_model("retention", "RetentionRule")
    for key, days, counted_from, outcome in RULES:
        rule.objects.get_or_create(
            key=key,
            defaults={"period_days": days, "counted_from": counted_from, "outcome": outcome},
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
