"""The outbox's public interface (the contract in docs: every app sends mail through it).

    register_kind(kind, render, official=..., unsubscribe_category=...)   from AppConfig.ready()
    enqueue_email(recipient, kind, params, key=..., list_id=...)           inside the change's
                                                                           transaction
    delivery_status(keys) -> {key: status}                                 for receipts

A message is stored as a kind and JSON parameters; it is rendered in the recipient's language
when it is sent, by the kind's renderer, which also re-checks that the recipient may still see
what the message is about (returning None cancels the message).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from secretariat.accounts.models import User
from secretariat.outbox.models import OutboundEmail


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str  # plain-text part
    html: str  # HTML part (may be "" -> text only)
    attachments: tuple[Attachment, ...] = ()
    reply_to: str = ""  # e.g. the board's signed reply address
    # Extension: a kind whose messages belong to different preference categories names the
    # category per message (overrides the kind's unsubscribe_category; never on official kinds).
    unsubscribe_category: str = ""


Renderer = Callable[[dict[str, Any], User], RenderedEmail | None]


@dataclass(frozen=True)
class EmailKind:
    kind: str
    render: Renderer
    official: bool = False
    unsubscribe_category: str = ""


_KINDS: dict[str, EmailKind] = {}

UnsubscribeHandler = Callable[[User, str], None]
_unsubscribe_handlers: list[UnsubscribeHandler] = []
_category_labels: list[Callable[[str], str | None]] = []


def register_kind(
    kind: str, render: Renderer, *, official: bool = False, unsubscribe_category: str = ""
) -> None:
    """Called from an AppConfig.ready(). official=True: notes verbales etc., never a
    List-Unsubscribe header. unsubscribe_category: the notification-preference category a user
    can switch off (adds List-Unsubscribe with a signed one-click URL)."""
    if official and unsubscribe_category:
        raise ValueError("an official kind cannot be unsubscribed from")
    _KINDS[kind] = EmailKind(kind, render, official, unsubscribe_category)


def get_kind(kind: str) -> EmailKind | None:
    return _KINDS.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


def register_unsubscribe_handler(
    handler: UnsubscribeHandler, *, label: Callable[[str], str | None] | None = None
) -> None:
    """The app owning notification preferences tells the outbox how to switch a category off
    and how to name it (the outbox imports no app above accounts)."""
    if handler not in _unsubscribe_handlers:
        _unsubscribe_handlers.append(handler)
    if label is not None and label not in _category_labels:
        _category_labels.append(label)


def category_label(category: str) -> str:
    for label in _category_labels:
        if (name := label(category)) is not None:
            return name
    return category


def unsubscribe(user: User, category: str) -> None:
    for handler in _unsubscribe_handlers:
        handler(user, category)


_UNSUBSCRIBE_SALT = "secretariat.outbox.unsubscribe"


def unsubscribe_token(user: User, category: str) -> str:
    return signing.dumps([user.pk, category], salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        pk, category = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(category, str):
        return None
    return pk, category


def absolute_url(path: str) -> str:
    """A link for a message: absolute to the intranet (settings.SECRETARIAT_BASE_URL)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SECRETARIAT_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def unsubscribe_url(user: User, category: str) -> str:
    return absolute_url(reverse("outbox:unsubscribe", args=[unsubscribe_token(user, category)]))


def _message_domain() -> str:
    address: str = settings.DEFAULT_FROM_EMAIL
    return address.rsplit("@", 1)[-1].strip("> ") or "localhost"


def new_message_id() -> str:
    # An explicit domain: make_msgid's default looks up the host name (slow, and leaks it).
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=_message_domain())


@dataclass(frozen=True)
class EmailRequest:
    """One message for `enqueue_emails` (the bulk form of `enqueue_email`)."""

    recipient: User
    kind: str
    params: dict[str, Any]
    key: str
    list_id: str = ""
    to_address: str = ""  # another address than the recipient's (a new one to confirm)


def _row(request: EmailRequest, now: Any) -> OutboundEmail | None:
    if request.kind not in _KINDS:
        raise ValueError(f"unknown email kind {request.kind!r}: register_kind() it first")
    address = (request.to_address or request.recipient.email or "").strip()
    if not address:
        return None
    return OutboundEmail(
        recipient=request.recipient,
        to_address=address,
        kind=request.kind,
        params=request.params,
        key=request.key,
        list_id=request.list_id,
        message_id=new_message_id(),
        next_attempt_at=now,
        created_at=now,
    )


def _wake_sender() -> None:
    from secretariat.outbox.scheduling import ensure_task
    from secretariat.outbox.tasks import send_due_emails

    ensure_task(send_due_emails)


def enqueue_email(
    recipient: User,
    kind: str,
    params: dict[str, Any],
    *,
    key: str,
    list_id: str = "",
    to_address: str = "",
) -> OutboundEmail | None:
    """Inside the caller's transaction. `key` is unique: a second enqueue with the same key is a
    no-op returning None (idempotent tasks). Returns None too when the user has no email
    address. `to_address` sends to another address than the user's (still rendered in the
    user's language). The Message-ID is fixed here."""
    row = _row(EmailRequest(recipient, kind, params, key, list_id, to_address), timezone.now())
    if row is None:
        return None
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # a concurrent run enqueued it first
        return None
    _wake_sender()
    return row


def enqueue_emails(requests: Iterable[EmailRequest]) -> int:
    """Many messages in a constant number of queries (one insert, conflicts on `key` ignored);
    returns how many rows were offered (those with an address)."""
    now = timezone.now()
    rows = [row for r in requests if (row := _row(r, now)) is not None]
    if not rows:
        return 0
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    _wake_sender()
    return len(rows)


def delivery_status(keys: Iterable[str]) -> dict[str, str]:
    """key -> 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' for receipts."""
    wanted = list(keys)
    return dict(OutboundEmail.objects.filter(key__in=wanted).values_list("key", "status"))
