"""The password reset by email, through the outbox: Django's reset views and token, the mail
queued as a row (kind + parameters) and rendered in the user's language when it is sent.

The link's token is made at sending time from the user's current state (Django's
`default_token_generator`), so no secret is stored in the outbox, and a password changed
meanwhile makes an unsent message's link void. The request page says the same thing
whether the address is known or not, and whether the request was refused for coming too often
(accounts.throttle: per address and per client, counted from the audit log)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from secretariat.accounts import throttle
from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.core.audit import client_address
from secretariat.outbox.api import RenderedEmail, absolute_url, enqueue_email

KIND = "accounts.password_reset"


def reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def render_reset(params: dict[str, Any], user: User) -> RenderedEmail | None:
    """In the recipient's language (the sender activates it). None for an account that can
    no longer sign in: nothing is sent."""
    if not user.is_active or not user.has_usable_password():
        return None
    subject = _("Reset your password")
    text = "\n\n".join(
        [
            _("Hello %(name)s,") % {"name": user.get_full_name() or user.username},
            _(
                "Someone asked to reset the password of your account %(username)s. If it was "
                "you, open this link and choose a new password:"
            )
            % {"username": user.username},
            reset_link(user),
            _("If you did not ask for it, ignore this message: your password stays as it is."),
        ]
    )
    return RenderedEmail(subject=subject, text=text + "\n", html="")


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form, but the message is a row of the outbox (sent by the worker)."""

    def save(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        """Queue the message, unless this address or client asked too often lately: then
        nothing is sent and the refusal is audited. The page that follows is the same either
        way, as it is for an unknown address."""
        email = self.cleaned_data["email"].strip().lower()
        with transaction.atomic():
            refused = throttle.reset_refused(email, client_address(request))
            throttle.record_reset_request(email, request, refused=refused)
            if refused:
                return
            for user in self.get_users(email):
                row = enqueue_email(user, KIND, {}, key=f"password-reset:{uuid.uuid4().hex}")
                if row is not None:
                    audit.record("account.password_reset_requested", obj=user, actor_name="-")


@method_decorator(login_not_required, name="dispatch")
class ResetRequestView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"


@method_decorator(login_not_required, name="dispatch")
class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record("account.password_reset", obj=form.user, actor=form.user)
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# Mounted by the project's urls.py under accounts/password-reset/ (Django's views reverse
# these names without a namespace).
urlpatterns = [
    path("", ResetRequestView.as_view(), name="password_reset"),
    path("sent/", ResetDoneView.as_view(), name="password_reset_done"),
    path("<uidb64>/<token>/", ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("done/", ResetCompleteView.as_view(), name="password_reset_complete"),
]
