"""Security headers Django does not set itself.

Content-Security-Policy comes from django-csp (`CONTENT_SECURITY_POLICY` in settings);
Referrer-Policy and Cross-Origin-Opener-Policy from Django's SecurityMiddleware; this adds
Permissions-Policy: the intranet uses no camera, microphone, location, payment or sensor.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
