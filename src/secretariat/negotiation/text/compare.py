"""Compare two revisions of a draft: paragraphs, brackets and positions."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from rapidfuzz import fuzz

from .model import OPPOSE, SUPPORT, Bracket, Draft, Paragraph, Position
from .register import Register
from .render_html import ENGLISH, Labels, chip_html, escape
from .render_notation import render_paragraph_notation

UNCHANGED, CHANGED, ADDED, REMOVED, MOVED = "unchanged", "changed", "added", "removed", "moved"
_FUZZY_MIN = 60.0  # rapidfuzz ratio above which two unlabelled paragraphs are the same one
_FUZZY_MAX_PAIRS = 250_000  # beyond this, only exact content matches (keeps compare fast)


@dataclass
class WordDiff:
    op: str  # equal | insert | delete
    text: str


@dataclass
class ParagraphChange:
    status: str
    label: str | None
    old_index: int | None
    new_index: int | None
    changed: bool = False  # a moved paragraph may also have changed
    diff: list[WordDiff] = field(default_factory=list)


@dataclass
class BracketChange:
    change: str  # opened | closed
    label: str | None
    bracket_id: str
    text: str


@dataclass
class PositionChange:
    delegation: str
    label: str | None
    scope: str  # "paragraph" or the bracket's text
    old: str | None  # support | oppose | None (no position)
    new: str | None
    old_qualifier: str | None = None  # e.g. "with reservation"
    new_qualifier: str | None = None


@dataclass
class Comparison:
    paragraphs: list[ParagraphChange] = field(default_factory=list)
    brackets: list[BracketChange] = field(default_factory=list)
    positions: list[PositionChange] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in (UNCHANGED, CHANGED, ADDED, REMOVED, MOVED)}
        for p in self.paragraphs:
            counts[p.status] += 1
        counts["brackets_opened"] = sum(b.change == "opened" for b in self.brackets)
        counts["brackets_closed"] = sum(b.change == "closed" for b in self.brackets)
        counts["positions_changed"] = len(self.positions)
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "brackets": [asdict(b) for b in self.brackets],
            "positions": [asdict(p) for p in self.positions],
        }


def _norm(s: str) -> str:
    return " ".join(s.split())


def _match(old: list[Paragraph], new: list[Paragraph]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    by_label_old: dict[str, list[int]] = defaultdict(list)
    by_label_new: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(old):
        if p.label:
            by_label_old[p.label].append(i)
    for j, p in enumerate(new):
        if p.label:
            by_label_new[p.label].append(j)
    for label, olds in by_label_old.items():
        news = by_label_new.get(label, [])
        if len(olds) == len(news):
            pairs.extend(zip(olds, news, strict=True))
        else:  # repeated labels (``1.`` in every section): pair the most similar
            free = list(news)
            for i in olds:
                if not free:
                    break
                scores = {j: fuzz.ratio(old[i].text, new[j].text) for j in free}
                best = max(free, key=scores.__getitem__)
                if scores[best] >= _FUZZY_MIN:
                    pairs.append((i, best))
                    free.remove(best)
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    rest_old = [i for i in range(len(old)) if i not in used_old]
    rest_new = [j for j in range(len(new)) if j not in used_new]
    # Same words: exact matches first.
    by_text: dict[str, list[int]] = defaultdict(list)
    for j in rest_new:
        by_text[_norm(new[j].text)].append(j)
    still_old = []
    for i in rest_old:
        bucket = by_text.get(_norm(old[i].text))
        if bucket:
            j = bucket.pop(0)
            pairs.append((i, j))
            used_new.add(j)
        else:
            still_old.append(i)
    still_new = [j for j in rest_new if j not in used_new]
    if still_old and still_new and len(still_old) * len(still_new) <= _FUZZY_MAX_PAIRS:
        scored = sorted(
            (
                (fuzz.ratio(old[i].text, new[j].text), i, j)
                for i in still_old
                for j in still_new
                if old[i].kind == new[j].kind
            ),
            reverse=True,
        )
        taken_o, taken_n = set(), set()
        for score, i, j in scored:
            if score < _FUZZY_MIN:
                break
            if i not in taken_o and j not in taken_n:
                pairs.append((i, j))
                taken_o.add(i)
                taken_n.add(j)
    return sorted(pairs)


def _stable(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Pairs on a longest increasing run of new indexes; the others moved."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tails_idx.append(k)
        else:
            tails[pos] = j
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    keep: set[tuple[int, int]] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        keep.add(pairs[k])
        k = prev[k]
    return keep


def _word_diff(a: str, b: str) -> list[WordDiff]:
    aw, bw = a.split(), b.split()
    out: list[WordDiff] = []
    sm = difflib.SequenceMatcher(a=aw, b=bw, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(WordDiff("equal", " ".join(aw[i1:i2])))
            continue
        if i2 > i1:
            out.append(WordDiff("delete", " ".join(aw[i1:i2])))
        if j2 > j1:
            out.append(WordDiff("insert", " ".join(bw[j1:j2])))
    return out


def compare(old: Draft, new: Draft) -> Comparison:
    cmp = Comparison()
    old_n = [_norm(render_paragraph_notation(p)) for p in old.paragraphs]
    new_n = [_norm(render_paragraph_notation(p)) for p in new.paragraphs]
    pairs = _match(old.paragraphs, new.paragraphs)
    stable = _stable(pairs)
    matched_old = {i: j for i, j in pairs}
    matched_new = {j for _, j in pairs}
    changes: list[tuple[float, ParagraphChange]] = []
    for i, p in enumerate(old.paragraphs):
        if i not in matched_old:
            changes.append((i - 0.5, ParagraphChange(REMOVED, p.label, i, None)))
            cmp.brackets.extend(BracketChange("closed", p.label, b.id, b.text) for b in p.brackets)
    for i, j in pairs:
        po, pn = old.paragraphs[i], new.paragraphs[j]
        differs = old_n[i] != new_n[j]
        status = MOVED if (i, j) not in stable else (CHANGED if differs else UNCHANGED)
        change = ParagraphChange(status, pn.label or po.label, i, j, differs)
        if differs:
            change.diff = _word_diff(old_n[i], new_n[j])
            _bracket_and_position_changes(cmp, po, pn)
        changes.append((j, change))
    for j, p in enumerate(new.paragraphs):
        if j not in matched_new:
            changes.append((j, ParagraphChange(ADDED, p.label, None, j)))
            cmp.brackets.extend(BracketChange("opened", p.label, b.id, b.text) for b in p.brackets)
    cmp.paragraphs = [c for _, c in sorted(changes, key=lambda t: t[0])]
    return cmp


def _similarity(text: str, b: Bracket) -> float:
    return fuzz.ratio(text, b.text)


def _pair_brackets(po: Paragraph, pn: Paragraph) -> list[tuple[Bracket | None, Bracket | None]]:
    """Brackets of two versions of a paragraph: same words first, then similar words."""
    free = list(pn.brackets)
    pairs: list[tuple[Bracket | None, Bracket | None]] = []
    rest: list[Bracket] = []
    for b in po.brackets:
        same = next((x for x in free if x.text == b.text), None)
        if same is None:
            rest.append(b)
        else:
            free.remove(same)
            pairs.append((b, same))
    for b in rest:
        best = max(free, key=partial(_similarity, b.text), default=None)
        if best is not None and _similarity(b.text, best) >= _FUZZY_MIN:
            free.remove(best)
            pairs.append((b, best))
        else:
            pairs.append((b, None))
    pairs.extend((None, x) for x in free)
    return pairs


_Stance = tuple[str | None, str | None]  # (stance, qualifier)


def _stances(positions: list[Position]) -> dict[str, _Stance]:
    return {x.delegation: (x.stance, x.qualifier) for x in positions}


def _diff_stances(
    cmp: Comparison,
    label: str | None,
    scope: str,
    a: dict[str, _Stance],
    b: dict[str, _Stance],
) -> None:
    none: _Stance = (None, None)
    for code in sorted(a.keys() | b.keys()):
        (old, oq), (new, nq) = a.get(code, none), b.get(code, none)
        if (old, oq) != (new, nq):
            cmp.positions.append(PositionChange(code, label, scope, old, new, oq, nq))


def _bracket_and_position_changes(cmp: Comparison, po: Paragraph, pn: Paragraph) -> None:
    label = pn.label or po.label
    _diff_stances(cmp, label, "paragraph", _stances(po.positions), _stances(pn.positions))
    for bo, bn in _pair_brackets(po, pn):
        if bo is None and bn is not None:
            cmp.brackets.append(BracketChange("opened", label, bn.id, bn.text))
        elif bn is None and bo is not None:
            cmp.brackets.append(BracketChange("closed", label, bo.id, bo.text))
        elif bo is not None and bn is not None:
            _diff_stances(cmp, label, bn.text, _stances(bo.positions), _stances(bn.positions))
            for oo, on in zip(bo.options, bn.options, strict=False):
                scope = f"{bn.text} :: {on.text}"
                _diff_stances(cmp, label, scope, _stances(oo.positions), _stances(on.positions))


# The notation's marks inside a word diff (which is taken on the notation, so a change of
# brackets or positions shows): ``~~`` and single ``*`` toggle struck and new words, ``[``/``]``
# are bracket signs, ``(+CHN -IND)`` a position marker; everything else is words.
_DIFF_TOKEN = re.compile(
    r"(?P<bold>\*\*)"
    r"|(?P<struck>~~)"
    r"|(?P<new>(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))"
    r"|(?P<open>\[)|(?P<close>\])"
    r"|(?P<marker>\((?:\s*[+-]\s*[A-Z][A-Za-z0-9]*(?:\s+[a-z][^()\[\],;]*)?\s*[,;]?)+\))"
)
_MARKER_ITEM = re.compile(r"([+-])\s*([A-Z][A-Za-z0-9]*)((?:\s+[a-z][^()\[\],;]*)?)")


@dataclass
class _DiffState:
    struck: bool = False
    new: bool = False


def _styled(words: str, state: _DiffState) -> str:
    t = escape(words)
    if not t:
        return ""
    if state.struck:
        return f'<del class="nt-deleted">{t}</del>'
    if state.new:
        return f'<ins class="nt-new">{t}</ins>'
    return t


def _diff_segment_html(
    text: str, state: _DiffState, register: Register, labels: Labels = ENGLISH
) -> str:
    out: list[str] = []
    at = 0
    for m in _DIFF_TOKEN.finditer(text):
        out.append(_styled(text[at : m.start()], state))
        at = m.end()
        kind = m.lastgroup
        if kind == "struck":
            state.struck = not state.struck
        elif kind == "new":
            state.new = not state.new
        elif kind in ("open", "close"):
            out.append(f'<span class="nt-sign">{m.group()}</span>')
        elif kind == "marker":
            for sign, code, qualifier in _MARKER_ITEM.findall(m.group()):
                stance = SUPPORT if sign == "+" else OPPOSE
                position = Position(code, stance, qualifier.strip() or None)
                out.append(chip_html(position, register, labels))
        # ``**`` (bold in the source) shows nothing.
    out.append(_styled(text[at:], state))
    return "".join(out)


def render_diff_html(
    diff: list[WordDiff], register: Register | None = None, labels: Labels = ENGLISH
) -> str:
    """A word diff as a reader sees it: removed words ``<del class="nt-diff-del">``, added
    words ``<ins class="nt-diff-ins">``, and inside them the notation rendered as in the
    workspace (struck and new words styled, bracket signs, position chips): never the raw
    tildes, stars or markers. The state of ``~~`` and ``*`` runs is carried across the
    segments of each side, as a run may open in one segment and close in the next."""
    reg = register or Register.default()
    old, new = _DiffState(), _DiffState()
    parts: list[str] = []
    for d in diff:
        if d.op == "equal":  # words of both sides: shown as the new side reads them
            _diff_segment_html(d.text, old, reg, labels)
            parts.append(_diff_segment_html(d.text, new, reg, labels))
        elif d.op == "delete":
            body = _diff_segment_html(d.text, old, reg, labels)
            parts.append(f'<del class="nt-diff-del">{body}</del>')
        else:
            body = _diff_segment_html(d.text, new, reg, labels)
            parts.append(f'<ins class="nt-diff-ins">{body}</ins>')
    return " ".join(parts)


def render_compare_html(cmp: Comparison) -> str:
    """An HTML fragment: one entry per paragraph, word-level insertions and deletions."""
    out = ['<div class="nt-compare">']
    s = cmp.summary()
    out.append(
        '<p class="nt-compare-summary">'
        + ", ".join(f"{escape(k.replace('_', ' '))}: {v}" for k, v in s.items())
        + "</p>"
    )
    out.append('<ol class="nt-compare-paragraphs">')
    for p in cmp.paragraphs:
        label = escape(p.label or "")
        body = render_diff_html(p.diff) if p.diff else ""
        out.append(
            f'<li class="nt-change nt-{p.status}"><span class="nt-status">{p.status}</span> '
            f'<span class="nt-label">{label}</span> {body}</li>'
        )
    out.append("</ol>")
    if cmp.positions:
        out.append('<ul class="nt-compare-positions">')
        for c in cmp.positions:
            out.append(
                f"<li>{escape(c.delegation)} on {escape(c.label or '')} "
                f"({escape(c.scope[:80])}): {_stance_text(c.old, c.old_qualifier)} → "
                f"{_stance_text(c.new, c.new_qualifier)}</li>"
            )
        out.append("</ul>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def _stance_text(stance: str | None, qualifier: str | None) -> str:
    text = stance or "no position"
    return escape(f"{text} ({qualifier})" if qualifier else text)
