"""The user's own profile page, and the password change (Django's view, our template)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from secretariat.accounts.forms import ProfileForm
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.profile import FIELDS, do_update_profile


def profile(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={f: getattr(user, f) for f in FIELDS})
    if request.method == "POST" and form.is_valid():
        changed = do_update_profile(user, actor=user, **form.cleaned_data)
        if changed:
            translation.activate(user.language)
            messages.success(request, _("Your profile is saved."))
        else:
            messages.info(request, _("Nothing was changed."))
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
