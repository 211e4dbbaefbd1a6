"""What the workspace shows for each paragraph: the text as the engine renders it, its status,
its brackets and who holds them, pending amendments and stances, the comment threads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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
    comment_count: int = 0

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


def paragraph_views(
    negotiation: Negotiation, revision: Revision, only: str | None = None
) -> list[ParagraphView]:
    register = engine.forum_register()
    draft = engine.draft_of(revision, register)
    paragraphs = [p for p in draft.paragraphs if only is None or p.key == only]
    keys = {p.key for p in paragraphs}
    amendments: dict[str, list[Amendment]] = defaultdict(list)
    for a in negotiation.amendments.filter(
        status__in=[Amendment.Status.PROPOSED, Amendment.Status.DRAFT], paragraph_key__in=keys
    ).select_related("created_by"):
        amendments[a.paragraph_key].append(a)
    positions: dict[str, list[Position]] = defaultdict(list)
    on_amendment: dict[str, list[Position]] = defaultdict(list)
    for pos in negotiation.positions.filter(
        superseded_by__isnull=True, withdrawn_at__isnull=True, compiled_in__isnull=True
    ):
        if pos.target_kind == Position.Target.AMENDMENT:
            on_amendment[pos.target_key].append(pos)
        elif pos.paragraph_key in keys:
            positions[pos.paragraph_key].append(pos)
    threads: dict[str, list[Comment]] = defaultdict(list)
    for c in negotiation.comments.filter(paragraph_key__in=keys).select_related("author"):
        threads[c.paragraph_key].append(c)
    out = []
    for p in paragraphs:
        views = [AmendmentView(a, on_amendment.get(str(a.pk), [])) for a in amendments[p.key]]
        replies: dict[int, list[Comment]] = defaultdict(list)
        for c in threads[p.key]:
            if c.parent_id is not None:
                replies[c.parent_id].append(c)
        roots = [CommentView(c, replies[c.pk]) for c in threads[p.key] if c.parent_id is None]
        out.append(
            ParagraphView(
                paragraph=p,
                status=_status(p, views),
                html=engine.render_paragraph_html(p, register),
                notation=engine.render_paragraph_notation(p),
                amendments=views,
                stated=positions[p.key],
                comments=roots,
                comment_count=len(threads[p.key]),
            )
        )
    return out


def _status(p: engine.Paragraph, amendments: list[AmendmentView]) -> engine.ParagraphStatus:
    status = engine.paragraph_status(p)
    proposed = [v for v in amendments if v.amendment.status == Amendment.Status.PROPOSED]
    if proposed and status == engine.ParagraphStatus.AGREED:
        # Words proposed and not yet compiled: the paragraph is open again.
        opposed = any(pos.stance == Position.Stance.OPPOSE for v in proposed for pos in v.positions)
        return engine.ParagraphStatus.DISPUTED if opposed else engine.ParagraphStatus.OPEN
    return status
