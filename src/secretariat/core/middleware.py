"""The product's own 503 page when the database is unavailable.

A request that meets a lost PostgreSQL connection, a database that refuses connections, or a
SQLite write lock held past the busy timeout ends in an OperationalError or InterfaceError,
wherever it is raised (a view, the session or authentication middleware). Django turns it into
a 500 and sends `got_request_exception`; the receiver below marks the request, and this
middleware, first in the chain, answers with `503.html` instead: rendered without a request
context (no context processor, no database access), with `Retry-After`. Connections are opened
per request (CONN_MAX_AGE 0) and Django drops an unusable one at the end of the request, so the
web processes recover without a restart once the database is back.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger("secretariat.unavailable")

RETRY_AFTER_SECONDS = 30
_MARK = "_secretariat_database_unavailable"


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response() -> HttpResponse:
    try:
        body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    except Exception:  # the page must come out even if its template cannot
        body = "<!doctype html><title>503</title><p>Service temporarily unavailable.</p>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def mark_unavailable(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """`got_request_exception` receiver: note a database failure on the request."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_unavailable(exc):
        setattr(request, _MARK, True)
        logger.warning("Database unavailable during %s %s: %s", request.method, request.path, exc)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError):  # only when exceptions propagate
            return unavailable_response()
        if getattr(request, _MARK, False):
            return unavailable_response()
        return response


class AuditAddressMiddleware:
    """Every audit row written while answering a request carries its client address, though
    the actions that write them take no request (see core.audit)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from secretariat.core.audit import client_address, request_address

        with request_address(client_address(request)):
            return self.get_response(request)
