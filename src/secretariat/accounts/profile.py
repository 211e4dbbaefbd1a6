"""A user's own profile: name, email, language and time zone. One atomic, audited change
(old and new values), as every change of the product is."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.db import transaction

from secretariat.accounts.models import User
from secretariat.core import audit

FIELDS = ("first_name", "last_name", "email", "language", "time_zone")


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
