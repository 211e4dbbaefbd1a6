"""The board's part of the library's search page (the one hook: `documents.search` asks every
app's `library_search` module through `core.providers`): posts the reader may see, found by the
same full-text index and words, each linking to its thread. The agreed-language finder does not
ask: posts are discussion, not agreed language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext

from secretariat.board.search import search_posts
from secretariat.documents.search import OtherGroup, OtherHit


def library_results(user: Any, text: str, *, limit: int = 5) -> OtherGroup:
    text = text[:200].replace("\x00", "")
    hits, total = search_posts(user, text, limit=limit)
    return OtherGroup(
        kind="post",
        title=gettext("Board posts"),
        total=total,
        more_url=reverse("board:search") + "?" + urlencode({"q": text}),
        hits=[
            OtherHit(
                kind="post",
                title=hit.post.thread.subject,
                context=hit.post.author.get_full_name() or hit.post.author.username,
                url=hit.post.get_absolute_url(),
                snippet=hit.snippet,
                score=0.0,
                at=hit.post.created_at,
            )
            for hit in hits
        ],
    )
