"""The full-text index of services, native to each engine (see directory/search.py)."""

from django.db import migrations

SQLITE_UP = [
    # External-content FTS5 table over directory_service.search_text, kept in step by triggers.
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "search_text, content='directory_service', content_rowid='rowid', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER directory_service_fts_insert AFTER INSERT ON directory_service BEGIN "
    "INSERT INTO directory_service_fts(rowid, search_text) VALUES (new.rowid, new.search_text); "
    "END",
    "CREATE TRIGGER directory_service_fts_delete AFTER DELETE ON directory_service BEGIN "
    "INSERT INTO directory_service_fts(directory_service_fts, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); END",
    "CREATE TRIGGER directory_service_fts_update AFTER UPDATE OF search_text ON directory_service "
    "BEGIN "
    "INSERT INTO directory_service_fts(directory_service_fts, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO directory_service_fts(rowid, search_text) VALUES (new.rowid, new.search_text); "
    "END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS directory_service_fts_update",
    "DROP TRIGGER IF EXISTS directory_service_fts_delete",
    "DROP TRIGGER IF EXISTS directory_service_fts_insert",
    "DROP TABLE IF EXISTS directory_service_fts",
]
POSTGRESQL_UP = [
    "CREATE INDEX directory_service_search_gin ON directory_service "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS directory_service_search_gin"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}),
        )
    ]
