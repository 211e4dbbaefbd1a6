"""The chair's dashboard figures: counts, brackets by section, stances by delegation, brackets
one delegation holds alone, and open brackets per revision as a small SVG chart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from django.utils.translation import gettext as _

from secretariat.accounts.register import groups_of_codes
from secretariat.negotiation import engine
from secretariat.negotiation.models import Negotiation


@dataclass
class Stances:
    support: int = 0
    oppose: int = 0

    def add(self, stance: str) -> None:
        if stance == engine.OPPOSE:
            self.oppose += 1
        else:
            self.support += 1


@dataclass
class HeldAlone:
    paragraph: str  # label, or key when unlabelled
    bracket: engine.Bracket
    code: str
    why: str  # the stance: support | oppose


@dataclass
class RevisionPoint:
    number: int
    open_brackets: int
    frozen: bool


@dataclass
class DashboardFigures:
    summary: engine.Summary
    by_section: list[tuple[str, int]] = field(default_factory=list)
    stances: list[tuple[str, Stances]] = field(default_factory=list)
    # Stances counted per group of the forum's register: a group's own positions (`(+EU)`)
    # and those of its members; empty for a forum without groups.
    by_group: list[tuple[str, Stances]] = field(default_factory=list)
    alone: list[HeldAlone] = field(default_factory=list)
    chart: str = ""

    @property
    def open_paragraphs(self) -> int:
        return self.summary.open_paragraphs


def _section_of(p: engine.Paragraph, level: engine.Level, current: str) -> str:
    """The section a paragraph opens or belongs to. A title line of the document opens none:
    it is what the whole text is called, not a part of it."""
    label = p.label or ""
    if level is engine.Level.TITLE:
        return current
    if level is engine.Level.HEADING:
        return (f"{p.label_raw} " if p.label_raw else "") + p.text.replace("**", "").strip()[:60]
    if label.startswith(("PP", "Pp")):
        return _("Preamble")
    if label.startswith(("OP", "Op")):
        return _("Operative part")
    if p.kind == "lead_in" and not p.label:
        return p.text[:60]
    return current


def _held_alone(p: engine.Paragraph, b: engine.Bracket) -> HeldAlone | None:
    opposing = {pos.delegation for pos in b.positions if pos.stance == engine.OPPOSE}
    supporting = {pos.delegation for pos in b.positions if pos.stance == engine.SUPPORT}
    where = p.label or p.key
    if len(opposing) == 1:
        return HeldAlone(where, b, next(iter(opposing)), engine.OPPOSE)
    if not opposing and len(supporting) == 1:
        return HeldAlone(where, b, next(iter(supporting)), engine.SUPPORT)
    return None


def dashboard_figures(negotiation: Negotiation) -> DashboardFigures:
    register = engine.forum_register()
    revisions = list(negotiation.revisions.defer("parsed").order_by("number"))
    working = next(r for r in revisions if not r.frozen)
    draft = engine.draft_of(working, register)
    section = "—"
    by_section: dict[str, int] = defaultdict(int)
    stances: dict[str, Stances] = defaultdict(Stances)
    alone: list[HeldAlone] = []
    levels = engine.heading_levels(draft)
    for p, level in zip(draft.paragraphs, levels, strict=True):
        section = _section_of(p, level, section)
        by_section[section] += len(p.brackets)
        for pos in p.positions:
            stances[pos.delegation].add(pos.stance)
        for b in p.brackets:
            for pos in b.positions:
                stances[pos.delegation].add(pos.stance)
            held = _held_alone(p, b)
            if held is not None:
                alone.append(held)
    history = [
        RevisionPoint(
            r.number, engine.summary(engine.draft_of(r, register)).open_brackets, r.frozen
        )
        for r in revisions
    ]
    groups_of = groups_of_codes()
    by_group: dict[str, Stances] = {}
    for code, s in sorted(stances.items()):
        for group in groups_of.get(code, []):
            counted = by_group.setdefault(group, Stances())
            counted.support += s.support
            counted.oppose += s.oppose
    return DashboardFigures(
        summary=engine.summary(draft),
        by_group=sorted(by_group.items()),
        by_section=sorted(((k, v) for k, v in by_section.items() if v), key=lambda kv: -kv[1]),
        stances=sorted(stances.items()),
        alone=alone,
        chart=chart_svg(history),
    )


def chart_svg(points: list[RevisionPoint]) -> str:
    """Open brackets per revision as a small accessible bar chart (inline SVG, no script)."""
    if not points:
        return ""
    width, height, pad = 560, 200, 30
    top = max(pt.open_brackets for pt in points) or 1
    bar = (width - 2 * pad) / len(points)

    def name(pt: RevisionPoint) -> str:
        return _("Rev. %(number)d") % {"number": pt.number} if pt.frozen else _("working")

    title = _("Open brackets per revision: %(list)s") % {
        "list": ", ".join(f"{name(pt)}: {pt.open_brackets}" for pt in points)
    }
    parts = [
        f'<svg class="neg-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#5b6775"/>',
    ]
    for i, pt in enumerate(points):
        h = (height - 2 * pad) * pt.open_brackets / top
        x = pad + i * bar + bar * 0.15
        y = height - pad - h
        fill = "#1d4e89" if pt.frozen else "#a8741a"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{x + bar * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12">{pt.open_brackets}</text>'
        )
        parts.append(
            f'<text x="{x + bar * 0.35:.1f}" y="{height - pad + 16}" '
            f'text-anchor="middle" font-size="11">{escape(name(pt))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
