"""One stamp of content changes, for the page fragments cached across readers.

Every statement that writes rows of a product's table not listed in IGNORED inserts a
`core.ContentChange` row on the same connection, in the same transaction (an insert:
concurrent writers never wait on one counter row, which deadlocked them on PostgreSQL against
their other row locks); the stamp is the highest id and the number of rows (a lower id
committed late changes the number), so a reader that sees the change also sees the new value,
in every web process and on every host (a process-local cache could not tell the others).

The writes are seen where they reach the database: an execute wrapper on every connection
(`connection_created`) reads the verb and table of each statement, so `save()`, `delete()`,
many-to-many changes, `QuerySet.update` and `delete`, `bulk_create`, `bulk_update`, the
cascades and raw SQL all count, through every manager, and no caller has to remember
anything. An UPDATE or DELETE that matched no row counts nothing; a write outside a
transaction gets one for itself and its stamp. Rows written while reading
(audit rows, sessions, heartbeats, notifications read, a login's last_login, a token's last
use) are ignored, and so are the task queue's and Django's own rows: they change no cached
fragment, and reads must not write. Migrations count nothing (the table may not exist yet).
The wrapper costs a regular expression per statement; a counted write costs one INSERT
(`benchmarks/content_stamp.py` measures it).

    stamp() -> str      the stamp now, one query
    bump()              count a change (in the caller's transaction); the wrapper calls it
    prune()             drop all but the last KEEP rows (the workers, with the reaper)
    disconnect()        stop counting on this thread's connections (the benchmark's peer)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Count, Max
from django.db.models.signals import post_migrate, pre_migrate

from secretariat.core.models import AuditEvent, ContentChange, WorkerHeartbeat

# The product's models whose rows change nothing a cached fragment shows, by
# "app_label.model_name" (models of Django and of libraries are never counted).
IGNORED = {
    "accounts.usersession",
    "notifications.notification",
    "outbox.outboundemail",
    "notifications.digestschedule",
}


def stamp() -> str:
    row = ContentChange.objects.aggregate(m=Max("id"), n=Count("id"))
    return f"{row['m'] or 0}.{row['n']}"


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    ContentChange.objects.using(using).create()


KEEP = 1000


def prune() -> int:
    """Delete all but the last KEEP rows; the stamp moves, which only costs one miss."""
    top = ContentChange.objects.aggregate(m=Max("id"))["m"] or 0
    if top <= KEEP:
        return 0
    return ContentChange.objects.filter(id__lte=top - KEEP).delete()[0]


def _ignored(model: type[models.Model]) -> bool:
    if model in (ContentChange, AuditEvent, WorkerHeartbeat):
        return True
    if not model.__module__.startswith("secretariat."):
        # Django's own and libraries' rows (migrations, sessions, the task queue, devices).
        return True
    return model._meta.label_lower in IGNORED


# Writes of only one of these fields change no fragment (a login writes the user's
# last_login, an API request its token's last use).
IGNORED_FIELDS = {"accounts.user": {"last_login"}, "api.apitoken": {"last_used_at"}}


@functools.cache
def watched_tables() -> dict[str, frozenset[str]]:
    """The tables whose writes count, by lower-case name, each with its ignored columns. The
    many-to-many tables Django makes for a model count with it (their label is the model's
    app's)."""
    tables: dict[str, frozenset[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        if _ignored(model):
            continue
        names = IGNORED_FIELDS.get(model._meta.label_lower, set())
        columns = (getattr(model._meta.get_field(name), "column", "") for name in names)
        tables[model._meta.db_table.lower()] = frozenset(str(column) for column in columns)
    return tables


# The statement's verb and table: `INSERT [OR x] INTO t`, `UPDATE [OR x] t`, `DELETE FROM t`,
# names quoted or not, maybe with their schema. The ORM's SQL and the product's raw SQL
# begin so; anything else (SELECT, DDL, PRAGMA, TRUNCATE) is not a write of a row here.
_WRITE = re.compile(
    r'\s*(INSERT|UPDATE|DELETE)(?:\s+OR\s+\w+)?(?:\s+INTO|\s+FROM)?\s+(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)
# An UPDATE that sets one column to one value, as `save(update_fields=[f])` and
# `filter(pk=..).update(f=v)` write it.
_ONE_COLUMN = re.compile(r'\s+SET\s+"?(\w+)"?\s*=\s*%s\s+WHERE\b', re.IGNORECASE)

_migrating = False


def _watched(sql: Any) -> tuple[str, bool] | None:
    """The verb of a statement that may write rows of a watched table (None for any other),
    and whether it returns rows."""
    if _migrating or not isinstance(sql, str):
        return None
    found = _WRITE.match(sql)
    if found is None:
        return None
    ignored_columns = watched_tables().get(found.group(2).lower())
    if ignored_columns is None:
        return None
    verb = found.group(1).upper()
    if verb == "UPDATE" and ignored_columns:
        one = _ONE_COLUMN.match(sql, found.end())
        if one is not None and one.group(1).lower() in ignored_columns:
            return None
    return verb, "RETURNING" in sql.upper()


def _wrote(verb: str, returning: bool, cursor: Any) -> bool:
    # SQLite counts the rows of a RETURNING statement only as they are fetched; an insert
    # that inserted nothing (a conflict ignored) is rare enough to count.
    return verb == "INSERT" or returning or cursor.rowcount != 0


def _watch(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """The execute wrapper on every connection: after a statement that wrote rows of a watched
    table, count a change on the same connection, in the same transaction. A write in
    autocommit (an `update()` outside a transaction) gets one for itself and its stamp: one
    commit, not two, and no stale window if the process dies between them; but not on SQLite
    for a statement that returns rows (it cannot commit before they are fetched): there the
    write commits first and the stamp after, the order in which no reader can cache the old
    content under the new stamp."""
    watched = _watched(sql)
    if watched is None:
        return execute(sql, params, many, context)
    verb, returning = watched
    connection = context["connection"]
    if connection.get_autocommit() and not (returning and connection.vendor == "sqlite"):
        with transaction.atomic(using=connection.alias):
            result = execute(sql, params, many, context)
            if _wrote(verb, returning, context["cursor"]):
                bump(connection.alias)
        return result
    result = execute(sql, params, many, context)
    if _wrote(verb, returning, context["cursor"]):
        bump(connection.alias)
    return result


def _install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # First in the list: `connection.execute_wrapper()` blocks pop the last one on leaving,
    # and a connection may be opened inside such a block.
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def disconnect() -> None:
    """Stop counting changes on this thread's connections (the benchmark's peer; tests)."""
    for connection in connections.all():
        while _watch in connection.execute_wrappers:
            connection.execute_wrappers.remove(_watch)
    connection_created.disconnect(dispatch_uid=_UID)


def _pre_migrate(**kwargs: Any) -> None:
    # Migrations write rows before the stamp's table exists (and their own models are
    # historical): they change nothing a running cache holds.
    global _migrating
    _migrating = True


def _post_migrate(**kwargs: Any) -> None:
    global _migrating
    _migrating = False


_UID = "secretariat-content-changes"


def connect() -> None:
    connection_created.connect(_install, dispatch_uid=_UID)
    for connection in connections.all(initialized_only=True):
        _install(connection)
    pre_migrate.connect(_pre_migrate, dispatch_uid=_UID)
    post_migrate.connect(_post_migrate, dispatch_uid=_UID)
