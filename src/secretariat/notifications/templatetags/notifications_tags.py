from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from secretariat.notifications.actions import is_following

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_state(context: dict[str, Any], obj: models.Model | None) -> dict[str, Any] | None:
    """For `_follow.html`: what the follow button posts, and whether the user follows."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not user.is_authenticated:
        return None
    return {
        "target": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "following": is_following(user, obj),
    }
