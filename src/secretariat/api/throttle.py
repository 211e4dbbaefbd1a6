"""How often one caller may call the API: SECRETARIAT_API_RATE requests (default "600/min")
per token, or per signed-in user on the browser session. Counted in the cache: per process
with the default local-memory cache, across processes and hosts with SECRETARIAT_CACHE_URL
pointing at Redis. Past the rate the API answers 429 with Retry-After (problems.install)."""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from secretariat.api.models import ApiToken

DEFAULT_RATE = "600/min"


class PerCaller(SimpleRateThrottle):
    """One instance serves every request of the process, and requests run in several threads
    at once: ninja's throttle keeps the request's key and history on `self` between
    `allow_request` and `wait`, so here they live per thread, never shared."""

    cache_format = "api-rate:%(ident)s"

    def __init__(self) -> None:
        self._state = threading.local()
        super().__init__(rate=self._configured())

    # The attributes SimpleRateThrottle sets and reads per request, kept per thread.
    key = property(lambda self: self._state.key, lambda self, v: setattr(self._state, "key", v))
    history = property(
        lambda self: self._state.history, lambda self, v: setattr(self._state, "history", v)
    )
    now = property(lambda self: self._state.now, lambda self, v: setattr(self._state, "now", v))

    @staticmethod
    def _configured() -> str:
        return str(getattr(settings, "SECRETARIAT_API_RATE", "") or DEFAULT_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # The setting is read per request, so a changed rate (or a test's) applies at once.
        rate = self._configured()
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiToken):
            ident = f"token-{auth.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused by authentication anyway
        return self.cache_format % {"ident": ident}
