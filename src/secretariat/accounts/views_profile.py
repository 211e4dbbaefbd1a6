"""The user's own profile page, and the password change (Django's view, our template)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from secretariat.accounts.forms import ProfileForm
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.profile import (
    FIELDS,
    EmailChangeRefused,
    EmailChangeVoid,
    do_clear_email,
    do_confirm_email_change,
    do_request_email_change,
    do_update_profile,
    email_in_use,
    read_email_change_token,
    taken_message,
)


def profile(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={f: getattr(user, f) for f in FIELDS}, user=user
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        address = values.pop("email")
        old = user.email
        asked = cleared = False
        try:
            with transaction.atomic():
                changed = do_update_profile(user, actor=user, **values)
                if address:
                    asked = do_request_email_change(user, address, actor=user)
                elif old:
                    cleared = bool(do_clear_email(user, actor=user))
        except EmailChangeRefused as refused:  # the address was taken since the form's check
            user.refresh_from_db()
            form.add_error("email", refused.message)
            return render(request, "accounts/profile.html", {"form": form}, status=400)
        if changed:
            translation.activate(user.language)
            messages.success(request, _("Your profile is saved."))
        elif not (asked or cleared):
            messages.info(request, _("Nothing was changed."))
        if asked:
            messages.info(
                request,
                _(
                    "A link to confirm %(new)s was sent to that address. Until it is opened, "
                    "your account keeps %(old)s."
                )
                % {"new": address, "old": user.email or _("no email address")},
            )
        if cleared:
            messages.info(
                request,
                _(
                    "Your account no longer has an email address: no mail is sent to you, "
                    "and a forgotten password cannot be reset by mail. %(old)s was told."
                )
                % {"old": old},
            )
        response = redirect("account-profile")
        if "language" in changed:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (the old password asked, the validators, the session kept)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account-profile")

    def form_valid(self, form: Any) -> HttpResponse:
        from secretariat.core import audit

        response = super().form_valid(form)
        user = form.user
        audit.record("account.password_change", actor=user, obj=user)
        messages.success(self.request, _("Your password is changed."))
        return response


def confirm_email_change(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The link sent to a new address: the page asks to confirm (a mail scanner opening the
    link changes nothing), the POST sets it. Only the account's own user may."""
    user = request.user
    try:
        address = read_email_change_token(token, user)
        if email_in_use(address, user):
            raise EmailChangeRefused(taken_message())
        if request.method == "POST":
            address = do_confirm_email_change(user, token, actor=user)
            messages.success(
                request, _("Your email address is now %(address)s.") % {"address": address}
            )
            return redirect("account-profile")
    except EmailChangeVoid:
        return render(request, "accounts/email_change_confirm.html", {"valid": False}, status=400)
    except EmailChangeRefused as refused:  # another account took the address meanwhile
        return render(
            request,
            "accounts/email_change_confirm.html",
            {"valid": False, "refusal": refused.message},
            status=409,
        )
    return render(
        request,
        "accounts/email_change_confirm.html",
        {"valid": True, "address": address, "old": user.email},
    )
