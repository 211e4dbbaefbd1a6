"""The full-text index of board posts, built like the library's (documents 0002): FTS5 on
SQLite, generated tsvector columns with GIN indexes on PostgreSQL, over the `plain` and
`stemmed` forms computed in Python, so posts and paragraphs match the same words."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE board_post_fts USING fts5("
    "plain, stemmed, tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO board_post_fts(rowid, plain, stemmed) SELECT id, plain, stemmed FROM board_post",
    "CREATE TRIGGER board_post_fts_insert AFTER INSERT ON board_post BEGIN "
    "INSERT INTO board_post_fts(rowid, plain, stemmed) "
    "VALUES (new.id, new.plain, new.stemmed); END",
    "CREATE TRIGGER board_post_fts_delete AFTER DELETE ON board_post BEGIN "
    "DELETE FROM board_post_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER board_post_fts_update AFTER UPDATE OF plain, stemmed "
    "ON board_post BEGIN "
    "UPDATE board_post_fts SET plain = new.plain, stemmed = new.stemmed "
    "WHERE rowid = new.id; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS board_post_fts_update",
    "DROP TRIGGER IF EXISTS board_post_fts_delete",
    "DROP TRIGGER IF EXISTS board_post_fts_insert",
    "DROP TABLE IF EXISTS board_post_fts",
]
POSTGRES_UP = [
    "ALTER TABLE board_post "
    "ADD COLUMN fts_plain tsvector GENERATED ALWAYS AS (to_tsvector('simple', plain)) STORED, "
    "ADD COLUMN fts_stemmed tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', stemmed)) STORED",
    "CREATE INDEX board_post_fts_plain ON board_post USING GIN (fts_plain)",
    "CREATE INDEX board_post_fts_stemmed ON board_post USING GIN (fts_stemmed)",
]
POSTGRES_DOWN = [
    "ALTER TABLE board_post DROP COLUMN IF EXISTS fts_plain, DROP COLUMN IF EXISTS fts_stemmed",
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
    dependencies = [("board", "0002_passage_on_negotiation")]
    operations = [migrations.RunPython(forwards, backwards)]
