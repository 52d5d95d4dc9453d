"""The second version row: moved by triggers that the policies and incidents apps put on their
own tables (policies 0003, incidents 0004), so the questions every public page asks of them are
answered from what was read under one key. On PostgreSQL the function they call is made here."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION website_notices_changed() RETURNS trigger AS $$
BEGIN
    UPDATE website_contentversion
       SET version = version + 1, changed_at = clock_timestamp()::text
     WHERE id = 2;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(
        "INSERT INTO website_contentversion (id, version, changed_at) VALUES (2, 0, '')"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS website_notices_changed()")
    schema_editor.execute("DELETE FROM website_contentversion WHERE id = 2")


class Migration(migrations.Migration):
    dependencies = [("website", "0004_content_version_triggers")]

    operations = [migrations.RunPython(forward, backward)]
