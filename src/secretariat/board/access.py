"""Who may do what on the board, on top of the forum's access policy.

A board's audience is its access level (body members, all member states, the secretariat);
threads and posts inherit it. Hidden posts are seen by moderators only: the secretariat, and
the Chairmanship on boards it can see.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel
from secretariat.board.models import Board, Post, Thread


def can_post_in(user: Any, board: Board) -> bool:
    return access.can_contribute(user) and access.can_view(user, board)


def can_moderate(user: Any, board: Board) -> bool:
    if access.is_secretariat(user):
        return True
    return (
        access.can_view(user, board)
        and access.holds_chairmanship(user)  # the presiding side: ASEM's coordinators too
        and board.access_level != AccessLevel.SECRETARIAT
    )


def can_reply(user: Any, thread: Thread) -> bool:
    if thread.locked and not can_moderate(user, thread.board):
        return False
    return can_post_in(user, thread.board)


def can_edit_post(user: Any, post: Post) -> bool:
    return (
        getattr(user, "pk", None) == post.author_id
        and not post.is_hidden
        and can_reply(user, post.thread)
    )


def visible_boards(user: Any) -> QuerySet[Board]:
    return access.visible(user, Board.objects.select_related("body"))


def anchor_q(user: Any, prefix: str = "") -> Q:
    """A thread on a passage is never wider than its text: the board and the document (or
    the negotiation) must both be visible."""
    from secretariat.documents.models import Document
    from secretariat.negotiation.models import Negotiation

    documents = access.visible(user, Document.objects.all()).values("pk")
    negotiations = access.visible(user, Negotiation.objects.all()).values("pk")
    return (
        Q(**{f"{prefix}anchor__isnull": True})
        | Q(**{f"{prefix}anchor__document__in": documents})
        | Q(**{f"{prefix}anchor__negotiation__in": negotiations})
    )


def can_view_thread(user: Any, thread: Thread) -> bool:
    if not access.can_view(user, thread.board):
        return False
    anchor = getattr(thread, "anchor", None)
    if anchor is None:
        return True
    text = anchor.negotiation if anchor.negotiation_id is not None else anchor.document
    return text is not None and access.can_view(user, text)


def visible_threads(user: Any) -> QuerySet[Thread]:
    qs = access.visible(user, Thread.objects.all(), prefix="board__")
    return qs.filter(anchor_q(user))


def visible_posts(user: Any) -> QuerySet[Post]:
    """Posts in lists, counts, search and feeds: never hidden ones."""
    qs = Post.objects.filter(hidden_at__isnull=True)
    return access.visible(user, qs, prefix="thread__board__").filter(anchor_q(user, "thread__"))


def moderated_boards(user: Any) -> QuerySet[Board]:
    return Board.objects.filter(
        pk__in=[b.pk for b in visible_boards(user) if can_moderate(user, b)]
    )


def move_targets(user: Any, thread: Thread) -> QuerySet[Board]:
    """The boards a moderator may move a thread to: only where they may post themselves."""
    ids = [b.pk for b in visible_boards(user) if b.pk != thread.board_id and can_post_in(user, b)]
    return Board.objects.filter(pk__in=ids).select_related("body")


def get_board_for(request: HttpRequest, code: str, *, post: bool = False) -> Board:
    board = access.get_object_for(request, Board.objects.select_related("body"), code=code)
    if post and not can_post_in(request.user, board):
        raise PermissionDenied
    return board


def get_thread_for(
    request: HttpRequest, pk: int, *, reply: bool = False, moderate: bool = False
) -> Thread:
    thread = access.get_object_for(
        request, Thread.objects.select_related("board", "board__body"), pk=pk
    )
    if not can_view_thread(request.user, thread):
        raise Http404
    if reply and not can_reply(request.user, thread):
        raise PermissionDenied
    if moderate and not can_moderate(request.user, thread.board):
        raise PermissionDenied
    return thread


def get_post_for(
    request: HttpRequest, pk: int, *, edit: bool = False, moderate: bool = False
) -> Post:
    post = access.get_object_for(
        request, Post.objects.select_related("thread", "thread__board"), pk=pk
    )
    board = post.thread.board
    if not can_view_thread(request.user, post.thread):
        raise Http404
    if post.is_hidden and not can_moderate(request.user, board):
        raise Http404
    if edit and not can_edit_post(request.user, post):
        raise PermissionDenied
    if moderate and not can_moderate(request.user, board):
        raise PermissionDenied
    return post
