"""The board's inbound addresses.

    reply+<thread>.<user>.<expiry>.<sig>@<SECRETARIAT_MAIL_DOMAIN>   a reply, as that user
    board-<code>@<SECRETARIAT_MAIL_DOMAIN>                          a new thread (confirmed)

The signature is an HMAC (keyed by SECRET_KEY) of thread, user and expiry (Unix seconds), so
nobody can make an address for another user or thread, nor extend one.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "secretariat.board.reply-address"
REPLY_RE = re.compile(r"^reply\+(\d{1,12})\.(\d{1,12})\.(\d{1,12})\.([0-9a-f]{20})$")
BOARD_RE = re.compile(r"^board-([a-z0-9-]{1,40})$")


def domain() -> str:
    return str(settings.SECRETARIAT_MAIL_DOMAIN).lower()


def _sign(thread_id: int, user_id: int, expiry: int) -> str:
    return salted_hmac(_SALT, f"{thread_id}.{user_id}.{expiry}", algorithm="sha256").hexdigest()[
        :20
    ]


def reply_address(thread_id: int, user_id: int, *, now: float | None = None) -> str:
    days = int(getattr(settings, "BOARD_REPLY_DAYS", 60))
    expiry = int((now if now is not None else time.time()) + days * 86400)
    sig = _sign(thread_id, user_id, expiry)
    return f"reply+{thread_id}.{user_id}.{expiry}.{sig}@{domain()}"


def board_address(code: str) -> str:
    return f"board-{code.lower()}@{domain()}"


@dataclass(frozen=True)
class ReplyAddress:
    thread_id: int
    user_id: int
    expiry: int


@dataclass(frozen=True)
class BoardAddress:
    code: str


class BadAddress(ValueError):
    """Refused: `code` is the SMTP reply code, `reason` the text (and the audit reason)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def parse(address: str, *, now: float | None = None) -> ReplyAddress | BoardAddress:
    local, _, dom = address.strip().strip("<>").rpartition("@")
    if dom.lower() != domain() or not local:
        raise BadAddress(550, "no such mailbox here")
    local = local.lower()
    if m := BOARD_RE.match(local):
        return BoardAddress(m.group(1))
    m = REPLY_RE.match(local)
    if m is None:
        raise BadAddress(550, "no such mailbox here")
    thread_id, user_id, expiry, sig = int(m[1]), int(m[2]), int(m[3]), m[4]
    if not constant_time_compare(sig, _sign(thread_id, user_id, expiry)):
        raise BadAddress(553, "reply address signature is not valid")
    if expiry < (now if now is not None else time.time()):
        raise BadAddress(553, "reply address has expired; reply on the intranet")
    return ReplyAddress(thread_id, user_id, expiry)
