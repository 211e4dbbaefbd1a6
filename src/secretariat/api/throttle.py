"""How often one caller may call the API: SECRETARIAT_API_RATE requests (default "600/min")
per token, or per signed-in user on the browser session. Counted in the cache: per process
with the default local-memory cache, across processes and hosts with SECRETARIAT_CACHE_URL
pointing at Redis. Past the rate the API answers 429 with Retry-After (problems.install)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from secretariat.api.models import ApiToken

DEFAULT_RATE = "600/min"


class PerCaller(SimpleRateThrottle):
    cache_format = "api-rate:%(ident)s"

    def __init__(self) -> None:
        super().__init__(rate=self._configured())

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
