"""Creating, checking and revoking personal API tokens (atomic, audited).

A token reads `sct_<prefix>_<secret>`: the prefix (8 random characters) is stored in clear to
find the row and to show the user which token is which; the secret (32 random bytes) is kept
only as HMAC-SHA256 under a key derived from SECRET_KEY. A fast keyed hash is enough: the
secret is random, not a password, so there is nothing to guess that a slow hash would
protect; and checking costs microseconds on every request. Changing SECRET_KEY invalidates
every token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.accounts.models import User
from secretariat.api.models import ApiToken, Scope
from secretariat.core import audit

TOKEN_PREFIX = "sct_"  # noqa: S105 - the marker of our tokens, not a secret
MAX_DAYS = 366
DEFAULT_DAYS = 90
MAX_ACTIVE_PER_USER = 20
USE_RECORD_SECONDS = 300  # a token's last use is rewritten at most this often
USE_RECORD_WAIT_MS = 50


class TokenError(Exception):
    pass


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token string, shown once


def _digest(secret: str) -> str:
    return salted_hmac("secretariat.api.token", secret, algorithm="sha256").hexdigest()


def do_create_token(
    user: User, *, name: str, scope: str = Scope.READ, days: int = DEFAULT_DAYS, actor: User | None
) -> NewToken:
    if scope not in Scope.values:
        raise TokenError(_("Unknown scope."))
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(_("A token lasts between 1 and %(max)d days.") % {"max": MAX_DAYS})
    if not user.is_active:
        raise TokenError(_("This account is not active."))
    name = name.strip()[:100] or _("API token")
    with transaction.atomic():
        active = ApiToken.objects.filter(
            user=user, revoked_at=None, expires_at__gt=timezone.now()
        ).count()
        if active >= MAX_ACTIVE_PER_USER:
            raise TokenError(
                ngettext(
                    "You have %(n)d active token: revoke one first.",
                    "You have %(n)d active tokens: revoke one first.",
                    active,
                )
                % {"n": active}
            )
        prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            digest=_digest(secret),
            scope=scope,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            "api.token.create",
            actor=actor,
            obj=token,
            user=user.username,
            scope=scope,
            expires=token.expires_at.isoformat(),
        )
    return NewToken(token, f"{TOKEN_PREFIX}{prefix}_{secret}")


def do_revoke_token(token: ApiToken, *, actor: User | None) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record("api.token.revoke", actor=actor, obj=token, user=token.user.username)
    return token


def find_token(raw: str) -> ApiToken | None:
    """The active token `raw` stands for, or None (unknown, malformed, revoked, expired).
    Reads only: a request never waits on a write to be let in."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix, sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not secret or len(prefix) != 8:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__delegation").filter(prefix=prefix).first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    return token


def note_use(token: ApiToken) -> None:
    """Record that `token` was used now, at most every USE_RECORD_SECONDS, and never at the
    cost of the request: if the database's write lock is held (a long import on SQLite) or
    the write fails, the use goes unrecorded and the next request tries again."""
    now = timezone.now()
    if token.last_used_at is not None and (now - token.last_used_at).total_seconds() < (
        USE_RECORD_SECONDS
    ):
        return
    try:
        with audit.lock_wait_at_most(USE_RECORD_WAIT_MS):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except OperationalError:
        return
    token.last_used_at = now


def tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def get_token_for(user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; 404 for anyone else's (nobody manages another's)."""
    from django.http import Http404

    token = ApiToken.objects.filter(user=user, pk=pk).select_related("user").first()
    if token is None:
        raise Http404
    return token
