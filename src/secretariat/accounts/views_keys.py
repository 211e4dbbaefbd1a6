"""Security keys (WebAuthn): the enrolment page, the JSON calls its script makes (begin gives
the browser its options, complete hands back what the key signed), the confirmation that
re-asks for a factor, and removal.

Thin views over `securitykeys`; every JSON call answers a clear 4xx for anything it cannot use
(never a 500), as `{"error": message}`, which static/js/webauthn.js shows to the user."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import match_token

from secretariat.accounts import securitykeys, twofactor
from secretariat.accounts.forms import (
    ConfirmForm,
    SecurityKeyNameForm,
    ThrottledAuthenticationForm,
    TokenForm,
)
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.models import SecurityKey
from secretariat.accounts.throttle import is_locked_out, record_refusal
from secretariat.accounts.views_security import _next_url
from secretariat.core import audit
from secretariat.core.audit import client_address

_NEW_CODES_KEY = "twofactor_new_codes"


def _error(message: Any, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def _json(request: HttpRequest) -> dict[str, Any] | None:
    try:
        return securitykeys.parse_body(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


def _next_from(request: HttpRequest, data: dict[str, Any]) -> str:
    """Where to go once the key answered: the script sends the page's `next` in its JSON."""
    candidate = data.get("next")
    if (
        isinstance(candidate, str)
        and candidate
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return reverse("dashboard")


def _throttled(request: AuthedHttpRequest) -> JsonResponse | None:
    username = request.user.get_username()
    if is_locked_out(username, client_address(request)):
        record_refusal(username, request)
        return _error(ThrottledAuthenticationForm.error_messages["throttled"], status=429)
    return None


# --- enrolment -------------------------------------------------------------------------------
def key_add(request: AuthedHttpRequest) -> HttpResponse:
    """Name a new security key and touch it."""
    next_url = _next_url(request)
    step = twofactor.step_for(request)
    if step == twofactor.Step.VERIFY:  # a device exists: it must be used before adding one
        return twofactor.redirect_to_step(step, request.get_full_path())
    return render(
        request,
        "accounts/securitykey_add.html",
        {
            "form": SecurityKeyNameForm(),
            "next": next_url,
            "required": step == twofactor.Step.ENROL,
            "keys": securitykeys.keys_of(request.user),
        },
    )


@require_POST
def register_begin(request: AuthedHttpRequest) -> JsonResponse:
    if twofactor.step_for(request) == twofactor.Step.VERIFY:
        return _error(_("Give your second factor first."), status=403)
    data = _json(request)
    if data is None:
        return _error(_("The request was not understood."))
    name = data.get("name")
    form = SecurityKeyNameForm({"name": name if isinstance(name, str) else ""})
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("name") or []]
        return _error(" ".join(errors) or _("Give the key a name."))
    return JsonResponse(securitykeys.begin_registration(request, form.cleaned_data["name"]))


@require_POST
def register_complete(request: AuthedHttpRequest) -> JsonResponse:
    if twofactor.step_for(request) == twofactor.Step.VERIFY:
        return _error(_("Give your second factor first."), status=403)
    data = _json(request)
    credential = data.get("credential") if data is not None else None
    if data is None or not isinstance(credential, dict):
        securitykeys.discard_challenge(request, "register")
        audit.record(
            "twofactor.enrol_failed",
            request=request,
            actor_name=request.user.get_username(),
            step="security_key_enrolment",
            reason="malformed",
        )
        return _error(_("The request was not understood."))
    try:
        key, codes = securitykeys.do_complete_registration(request, credential)
    except securitykeys.KeyRefused as refused:
        return _error(refused.message)
    next_url = _next_from(request, data)
    if codes:
        request.session[_NEW_CODES_KEY] = codes
        return JsonResponse(
            {"redirect": reverse("securitykey-added") + "?" + urlencode({"next": next_url})}
        )
    messages.success(request, _("The security key “%(name)s” was added.") % {"name": key.name})
    return JsonResponse({"redirect": next_url})


def key_added(request: AuthedHttpRequest) -> HttpResponse:
    """After a first factor: its recovery codes, shown once."""
    codes = request.session.pop(_NEW_CODES_KEY, None)
    if not codes:
        return HttpResponseRedirect(reverse("account-security"))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _next_url(request), "enrolled": "security_key"},
    )


# --- use -------------------------------------------------------------------------------------
def _wrong_step(request: AuthedHttpRequest, purpose: str) -> JsonResponse | None:
    """ "login" is the sign-in step; "confirm" is for a user who is fully signed in."""
    step = twofactor.step_for(request)
    if purpose == "login" and step != twofactor.Step.VERIFY:
        return _error(_("No second step is due."), status=409)
    if purpose == "confirm" and step not in (twofactor.Step.NONE, twofactor.Step.DONE):
        return _error(_("Give your second factor first."), status=403)
    if not securitykeys.has_key(request.user):
        return _error(_("You have no security key."), status=409)
    return None


@require_POST
def auth_begin(request: AuthedHttpRequest, purpose: str) -> JsonResponse:
    refusal = _wrong_step(request, purpose) or _throttled(request)
    if refusal is not None:
        return refusal
    if _json(request) is None:
        return _error(_("The request was not understood."))
    return JsonResponse(securitykeys.begin_authentication(request, purpose))


@require_POST
def auth_complete(request: AuthedHttpRequest, purpose: str) -> JsonResponse:
    refusal = _wrong_step(request, purpose) or _throttled(request)
    if refusal is not None:
        securitykeys.discard_challenge(request, purpose)
        return refusal
    data = _json(request)
    credential = data.get("credential") if data is not None else None
    if data is None or not isinstance(credential, dict):
        securitykeys.discard_challenge(request, purpose)
        audit.record(
            "login.failed",
            request=request,
            actor_name=request.user.get_username(),
            step="security_key" if purpose == "login" else "security_key_confirm",
            reason="malformed",
        )
        return _error(_("The request was not understood."))
    try:
        securitykeys.do_complete_authentication(request, purpose, credential)
    except securitykeys.KeyRefused as refused:
        return _error(refused.message)
    return JsonResponse({"redirect": _next_from(request, data)})


# --- re-asking for a factor, removal ---------------------------------------------------------
def confirm(request: AuthedHttpRequest) -> HttpResponse:
    """Give a factor again before a sensitive change (removing a key): a key, a code from the
    app or a recovery code. Then back to `next`, which may act once within a few minutes."""
    next_url = _next_url(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = request.user.get_username()
        if is_locked_out(username, client_address(request)):
            record_refusal(username, request)
            form.add_error(None, ThrottledAuthenticationForm.error_messages["throttled"])
        elif (device := match_token(request.user, form.cleaned_data["token"])) is None:
            audit.record("login.failed", request=request, actor_name=username, step="confirm")
            form.add_error("token", _("That code is not valid. Try the next code of your app."))
        else:
            audit.record(
                "twofactor.reconfirmed",
                actor=request.user,
                obj=request.user,
                request=request,
                device=type(device).__name__,
            )
            securitykeys.mark_reconfirmed(request)
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/twofactor_confirm.html",
        {
            "form": form,
            "next": next_url,
            "has_key": securitykeys.has_key(request.user),
            "has_totp": twofactor.has_totp(request.user),
        },
    )


def _own_key(request: AuthedHttpRequest, pk: int) -> SecurityKey:
    return get_object_or_404(SecurityKey, pk=pk, user=request.user, confirmed=True)


def key_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Remove one of my keys, after giving a factor again."""
    key = _own_key(request, pk)
    here = reverse("securitykey-remove", args=[key.pk])
    if not securitykeys.is_reconfirmed(request):
        return HttpResponseRedirect(reverse("twofactor-confirm") + "?" + urlencode({"next": here}))
    if request.method == "POST":
        if not ConfirmForm(request.POST).is_valid():
            raise Http404
        if not securitykeys.take_reconfirmation(request):
            return HttpResponseRedirect(
                reverse("twofactor-confirm") + "?" + urlencode({"next": here})
            )
        try:
            securitykeys.do_remove_key(request, key)
        except securitykeys.LastFactor:
            messages.error(
                request,
                _(
                    "Your role requires a second factor: add another key or an authenticator "
                    "app before removing this one."
                ),
            )
        else:
            messages.success(
                request, _("The security key “%(name)s” was removed.") % {"name": key.name}
            )
        return HttpResponseRedirect(reverse("account-security"))
    return render(request, "accounts/securitykey_remove.html", {"key": key})
