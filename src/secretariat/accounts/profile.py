"""A user's own profile: name, email, language and time zone. One atomic, audited change
(old and new values), as every change of the product is.

A new email address is not taken at once: `do_request_email_change` asks for it (audited) and
sends `email_change_requested`, on which the outbox queues a confirmation link to the new
address and a notice to the old one (accounts imports no outbox). The link's token
(`email_change_token`) names the user, the new address and the address it replaces, and expires
after EMAIL_CHANGE_MAX_AGE; `do_confirm_email_change` sets the address only while the old one
is still the account's (so a link works once, and a later change voids older links).

An address is one account's: another account's address (in any letter case) is refused when
asked for, and again when the link is used (another account may have taken it meanwhile).
Clearing the address takes effect at once (nothing to confirm), audited, and the old address is
told (`email_cleared`); refused for the accounts that must keep one (`access.must_keep_email`:
the secretariat and the Chairmanship, whose mail and password resets go there)."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core import signing
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext

from secretariat.accounts.access import must_keep_email
from secretariat.accounts.models import User
from secretariat.core import audit

FIELDS = ("first_name", "last_name", "email", "language", "time_zone")

EMAIL_CHANGE_SALT = "secretariat.accounts.email-change"
EMAIL_CHANGE_MAX_AGE_SECONDS = 24 * 3600

# Sent inside the request's transaction: `user`, `address` (the new one, not yet set).
email_change_requested = Signal()
# Sent inside the transaction that removed it: `user`, `address` (the old one, no longer set).
email_cleared = Signal()


class EmailChangeVoid(Exception):
    """The confirmation link is not valid (any more)."""


class EmailChangeRefused(Exception):
    """The address may not be set or removed; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def taken_message() -> str:
    return gettext("This email address is already used by another account.")


def required_message() -> str:
    return gettext(
        "Your account needs an email address: the secretariat's and the Chairmanship's mail "
        "and password resets go there. Enter another address instead of removing it."
    )


def email_in_use(address: str, user: User) -> bool:
    """Whether another account than `user`'s has `address` (letter case aside)."""
    address = address.strip()
    return bool(address) and (
        User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists()
    )


def email_refusal(user: User, address: str) -> str | None:
    """Why `user` may not ask for `address` (blank: remove the address), or None."""
    address = address.strip()
    if not address:
        return required_message() if user.email and must_keep_email(user) else None
    if address.lower() != (user.email or "").lower() and email_in_use(address, user):
        return taken_message()
    return None


@cache
def time_zones() -> list[str]:
    """The zones a user picks from: the canonical Area/City names and UTC, without the
    database's legacy aliases ("GB-Eire", "W-SU", "Zulu", "localtime", "Factory")."""
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    """Choices for a time-zone field; a legacy alias already stored stays choosable, so an
    edit does not fail on a value the user did not touch."""
    zones = time_zones()
    if current and current not in zones and current in zoneinfo.available_timezones():
        zones = sorted([*zones, current])
    return [(z, z) for z in zones]


def do_update_profile(user: User, *, actor: User, **values: str) -> list[str]:
    """Set the given profile fields of `user`; returns the names of those that changed (an
    edit that changes nothing writes nothing)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changes = {
            name: (getattr(locked, name), value)
            for name, value in values.items()
            if getattr(locked, name) != value
        }
        if not changes:
            return []
        for name, (_old, new) in changes.items():
            setattr(locked, name, new)
        locked.save(update_fields=list(changes))
        audit.record(
            "account.profile",
            actor=actor,
            obj=locked,
            old={k: old for k, (old, _new) in changes.items()},
            new={k: new for k, (_old, new) in changes.items()},
        )
    for name, (_old, new) in changes.items():
        setattr(user, name, new)
    return list(changes)


def do_request_email_change(user: User, address: str, *, actor: User) -> bool:
    """Ask to change `user`'s email address to `address`: nothing changes until the link sent
    to that address is opened. Whether a change was asked (False: it is the current one)."""
    address = address.strip()
    if not address or address.lower() == (user.email or "").lower():
        return False
    refusal = email_refusal(user, address)
    if refusal is not None:
        raise EmailChangeRefused(refusal)
    with transaction.atomic():
        audit.record(
            "account.email_change_requested", actor=actor, obj=user, old=user.email, new=address
        )
        email_change_requested.send(sender=User, user=user, address=address)
    return True


def do_clear_email(user: User, *, actor: User) -> str:
    """Remove `user`'s email address at once (nothing to confirm: no address receives it);
    returns the old one, which is told. EmailChangeRefused for an account that must keep one.
    A blank address is no change ("")."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        old = locked.email or ""
        if not old:
            return ""
        if must_keep_email(user):
            raise EmailChangeRefused(required_message())
        locked.email = ""
        locked.save(update_fields=["email"])
        audit.record("account.email_cleared", actor=actor, obj=locked, old=old, new="")
        email_cleared.send(sender=User, user=locked, address=old)
    user.email = ""
    return old


def email_change_token(user: User, address: str) -> str:
    """The confirmation link's token, made when the message is sent (nothing secret stored)."""
    return signing.dumps(
        {"u": user.pk, "n": address, "o": user.email or ""}, salt=EMAIL_CHANGE_SALT
    )


def read_email_change_token(token: str, user: User) -> str:
    """The new address a token confirms for `user`; EmailChangeVoid if it is not this user's,
    has expired, or the address it replaces is no longer the account's."""
    try:
        value = signing.loads(
            token[:2000], salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        raise EmailChangeVoid from None
    if not isinstance(value, dict) or value.get("u") != user.pk:
        raise EmailChangeVoid
    if str(value.get("o", "")) != (user.email or "") or not value.get("n"):
        raise EmailChangeVoid
    return str(value["n"])[:254]


def do_confirm_email_change(user: User, token: str, *, actor: User) -> str:
    """Set the address the token confirms; returns it. EmailChangeVoid for a void link,
    EmailChangeRefused when another account has the address now."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        address = read_email_change_token(token, locked)
        if email_in_use(address, locked):  # taken by another account since it was asked for
            raise EmailChangeRefused(taken_message())
        old = locked.email
        locked.email = address
        locked.save(update_fields=["email"])
        audit.record("account.email_change", actor=actor, obj=locked, old=old, new=address)
    user.email = address
    return address
