"""The demo forums: CICA (the default) and ASEM, each loaded from its register file.

`registers/<forum>.yaml` is an ordinary forum register (docs/forum-register.md): the demo
loads it with `accounts.forum_register.load_register`, then gives the people it lists the
password `demo` (and the authenticator of `DEMO_TOTP_KEY` to those who must use one). Loading
is idempotent: rows are found by their natural keys and only written when they differ.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.accounts.access import must_use_two_factor
from secretariat.accounts.forum_register import load_register, read_register
from secretariat.accounts.models import Role, User

DEMO_DIR = Path(__file__).resolve().parent
REGISTERS = {
    "cica": DEMO_DIR / "registers" / "cica.yaml",
    "asem": DEMO_DIR / "registers" / "asem.yaml",
}
DEFAULT_FORUM = "cica"
DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, created by the demo command alone
# The demo accounts that must sign in with a second factor get an authenticator device with
# this fixed secret (hex, as django-otp stores it), so the demo and the browser tests can make
# the current code: `demo_totp_code()`, or add the base32 key the demo prints to an app.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


@transaction.atomic
def load_users(path: Path) -> list[tuple[str, str]]:
    """The demo accounts of the register's people: password `demo` (set once, so a second
    load changes nothing), a demo authenticator where one is required; returns (user name,
    description) pairs."""
    out = []
    for person in read_register(path).data.get("people", []):
        user = User.objects.select_related("delegation").get(username=person["username"])
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if must_use_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, name="Demo authenticator").first()
            if device is None:
                TOTPDevice.objects.create(
                    user=user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True
                )
            elif device.key != DEMO_TOTP_KEY or not device.confirmed:
                device.key, device.confirmed = DEMO_TOTP_KEY, True
                device.save(update_fields=["key", "confirmed"])
        delegation = user.delegation
        label = str(Role(user.role).label) + (f" ({delegation.name_en})" if delegation else "")
        out.append((user.username, label))
    return out


def demo_totp_secret() -> str:
    """The demo device's key as authenticator apps take it (base32)."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


def demo_totp_code(step_offset: int = 0) -> str:
    """The code the demo device shows now (`step_offset` 1: the next one), six digits."""
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY), drift=step_offset):06d}"


def load_forum(forum: str = DEFAULT_FORUM) -> list[tuple[str, str]]:
    """Load the demo forum's register and its demo accounts."""
    path = REGISTERS[forum]
    with transaction.atomic():
        load_register(path)
        return load_users(path)
