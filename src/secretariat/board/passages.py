"""Threads on a passage of a library document: opening one, and following the words into each
new version (the library's `document_changed` signal, inside the version's transaction)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from secretariat.accounts.models import User
from secretariat.board.actions import BoardError, board_of_body, do_create_thread, ensure_boards
from secretariat.board.models import Board, BoardKind, PassageAnchor, Thread
from secretariat.core import audit
from secretariat.documents.models import Document, Paragraph

CONTEXT = 40


def board_for_document(document: Document) -> Board:
    if document.body is not None:
        return board_of_body(document.body)
    ensure_boards()
    return Board.objects.get(kind=BoardKind.FORUM)


@transaction.atomic
def do_open_passage_thread(
    document: Document,
    *,
    paragraph_number: int,
    quote: str,
    subject: str,
    text: str,
    actor: User,
    request: Any = None,
) -> Thread:
    version_id = document.current_version_id
    paragraph = (
        Paragraph.objects.filter(version_id=version_id, number=paragraph_number).first()
        if version_id is not None
        else None
    )
    quote = " ".join(quote.split())
    if paragraph is None or not quote:
        raise BoardError("no such paragraph")
    flat = " ".join(paragraph.text.split())
    at = flat.find(quote)
    if at < 0:
        raise BoardError("the quoted words are not in the paragraph")
    thread = do_create_thread(
        board_for_document(document), subject=subject, text=text, actor=actor, request=request
    )
    PassageAnchor.objects.create(
        thread=thread,
        document=document,
        version_id_seen=document.current_version_id or 0,
        paragraph_number=paragraph_number,
        quote=quote,
        before=flat[max(0, at - CONTEXT) : at],
        after=flat[at + len(quote) : at + len(quote) + CONTEXT],
    )
    return thread


def _best(paragraphs: list[Paragraph], anchor: PassageAnchor) -> Paragraph | None:
    """The paragraph holding the quoted words: with their context if possible, the same number
    first, then the nearest."""
    found = [p for p in paragraphs if anchor.quote in " ".join(p.text.split())]
    if not found:
        return None
    with_context = [
        p for p in found if anchor.before + anchor.quote in " ".join(p.text.split())
    ] or found
    return min(with_context, key=lambda p: abs(p.number - anchor.paragraph_number))


def refresh_anchors(document_id: int) -> int:
    """Follow each anchor of the document into its current version; returns how many moved
    or were marked changed."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.current_version_id is None:
        return 0
    anchors = list(
        PassageAnchor.objects.filter(document=document).exclude(
            version_id_seen=document.current_version_id
        )
    )
    if not anchors:
        return 0
    paragraphs = list(Paragraph.objects.filter(version_id=document.current_version_id))
    touched = 0
    for anchor in anchors:
        best = _best(paragraphs, anchor)
        old = (anchor.paragraph_number, anchor.changed)
        if best is None:
            anchor.changed = True
        else:
            anchor.paragraph_number, anchor.changed = best.number, False
        anchor.version_id_seen = document.current_version_id
        anchor.save(update_fields=["paragraph_number", "changed", "version_id_seen"])
        if (anchor.paragraph_number, anchor.changed) != old:
            touched += 1
            audit.record(
                "board.anchor.follow",
                obj=anchor.thread,
                paragraph=anchor.paragraph_number,
                changed=anchor.changed,
            )
    return touched


def on_document_changed(sender: Any, document_id: int, **kwargs: Any) -> None:
    refresh_anchors(document_id)
