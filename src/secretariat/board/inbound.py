"""Mail to the board: a reply to a thread by its signed address, or a new thread to a board's
address (posted once its sender confirms). `secretariat mailin` serves it over SMTP.

Every refusal is an SMTP reply with a reason (550 unknown or not allowed, 553 bad or expired
address) and an audit row; nothing is posted then.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

from django.db import transaction

from secretariat.accounts.models import User
from secretariat.board import addresses
from secretariat.board.access import can_post_in, can_reply
from secretariat.board.actions import BoardError, do_receive_mailed_thread, do_reply
from secretariat.board.models import Board, Thread
from secretariat.core import audit

MAX_TEXT = 50_000
_QUOTE_HEADER = re.compile(
    r"^(On .+wrote:|.+ написал(а)?:?|-+ ?Original Message ?-+|-+ ?Исходное сообщение ?-+"
    r"|From: .+|Le .+ a écrit ?:)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Outcome:
    code: int
    text: str

    @property
    def smtp(self) -> str:
        return f"{self.code} {self.text}"


OK = Outcome(250, "OK")


def strip_reply(text: str) -> str:
    """The new words of a reply: quoted lines, the "On ... wrote:" header and everything after
    it, and the signature ("-- " line) are dropped."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.rstrip()
        if stripped in ("--", "-- ", "__") or _QUOTE_HEADER.match(stripped):
            break
        if stripped.startswith(">"):
            continue
        kept.append(stripped)
    return "\n".join(kept).strip()


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        return ""
    return str(content).replace("\x00", "")


def _user_for_sender(sender: str) -> User | None:
    address = parseaddr(sender)[1].strip().lower()
    if not address:
        return None
    found = list(User.objects.filter(email__iexact=address, is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def _refuse(code: int, reason: str, *, rcpt: str, sender: str) -> Outcome:
    audit.record(
        "board.mail.refused", actor_name="mailin", recipient=rcpt[:300], sender=sender[:300],
        reason=reason,
    )  # fmt: skip
    return Outcome(code, reason)


def _check(rcpt: str, sender: str) -> tuple[Outcome, User | None, Thread | None]:
    try:
        parsed = addresses.parse(rcpt)
    except addresses.BadAddress as exc:
        return _refuse(exc.code, exc.reason, rcpt=rcpt, sender=sender), None, None
    user = _user_for_sender(sender)
    if user is None:
        return _refuse(550, "sender is not a registered user", rcpt=rcpt, sender=sender), None, None
    if isinstance(parsed, addresses.ReplyAddress):
        if user.pk != parsed.user_id:
            refused = _refuse(550, "this reply address is not yours", rcpt=rcpt, sender=sender)
            return refused, None, None
        thread = Thread.objects.select_related("board").filter(pk=parsed.thread_id).first()
        if thread is None or not can_reply(user, thread):
            refused = _refuse(550, "you may not post in this thread", rcpt=rcpt, sender=sender)
            return refused, None, None
        return OK, user, thread
    board = Board.objects.filter(code=parsed.code).first()
    if board is None or not can_post_in(user, board):
        refused = _refuse(550, "no such board, or you may not post in it", rcpt=rcpt, sender=sender)
        return refused, None, None
    return OK, user, None


def check_recipient(rcpt: str, sender: str) -> Outcome:
    """At RCPT time: is this an address we take, from someone allowed to use it?"""
    return _check(rcpt, sender)[0]


def _address(value: str) -> str:
    return parseaddr(value)[1].strip().lower()


def receive(rcpt: str, sender: str, data: bytes) -> Outcome:
    """Deliver one message to one accepted recipient (re-checked: access may have changed)."""
    checked, user, thread = _check(rcpt, sender)
    if checked.code != 250 or user is None:
        return checked
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    # One address per user: the From header names the same user only by the same address.
    if _address(str(msg.get("From", ""))) != _address(sender):
        return _refuse(550, "From does not match the sender", rcpt=rcpt, sender=sender)
    text = strip_reply(_body_text(msg))[:MAX_TEXT]
    if not text:
        return _refuse(550, "the message has no text of its own", rcpt=rcpt, sender=sender)
    parsed = addresses.parse(rcpt)
    try:
        with transaction.atomic():
            if thread is not None:
                do_reply(thread, text=text, actor=user, by_email=True)
                return Outcome(250, "posted")
            assert isinstance(parsed, addresses.BoardAddress)
            board = Board.objects.get(code=parsed.code)
            subject = re.sub(r"[\x00-\x1f]", " ", str(msg.get("Subject", ""))).strip()[:200]
            do_receive_mailed_thread(board, user=user, subject=subject or "—", text=text)
            return Outcome(250, "received; confirm it with the link we sent you")
    except BoardError as exc:
        return _refuse(550, str(exc), rcpt=rcpt, sender=sender)
