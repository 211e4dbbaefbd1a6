"""The board's part of the library's search page (`archive.views.search` asks every app's
`library_search` module through `core.providers`): posts the reader may see, found by the same
full-text index and words, each linking to its thread. The agreed-language finder does not ask:
posts are discussion, not agreed language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.board.search import search_posts


def library_results(user: Any, text: str, *, limit: int = 5) -> dict[str, Any]:
    text = text[:200].replace("\x00", "")
    hits, total = search_posts(user, text, limit=limit)
    return {
        "title": _("Board posts"),
        "total": total,
        "more_url": reverse("board:search") + "?" + urlencode({"q": text}),
        "items": [
            {
                "title": hit.post.thread.subject,
                "url": hit.post.get_absolute_url(),
                "meta": hit.post.author.get_full_name() or hit.post.author.username,
                "at": hit.post.created_at,
                "snippet": hit.snippet,
            }
            for hit in hits
        ],
    }
