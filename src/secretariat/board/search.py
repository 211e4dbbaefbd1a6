"""Board posts in full-text search, under the same access rules as every list.

Words match on the library's stems and folded words (documents.searchtext), so a query finds
the same words in posts as in documents; "phrases" and prefix* work as in the library. The
match is a scan of the posts the reader may see (LIKE over the stored search forms), not an
FTS index: fine for a board's size (see `secretariat board bench`), to be moved to the FTS5 /
tsvector index if boards grow past ~100k posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from secretariat.board.access import visible_posts
from secretariat.board.models import Post
from secretariat.documents.search import parse, snippet


@dataclass(frozen=True)
class PostHit:
    post: Post
    snippet: SafeString


def matching_posts(user: Any, text: str) -> QuerySet[Post]:
    query = parse(text)
    if not query:
        return Post.objects.none()
    q = Q()
    for term in query.terms:
        q &= Q(stemmed__contains=f" {term} ")
    for phrase in query.phrases:
        q &= Q(plain__contains=" {} ".format(" ".join(phrase)))
    for prefix in query.prefixes:
        q &= Q(plain__contains=f" {prefix}")
    return visible_posts(user).filter(q)


def search_posts(user: Any, text: str, *, limit: int = 20) -> tuple[list[PostHit], int]:
    """(newest hits first, total)."""
    query = parse(text)
    qs = matching_posts(user, text)
    posts = list(qs.select_related("thread", "author").order_by("-created_at", "-id")[:limit])
    return [PostHit(p, snippet(query, p.text)) for p in posts], qs.count()
