"""What the workspace shows for each paragraph: the text as the engine renders it, its status,
its brackets and who holds them, pending amendments and stances, the comment threads; and the
key under which the rendered paragraphs of a viewer are cached."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
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
    # A title line or a section heading: shown as a heading, with no status and no forms.
    level: engine.Level = engine.Level.TEXT

    @property
    def heading(self) -> bool:
        return self.level is not engine.Level.TEXT

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
FRAGMENT_GENERATION = 4
FRAGMENT_SECONDS = 600  # bounds what no key sees (a delegation or a user renamed in the admin)


@dataclass
class Tally:
    """The identities of the rows beside one paragraph, read without loading them: enough to
    count them, judge the paragraph's status and know when anything beside it changed (rows
    are append-only but for an amendment's status and a position leaving the current set)."""

    amendments: list[tuple[int, str]] = field(default_factory=list)  # (pk, status), pending
    positions: list[tuple[int, str, str, str]] = field(default_factory=list)  # current ones
    comments: int = 0
    last_comment: int = 0

    @property
    def stated(self) -> int:
        return sum(1 for _pk, kind, _t, _s in self.positions if kind != Position.Target.AMENDMENT)

    @property
    def count(self) -> int:
        return len(self.amendments) + self.stated + self.comments

    def status(self, p: engine.Paragraph) -> engine.ParagraphStatus:
        proposed = {str(pk) for pk, st in self.amendments if st == Amendment.Status.PROPOSED}
        opposed = any(
            kind == Position.Target.AMENDMENT
            and target in proposed
            and stance == Position.Stance.OPPOSE
            for _pk, kind, target, stance in self.positions
        )
        return _status(p, bool(proposed), opposed)

    def digest(self) -> str:
        rows = (sorted(self.amendments), sorted(self.positions), self.comments, self.last_comment)
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:24]


PENDING = [Amendment.Status.PROPOSED, Amendment.Status.DRAFT]
CURRENT = {"superseded_by__isnull": True, "withdrawn_at__isnull": True, "compiled_in__isnull": True}


def tallies(negotiation: Negotiation, keys: set[str]) -> dict[str, Tally]:
    """The Tally of each paragraph in `keys`: three queries of tuples, however many rows."""
    out = {key: Tally() for key in keys}
    for pk, key, status in negotiation.amendments.filter(
        status__in=PENDING, paragraph_key__in=keys
    ).values_list("pk", "paragraph_key", "status"):
        out[key].amendments.append((pk, status))
    for pk, kind, target, key, stance in negotiation.positions.filter(
        paragraph_key__in=keys, **CURRENT
    ).values_list("pk", "target_kind", "target_key", "paragraph_key", "stance"):
        out[key].positions.append((pk, kind, target, stance))
    for key, n, last in (
        negotiation.comments.filter(paragraph_key__in=keys)
        .values_list("paragraph_key")
        .annotate(n=Count("pk"), last=Max("pk"))
        .values_list("paragraph_key", "n", "last")
    ):
        out[key].comments, out[key].last_comment = n, last
    return out


def fragment_key(
    negotiation: Negotiation,
    revision: Revision,
    key: str,
    tally: Tally,
    *,
    code: str | None,
    steer: bool,
    can_comment: bool,
    can_map_codes: bool,
) -> str:
    """The cache key of one rendered paragraph of the workspace for one kind of viewer.

    It holds everything the rendered paragraph depends on: the negotiation (its creation time
    too, so a restored or recreated database never meets another's entry), its `version` (the
    text and the state), the working revision, the paragraph and the identities of the rows
    beside it (`Tally.digest`: a new amendment, position or comment there, or one withdrawn,
    changes it; other paragraphs keep theirs), the viewer's language and time zone (dates), and
    every right the template tests (the delegation acted for, steering, commenting, mapping
    codes). Two viewers share an entry only when all of these are equal, and then their HTML is
    equal too: the CSRF token, the one per-viewer value, is put in after the cache
    (views.negotiations)."""
    parts = (
        FRAGMENT_GENERATION,
        negotiation.pk,
        negotiation.created_at.isoformat(),
        negotiation.version,
        negotiation.state,
        revision.pk,
        revision.number,
        key,
        tally.digest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        code or "",
        steer,
        can_comment,
        can_map_codes,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"negotiation:paragraph:{negotiation.pk}:{digest}"


def paragraph_views(
    negotiation: Negotiation,
    revision: Revision,
    only: str | None = None,
    *,
    keys: set[str] | None = None,
    counted: dict[str, Tally] | None = None,
    register: engine.Register | None = None,
) -> list[ParagraphView]:
    """The paragraphs of `revision`: all, those in `keys`, or only the one keyed `only` (never
    collapsed, as it is what a change to it or its own page shows). `counted`: their tallies
    if the caller has read them already; `register`: the forum's, if read already.

    The tallies (tuples, no model objects) count the items beside each paragraph and judge its
    status; the rows themselves are loaded for the paragraphs shown open only, so a collapsed
    paragraph costs the same with 7 items or 500."""
    register = register if register is not None else engine.forum_register()
    draft = engine.draft_of(revision, register)
    levels = {
        p.key: level
        for p, level in zip(draft.paragraphs, engine.heading_levels(draft), strict=True)
    }
    paragraphs = [
        p
        for p in draft.paragraphs
        if (only is None or p.key == only) and (keys is None or p.key in keys)
    ]
    wanted = {p.key for p in paragraphs}
    counts = counted if counted is not None else tallies(negotiation, wanted)
    open_keys = {k for k in wanted if only is not None or counts[k].count <= COLLAPSE_OVER}
    amendments: dict[str, list[Amendment]] = defaultdict(list)
    if any(counts[k].amendments for k in open_keys):
        for a in negotiation.amendments.filter(
            status__in=PENDING, paragraph_key__in=open_keys
        ).select_related("created_by"):
            amendments[a.paragraph_key].append(a)
    positions: dict[str, list[Position]] = defaultdict(list)
    on_amendment: dict[str, list[Position]] = defaultdict(list)
    if any(counts[k].positions for k in open_keys):
        for pos in negotiation.positions.filter(paragraph_key__in=open_keys, **CURRENT):
            if pos.target_kind == Position.Target.AMENDMENT:
                on_amendment[pos.target_key].append(pos)
            else:
                positions[pos.paragraph_key].append(pos)
    threads: dict[str, list[Comment]] = defaultdict(list)
    if any(counts[k].comments for k in open_keys):
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
        tally = counts[p.key]
        level = levels[p.key]
        out.append(
            ParagraphView(
                paragraph=p,
                status=tally.status(p),
                html=(
                    engine.render_heading_html(p, level)
                    if level
                    else engine.render_paragraph_html(p, register)
                ),
                notation=engine.render_paragraph_notation(p),
                amendments=views,
                stated=positions[p.key],
                comments=roots,
                amendment_count=len(tally.amendments),
                stated_count=tally.stated,
                comment_count=tally.comments,
                collapsed=p.key not in open_keys,
                level=level,
            )
        )
    return out


def _status(p: engine.Paragraph, proposed: bool, opposed: bool) -> engine.ParagraphStatus:
    status = engine.paragraph_status(p)
    if proposed and status == engine.ParagraphStatus.AGREED:
        # Words proposed and not yet compiled: the paragraph is open again.
        return engine.ParagraphStatus.DISPUTED if opposed else engine.ParagraphStatus.OPEN
    return status
