"""Board posts in full-text search, under the same access rules as every list.

Words match on the library's stems and folded words (documents.searchtext) through the same
full-text index as the library's paragraphs (FTS5 on SQLite, tsvector on PostgreSQL: board
migration 0003, `documents.search.match_sql`), so a query finds the same words in posts as in
documents; "phrases" and prefix* work as in the library. The match runs inside the SQL of the
access policy (`visible_posts`: never a hidden post, never a thread wider than its text). The
library's search page shows these hits through `board.library_search`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from secretariat.board.access import visible_posts
from secretariat.board.models import Post
from secretariat.documents.search import match_sql, parse, pg_match_where, snippet


@dataclass(frozen=True)
class PostHit:
    post: Post
    snippet: SafeString


def matching_posts(user: Any, text: str) -> QuerySet[Post]:
    query = parse(text)
    if not query:
        return Post.objects.none()
    if connection.vendor == "postgresql":
        # On the posts' own row, not `id IN (...)`: PostgreSQL then weighs the GIN index
        # against the access joins (the subquery form probed the index once per post).
        where, params = pg_match_where(query, "board_post")
        matched = RawSQL(where, params, output_field=BooleanField())  # noqa: S611
        return visible_posts(user).alias(matched=matched).filter(matched=True)
    sql, params = match_sql(query, "board_post")
    return visible_posts(user).filter(id__in=RawSQL(sql, params))  # noqa: S611 - words as params


def search_posts(user: Any, text: str, *, limit: int = 20) -> tuple[list[PostHit], int]:
    """(newest hits first, total)."""
    query = parse(text)
    qs = matching_posts(user, text)
    posts = list(qs.select_related("thread", "author").order_by("-created_at", "-id")[:limit])
    return [PostHit(p, snippet(query, p.text)) for p in posts], qs.count()
