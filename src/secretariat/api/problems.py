"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

import logging
import math
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from secretariat.negotiation.actions.common import ActionError

logger = logging.getLogger("secretariat.api")

PROBLEM_TYPE = "application/problem+json"


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None


class BadCursor(Exception):
    pass


def problem(status: int, detail: str = "", **extra: Any) -> HttpResponse:
    import json

    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = HttpResponse(json.dumps(body, default=str), status=status, content_type=PROBLEM_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="secretariat"'
    return response


def install(api: NinjaAPI) -> None:
    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(exc.status_code, str(exc.message))

    def auth_error(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc.message)
        return problem(401, "" if message == "Unauthorized" else message)

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [
            {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return problem(422, "The request is not valid.", errors=errors)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(404)

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(403, str(exc) if str(exc) else "")

    def action_error(request: HttpRequest, exc: Any) -> HttpResponse:
        status = getattr(exc, "status", 400) or 400
        return problem(status if status in (400, 403, 404, 409) else 400, str(exc))

    def bad_cursor(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(400, "The cursor is not valid.")

    def throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        response = problem(429, "Too many requests: slow down and retry later.")
        response["Retry-After"] = str(max(1, math.ceil(exc.wait or 60)))
        return response

    def server_error(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        return problem(500)

    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, auth_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(ActionError, action_error)
    api.add_exception_handler(BadCursor, bad_cursor)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(Exception, server_error)


# The error statuses the API answers with, each a Problem (documented on every operation).
ERRORS = frozenset({400, 401, 403, 404, 409, 422, 429})
