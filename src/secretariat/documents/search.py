"""Full-text search over the library, one interface on both databases.

    search(user, query, filters) -> SearchResult(hits, total, facets)

The index holds every paragraph's `plain` and `stemmed` token forms (see searchtext): on SQLite
an FTS5 table kept by triggers, on PostgreSQL two generated tsvector columns with GIN indexes
(both created in the documents migrations). Words match on stems, "quoted phrases" and
prefix* on the plain words. Matching runs inside the same SQL as the access policy (a subquery
joined to the visible current paragraphs), facets are counted over the filtered hits, and
ranking and snippets are computed here in Python, so both databases return the same results.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from secretariat.accounts import access
from secretariat.core.providers import provider_modules
from secretariat.documents.models import LANGUAGES, Document, DocumentType, Paragraph, Status
from secretariat.documents.searchtext import WORD_RE, fold, stem, words

MAX_CANDIDATES = 5000
FACETS = ("organization", "body", "doc_type", "year", "language", "status")


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)  # stems
    phrases: list[list[str]] = field(default_factory=list)  # plain words
    prefixes: list[str] = field(default_factory=list)  # plain word starts

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases or self.prefixes)


# No word of the index is longer (PostgreSQL refuses words of 2,048 bytes and more), and no
# reader types more words than this: longer words and further tokens are left out.
MAX_WORD = 200
MAX_TOKENS = 64


def parse(text: str) -> Query:
    """`"a phrase"`, `prefix*` and plain words (all must match)."""
    query = Query()
    for phrase, token in re.findall(r'"([^"]*)"?|(\S+)', text)[:MAX_TOKENS]:
        if phrase:
            found = words(phrase)
            if len(found) > 1:
                query.phrases.append(found)
            elif found:
                query.terms.append(stem(found[0]))
        elif token.endswith("*") and (found := words(token)):
            # "inter-reli*": the last word is the prefix, the others plain words.
            query.terms.extend(stem(w) for w in found[:-1])
            query.prefixes.append(found[-1])
        else:
            found = words(token)
            if len(found) > 1:
                # "confidence-building", "SWG/OI/1262", "安全合作": the parts, in this order.
                query.phrases.append(found)
            else:
                query.terms.extend(stem(w) for w in found)
    query.terms = [t for t in query.terms if len(t) <= MAX_WORD]
    query.phrases = [p for p in query.phrases if all(len(w) <= MAX_WORD for w in p)]
    query.prefixes = [p for p in query.prefixes if len(p) <= MAX_WORD]
    return query


def pg_match_where(query: Query, table: str) -> tuple[str, list[Any]]:
    """PostgreSQL: the condition on `table`'s generated tsvector columns (qualified by the
    table's name, so it can also stand in the WHERE of a query on that table)."""
    stemmed = " & ".join(f"'{t}'" for t in query.terms)
    plain = " & ".join(
        [" <-> ".join(f"'{w}'" for w in p) for p in query.phrases]
        + [f"'{p}':*" for p in query.prefixes]
    )
    conditions, params = [], []
    if stemmed:
        conditions.append(f'"{table}".fts_stemmed @@ %s::tsquery')
        params.append(stemmed)
    if plain:
        conditions.append(f'"{table}".fts_plain @@ %s::tsquery')
        params.append(plain)
    # Only constant conditions and the caller's constant table name are joined here; the
    # words travel as parameters.
    return " AND ".join(conditions), params


def match_sql(query: Query, table: str = "documents_paragraph") -> tuple[str, list[Any]]:
    """SQL selecting the ids of the rows of `table` that match, for this database. The table
    has `plain` and `stemmed` columns indexed as the paragraphs' are (on SQLite an FTS5 table
    `<table>_fts` by rowid, on PostgreSQL the generated `fts_plain`/`fts_stemmed` columns):
    the library's paragraphs, and the board's posts (board migration 0003)."""
    if connection.vendor == "postgresql":
        where, params = pg_match_where(query, table)
        return f"SELECT id FROM {table} WHERE {where}", params  # noqa: S608
    parts = [f'stemmed:"{t}"' for t in query.terms]
    parts += ['plain:"{}"'.format(" ".join(p)) for p in query.phrases]
    parts += [f'plain:"{p}"*' for p in query.prefixes]
    return (
        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s",  # noqa: S608
        [" AND ".join(parts)],
    )


def _match_sql(query: Query) -> tuple[str, list[Any]]:
    return match_sql(query)


def current_paragraphs(user: Any) -> QuerySet[Paragraph]:
    """Paragraphs of the current version of every document the user may see."""
    qs = Paragraph.objects.filter(version_id=F("document__current_version_id"))
    return access.visible(user, qs, prefix="document__")


def filter_q(filters: dict[str, str], prefix: str = "") -> Q:
    """The list and search filters (organization, body, type, year, language, status) as a
    condition on Document, or through `prefix` on a related model."""
    q = Q()
    for key, lookup in (
        ("organization", "organization"),
        ("body", "body__code"),
        ("doc_type", "doc_type"),
        ("language", "language"),
        ("status", "status"),
    ):
        if value := filters.get(key):
            # NUL: PostgreSQL refuses it in a query, and no stored value holds one.
            q &= Q(**{prefix + lookup: value}) if "\x00" not in value else Q(pk__in=[])
    if year := filters.get("year"):
        # Only a calendar year can match: anything else (0, 10000, "²", "1e3") matches
        # nothing rather than reaching the database's date functions.
        text = str(year)
        if text.isascii() and text.isdigit() and 1 <= int(text) <= 9999:
            q &= Q(**{prefix + "date__year": int(text)})
        else:
            q &= Q(pk__in=[])
    return q


@dataclass
class Hit:
    paragraph: Paragraph
    score: float
    snippet: SafeString
    # the paragraph in the document's other language editions (see aligned_editions)
    editions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def document(self) -> Document:
        return self.paragraph.document


@dataclass
class OtherHit:
    """A match outside the library (a meeting, an agenda item, a board post)."""

    kind: str
    title: str
    context: str
    url: str
    snippet: SafeString
    score: float
    at: datetime | None = None


@dataclass
class OtherGroup:
    """One other app's hits on the search page: its title, how many match in all, the best
    few, and where to see them all."""

    kind: str
    title: str
    total: int
    hits: list[OtherHit]
    more_url: str = ""


# The one hook for other apps' material in the library's search: an installed app offers a
# `library_search` module (found through core.providers; documents imports none of them) with
# `library_results(user, text, *, limit) -> OtherGroup` holding what that user may see. The
# meetings app offers its meetings and agenda items this way, the board its posts.
OTHERS_LIMIT = 5


def other_groups(
    user: Any, text: str, filters: dict[str, str] | None = None, offset: int = 0
) -> list[OtherGroup]:
    """Every other app's group, on the first page of an unfiltered search only: the library's
    filters describe documents and do not apply to them. Groups with no hit are left out."""
    if offset or any((filters or {}).values()) or not text.strip():
        return []
    groups = [
        m.library_results(user, text, limit=OTHERS_LIMIT)
        for m in provider_modules("library_search")
    ]
    return [g for g in groups if g.total]


# A search hit's paragraph in the document's other language editions (the one it aligns
# with), each a dict: language, language_name, document, paragraph, text, url, confidence.
# The negotiation app holds the alignment engine and offers it as a `library_editions`
# module with `aligned(user, document_id, number)`; only editions the user may see are given.


def aligned_editions(user: Any, document_id: int, number: int) -> list[dict[str, Any]]:
    return [
        found
        for m in provider_modules("library_editions")
        for found in m.aligned(user, document_id, number)
    ]


def with_other_editions(document_ids: Iterable[int]) -> set[int]:
    """Those of `document_ids` that have another edition with a text, in two queries: only
    their hits are asked for aligned editions, so a page of single-language documents costs no
    query per hit (access is the provider's, per edition)."""
    keys = dict(
        Document.objects.filter(pk__in=set(document_ids)).values_list("pk", "translation_key")
    )
    if not keys:
        return set()
    shared = set(
        Document.objects.filter(
            translation_key__in=set(keys.values()), current_version__isnull=False
        )
        .values("translation_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("translation_key", flat=True)
    )
    return {pk for pk, key in keys.items() if key in shared}


@dataclass
class SearchResult:
    query: Query
    hits: list[Hit]
    total: int
    documents: int
    facets: dict[str, list[tuple[str, str, int]]]
    others: list[OtherGroup] = field(default_factory=list)


def score(query: Query, plain: str, stemmed: str) -> float:
    """How well a text's plain and stemmed word strings match (more hits, shorter text)."""
    stems = stemmed.split()
    counts = Counter(stems)
    hits = sum(counts[t] for t in query.terms)
    padded = f" {plain} "
    hits += sum(2 * padded.count(" {} ".format(" ".join(p))) for p in query.phrases)
    plain_words = plain.split()
    hits += sum(1 for p in query.prefixes for w in plain_words if w.startswith(p))
    return hits / math.sqrt(len(stems) + 10)


def snippet(query: Query, text: str, width: int = 40) -> SafeString:
    """The passage around the first match, matched words marked."""
    tokens = list(WORD_RE.finditer(text))
    phrase_words = {w for p in query.phrases for w in p}
    marked = []
    for i, m in enumerate(tokens):
        folded = fold(m.group())
        if (
            stem(folded) in query.terms
            or folded in phrase_words
            or any(folded.startswith(p) for p in query.prefixes)
        ):
            marked.append(i)
    if not tokens:
        return mark_safe(escape(text[:300]))
    first = marked[0] if marked else 0
    start_tok = max(0, first - width // 3)
    end_tok = min(len(tokens), start_tok + width)
    start = tokens[start_tok].start() if start_tok else 0
    end = tokens[end_tok - 1].end() if end_tok < len(tokens) else len(text)
    out: list[str] = []
    pos = start
    for i in marked:
        if not start_tok <= i < end_tok:
            continue
        m = tokens[i]
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        pos = m.end()
    out.append(escape(text[pos:end]))
    html = ("… " if start else "") + "".join(out) + (" …" if end < len(text) else "")
    return mark_safe(html)


def facet_counts(qs: QuerySet[Paragraph]) -> dict[str, list[tuple[str, str, int]]]:
    """Per facet, (value, label, number of documents) over the given (already filtered) hits."""
    labels = {
        "doc_type": dict(DocumentType.choices),
        "status": dict(Status.choices),
        "language": dict(LANGUAGES),  # "English", not "en"
    }
    facets: dict[str, list[tuple[str, str, int]]] = {}
    fields = {
        "organization": "document__organization",
        "body": "document__body__code",
        "doc_type": "document__doc_type",
        "language": "document__language",
        "status": "document__status",
        "year": "document__date__year",
    }
    for name, lookup in fields.items():
        rows = (
            qs.order_by()
            .values(lookup)
            .annotate(n=Count("document", distinct=True))
            .values_list(lookup, "n")
        )
        values = [
            (str(v), str(labels.get(name, {}).get(v, v)), n) for v, n in rows if v not in (None, "")
        ]
        if name == "year":
            values.sort(key=lambda row: row[0], reverse=True)
        else:
            values.sort(key=lambda row: (-row[2], row[0]))
        facets[name] = values
    return facets


def search(
    user: Any,
    text: str,
    filters: dict[str, str] | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    stamp: str | None = None,
    editions: bool = False,
    others: bool = True,
) -> SearchResult:
    """The hits of `text` the user may see, ranked, one page of them, and the facets over all
    of them (cached under `stamp`, a value that changes with every change of the library).
    `others=False`: without the other apps' groups (a caller that does not show them)."""
    query = parse(text.replace("\x00", " "))  # a NUL is no word (PostgreSQL refuses it)
    if not query:
        return SearchResult(query, [], 0, 0, {name: [] for name in FACETS})
    qs, candidates = _candidates(user, query, filters)
    ranked = sorted(
        ((score(query, p, s), pid) for pid, _doc, p, s in candidates),
        key=lambda row: (-row[0], row[1]),
    )
    page = ranked[offset : offset + limit]
    rows = Paragraph.objects.select_related("document", "document__body").in_bulk(
        [pid for _, pid in page]
    )
    hits = [Hit(rows[pid], round(s, 4), snippet(query, rows[pid].text)) for s, pid in page]
    if editions:
        _with_editions(user, hits, with_other_editions(h.paragraph.document_id for h in hits))
    # Only the first MAX_CANDIDATES (newest first) are ranked; the count covers them all.
    total = len(candidates) if len(candidates) < MAX_CANDIDATES else qs.count()
    documents = qs.order_by().aggregate(n=Count("document", distinct=True))["n"]
    return SearchResult(
        query,
        hits,
        total,
        documents,
        _facets(qs, stamp),
        other_groups(user, text, filters, offset) if others else [],
    )


def _candidates(
    user: Any, query: Query, filters: dict[str, str] | None
) -> tuple[QuerySet[Paragraph], list[tuple[int, int, str, str]]]:
    """The visible, filtered matching paragraphs, and (id, document id, plain, stemmed) of the
    first MAX_CANDIDATES of them, newest documents first."""
    sql, params = _match_sql(query)
    qs = current_paragraphs(user).filter(filter_q(filters or {}, prefix="document__"))
    qs = qs.filter(id__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, words as params
    candidates = list(
        qs.order_by("-document__date", "id").values_list("id", "document_id", "plain", "stemmed")[
            :MAX_CANDIDATES
        ]
    )
    return qs, candidates


def _with_editions(user: Any, hits: list[Hit], several: set[int]) -> None:
    """Each hit of a document in `several` (`with_other_editions`, asked once for the whole
    page by the caller) gets its aligned paragraphs in the other editions."""
    for hit in hits:
        if hit.paragraph.document_id in several:
            hit.editions = aligned_editions(user, hit.paragraph.document_id, hit.paragraph.number)


@dataclass
class DocumentHits:
    """One document of a grouped search: its best paragraphs, and how many more match."""

    document: Document
    score: float
    hits: list[Hit]
    more: int


@dataclass
class GroupedResult:
    query: Query
    groups: list[DocumentHits]
    total: int  # matching paragraphs
    documents: int  # documents holding them
    facets: dict[str, list[tuple[str, str, int]]]
    others: list[OtherGroup] = field(default_factory=list)

    @property
    def languages(self) -> list[tuple[str, str]]:
        """(code, "1 document in Russian") for each language of the hits, most documents
        first: says when a language has few."""
        return [(code, documents_in_language(code, n)) for code, _l, n in self.facets["language"]]


def search_documents(
    user: Any,
    text: str,
    filters: dict[str, str] | None = None,
    *,
    limit: int = 10,
    offset: int = 0,
    per_document: int = 3,
    stamp: str | None = None,
    editions: bool = False,
) -> GroupedResult:
    """The search page's form of `search`: hits grouped by document, so one circular's six
    matching paragraphs are one result. Documents rank by their best paragraph; `limit` and
    `offset` count documents; each shows its best `per_document` paragraphs and the number of
    the others."""
    query = parse(text.replace("\x00", " "))
    if not query:
        return GroupedResult(query, [], 0, 0, {name: [] for name in FACETS})
    qs, candidates = _candidates(user, query, filters)
    by_document: dict[int, list[tuple[float, int]]] = {}
    for pid, doc_id, plain, stemmed in candidates:
        by_document.setdefault(doc_id, []).append((score(query, plain, stemmed), pid))
    for scored in by_document.values():
        scored.sort(key=lambda row: (-row[0], row[1]))
    order = sorted(by_document, key=lambda d: (-by_document[d][0][0], by_document[d][0][1]))
    page = order[offset : offset + limit]
    shown = [pid for d in page for _, pid in by_document[d][:per_document]]
    rows = Paragraph.objects.select_related("document", "document__body").in_bulk(shown)
    groups = []
    several = with_other_editions(page) if editions else set()
    for doc_id in page:
        best = by_document[doc_id][:per_document]
        hits = [Hit(rows[pid], round(s, 4), snippet(query, rows[pid].text)) for s, pid in best]
        if doc_id in several:
            _with_editions(user, hits, several)
        groups.append(
            DocumentHits(
                hits[0].document,
                hits[0].score,
                sorted(hits, key=lambda h: h.paragraph.number),
                len(by_document[doc_id]) - len(best),
            )
        )
    if len(candidates) < MAX_CANDIDATES:
        total, documents = len(candidates), len(by_document)
    else:
        total = qs.count()
        documents = qs.order_by().aggregate(n=Count("document", distinct=True))["n"]
    return GroupedResult(
        query,
        groups,
        total,
        documents,
        _facets(qs, stamp),
        other_groups(user, text, filters, offset),
    )


def documents_in_language(code: str, n: int) -> str:
    """ "1 document in Russian": one message per language, so each can be declined."""
    messages = {
        "en": ngettext("%(count)d document in English", "%(count)d documents in English", n),
        "ru": ngettext("%(count)d document in Russian", "%(count)d documents in Russian", n),
        "kk": ngettext("%(count)d document in Kazakh", "%(count)d documents in Kazakh", n),
        "zh": ngettext("%(count)d document in Chinese", "%(count)d documents in Chinese", n),
        "fr": ngettext("%(count)d document in French", "%(count)d documents in French", n),
        "ar": ngettext("%(count)d document in Arabic", "%(count)d documents in Arabic", n),
        "es": ngettext("%(count)d document in Spanish", "%(count)d documents in Spanish", n),
    }
    other = ngettext(
        "%(count)d document in another language", "%(count)d documents in other languages", n
    )
    return messages.get(code, other) % {"count": n}


FACETS_SECONDS = 300  # bounds what no change stamp sees (a document edited in the admin)


def _facets(qs: QuerySet[Paragraph], stamp: str | None) -> dict[str, list[tuple[str, str, int]]]:
    """facet_counts(qs), from the cache when `stamp` (the library's change stamp, given by the
    caller) is. The key is the SQL of the filtered hits, which holds the reader's access
    condition, the words and the filters, so readers share an entry only when they would count
    the same rows; plus the language of the labels."""
    if stamp is None:
        return facet_counts(qs)
    try:
        sql = str(qs.order_by().query)
    except EmptyResultSet:  # a filter that matches nothing (a year that is no calendar year)
        return facet_counts(qs)
    digest = hashlib.sha256(f"{stamp}|{get_language()}|{sql}".encode()).hexdigest()[:40]
    key = f"documents:facets:{digest}"
    facets = cache.get(key)
    if facets is None:
        facets = facet_counts(qs)
        cache.set(key, facets, FACETS_SECONDS)
    return facets
