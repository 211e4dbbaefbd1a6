"""What the workspace shows for each paragraph: the text as the engine renders it, its status,
its brackets and who holds them, pending amendments and stances, the comment threads."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from secretariat.negotiation import engine
from secretariat.negotiation.models import Amendment, Comment, Negotiation, Position, Revision

# Not in the engine's package front; the workspace renders paragraph by paragraph.
from secretariat.negotiation.text.render_html import render_paragraph_html


def paragraph_views(
    negotiation: Negotiation, revision: Revision, only: str | None = None
) -> list[dict[str, Any]]:
    draft = engine.parse_text(revision.notation)
    keys = engine.paragraph_keys(draft)
    register = engine.forum_register()
    amendments: dict[str, list[Amendment]] = defaultdict(list)
    for a in negotiation.amendments.filter(
        status__in=[Amendment.Status.PROPOSED, Amendment.Status.DRAFT]
    ).select_related("created_by"):
        amendments[a.paragraph_key].append(a)
    positions: dict[str, list[Position]] = defaultdict(list)
    on_amendment: dict[str, list[Position]] = defaultdict(list)
    for p in negotiation.positions.filter(
        superseded_by__isnull=True, withdrawn_at__isnull=True, compiled_in__isnull=True
    ):
        if p.target_kind == Position.Target.AMENDMENT:
            on_amendment[p.target_key].append(p)
        else:
            positions[p.paragraph_key].append(p)
    threads: dict[str, list[Comment]] = defaultdict(list)
    for c in negotiation.comments.select_related("author").order_by("created_at", "id"):
        threads[c.paragraph_key].append(c)
    out = []
    parsed = {p["key"]: p for p in revision.parsed.get("paragraphs", [])}
    for key, para in zip(keys, draft.paragraphs, strict=True):
        if only is not None and key != only:
            continue
        data = parsed.get(key) or engine.structure(draft)["paragraphs"][keys.index(key)]
        for a in amendments.get(key, []):
            a.current_positions = on_amendment.get(str(a.pk), [])
        roots = [c for c in threads.get(key, []) if c.parent_id is None]
        replies: dict[int, list[Comment]] = defaultdict(list)
        for c in threads.get(key, []):
            if c.parent_id is not None:
                replies[c.parent_id].append(c)
        for c in roots:
            c.thread = replies.get(c.pk, [])
        status = engine.paragraph_status(data)
        proposed = [a for a in amendments.get(key, []) if a.status == Amendment.Status.PROPOSED]
        if proposed and status == "agreed":
            # Words proposed and not yet compiled: the paragraph is open again.
            opposed = any(p.stance == "oppose" for a in proposed for p in a.current_positions)
            status = "disputed" if opposed else "open"
        out.append(
            {
                "key": key,
                "label": para.label,
                "kind": para.kind,
                "status": status,
                "html": render_paragraph_html(para, register),
                "notation": data["notation"],
                "brackets": data["brackets"],
                "positions": data["positions"],
                "notes": data["notes"],
                "unknown": data.get("unknown", []),
                "amendments": amendments.get(key, []),
                "stated": positions.get(key, []),
                "comments": roots,
                "comment_count": len(threads.get(key, [])),
            }
        )
    return out


def holders(bracket: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"support": [], "oppose": []}
    for p in bracket["positions"]:
        out[p["stance"]].append(
            p["delegation"] + (f" ({p['qualifier']})" if p["qualifier"] else "")
        )
    return out


def dashboard_figures(negotiation: Negotiation) -> dict[str, Any]:
    """The chair's dashboard: counts, brackets by section, stances by delegation, brackets
    held by one delegation alone, open brackets per revision."""
    working = negotiation.revisions.get(frozen=False)
    paragraphs = working.parsed.get("paragraphs", [])
    section = "—"
    by_section: dict[str, int] = defaultdict(int)
    stances: dict[str, dict[str, int]] = defaultdict(lambda: {"support": 0, "oppose": 0})
    alone = []
    for p in paragraphs:
        if p["kind"] in ("heading", "lead_in") and not p["label"]:
            section = p["text"][:60]
        if p["label"] and p["label"].startswith(("PP", "Pp")):
            section = "Preamble"
        elif p["label"] and p["label"].startswith(("OP", "Op")):
            section = "Operative part"
        by_section[section] += len(p["brackets"])
        for pos in p["positions"]:
            stances[pos["delegation"]][pos["stance"]] += 1
        for b in p["brackets"]:
            for pos in b["positions"]:
                stances[pos["delegation"]][pos["stance"]] += 1
            opposing = {pos["delegation"] for pos in b["positions"] if pos["stance"] == "oppose"}
            supporting = {pos["delegation"] for pos in b["positions"] if pos["stance"] == "support"}
            if len(opposing) == 1:
                alone.append(
                    {
                        "paragraph": p["label"] or p["key"],
                        "bracket": b,
                        "code": next(iter(opposing)),
                        "why": "oppose",
                    }
                )
            elif not opposing and len(supporting) == 1:
                alone.append(
                    {
                        "paragraph": p["label"] or p["key"],
                        "bracket": b,
                        "code": next(iter(supporting)),
                        "why": "support",
                    }
                )
    history = [
        (r.number, sum(len(p["brackets"]) for p in r.parsed.get("paragraphs", [])), r.frozen)
        for r in negotiation.revisions.order_by("number")
    ]
    summary = engine.summary(working.parsed)
    return {
        "summary": summary,
        "open_paragraphs": summary["paragraphs"] - summary["agreed"],
        "by_section": sorted(((k, v) for k, v in by_section.items() if v), key=lambda kv: -kv[1]),
        "stances": sorted(stances.items()),
        "alone": alone,
        "chart": chart_svg(history),
    }


def chart_svg(points: list[tuple[int, int, bool]]) -> str:
    """Open brackets per revision as a small accessible bar chart (inline SVG, no script)."""
    from html import escape

    if not points:
        return ""
    width, height, pad = 560, 200, 30
    top = max(n for _r, n, _f in points) or 1
    bar = (width - 2 * pad) / len(points)
    parts = [
        f'<svg class="neg-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title"><title id="chart-title">Open brackets per revision: '
        + escape(", ".join(f"Rev. {r}: {n}" for r, n, _f in points))
        + "</title>",
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#5b6775"/>',
    ]
    for i, (number, count, frozen) in enumerate(points):
        h = (height - 2 * pad) * count / top
        x = pad + i * bar + bar * 0.15
        y = height - pad - h
        fill = "#1d4e89" if frozen else "#a8741a"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{x + bar * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12">{count}</text>'
        )
        label = f"Rev. {number}" if frozen else "working"
        parts.append(
            f'<text x="{x + bar * 0.35:.1f}" y="{height - pad + 16}" '
            f'text-anchor="middle" font-size="11">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
