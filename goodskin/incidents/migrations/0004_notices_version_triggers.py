"""Any change to incidents_incident moves the site's notices version (website 0005), so public pages ask
this table only when it changed (website.queries.notices_version)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "incidents_incident"


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_notices_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION website_notices_changed()"
        )
    elif vendor == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_{event.lower()}_notices_changed AFTER {event} ON {TABLE} "
                "BEGIN UPDATE website_contentversion SET version = version + 1, "
                "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 2; END"
            )


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_notices_changed ON {TABLE}")
    elif vendor == "sqlite":
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{event}_notices_changed")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_capabilities"), ("website", "0005_notices_version")]

    operations = [migrations.RunPython(forward, backward)]
