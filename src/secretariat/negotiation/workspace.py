"""What the workspace shows for each paragraph: the text as the engine renders it, its status,
its brackets and who holds them, pending amendments and stances, the comment threads; and the
key under which the rendered paragraphs of a viewer are cached."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone, translation

from secretariat.negotiation import engine
from secretariat.negotiation.models import Amendment, Comment, Negotiation, Position, Revision


@dataclass
class AmendmentView:
    amendment: Amendment
    positions: list[Position]  # current stances on it


@dataclass
class CommentView:
    comment: Comment
    replies: list[Comment]


@dataclass
class ParagraphView:
    paragraph: engine.Paragraph
    status: engine.ParagraphStatus
    html: str
    notation: str
    amendments: list[AmendmentView] = field(default_factory=list)
    stated: list[Position] = field(default_factory=list)  # not yet compiled into a revision
    comments: list[CommentView] = field(default_factory=list)
    amendment_count: int = 0
    stated_count: int = 0
    comment_count: int = 0
    # On the whole page, a paragraph with more than COLLAPSE_OVER items beside its text shows
    # their counts only; the items come with htmx on demand (or on the paragraph's own page).
    collapsed: bool = False

    @property
    def activity_count(self) -> int:
        return self.amendment_count + self.stated_count + self.comment_count

    @property
    def key(self) -> str:
        return self.paragraph.key

    @property
    def label(self) -> str | None:
        return self.paragraph.label

    @property
    def brackets(self) -> list[engine.Bracket]:
        return self.paragraph.brackets

    @property
    def unknown(self) -> list[str]:
        return engine.unknown_codes(self.paragraph)


COLLAPSE_OVER = 6  # amendments + stated positions + comments shown at once beside a paragraph

# Part of every fragment key: raise it when the workspace's templates change in a way that a
# cache shared across a deployment (Redis) must not serve from before.
FRAGMENT_GENERATION = 1
FRAGMENT_SECONDS = 600  # bounds what no counter sees (a delegation renamed in the admin)


def fragment_key(
    negotiation: Negotiation,
    revision: Revision,
    *,
    code: str | None,
    steer: bool,
    can_comment: bool,
    can_map_codes: bool,
) -> str:
    """The cache key of the workspace's rendered paragraphs for one kind of viewer.

    It holds everything the rendered block depends on: the negotiation (its creation time too,
    so a restored or recreated database never meets another's entry), both change counters
    (`version`: the text and the state; `activity`: amendments, positions, comments), the
    working revision, the viewer's language and time zone (dates), and every right the
    template tests (the delegation acted for, steering, commenting, mapping codes). Two viewers
    share an entry only when all of these are equal, and then their pages are equal too: the
    CSRF token, the one per-viewer value, is put in after the cache (views.negotiations)."""
    parts = (
        FRAGMENT_GENERATION,
        negotiation.pk,
        negotiation.created_at.isoformat(),
        negotiation.version,
        negotiation.activity,
        negotiation.state,
        revision.pk,
        revision.number,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        code or "",
        steer,
        can_comment,
        can_map_codes,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"negotiation:workspace:{negotiation.pk}:{digest}"


def paragraph_views(
    negotiation: Negotiation, revision: Revision, only: str | None = None
) -> list[ParagraphView]:
    """The paragraphs of `revision` (only the one keyed `only` if given; it is never
    collapsed, as it is what a change to it or its own page shows).

    A first pass reads only keys, statuses and stances (tuples, no model objects) to count the
    items beside each paragraph and judge its status; the rows themselves are loaded for the
    paragraphs shown open only, so a collapsed paragraph costs the same with 5 items or 500."""
    register = engine.forum_register()
    draft = engine.draft_of(revision, register)
    paragraphs = [p for p in draft.paragraphs if only is None or p.key == only]
    keys = {p.key for p in paragraphs}
    pending = [Amendment.Status.PROPOSED, Amendment.Status.DRAFT]
    current = {
        "superseded_by__isnull": True,
        "withdrawn_at__isnull": True,
        "compiled_in__isnull": True,
    }
    tally_amendments: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, key, status in negotiation.amendments.filter(
        status__in=pending, paragraph_key__in=keys
    ).values_list("pk", "paragraph_key", "status"):
        tally_amendments[key].append((pk, status))
    opposed_amendments: set[str] = set()
    tally_stated: dict[str, int] = defaultdict(int)
    for kind, target, key, stance in negotiation.positions.filter(
        paragraph_key__in=keys, **current
    ).values_list("target_kind", "target_key", "paragraph_key", "stance"):
        if kind != Position.Target.AMENDMENT:
            tally_stated[key] += 1
        elif stance == Position.Stance.OPPOSE:
            opposed_amendments.add(target)
    tally_comments = dict(
        negotiation.comments.filter(paragraph_key__in=keys)
        .values_list("paragraph_key")
        .annotate(n=Count("pk"))
        .values_list("paragraph_key", "n")
    )

    def count(key: str) -> int:
        return len(tally_amendments[key]) + tally_stated[key] + tally_comments.get(key, 0)

    open_keys = {key for key in keys if only is not None or count(key) <= COLLAPSE_OVER}
    amendments: dict[str, list[Amendment]] = defaultdict(list)
    if any(tally_amendments[key] for key in open_keys):
        for a in negotiation.amendments.filter(
            status__in=pending, paragraph_key__in=open_keys
        ).select_related("created_by"):
            amendments[a.paragraph_key].append(a)
    positions: dict[str, list[Position]] = defaultdict(list)
    on_amendment: dict[str, list[Position]] = defaultdict(list)
    if any(tally_amendments[key] or tally_stated[key] for key in open_keys):
        for pos in negotiation.positions.filter(paragraph_key__in=open_keys, **current):
            if pos.target_kind == Position.Target.AMENDMENT:
                on_amendment[pos.target_key].append(pos)
            else:
                positions[pos.paragraph_key].append(pos)
    threads: dict[str, list[Comment]] = defaultdict(list)
    if any(tally_comments.get(key) for key in open_keys):
        for c in negotiation.comments.filter(paragraph_key__in=open_keys).select_related("author"):
            threads[c.paragraph_key].append(c)
    out = []
    for p in paragraphs:
        views = [AmendmentView(a, on_amendment.get(str(a.pk), [])) for a in amendments[p.key]]
        replies: dict[int, list[Comment]] = defaultdict(list)
        for c in threads[p.key]:
            if c.parent_id is not None:
                replies[c.parent_id].append(c)
        roots = [CommentView(c, replies[c.pk]) for c in threads[p.key] if c.parent_id is None]
        proposed = [
            pk for pk, status in tally_amendments[p.key] if status == Amendment.Status.PROPOSED
        ]
        out.append(
            ParagraphView(
                paragraph=p,
                status=_status(
                    p, bool(proposed), any(str(pk) in opposed_amendments for pk in proposed)
                ),
                html=engine.render_paragraph_html(p, register),
                notation=engine.render_paragraph_notation(p),
                amendments=views,
                stated=positions[p.key],
                comments=roots,
                amendment_count=len(tally_amendments[p.key]),
                stated_count=tally_stated[p.key],
                comment_count=tally_comments.get(p.key, 0),
                collapsed=p.key not in open_keys,
            )
        )
    return out


def _status(p: engine.Paragraph, proposed: bool, opposed: bool) -> engine.ParagraphStatus:
    status = engine.paragraph_status(p)
    if proposed and status == engine.ParagraphStatus.AGREED:
        # Words proposed and not yet compiled: the paragraph is open again.
        return engine.ParagraphStatus.DISPUTED if opposed else engine.ParagraphStatus.OPEN
    return status
