"""The request type of views behind the login (LoginRequiredMiddleware guards every view that
is not marked `login_not_required`), so their `request.user` is a real User for the types."""

from __future__ import annotations

from django.http import HttpRequest

from secretariat.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
