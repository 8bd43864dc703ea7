"""PostgreSQL only: the pg_trgm extension and trigram indexes for typo-tolerant stakeholder search.

On SQLite (local development) both operations do nothing, so the migration history stays the same
everywhere; search falls back to substring matching there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEXES = [
    ("contacts_person_full_name_trgm", "contacts_person", "full_name"),
    ("contacts_organization_name_trgm", "contacts_organization", "name"),
]


class GuardedTrigramExtension(TrigramExtension):
    """`TrigramExtension` whose reverse is also a no-op outside PostgreSQL."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0003_backfill_match_keys")]

    operations = [
        GuardedTrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
