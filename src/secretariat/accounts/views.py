from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from secretariat.accounts import twofactor
from secretariat.accounts.forms import ThrottledAuthenticationForm
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.register import forum_overview


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.conf import settings

        # A session cookie that no longer names a session: say why the user is here again.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not request.user.is_authenticated:
            messages.info(request, _("Your session has expired. Please log in again."))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        from django.conf import settings

        user = form.get_user()
        # The password was right; a code may still be due before any page opens.
        step = twofactor.step_for(self.request)
        if step in (twofactor.Step.VERIFY, twofactor.Step.ENROL):
            response = twofactor.redirect_to_step(step, self.get_success_url())
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            max_age=365 * 24 * 3600,
        )
        return response


class LogoutView(auth_views.LogoutView):
    """Signing out says so on the page it lands on (the message outlives the session: the
    message storage is kept on the fresh session Django's logout starts)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are signed out."))
        return response


def forum_page(request: AuthedHttpRequest) -> HttpResponse:
    """The forum as its register describes it: who presides and the coordinators' seats held
    today, the groups with their members counted, participants, bodies. Every signed-in user
    may read it (none of it is restricted content)."""
    overview = forum_overview(timezone.localdate())
    return render(request, "accounts/forum.html", {"o": overview})


def directory_page(request: AuthedHttpRequest) -> HttpResponse:
    """The delegations with their contact points and bodies; the contact points only for
    readers of members' content (`directory.may_see_contacts`)."""
    from secretariat.accounts.directory import directory, may_see_contacts
    from secretariat.core.limits import query_text

    text = query_text(request.GET.get("q", ""), 100).strip()
    return render(
        request,
        "accounts/directory.html",
        {
            "entries": directory(request.user, text),
            "text": text,
            "show_contacts": may_see_contacts(request.user),
        },
    )
