"""The dashboard's block: the latest posts in the boards of my bodies (and the forum's)."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.board.access import visible_posts


def whats_new(user: Any) -> list[dict[str, Any]]:
    posts = (
        visible_posts(user)
        .exclude(author_id=getattr(user, "pk", None))
        .select_related("thread", "author")
        .order_by("-created_at", "-id")[:5]
    )
    return [
        {
            "title": _("New posts on the board"),
            "items": [
                {
                    "text": f"{p.thread.subject} — {p.author.get_full_name() or p.author.username}",
                    "url": p.get_absolute_url(),
                    "meta": formats.date_format(p.created_at, "SHORT_DATE_FORMAT"),
                }
                for p in posts
            ],
            "empty": _("No new posts."),
        }
    ]
