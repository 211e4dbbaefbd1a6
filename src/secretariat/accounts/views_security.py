"""The second step of sign-in, enrolment, and the "Security" pages (devices and sessions).

Thin views: the access helper first, a form for every POST, one action, then respond."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.accounts import access, securitykeys, sessions, twofactor
from secretariat.accounts.forms import (
    ConfirmForm,
    EndSessionForm,
    ThrottledAuthenticationForm,
    TokenForm,
)
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.models import SecurityKey, User, UserSession
from secretariat.accounts.throttle import is_locked_out
from secretariat.core.audit import client_address


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("dashboard")


def _throttled(request: AuthedHttpRequest) -> bool:
    return is_locked_out(request.user.username, client_address(request))


def verify(request: AuthedHttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    next_url = _next_url(request)
    if twofactor.step_for(request) != twofactor.Step.VERIFY:
        return HttpResponseRedirect(next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, ThrottledAuthenticationForm.error_messages["throttled"])
        elif twofactor.do_verify_second_factor(request, form.cleaned_data["token"]) is None:
            form.add_error("token", _("That code is not valid. Try the next code of your app."))
        else:
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/twofactor_verify.html",
        {
            "form": form,
            "next": next_url,
            "has_key": securitykeys.has_key(request.user),
            "has_totp": twofactor.has_totp(request.user),
        },
    )


def enrol(request: AuthedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, confirm with its first code."""
    next_url = _next_url(request)
    step = twofactor.step_for(request)
    if step == twofactor.Step.VERIFY:  # a device exists: it must be used before adding one
        return twofactor.redirect_to_step(step, request.get_full_path())
    device = twofactor.do_start_totp_enrolment(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request):
            form.add_error(None, ThrottledAuthenticationForm.error_messages["throttled"])
        else:
            codes = twofactor.do_confirm_totp_device(request, device, form.cleaned_data["token"])
            if codes:
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": next_url, "enrolled": True},
                )
            form.add_error("token", _("That code is not valid. Check the time on your phone."))
    return render(
        request,
        "accounts/twofactor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "required": step == twofactor.Step.ENROL,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.totp_secret_base32(device),
        },
    )


@require_POST
def recovery_codes(request: AuthedHttpRequest) -> HttpResponse:
    """New recovery codes, shown once."""
    if not ConfirmForm(request.POST).is_valid() or not twofactor.has_device(request.user):
        return redirect("account-security")
    codes = twofactor.do_regenerate_recovery_codes(request, request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("account-security"), "enrolled": False},
    )


def security(request: AuthedHttpRequest) -> HttpResponse:
    """My second factor and my active sessions."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "devices": [
                d for d in twofactor.confirmed_devices(user) if not isinstance(d, SecurityKey)
            ],
            "keys": securitykeys.keys_of(user),
            "recovery_left": twofactor.recovery_codes_left(user),
            "required": access.must_use_two_factor(user),
            "sessions": sessions.active_sessions(user, request),
        },
    )


@require_POST
def end_session(request: AuthedHttpRequest) -> HttpResponse:
    form = EndSessionForm(request.POST)
    if not form.is_valid():
        raise Http404
    row = UserSession.objects.select_related("user").filter(pk=form.cleaned_data["session"]).first()
    if row is None or not access.can_end_sessions_of(request.user, row.user):
        raise Http404
    sessions.do_end_session(row, actor=request.user, request=request)
    messages.success(request, _("The session was ended."))
    if row.user_id != request.user.pk:
        return redirect("account-user-security", pk=row.user_id)
    return redirect("account-security")


@require_POST
def end_other_sessions(request: AuthedHttpRequest) -> HttpResponse:
    if not ConfirmForm(request.POST).is_valid():
        return redirect("account-security")
    ended = sessions.do_end_all_sessions(
        request.user, actor=request.user, request=request, keep_current=True
    )
    messages.success(
        request,
        ngettext(
            "%(count)d other session was ended.", "%(count)d other sessions were ended.", ended
        )
        % {"count": ended},
    )
    return redirect("account-security")


# --- the secretariat's view of other accounts ------------------------------------------------
@dataclass(frozen=True)
class AccountRow:
    user: User
    enrolled: bool
    required: bool


def accounts_list(request: AuthedHttpRequest) -> HttpResponse:
    if not access.is_secretariat(request.user):
        raise Http404
    users = list(User.objects.select_related("delegation").order_by("username"))
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    enrolled |= set(SecurityKey.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [AccountRow(u, u.pk in enrolled, access.must_use_two_factor(u)) for u in users]
    return render(request, "accounts/accounts_list.html", {"rows": rows})


def account_security(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = access.get_account_for(request, pk)
    return render(
        request,
        "accounts/account_security.html",
        {
            "target": target,
            "devices": twofactor.confirmed_devices(target),
            "recovery_left": twofactor.recovery_codes_left(target),
            "sessions": sessions.active_sessions(target, request),
            "may_reset": access.can_reset_two_factor(request.user, target),
        },
    )


@require_POST
def reset_two_factor(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = access.get_account_for(request, pk)
    if not access.can_reset_two_factor(request.user, target):
        raise PermissionDenied
    if ConfirmForm(request.POST).is_valid():
        twofactor.do_reset_two_factor(target, actor=request.user, request=request)
        messages.success(
            request,
            _("The second factor of %(name)s was reset; they enrol again at their next sign-in.")
            % {"name": target.get_username()},
        )
    return redirect("account-user-security", pk=target.pk)


@require_POST
def end_all_sessions(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = access.get_account_for(request, pk)
    if ConfirmForm(request.POST).is_valid():
        ended = sessions.do_end_all_sessions(target, actor=request.user, request=request)
        messages.success(
            request,
            ngettext("%(count)d session was ended.", "%(count)d sessions were ended.", ended)
            % {"count": ended},
        )
    return redirect("account-user-security", pk=target.pk)
