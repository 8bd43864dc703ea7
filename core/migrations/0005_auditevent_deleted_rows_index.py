"""Find the delete events of rows that pointed at a record (a removed position of a person).

A record page shows the history of the rows that belong to it (core.selectors.history_for); once such
a row is deleted, only its delete event still says which record it belonged to (`before` holds the
whole row). This partial GIN index answers `before @> '{"person_id": 5}'` among delete events.
PostgreSQL only: SQLite has no GIN indexes (and scans its small development tables).
"""

from django.db import migrations

INDEX = "auditevent_deleted_rows_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON core_auditevent "
            "USING gin (before jsonb_path_ops) WHERE action = 'delete'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_auditevent_link_actions"),
    ]

    operations = [migrations.RunPython(create, drop)]
