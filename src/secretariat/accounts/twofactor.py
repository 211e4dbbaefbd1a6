"""Two-factor sign-in: the second step after the password, enrolment, recovery codes, reset.

django-otp does the cryptography (TOTP devices, static recovery-code devices, the verified
mark in the session); this module decides when the second step is asked (`step_for`), gates
every page until it is done (`TwoFactorMiddleware`), and holds the audited actions.

Who must have a device is `accounts.access.must_use_two_factor` (the secretariat and the
Chairmanship). Anyone else may enrol one; once they have a confirmed device it is asked for at
every sign-in. Wrong codes count as failed logins in the audit log, so the password step's
throttle (`accounts.throttle`) covers the second step as well, across every web process.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Callable

import segno
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.accounts.access import must_use_two_factor
from secretariat.accounts.models import User
from secretariat.accounts.sessions import do_end_all_sessions
from secretariat.core import audit

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Set when the password alone was enough for this session (no device, not required), so later
# requests need no query to know it; cleared at every sign-in.
_EXEMPT_KEY = "twofactor_exempt"


class Step(enum.Enum):
    NONE = "none"  # the password is enough for this user
    DONE = "done"  # the second factor was given in this session
    VERIFY = "verify"  # a code is due
    ENROL = "enrol"  # a device must be enrolled first


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(callable(check) and check())


def has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def step_for(request: HttpRequest) -> Step:
    """Where the request's (signed-in) user stands with the second factor."""
    user = request.user
    if not isinstance(user, User):  # anonymous (the lazy user object passes as a User)
        return Step.NONE
    if request.session.get(_EXEMPT_KEY):
        return Step.NONE
    if is_verified(request):
        return Step.DONE
    if has_device(user):
        return Step.VERIFY
    if must_use_two_factor(user):
        return Step.ENROL
    request.session[_EXEMPT_KEY] = True
    return Step.NONE


def on_login(request: HttpRequest, user: User) -> None:
    """A new sign-in decides afresh whether a code is due (here, so that the pages after it
    need no query to know that the password was enough)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(_EXEMPT_KEY, None)
    if not must_use_two_factor(user) and not has_device(user):
        session[_EXEMPT_KEY] = True


def redirect_to_step(step: Step, next_url: str) -> HttpResponseRedirect:
    name = "twofactor-verify" if step == Step.VERIFY else "twofactor-enrol"
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return HttpResponseRedirect(reverse(name) + query)


# Pages a user may reach half signed in: the step itself, signing out, the language.
_OPEN_FOR = {
    Step.VERIFY: {
        "twofactor-verify",
        "securitykey-auth-begin",
        "securitykey-auth-complete",
        "logout",
        "switch-language",
    },
    Step.ENROL: {
        "twofactor-enrol",
        "securitykey-add",
        "securitykey-register-begin",
        "securitykey-register-complete",
        "logout",
        "switch-language",
    },
}


class TwoFactorMiddleware:
    """Until the second step is done, every page but the step itself redirects to it.
    Listed after django-otp's OTPMiddleware (which marks the verified user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        step = step_for(request)
        if step not in _OPEN_FOR:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _OPEN_FOR[step]:
            return None
        return redirect_to_step(step, request.get_full_path())


# --- reading devices -------------------------------------------------------------------------
def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def confirmed_devices(user: User) -> list[Device]:
    return list(devices_for_user(user, confirmed=True))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps let one type it in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code, drawn here: no outside service sees it."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#111"))


# --- actions ---------------------------------------------------------------------------------
def do_start_totp_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed device the enrolment page shows (the same one until it is confirmed,
    so reloading the page does not change the QR code under the user's phone)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def do_confirm_totp_device(request: HttpRequest, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with its first code; the session counts as verified from now on.
    Returns the new recovery codes (shown once), or [] if the code was wrong (a failed login
    for the throttle)."""
    user = device.user
    with transaction.atomic():
        if not device.verify_token(token):
            audit.record(
                "login.failed", request=request, actor_name=user.username, step="enrolment"
            )
            return []
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        audit.record("twofactor.enrolled", actor=user, obj=user, request=request, device="totp")
        # Sessions signed in with the password alone do not stay open beside the new device.
        do_end_all_sessions(
            user, actor=user, request=request, reason="twofactor.enrolled", keep_current=True
        )
    otp_login(request, device)
    return codes


def do_regenerate_recovery_codes(request: HttpRequest, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = new_recovery_codes(user)
        audit.record("twofactor.recovery_codes_renewed", actor=user, obj=user, request=request)
    return codes


def do_verify_second_factor(request: HttpRequest, token: str) -> Device | None:
    """The second step: a code from any confirmed device of the user (a recovery code works
    once: django-otp deletes it as it matches)."""
    user = request.user
    assert isinstance(user, User)
    with transaction.atomic():
        device = match_token(user, token)
        if device is None:
            audit.record(
                "login.failed", request=request, actor_name=user.username, step="second_factor"
            )
            return None
        if isinstance(device, StaticDevice):
            audit.record(
                "login.second_factor",
                actor=user,
                obj=user,
                request=request,
                device="recovery_code",
                recovery_codes_left=device.token_set.count(),
            )
        else:
            audit.record(
                "login.second_factor", actor=user, obj=user, request=request, device="totp"
            )
    otp_login(request, device)
    return device


def do_reset_two_factor(target: User, *, actor: User, request: HttpRequest | None = None) -> int:
    """Remove every device of `target` (a lost phone) and end their sessions: they enrol again
    at their next sign-in. The caller has checked `access.can_reset_two_factor`."""
    with transaction.atomic():
        removed = 0
        for device in devices_for_user(target, confirmed=None):
            device.delete()
            removed += 1
        audit.record("twofactor.reset", actor=actor, obj=target, request=request, removed=removed)
        do_end_all_sessions(target, actor=actor, request=request, reason="twofactor.reset")
    return removed
