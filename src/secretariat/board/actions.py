"""Every change on the board: one atomic function each, audited, notifications enqueued in the
same transaction (notifications go out through the outbox, per each reader's settings)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from secretariat.accounts.models import AccessLevel, Body, Delegation, User
from secretariat.accounts.register import code_mapping
from secretariat.board import kinds
from secretariat.board.access import can_moderate, can_post_in, can_view_thread
from secretariat.board.attachments import Upload, attach
from secretariat.board.models import (
    Board,
    BoardKind,
    BoardVisit,
    Flag,
    MailedThread,
    Post,
    PostRevision,
    Thread,
    ThreadRead,
)
from secretariat.board.rendering import find_mentions
from secretariat.core import audit
from secretariat.documents.searchtext import plain_form, stemmed_form
from secretariat.notifications.actions import do_follow, followers_of, notify


def search_forms(text: str) -> dict[str, str]:
    return {"plain": f" {plain_form(text)} ", "stemmed": f" {stemmed_form(text)} "}


class BoardError(ValueError):
    """A refused change; the message is for the user."""


def ensure_boards() -> None:
    """One board per body, one forum-wide, one for the secretariat (idempotent)."""
    if Board.objects.count() == Body.objects.count() + 2:
        return
    with transaction.atomic():
        Board.objects.get_or_create(
            kind=BoardKind.FORUM, defaults={"code": "forum", "access_level": AccessLevel.MEMBERS}
        )
        Board.objects.get_or_create(
            kind=BoardKind.SECRETARIAT,
            defaults={"code": "secretariat", "access_level": AccessLevel.SECRETARIAT},
        )
        have = set(Board.objects.filter(kind=BoardKind.BODY).values_list("body_id", flat=True))
        for body in Body.objects.exclude(pk__in=have):
            Board.objects.create(
                kind=BoardKind.BODY,
                body=body,
                code=body.code.lower(),
                access_level=AccessLevel.BODY,
            )


def board_of_body(body: Body) -> Board:
    ensure_boards()
    return Board.objects.get(kind=BoardKind.BODY, body=body)


def _mentioned_users(text: str) -> list[User]:
    found = find_mentions(text, code_mapping())
    users: list[User] = []
    if found.codes:
        delegations = Delegation.objects.filter(code__in=found.codes)
        users += list(User.objects.filter(delegation__in=delegations, is_active=True))
    if found.usernames:
        users += [
            u
            for u in User.objects.filter(is_active=True)
            .exclude(pk__in=[u.pk for u in users])
            .only("pk", "username", "email", "role", "delegation_id", "is_active", "is_superuser")
            if u.username.lower() in found.usernames
        ]
    return users


def _notify_post(post: Post) -> None:
    thread = post.thread
    params = {
        "author": post.author.get_full_name() or post.author.get_username(),
        "subject": thread.subject,
        "board": thread.board.code.upper(),
        "thread": thread.pk,
        "post": post.pk,
    }
    url = post.get_absolute_url()
    mentioned = [
        u
        for u in _mentioned_users(post.text)
        if u.pk != post.author_id and can_view_thread(u, thread)
    ]
    notify(mentioned, kinds.MENTION, params=params, url=url, key=f"board:{post.pk}", target=thread)
    followers = [
        u for u in followers_of(thread) if u.pk != post.author_id and can_view_thread(u, thread)
    ]
    notify(followers, kinds.POST, params=params, url=url, key=f"board:{post.pk}", target=thread)


def _add_post(
    thread: Thread,
    text: str,
    *,
    actor: User,
    quoted: Post | None,
    by_email: bool,
    attachments: Sequence[Upload] = (),
) -> Post:
    post = Post.objects.create(
        thread=thread,
        author=actor,
        text=text,
        quoted=quoted,
        by_email=by_email,
        **search_forms(text),
    )
    PostRevision.objects.create(post=post, number=1, text=text, edited_by=actor)
    for upload in attachments:
        attach(post, upload)
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1, last_post_at=post.created_at
    )
    thread.refresh_from_db(fields=["post_count", "last_post_at"])
    do_follow(actor, thread)
    _notify_post(post)
    ThreadRead.objects.update_or_create(
        user=actor, thread=thread, defaults={"read_at": post.created_at}
    )
    return post


@transaction.atomic
def do_create_thread(
    board: Board,
    *,
    subject: str,
    text: str,
    actor: User,
    by_email: bool = False,
    attachments: Sequence[Upload] = (),
    request: Any = None,
) -> Thread:
    if not can_post_in(actor, board):
        raise BoardError("may not post in this board")
    thread = Thread.objects.create(
        board=board, subject=subject, created_by=actor, last_post_at=timezone.now()
    )
    post = _add_post(
        thread, text, actor=actor, quoted=None, by_email=by_email, attachments=attachments
    )
    audit.record(
        "board.thread.create", actor=actor, obj=thread, request=request, post=post.pk, mail=by_email
    )
    return thread


@transaction.atomic
def do_reply(
    thread: Thread,
    *,
    text: str,
    actor: User,
    quoted: Post | None = None,
    by_email: bool = False,
    attachments: Sequence[Upload] = (),
    request: Any = None,
) -> Post:
    thread = Thread.objects.select_for_update().select_related("board").get(pk=thread.pk)
    if not can_post_in(actor, thread.board):
        raise BoardError("may not post in this board")
    if thread.locked and not can_moderate(actor, thread.board):
        raise BoardError("the thread is locked")
    if quoted is not None and (quoted.thread_id != thread.pk or quoted.is_hidden):
        quoted = None
    post = _add_post(
        thread, text, actor=actor, quoted=quoted, by_email=by_email, attachments=attachments
    )
    audit.record("board.post", actor=actor, obj=post, request=request, mail=by_email)
    return post


@transaction.atomic
def do_edit_post(post: Post, *, text: str, actor: User, request: Any = None) -> Post:
    """A new revision; a no-op edit writes nothing."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.text == text:
        return post
    number = post.revisions.count() + 1
    PostRevision.objects.create(post=post, number=number, text=text, edited_by=actor)
    old = post.text
    post.text, post.edited_at = text, timezone.now()
    forms = search_forms(text)
    post.plain, post.stemmed = forms["plain"], forms["stemmed"]
    post.save(update_fields=["text", "edited_at", "plain", "stemmed"])
    audit.record("board.post.edit", actor=actor, obj=post, request=request, old=old, new=text)
    return post


@transaction.atomic
def do_hide_post(post: Post, *, reason: str, actor: User, request: Any = None) -> Post:
    post = Post.objects.select_for_update().select_related("thread__board").get(pk=post.pk)
    if not can_moderate(actor, post.thread.board):
        raise BoardError("may not moderate this board")
    if post.is_hidden:
        return post
    post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), actor, reason
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Thread.objects.filter(pk=post.thread_id).update(post_count=F("post_count") - 1)
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=post.hidden_at)
    audit.record("board.post.hide", actor=actor, obj=post, request=request, reason=reason)
    return post


@transaction.atomic
def do_flag_post(post: Post, *, reason: str, actor: User, request: Any = None) -> Flag:
    flag, created = Flag.objects.get_or_create(post=post, user=actor, defaults={"reason": reason})
    if created:
        audit.record("board.post.flag", actor=actor, obj=post, request=request, reason=reason)
    return flag


@transaction.atomic
def do_dismiss_flags(post: Post, *, actor: User, request: Any = None) -> int:
    done = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    if done:
        audit.record("board.post.flags_dismissed", actor=actor, obj=post, request=request)
    return done


@transaction.atomic
def do_set_thread_state(
    thread: Thread, *, pinned: bool, locked: bool, actor: User, request: Any = None
) -> Thread:
    old = {"pinned": thread.pinned, "locked": thread.locked}
    new = {"pinned": pinned, "locked": locked}
    if old == new:
        return thread
    thread.pinned, thread.locked = pinned, locked
    thread.save(update_fields=["pinned", "locked"])
    audit.record("board.thread.state", actor=actor, obj=thread, request=request, old=old, new=new)
    return thread


@transaction.atomic
def do_move_thread(thread: Thread, *, to: Board, actor: User, request: Any = None) -> Thread:
    """Only to a board the mover may post in and moderate; the audit names both boards."""
    if not (can_moderate(actor, thread.board) and can_post_in(actor, to)):
        raise BoardError("may not move the thread there")
    if to.pk == thread.board_id:
        return thread
    old = thread.board
    thread.board = to
    thread.save(update_fields=["board"])
    audit.record(
        "board.thread.move", actor=actor, obj=thread, request=request, old=old.code, new=to.code
    )
    return thread


def mark_thread_read(user: User, thread: Thread) -> None:
    ThreadRead.objects.update_or_create(
        user=user, thread=thread, defaults={"read_at": timezone.now()}
    )


def visit_board(user: User, board: Board) -> BoardVisit:
    """Record the visit; returns it with `previous_at`, the visit before this one."""
    now = timezone.now()
    visit = BoardVisit.objects.filter(user=user, board=board).first()
    if visit is None:
        return BoardVisit.objects.create(user=user, board=board, previous_at=None, last_at=now)
    # Visits within 30 minutes are one visit: reloading keeps the "new" markers.
    if (now - visit.last_at).total_seconds() > 1800:
        visit.previous_at = visit.last_at
    visit.last_at = now
    visit.save(update_fields=["previous_at", "last_at"])
    return visit


# --- threads by mail -------------------------------------------------------------------------
@transaction.atomic
def do_receive_mailed_thread(board: Board, *, user: User, subject: str, text: str) -> MailedThread:
    """Keep it and mail its sender a confirmation link; nothing is posted yet."""
    from secretariat.outbox.api import enqueue_email

    pending = MailedThread.objects.create(
        token=secrets.token_urlsafe(32), user=user, board=board, subject=subject, text=text
    )
    enqueue_email(
        user, kinds.CONFIRM, {"pending": pending.pk}, key=f"board-confirm:{pending.token}"
    )
    audit.record("board.mail.thread_received", actor=user, obj=board, pending=pending.pk)
    return pending


@transaction.atomic
def do_confirm_mailed_thread(pending: MailedThread, *, actor: User, request: Any = None) -> Thread:
    pending = MailedThread.objects.select_for_update().get(pk=pending.pk)
    if pending.thread_id is not None:
        return Thread.objects.get(pk=pending.thread_id)
    thread = do_create_thread(
        pending.board, subject=pending.subject, text=pending.text, actor=actor, by_email=True,
        request=request,
    )  # fmt: skip
    pending.thread = thread
    pending.save(update_fields=["thread"])
    return thread
