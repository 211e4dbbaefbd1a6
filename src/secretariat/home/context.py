"""What every page's shell needs: the forum, the navigation, the unread count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from secretariat.accounts.models import Forum, User
from secretariat.home.sections import SECTIONS, section_url
from secretariat.notifications.access import readable


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
    user = getattr(request, "user", None)
    unread = unread_count(user) if user is not None and user.is_authenticated else ""
    return {
        "forum": Forum.current(),
        "nav": nav,
        "unread_count": unread,
        "language_choices": language_choices(),
    }


def language_choices() -> list[tuple[str, str]]:
    """The interface languages, each named in itself from the project's catalogues
    ("English", "Русский", "Қазақша"): a reader looks for their own language's name, and
    Django's own local names say "Қазақ" where a Kazakh switch says "Қазақша"."""
    choices = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            choices.append((code, str(name)))
    return choices


UNREAD_SHOWN = 99


def unread_count(user: User) -> str:
    """The header's count: unread notifications the user may still see (the notification
    centre's rule), "99+" beyond that; empty when there are none. Only the newest hundred are
    checked, so a page never pays for a long backlog."""
    unread = user.notifications.filter(read_at__isnull=True).select_related("target_type")
    newest = list(unread.order_by("-id")[: UNREAD_SHOWN + 1])
    count = len(readable(user, newest)) if newest else 0
    if count > UNREAD_SHOWN:
        return f"{UNREAD_SHOWN}+"
    return str(count) if count else ""
