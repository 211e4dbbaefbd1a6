"""Threads on a passage: of a library document's paragraph, followed into each new version
(the library's `document_changed` signal, inside the version's transaction), or of a
negotiation paragraph, followed through each change of the working text and each issued
revision (the negotiation's `text_changed` signal, inside that transaction) by paragraph key."""

from __future__ import annotations

import html
import re
from typing import Any

from django.db import transaction

from secretariat.accounts.models import User
from secretariat.board.actions import BoardError, board_of_body, do_create_thread, ensure_boards
from secretariat.board.models import Board, BoardKind, PassageAnchor, Thread
from secretariat.core import audit
from secretariat.documents.models import Document, Paragraph
from secretariat.negotiation import engine
from secretariat.negotiation.models import Negotiation, Revision

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


# --- negotiation paragraphs --------------------------------------------------------------------
_TAG = re.compile(r"<[^>]*>")


def flat(text: str) -> str:
    return " ".join(text.split())


def negotiation_paragraphs(negotiation: Negotiation) -> dict[str, str]:
    """paragraph key -> its words as a reader sees them in the working text (the rendered
    paragraph's text: brackets, chips and notes included, whitespace collapsed), which is what
    a selection in the workspace gives."""
    revision = Revision.objects.filter(negotiation=negotiation, frozen=False).first()
    if revision is None:
        return {}
    register = engine.forum_register()
    return {
        p.key: flat(html.unescape(_TAG.sub("", engine.render_paragraph_html(p, register))))
        for p in engine.draft_of(revision, register).paragraphs
    }


def board_for_negotiation(negotiation: Negotiation) -> Board:
    if negotiation.body is not None:
        return board_of_body(negotiation.body)
    ensure_boards()
    return Board.objects.get(kind=BoardKind.FORUM)


@transaction.atomic
def do_open_negotiation_thread(
    negotiation: Negotiation,
    *,
    paragraph_key: str,
    quote: str,
    subject: str,
    text: str,
    actor: User,
    request: Any = None,
) -> Thread:
    """A thread on some words of a negotiation paragraph, on the board of the negotiating body
    (and never wider than the negotiation: `access.anchor_q`)."""
    words = negotiation_paragraphs(negotiation).get(paragraph_key)
    quote = flat(quote)
    if words is None or not quote:
        raise BoardError("no such paragraph")
    at = words.find(quote)
    if at < 0:
        raise BoardError("the quoted words are not in the paragraph")
    thread = do_create_thread(
        board_for_negotiation(negotiation), subject=subject, text=text, actor=actor, request=request
    )
    PassageAnchor.objects.create(
        thread=thread,
        negotiation=negotiation,
        version_id_seen=negotiation.version,
        paragraph_key=paragraph_key,
        quote=quote,
        before=words[max(0, at - CONTEXT) : at],
        after=words[at + len(quote) : at + len(quote) + CONTEXT],
    )
    return thread


def refresh_negotiation_anchors(negotiation_id: int) -> int:
    """Follow each anchor of the negotiation into its current working text, within the same
    paragraph (by key): kept if the words are still there, else marked changed. Returns how
    many changed state."""
    negotiation = Negotiation.objects.filter(pk=negotiation_id).first()
    if negotiation is None:
        return 0
    anchors = list(
        PassageAnchor.objects.filter(negotiation=negotiation).exclude(
            version_id_seen=negotiation.version
        )
    )
    if not anchors:
        return 0
    paragraphs = negotiation_paragraphs(negotiation)
    touched = 0
    for anchor in anchors:
        words = paragraphs.get(anchor.paragraph_key)
        was = anchor.changed
        anchor.changed = words is None or anchor.quote not in words
        anchor.version_id_seen = negotiation.version
        anchor.save(update_fields=["changed", "version_id_seen"])
        if anchor.changed != was:
            touched += 1
            audit.record(
                "board.anchor.follow",
                obj=anchor.thread,
                paragraph=anchor.paragraph_key,
                changed=anchor.changed,
            )
    return touched


def on_negotiation_text_changed(sender: Any, negotiation_id: int, **kwargs: Any) -> None:
    refresh_negotiation_anchors(negotiation_id)
