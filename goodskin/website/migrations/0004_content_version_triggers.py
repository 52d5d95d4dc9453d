"""Triggers that move the content version on any change to the public content's tables, on
SQLite and PostgreSQL, and the one row they move."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("website_clinic", "website_service", "website_teammember", "website_teammember_clinics")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION website_content_changed() RETURNS trigger AS $$
BEGIN
    UPDATE website_contentversion
       SET version = version + 1, changed_at = clock_timestamp()::text
     WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(
        "INSERT INTO website_contentversion (id, version, changed_at) VALUES (1, 0, '')"
    )
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_content_changed AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION website_content_changed()"
            )
        elif vendor == "sqlite":
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_{event.lower()}_content_changed AFTER {event} "
                    f"ON {table} BEGIN UPDATE website_contentversion SET version = version + 1, "
                    "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1; END"
                )


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_content_changed ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_content_changed")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS website_content_changed()")


class Migration(migrations.Migration):
    dependencies = [("website", "0003_content_version")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
