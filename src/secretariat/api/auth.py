"""Who an API request acts as: a personal token (`Authorization: Bearer sct_...`) or the
browser's session (with the CSRF check on writes). Either way the request's user is set, so the
access policy and the audit log see the same person they see on the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from secretariat.api import tokens
from secretariat.api.models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = tokens.find_token(token.strip())
        if found is None:
            # Unknown, malformed, revoked or expired: one answer for all, never the session.
            raise AuthenticationError(401, "The token is unknown, revoked or expired.")
        if request.method not in SAFE_METHODS and not found.can_write:
            raise AuthorizationError(403, "This token may only read.")
        tokens.note_use(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


class Session(SessionAuth):
    """The signed-in browser (Django's session; CSRF checked on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


bearer = BearerToken()
session = Session()
