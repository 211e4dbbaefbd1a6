"""Meetings in the library's full-text search: a meeting's title and venue and its agenda items'
titles and annotations, found with the library's words (same folding, stems, phrases and
prefixes as documents.search) and the meetings' own access rules.

Each meeting's words are kept in `SearchEntry` rows, rebuilt for that meeting by `index_meeting`
after every change to it (the actions call it). Two scopes: the secretariat's working agenda
(`draft`), and what every reader of the meeting may see (`published`: the meeting itself and the
lines of its latest published agenda). A delegate therefore never finds a word that is only in a
draft, and an outsider finds nothing of a meeting they may not see (the visible meetings are the
first condition of the query). Meetings are few next to library paragraphs, so matching runs as
LIKE conditions on the padded word strings, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from secretariat.documents.search import OtherHit, Query, score, snippet
from secretariat.documents.searchtext import plain_form, stemmed_form
from secretariat.meetings.access import may_manage, visible_meetings
from secretariat.meetings.models import AgendaEdition, Meeting, SearchEntry

MAX_HITS = 20
MAX_CANDIDATES = 2000


def _entry(meeting: Meeting, scope: str, title: str, text: str, **extra: Any) -> SearchEntry:
    words = f"{title}\n{text}"
    return SearchEntry(
        meeting=meeting,
        scope=scope,
        title=title[:500],
        text=text,
        plain=f" {plain_form(words)} ",
        stemmed=f" {stemmed_form(words)} ",
        **extra,
    )


def index_meeting(meeting: Meeting) -> None:
    """Rebuild the meeting's entries (call inside the changing transaction)."""
    from secretariat.meetings.actions import numbered_items

    SearchEntry.objects.filter(meeting=meeting).delete()
    rows = [
        _entry(
            meeting,
            SearchEntry.Scope.PUBLISHED,
            meeting.title,
            " ".join(v for v in (meeting.venue,) if v),
        )
    ]
    for label, _depth, item in numbered_items(meeting):
        rows.append(
            _entry(
                meeting,
                SearchEntry.Scope.DRAFT,
                item.title,
                item.annotation,
                item=item,
                label=label,
            )
        )
    edition = AgendaEdition.objects.filter(meeting=meeting).order_by("-number").first()
    if edition is not None:
        for line in edition.lines.all():
            rows.append(
                _entry(
                    meeting,
                    SearchEntry.Scope.PUBLISHED,
                    line.title,
                    line.annotation,
                    item_id=line.item_id,
                    label=line.label,
                )
            )
    SearchEntry.objects.bulk_create(rows)


def entries_for(user: Any) -> QuerySet[SearchEntry]:
    qs = SearchEntry.objects.filter(meeting__in=visible_meetings(user))
    if may_manage(user):
        # the working agenda replaces the published lines, the meeting row stays
        return qs.filter(Q(scope=SearchEntry.Scope.DRAFT) | Q(item__isnull=True, label=""))
    return qs.filter(scope=SearchEntry.Scope.PUBLISHED)


def _matching(qs: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    for term in query.terms:
        qs = qs.filter(stemmed__contains=f" {term} ")
    for phrase in query.phrases:
        qs = qs.filter(plain__contains=" {} ".format(" ".join(phrase)))
    for prefix in query.prefixes:
        qs = qs.filter(plain__contains=f" {prefix}")
    return qs


def search_meetings(user: Any, query: Query) -> list[OtherHit]:
    """The meetings and agenda items the user may see that match, best first."""
    if not query:
        return []
    # Rank on the word strings only (no model objects), newest meetings first when there are
    # more candidates than MAX_CANDIDATES, then load the few rows shown.
    candidates = list(
        _matching(entries_for(user), query)
        .order_by("-meeting__starts_at", "id")
        .values_list("id", "plain", "stemmed")[:MAX_CANDIDATES]
    )
    ranked = sorted(
        ((score(query, plain.strip(), stemmed.strip()), pk) for pk, plain, stemmed in candidates),
        key=lambda row: (-row[0], row[1]),
    )[:MAX_HITS]
    rows = SearchEntry.objects.select_related("meeting", "meeting__body").in_bulk(
        [pk for _, pk in ranked]
    )
    hits = []
    for value, pk in ranked:
        entry = rows[pk]
        meeting = entry.meeting
        if entry.item_id:
            url = reverse("meetings:item", args=[meeting.pk, entry.item_id])
            title = f"{entry.label}. {entry.title}"
        else:
            url = meeting.get_absolute_url()
            title = entry.title
        hits.append(
            OtherHit(
                kind="meeting",
                title=title,
                context=meeting.title
                if entry.item_id
                else meeting.body.name
                if meeting.body
                else "",
                url=url,
                snippet=snippet(query, f"{entry.title} {entry.text}".strip()),
                score=round(value, 4),
                at=meeting.starts_at,
            )
        )
    return hits
