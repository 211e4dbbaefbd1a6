"""The full-text index of paragraphs: FTS5 on SQLite, generated tsvector columns on PostgreSQL.

Both read the `plain` and `stemmed` token forms computed in Python (see documents.searchtext),
so both databases index exactly the same words.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE documents_paragraph_fts USING fts5("
    "plain, stemmed, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_paragraph_fts_insert AFTER INSERT ON documents_paragraph BEGIN "
    "INSERT INTO documents_paragraph_fts(rowid, plain, stemmed) "
    "VALUES (new.id, new.plain, new.stemmed); END",
    "CREATE TRIGGER documents_paragraph_fts_delete AFTER DELETE ON documents_paragraph BEGIN "
    "DELETE FROM documents_paragraph_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER documents_paragraph_fts_update AFTER UPDATE OF plain, stemmed "
    "ON documents_paragraph BEGIN "
    "UPDATE documents_paragraph_fts SET plain = new.plain, stemmed = new.stemmed "
    "WHERE rowid = new.id; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS documents_paragraph_fts_update",
    "DROP TRIGGER IF EXISTS documents_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS documents_paragraph_fts_insert",
    "DROP TABLE IF EXISTS documents_paragraph_fts",
]
POSTGRES_UP = [
    "ALTER TABLE documents_paragraph "
    "ADD COLUMN fts_plain tsvector GENERATED ALWAYS AS (to_tsvector('simple', plain)) STORED, "
    "ADD COLUMN fts_stemmed tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', stemmed)) STORED",
    "CREATE INDEX documents_paragraph_fts_plain ON documents_paragraph USING GIN (fts_plain)",
    "CREATE INDEX documents_paragraph_fts_stemmed ON documents_paragraph USING GIN (fts_stemmed)",
]
POSTGRES_DOWN = [
    "ALTER TABLE documents_paragraph DROP COLUMN IF EXISTS fts_plain, "
    "DROP COLUMN IF EXISTS fts_stemmed",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        for sql in statements:
            schema_editor.execute(sql)

    return run


def forwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_UP)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRES_UP)(apps, schema_editor)


def backwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(SQLITE_DOWN)(apps, schema_editor)
    elif vendor == "postgresql":
        _run(POSTGRES_DOWN)(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_library")]
    operations = [migrations.RunPython(forwards, backwards)]
