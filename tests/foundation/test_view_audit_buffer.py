"""A view of restricted content is recorded without the read ever waiting on a writer: while
another connection holds SQLite's write lock the view events (one, or a page's many in one
insert) go to the process's buffer, and the flusher writes them, with their time, once the lock
is released."""

from __future__ import annotations

import sqlite3
import time

import pytest
from django.db import connection

from secretariat.core import audit
from secretariat.core.models import AuditEvent
from secretariat.documents.models import Document


@pytest.mark.django_db(transaction=True)
def test_view_events_met_by_a_held_lock_are_buffered_then_written(forum, add_document):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    first = add_document("One.", title="One", access_level="members")
    second = add_document("Two.", title="Two", access_level="members")
    documents = list(Document.objects.filter(pk__in=[first.pk, second.pk]))
    buffered = audit.view_stats().buffered
    # The test database may be SQLite's shared in-memory one: a second connection to it
    # holds its lock as another process holds a file's.
    writer = sqlite3.connect(
        connection.settings_dict["NAME"], isolation_level=None, uri=connection.is_in_memory_db()
    )
    writer.execute("BEGIN IMMEDIATE")
    try:
        audit.record_view(obj=documents[0], actor=forum["ind"], page="test")
        many = audit.record_views(documents, actor=forum["ind"], page="test")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # Buffered, not waited for (the buffer's thread may write them as soon as the lock goes,
    # so their rows are looked for below, not here).
    assert many == 2
    assert audit.view_stats().buffered - buffered == 3
    # The buffer's own thread may be writing them already; this thread helps.
    deadline = time.monotonic() + 10
    rows = AuditEvent.objects.none()
    while time.monotonic() < deadline:
        audit.flush_views()
        rows = AuditEvent.objects.filter(action="view", detail__page="test")
        if rows.count() == 3:
            break
        time.sleep(0.1)
    assert sorted(int(r.object_id) for r in rows) == sorted(
        [documents[0].pk, *(d.pk for d in documents)]
    )
