"""Values read once per request.

Some rows are read by many parts of one page (the forum's register: who holds the
secretariat's powers, who presides, under which code), each asking again. Inside a request
(`RequestMemoMiddleware`) `memoised(key, load)` loads a value once and hands the same value to
every later caller of that request; the memo is a fresh dict per request in a context
variable, reset when the request's response is returned, so nothing survives into the next
request or test. Outside a request (the worker, commands, tests calling functions directly)
there is no memo and every call loads: what a long-running process reads is never stale.
A writer of a memoised row calls `forget(key)` (the accounts app does it on every save or
delete of the forum), so a request that changes it reads the new value afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[str, Any] | None] = ContextVar("secretariat_request_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Inside, `memoised` keeps what it loads (one fresh memo; the previous one back after)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: str, load: Callable[[], T]) -> T:
    """`load()`, once per request under `key`; every call loads outside a request."""
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    value: T = memo[key]
    return value


def forget(key: str) -> None:
    """The next `memoised(key, ...)` of this request loads again (its row changed)."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    """Gives each request its own memo, gone when the response is returned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)
