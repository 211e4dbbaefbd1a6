"""`{% load board_passages %}` on the library's document page: the threads on each passage,
fetched once for the page and filtered by the same access rules as the board."""

from __future__ import annotations

import hashlib
from typing import Any

from django import template

from secretariat.accounts.access import can_contribute
from secretariat.board.access import can_post_in, visible_threads
from secretariat.board.models import Board, BoardKind, PassageAnchor

register = template.Library()


@register.simple_tag(takes_context=True)
def passage_threads(context: Any, document: Any) -> dict[int, list[PassageAnchor]]:
    """paragraph number -> the anchors (with their threads) the reader may see."""
    request = context.get("request")
    if request is None:
        return {}
    user = request.user
    anchors = PassageAnchor.objects.filter(
        document=document, thread__in=visible_threads(user)
    ).select_related("thread")
    found: dict[int, list[PassageAnchor]] = {}
    for anchor in anchors:
        found.setdefault(anchor.paragraph_number, []).append(anchor)
    return found


@register.filter
def passages_fingerprint(passages: dict[int, list[PassageAnchor]] | None) -> str:
    """Everything of the reader's threads that the document's paragraphs show, as a short
    digest: part of the key of the paragraphs' cached HTML, so readers who see different
    threads (or a thread renamed, or a passage changed since) never share it."""
    if passages is None:
        return "none"
    shown = sorted(
        (number, a.pk, a.thread_id, a.thread.subject, a.quote, a.changed)
        for number, anchors in passages.items()
        for a in anchors
    )
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


@register.filter
def on_paragraph(passages: dict[int, list[PassageAnchor]], number: int) -> list[PassageAnchor]:
    return passages.get(number, [])


@register.simple_tag(takes_context=True)
def may_comment(context: Any, document: Any) -> bool:
    """Reads only (a page view never creates boards): the passage view creates a missing one."""
    request = context.get("request")
    if request is None or not can_contribute(request.user):
        return False
    board = (
        Board.objects.filter(kind=BoardKind.BODY, body_id=document.body_id).first()
        if document.body_id
        else Board.objects.filter(kind=BoardKind.FORUM).first()
    )
    return board is None or can_post_in(request.user, board)


# --- negotiation paragraphs (the workspace and a paragraph's fragment) ------------------------
@register.simple_tag(takes_context=True)
def negotiation_passages(context: Any, negotiation: Any) -> dict[str, list[PassageAnchor]]:
    """paragraph key -> the anchors the reader may see; fetched once per request and
    negotiation (the workspace includes the paragraph template once per paragraph)."""
    request = context.get("request")
    if request is None or negotiation is None:
        return {}
    cache: dict[int, dict[str, list[PassageAnchor]]] = request.__dict__.setdefault(
        "_board_negotiation_passages", {}
    )
    if negotiation.pk not in cache:
        found: dict[str, list[PassageAnchor]] = {}
        anchors = PassageAnchor.objects.filter(
            negotiation=negotiation, thread__in=visible_threads(request.user)
        ).select_related("thread")
        for anchor in anchors:
            found.setdefault(anchor.paragraph_key, []).append(anchor)
        cache[negotiation.pk] = found
    return cache[negotiation.pk]


@register.filter
def on_key(passages: dict[str, list[PassageAnchor]], key: str) -> list[PassageAnchor]:
    return passages.get(key, [])


@register.simple_tag(takes_context=True)
def may_comment_negotiation(context: Any, negotiation: Any) -> bool:
    request = context.get("request")
    if request is None or negotiation is None or not can_contribute(request.user):
        return False
    cache: dict[int, bool] = request.__dict__.setdefault("_board_negotiation_may", {})
    if negotiation.pk not in cache:
        board = (
            Board.objects.filter(kind=BoardKind.BODY, body_id=negotiation.body_id).first()
            if negotiation.body_id
            else Board.objects.filter(kind=BoardKind.FORUM).first()
        )
        cache[negotiation.pk] = board is None or can_post_in(request.user, board)
    return cache[negotiation.pk]
