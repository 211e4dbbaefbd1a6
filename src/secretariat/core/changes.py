"""One stamp of content changes, for the page fragments cached across readers.

Every saved or deleted row of a model of the product not listed in IGNORED inserts a
`core.ContentChange` row in the same transaction (an insert: concurrent writers never wait on
one counter row, which deadlocked them on PostgreSQL against their other row locks); the stamp
is the highest id and the number of rows (a lower id committed late changes the number), so
a reader that sees the change also sees the new value, in every web process and on every
host (a process-local cache could not tell the others). Rows written while reading (audit
rows, sessions, heartbeats, notifications read) are ignored, and so are the task queue's and
Django's own rows: they change no cached fragment, and reads must not write.

Writes that send no signal (`QuerySet.update`, `bulk_create`) call `bump()` themselves where a
cached fragment shows their result (a negotiation's version and state, an import made
visible); a fragment's timeout bounds what any other such write leaves stale.

    stamp() -> str      the stamp now, one query
    bump()              count a change (in the caller's transaction)
    prune()             drop all but the last KEEP rows (the workers, with the reaper)
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save

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


def bump() -> None:
    ContentChange.objects.create()


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
        # Django's own and libraries' rows (migrations, sessions, the task queue), and the
        # historical models of migrations (maybe run before this table exists).
        return True
    return model._meta.label_lower in IGNORED


# Saves of only these fields change no fragment (a login writes the user's last_login).
IGNORED_FIELDS = {"accounts.user": {"last_login"}}


def _changed(sender: type[models.Model], raw: bool = False, **kwargs: Any) -> None:
    if raw or _ignored(sender):
        return
    fields = kwargs.get("update_fields")
    if fields and set(fields) <= IGNORED_FIELDS.get(sender._meta.label_lower, set()):
        return
    bump()


def _m2m_changed(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and not _ignored(type(instance)):
        bump()


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="secretariat-content-changed-save")
    post_delete.connect(_changed, dispatch_uid="secretariat-content-changed-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="secretariat-content-changed-m2m")
