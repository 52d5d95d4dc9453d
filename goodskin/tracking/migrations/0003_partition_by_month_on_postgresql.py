from datetime import date

from django.db import migrations


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite keeps one table; retention deletes its rows in batches
    from goodskin.tracking import partitions

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(partitions.CONVERT)
    # Months for today's data and what retention still keeps, before the rows are copied in.
    partitions.ensure_partitions(today=date.today())  # noqa: DTZ011  (a calendar month is enough)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(partitions.FINISH)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_dailysummary")]

    # Not reversible: going back would mean copying every event into a plain table again.
    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
