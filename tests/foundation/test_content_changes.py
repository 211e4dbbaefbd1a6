"""Issue 10: the content stamp (`core.changes`) moves with every write of a product's rows,
whichever way it reaches the database, bulk writes that send no signal and raw SQL included,
so a cached fragment is never stale; writes made while reading leave it still."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.utils import timezone

from secretariat.accounts.models import AccessLevel, Delegation, UserSession
from secretariat.core import changes
from secretariat.documents.models import Document, Paragraph
from secretariat.negotiation.models import Negotiation
from secretariat.notifications.actions import notify
from secretariat.notifications.models import Notification


@pytest.fixture
def document(add_document) -> Document:
    return add_document("1. First.\n\n2. Second.\n", title="Stamp statement")


def moves(write) -> bool:
    before = changes.stamp()
    write()
    return changes.stamp() != before


def test_a_queryset_update_moves_the_stamp(document) -> None:
    assert moves(
        lambda: Document.objects.filter(pk=document.pk).update(access_level=AccessLevel.SECRETARIAT)
    )


def test_an_update_that_matches_no_row_leaves_it(document) -> None:
    assert not moves(lambda: Document.objects.filter(pk=-1).update(title="Nothing"))


def test_bulk_create_bulk_update_and_queryset_delete_move_it(document) -> None:
    version = Paragraph.objects.filter(document=document).first().version
    rows = [
        Paragraph(version=version, document=document, number=100 + n, text=f"Added {n}.")
        for n in range(3)
    ]
    assert moves(lambda: Paragraph.objects.bulk_create(rows))
    made = list(Paragraph.objects.filter(document=document, number__gte=100))
    assert len(made) == 3
    for row in made:
        row.text = "Changed."
    assert moves(lambda: Paragraph.objects.bulk_update(made, ["text"]))
    assert moves(lambda: Paragraph.objects.filter(document=document, number__gte=100).delete())


def test_custom_managers_and_raw_sql_move_it(forum) -> None:
    from secretariat.negotiation.actions import do_import_negotiation

    negotiation = do_import_negotiation(
        title="Stamp draft",
        body=forum.body("SWG"),
        text="OP1. We meet.\n",
        actor=forum["secretariat"],
    )
    # The manager that hides pending imports, and the one that shows them.
    assert moves(lambda: Negotiation.objects.filter(pk=negotiation.pk).update(title="Renamed"))
    assert moves(lambda: Negotiation.with_pending.filter(pk=negotiation.pk).update(pending=""))
    delegation = Delegation.objects.get(code="IND")
    assert moves(lambda: Delegation.objects.filter(pk=delegation.pk).update(code="IND2"))

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE negotiation_negotiation SET title = %s WHERE id = %s",
                ["Raw title", negotiation.pk],
            )

    assert moves(raw)


def test_writes_made_while_reading_leave_it(forum, document) -> None:
    ind = forum["ind"]
    notify([ind], "documents.new", params={"body": "SWG", "title": "T"}, target=document)
    assert not moves(lambda: Notification.objects.filter(user=ind).update(read_at=timezone.now()))
    assert not moves(
        lambda: UserSession.objects.create(
            user=ind, key_hash="a" * 64, created_at=timezone.now(), last_seen=timezone.now()
        )
    )
    ind.last_login = timezone.now()
    assert not moves(lambda: ind.save(update_fields=["last_login"]))
    # Any other field of the same row is content.
    ind.first_name = "Renamed"
    assert moves(lambda: ind.save(update_fields=["first_name", "last_login"]))


def test_a_write_rolled_back_takes_its_change_with_it(document) -> None:
    before = changes.stamp()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Document.objects.filter(pk=document.pk).update(title="Never")
                assert changes.stamp() != before  # the reader in the same transaction sees it
                raise RuntimeError
        except RuntimeError:
            pass
    assert changes.stamp() == before


@pytest.fixture
def disconnected() -> Iterator[None]:
    changes.disconnect()
    try:
        yield
    finally:
        changes.connect()


def test_disconnected_no_write_counts(document, disconnected) -> None:
    """The benchmark's peer: without the wrapper the same update moves nothing."""
    assert not moves(lambda: Document.objects.filter(pk=document.pk).update(title="Quiet"))
