"""`{% sso_link %}`: the single sign-on button on the login page, when SSO is configured."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("accounts/_sso_link.html", takes_context=True)
def sso_link(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return {
        "enabled": bool(settings.OIDC_ENABLED),
        "provider": settings.OIDC_PROVIDER_NAME,
        "next": request.GET.get("next", "") if request is not None else "",
    }
