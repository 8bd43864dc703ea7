"""PostgreSQL only: indexed search documents for people and organizations.

Each document is an IMMUTABLE SQL function of the row's own columns, GIN-indexed as an expression
index. PostgreSQL keeps an expression index current on every write — ORM saves, bulk inserts, COPY,
hand-written SQL — so no trigger or service has to remember it, and nothing is added to the table
(the audit trigger keeps recording only real columns). `contacts.search` calls the same functions,
so the planner matches the index. Also a trigram index on `preferred_name` (the name index exists).

On SQLite every operation does nothing: the migration history is the same everywhere and search
falls back to substring matching there.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION contacts_person_search_document(
        full_name text, preferred_name text, title text, office text
    ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, coalesce($1, '') || ' ' || coalesce($2, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce($3, '') || ' ' || coalesce($4, '')), 'B')
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION contacts_organization_search_document(name text, description text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, coalesce($1, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce($2, '')), 'C')
    $$
    """,
    """
    CREATE INDEX IF NOT EXISTS contacts_person_search_gin ON contacts_person
        USING gin (contacts_person_search_document(full_name, preferred_name, title, office))
    """,
    """
    CREATE INDEX IF NOT EXISTS contacts_organization_search_gin ON contacts_organization
        USING gin (contacts_organization_search_document(name, description))
    """,
    "CREATE INDEX IF NOT EXISTS contacts_person_preferred_name_trgm ON contacts_person "
    "USING gin (preferred_name gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS contacts_person_preferred_name_trgm",
    "DROP INDEX IF EXISTS contacts_organization_search_gin",
    "DROP INDEX IF EXISTS contacts_person_search_gin",
    "DROP FUNCTION IF EXISTS contacts_organization_search_document(text, text)",
    "DROP FUNCTION IF EXISTS contacts_person_search_document(text, text, text, text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_trigram_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
