"""The demo forum: CICA, its delegations, bodies and demo accounts.

Loading is idempotent: every row is looked up by its natural key and only created or brought
back to the demo values when it differs, so running the demo twice changes nothing.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.accounts.access import must_use_two_factor
from secretariat.accounts.models import Body, Delegation, DelegationAlias, Forum, Role, User

DEMO_DIR = Path(__file__).resolve().parent
REGISTER_FILE = DEMO_DIR / "cica_register.json"
DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, created by the demo command alone
# The demo accounts that must sign in with a second factor get an authenticator device with
# this fixed secret (hex, as django-otp stores it), so the demo and the browser tests can make
# the current code: `demo_totp_code()`, or add the base32 key the demo prints to an app.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"

BODIES = [
    # code, English, Russian, reports to, members (None = every member state)
    ("SUMMIT", "Summit", "Саммит", None, None),
    ("MC", "Ministerial Council", "Совет министров", "SUMMIT", None),
    ("SOC", "Senior Officials Committee", "Комитет старших должностных лиц", "MC", None),
    ("SWG", "Special Working Group", "Специальная рабочая группа", "SOC", None),
    (
        "ICT-WG",
        "ICT Security Working Group",
        "Рабочая группа по безопасности ИКТ",
        "SWG",
        ["CHN", "RUS", "KAZ", "IRAN", "THA"],
    ),
]

DEMO_USERS = [
    # user name, first, last, role, delegation code
    ("secretariat", "Aigerim", "Seitkali", Role.SECRETARIAT, None),
    ("chair", "Yerlan", "Chairmanship", Role.CHAIR, "CHAIR"),
    ("ind", "Priya", "Raman", Role.DELEGATE, "IND"),
    ("chn", "Li", "Wei", Role.DELEGATE, "CHN"),
    ("rus", "Ivan", "Petrov", Role.DELEGATE, "RUS"),
    ("isr", "Noa", "Levi", Role.DELEGATE, "ISR"),
    ("observer", "Olivia", "Observer", Role.OBSERVER, None),
]


def _sync(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
    return obj


@transaction.atomic
def load_register(path: Path = REGISTER_FILE) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    forum = data["forum"]
    if Forum.current() is None:
        Forum.objects.create(**forum)
    for entry in data["delegations"]:
        delegation = _sync(
            Delegation,
            {"code": entry["code"]},
            {"name_en": entry["name_en"], "name_ru": entry["name_ru"], "kind": entry["kind"]},
        )
        for alias in entry.get("aliases", []):
            _sync(DelegationAlias, {"alias": alias}, {"delegation": delegation})


@transaction.atomic
def load_bodies() -> None:
    members = list(Delegation.objects.filter(kind=Delegation.Kind.MEMBER))
    for order, (code, name_en, name_ru, parent, codes) in enumerate(BODIES):
        body = _sync(
            Body,
            {"code": code},
            {
                "name_en": name_en,
                "name_ru": name_ru,
                "order": order * 10,
                "reports_to": Body.objects.get(code=parent) if parent else None,
            },
        )
        wanted = members if codes is None else [m for m in members if m.code in codes]
        if set(body.members.values_list("pk", flat=True)) != {m.pk for m in wanted}:
            body.members.set(wanted)


@transaction.atomic
def load_users() -> list[tuple[str, str]]:
    """Create the demo accounts (password `demo`); returns (user name, description) pairs."""
    out = []
    for username, first, last, role, code in DEMO_USERS:
        delegation = Delegation.objects.get(code=code) if code else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        is_admin = role == Role.SECRETARIAT
        values = {
            "first_name": first,
            "last_name": last,
            "role": role,
            "delegation": delegation,
            "is_staff": is_admin,
            "is_superuser": is_admin,
            "email": f"{username}@demo.secretariat.test",
        }
        dirty = user.pk is None or any(getattr(user, k) != v for k, v in values.items())
        if dirty:
            for k, v in values.items():
                setattr(user, k, v)
            user.save()
        if must_use_two_factor(user):
            _sync(
                TOTPDevice,
                {"user": user, "name": "Demo authenticator"},
                {"key": DEMO_TOTP_KEY, "confirmed": True},
            )
        label = str(Role(role).label) + (f" ({delegation.name_en})" if delegation else "")
        out.append((username, label))
    return out


def demo_totp_secret() -> str:
    """The demo device's key as authenticator apps take it (base32)."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


def demo_totp_code(step_offset: int = 0) -> str:
    """The code the demo device shows now (`step_offset` 1: the next one), six digits."""
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY), drift=step_offset):06d}"


def load_forum() -> list[tuple[str, str]]:
    load_register()
    load_bodies()
    return load_users()
