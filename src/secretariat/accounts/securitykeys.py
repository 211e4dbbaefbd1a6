"""Security keys (WebAuthn) as a second factor beside the authenticator app.

py_webauthn builds the options the browser's `navigator.credentials` calls take and verifies
what the authenticator signed (origin, relying party, challenge, signature); this module keeps
the challenges, the keys (`models.SecurityKey`, a django-otp device, so the sign-in step, the
required-2FA gate and the reset count it like any other device), the sign counter and the audit.

Challenges live in the server-side session, one at a time, for one purpose and one user; they
are taken out (single-use) before the answer is even parsed, and refused after
`WEBAUTHN_CHALLENGE_SECONDS`. A wrong key, a bad signature or a sign counter that went
backwards (a cloned key) is a failed login in the audit log, so the password throttle covers
this step too. A refused enrolment is `twofactor.enrol_failed`: there is no secret to guess
there, and counting it would lock a signed-in user out of their next sign-in.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from secretariat.accounts.access import must_use_two_factor
from secretariat.accounts.models import SecurityKey, UsedChallenge, User
from secretariat.accounts.sessions import do_end_all_sessions
from secretariat.accounts.twofactor import new_recovery_codes
from secretariat.core import audit

_CHALLENGE_KEY = "webauthn_challenge"
# Set by a key or a code given on the confirmation page; taken by the one action it allows.
_RECONFIRMED_KEY = "twofactor_reconfirmed_at"
PURPOSES = ("register", "login", "confirm")
MAX_BODY_BYTES = 64 * 1024  # an attestation is a few kB; anything larger is not one
_TRANSPORTS = {t.value for t in AuthenticatorTransport}


_CREDENTIAL_ID = re.compile(r"[A-Za-z0-9_-]{1,1400}")


def _reason(exc: Exception) -> str:
    """The library's explanation for the audit log: it may quote what the browser sent, so
    only printable characters (PostgreSQL refuses NUL in text and JSON), and not too long."""
    text = "".join(ch for ch in str(exc) if ch.isprintable())
    return f"invalid: {text[:200]}"


class KeyRefused(Exception):
    """What the browser sent cannot be accepted; `message` is for the user, `reason` for the
    audit log."""

    def __init__(self, message: Any, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


NO_CHALLENGE = _("This request has expired or was already used. Try again.")
NOT_VERIFIED = _("The security key could not be verified. Try again, or use another factor.")
UNKNOWN_KEY = _(
    "This security key is not registered to your account (it may have been removed). "
    "Use another key, your authenticator app or a recovery code."
)
CLONED_KEY = _(
    "This security key was refused: its use counter went backwards, which a copied key does. "
    "Use another factor and ask the secretariat to check the key."
)
ALREADY_REGISTERED = _("This security key is already registered.")


# --- the relying party -----------------------------------------------------------------------
def relying_party(request: HttpRequest) -> tuple[str, list[str]]:
    """(rp id, accepted origins): from settings when set, else the request's own host (which
    Django has checked against ALLOWED_HOSTS) and scheme."""
    host = request.get_host()
    rp_id = settings.WEBAUTHN_RP_ID or split_domain_port(host)[0]
    origins = list(settings.WEBAUTHN_ORIGINS) or [f"{request.scheme}://{host}"]
    return rp_id, origins


def _user_handle(user: User) -> bytes:
    """A stable opaque handle for the user (WebAuthn asks for no personal data here)."""
    return salted_hmac("secretariat.webauthn.user", str(user.pk)).digest()


# --- reading ---------------------------------------------------------------------------------
def keys_of(user: User) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def has_key(user: User) -> bool:
    return SecurityKey.objects.filter(user=user, confirmed=True).exists()


def _descriptor(key: SecurityKey) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in key.transports or [] if t in _TRANSPORTS]
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(key.credential_id), transports=transports or None
    )


# --- challenges ------------------------------------------------------------------------------
def _store_challenge(request: HttpRequest, purpose: str, challenge: bytes, **extra: Any) -> None:
    assert isinstance(request.user, User)
    request.session[_CHALLENGE_KEY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "user": request.user.pk,
        "expires": time.time() + settings.WEBAUTHN_CHALLENGE_SECONDS,
        **extra,
    }


def _take_challenge(request: HttpRequest, purpose: str) -> dict[str, Any]:
    """The pending challenge for this purpose and user, removed from the session whatever
    happens next (single-use); KeyRefused if there is none or it expired."""
    pending = request.session.pop(_CHALLENGE_KEY, None)
    if (
        not isinstance(pending, dict)
        or pending.get("purpose") != purpose
        or pending.get("user") != request.user.pk
    ):
        raise KeyRefused(NO_CHALLENGE, "no_challenge")
    if float(pending.get("expires", 0)) < time.time():
        raise KeyRefused(NO_CHALLENGE, "challenge_expired")
    now = timezone.now()
    UsedChallenge.objects.filter(
        used_at__lt=now - timedelta(seconds=2 * settings.WEBAUTHN_CHALLENGE_SECONDS)
    ).delete()
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(challenge=str(pending["challenge"])[:128], used_at=now)
    except IntegrityError:
        raise KeyRefused(NO_CHALLENGE, "challenge_reused") from None
    return pending


def discard_challenge(request: HttpRequest, purpose: str) -> None:
    """Drop the pending challenge of this purpose (an answer that could not even be read
    still uses it up)."""
    pending = request.session.get(_CHALLENGE_KEY)
    if isinstance(pending, dict) and pending.get("purpose") == purpose:
        del request.session[_CHALLENGE_KEY]


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object a begin/complete call posts; ValueError if it is not one."""
    if len(body) > MAX_BODY_BYTES:
        raise ValueError("too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except RecursionError as exc:  # "[[[[..." nested past the parser's depth
        raise ValueError("nested too deep") from exc
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data


# --- enrolment -------------------------------------------------------------------------------
def begin_registration(request: HttpRequest, name: str) -> dict[str, Any]:
    """The options for `navigator.credentials.create()`; the challenge and the key's name wait
    in the session for the answer."""
    user = request.user
    assert isinstance(user, User)
    rp_id, _origins = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=_user_handle(user),
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        timeout=settings.WEBAUTHN_CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(k) for k in keys_of(user)],
    )
    _store_challenge(request, "register", options.challenge, name=name)
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def _had_a_factor(user: User) -> bool:
    return any(not isinstance(d, StaticDevice) for d in devices_for_user(user, confirmed=True))


def do_complete_registration(
    request: HttpRequest, credential: dict[str, Any]
) -> tuple[SecurityKey, list[str]]:
    """Verify the new key's attestation and keep it. Returns the key and, for a first factor,
    new recovery codes (shown once). The session counts as verified by the new key."""
    user = request.user
    assert isinstance(user, User)
    rp_id, origins = relying_party(request)
    try:
        with transaction.atomic():
            pending = _take_challenge(request, "register")
            try:
                verified = verify_registration_response(
                    credential=credential,
                    expected_challenge=base64url_to_bytes(pending["challenge"]),
                    expected_rp_id=rp_id,
                    expected_origin=origins,
                    require_user_verification=False,
                )
            except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
                raise KeyRefused(NOT_VERIFIED, _reason(exc)) from exc
            credential_id = bytes_to_base64url(verified.credential_id)
            if SecurityKey.objects.filter(credential_id=credential_id).exists():
                raise KeyRefused(ALREADY_REGISTERED, "already_registered")
            key, codes = _keep_key(request, user, pending, verified, credential)
    except KeyRefused as refused:
        # Outside the transaction, which the refusal rolled back.
        audit.record(
            "twofactor.enrol_failed",
            request=request,
            actor_name=user.get_username(),
            step="security_key_enrolment",
            reason=refused.reason,
        )
        raise
    otp_login(request, key)
    return key, codes


def _keep_key(
    request: HttpRequest,
    user: User,
    pending: dict[str, Any],
    verified: Any,
    credential: dict[str, Any],
) -> tuple[SecurityKey, list[str]]:
    first = not _had_a_factor(user)
    response = credential.get("response")
    raw_transports = response.get("transports") if isinstance(response, dict) else None
    if not isinstance(raw_transports, list):
        raw_transports = []
    key = SecurityKey.objects.create(
        user=user,
        name=str(pending.get("name") or _("Security key"))[:64],
        confirmed=True,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t for t in raw_transports if isinstance(t, str) and t in _TRANSPORTS],
        aaguid=str(verified.aaguid)[:36],
    )
    codes = new_recovery_codes(user) if first else []
    audit.record(
        "twofactor.enrolled",
        actor=user,
        obj=user,
        request=request,
        device="security_key",
        key=key.name,
        key_id=key.pk,
    )
    do_end_all_sessions(
        user, actor=user, request=request, reason="twofactor.enrolled", keep_current=True
    )
    return key, codes


# --- use -------------------------------------------------------------------------------------
def begin_authentication(request: HttpRequest, purpose: str) -> dict[str, Any]:
    """The options for `navigator.credentials.get()`, naming the user's keys."""
    user = request.user
    assert isinstance(user, User)
    rp_id, _origins = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        timeout=settings.WEBAUTHN_CHALLENGE_SECONDS * 1000,
        allow_credentials=[_descriptor(k) for k in keys_of(user)],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _store_challenge(request, purpose, options.challenge)
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def _check_assertion(
    request: HttpRequest, user: User, purpose: str, credential: dict[str, Any]
) -> SecurityKey:
    pending = _take_challenge(request, purpose)
    credential_id = credential.get("id")
    if not isinstance(credential_id, str) or not _CREDENTIAL_ID.fullmatch(credential_id):
        raise KeyRefused(NOT_VERIFIED, "invalid: credential id")
    # A row lock: two answers for the same key cannot both pass the counter check.
    key = (
        SecurityKey.objects.select_for_update()
        .filter(user=user, confirmed=True, credential_id=credential_id)
        .first()
    )
    if key is None:
        raise KeyRefused(UNKNOWN_KEY, "unknown_key")
    rp_id, origins = relying_party(request)
    try:
        # The counter is checked below, after the signature, so that a refusal for a
        # counter that went backwards is told apart from a forged answer.
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(pending["challenge"]),
            expected_rp_id=rp_id,
            expected_origin=origins,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=0,
            require_user_verification=False,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise KeyRefused(NOT_VERIFIED, _reason(exc)) from exc
    new_count = verified.new_sign_count
    if (new_count > 0 or key.sign_count > 0) and new_count <= key.sign_count:
        raise KeyRefused(CLONED_KEY, f"sign_count: {new_count} <= {key.sign_count}")
    key.sign_count = new_count
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    return key


def do_complete_authentication(
    request: HttpRequest, purpose: str, credential: dict[str, Any]
) -> SecurityKey:
    """Check a signed answer of one of the user's keys. For "login" the session becomes
    verified; for "confirm" the next sensitive action is allowed (`take_reconfirmation`)."""
    user = request.user
    assert isinstance(user, User)
    try:
        with transaction.atomic():
            key = _check_assertion(request, user, purpose, credential)
            action = "login.second_factor" if purpose == "login" else "twofactor.reconfirmed"
            audit.record(
                action,
                actor=user,
                obj=user,
                request=request,
                device="security_key",
                key=key.name,
                key_id=key.pk,
            )
    except KeyRefused as refused:
        # Outside the transaction, which the refusal rolled back.
        audit.record(
            "login.failed",
            request=request,
            actor_name=user.get_username(),
            step="security_key" if purpose == "login" else "security_key_confirm",
            reason=refused.reason,
        )
        raise
    if purpose == "login":
        otp_login(request, key)
    else:
        mark_reconfirmed(request)
    return key


# --- re-asking before a sensitive change -----------------------------------------------------
def mark_reconfirmed(request: HttpRequest) -> None:
    request.session[_RECONFIRMED_KEY] = time.time()


def is_reconfirmed(request: HttpRequest) -> bool:
    at = request.session.get(_RECONFIRMED_KEY)
    return isinstance(at, float | int) and time.time() - at < settings.TWOFACTOR_RECONFIRM_SECONDS


def take_reconfirmation(request: HttpRequest) -> bool:
    """True once per factor given on the confirmation page, within its time."""
    fresh = is_reconfirmed(request)
    request.session.pop(_RECONFIRMED_KEY, None)
    return fresh


# --- removal ---------------------------------------------------------------------------------
class LastFactor(Exception):
    """Removing this key would leave a user who must use a second factor without one."""


def do_remove_key(request: HttpRequest, key: SecurityKey) -> None:
    """Remove one of the user's own keys (the caller re-asked for a factor). A user who must
    use a second factor keeps at least one; anyone else left without a factor loses the
    recovery codes too (they would otherwise still be asked for one at sign-in)."""
    user = key.user
    with transaction.atomic():
        others = [
            d
            for d in devices_for_user(user, confirmed=True)
            if not isinstance(d, StaticDevice) and d.persistent_id != key.persistent_id
        ]
        if not others and must_use_two_factor(user):
            raise LastFactor
        name, pk = key.name, key.pk
        key.delete()
        removed_codes = False
        if not others:
            removed_codes = StaticDevice.objects.filter(user=user).delete()[0] > 0
        audit.record(
            "twofactor.removed",
            actor=request.user,
            obj=user,
            request=request,
            device="security_key",
            key=name,
            key_id=pk,
            recovery_codes_removed=removed_codes,
        )
