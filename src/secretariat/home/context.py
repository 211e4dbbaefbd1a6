"""What every page's shell needs: the forum, the navigation, the unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from secretariat.accounts.models import Forum
from secretariat.home.sections import SECTIONS, section_url


def shell(request: HttpRequest) -> dict[str, Any]:
    nav = []
    current = request.path
    for section in SECTIONS:
        url, built = section_url(section)
        active = current == url if url == "/" else current.startswith(url)
        nav.append(
            {
                "slug": section.slug,
                "title": section.title,
                "url": url,
                "built": built,
                "active": active,
            }
        )
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"forum": Forum.current(), "nav": nav, "unread_count": unread}
