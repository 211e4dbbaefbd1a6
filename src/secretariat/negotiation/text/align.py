"""Align the paragraphs of two language editions of one text; check their brackets.

Method, in two passes:

1. **Labels.** Where paragraphs carry labels (``PP1``, ``OP3``, ``2 bis``, ``13.``, ``(1)``,
   ``e)``, ``Pillar II``) the labels pair them: the parser's label, else a few forms the
   parser does not read and translations use (``ПП1``, ``б)``, ``Столп II``), normalised to
   one key (Cyrillic item letters by their rank in the alphabet: ``б)`` is ``b)``). The key
   sequences are matched in order (``difflib``), so a repeated ``(1)`` pairs with its
   neighbour and a paragraph one edition lacks leaves the rest in place.
2. **Lengths and anchors** between the label pairs (all of the text when there are none):
   Gale and Church's length-based dynamic programming (1993), steps 1-1, 1-2, 2-1, 1-0 and
   0-1, the cost of a step being ``-log P(length ratio) - log P(step)``, plus a term for
   *anchors*: tokens that survive translation (numbers, Latin codes such as ``(+RUS)`` or
   ``SWG/OI/1262``, and proper names compared by a consonant skeleton of their Latin
   transliteration, so ``Astana`` meets ``Астана``). The length ratio between the scripts
   is estimated from the pair itself (total characters), bounded, falling back to the
   corpus figure. Gale-Church was chosen over lexical methods (Hunalign, bilingual
   embeddings) because it needs no dictionary or model for Russian or Kazakh, is
   deterministic, and in negotiated texts paragraphs are long and rarely reordered, where
   length plus anchors is reliable. Large unlabelled stretches are aligned in a band around
   the length diagonal, so the cost is linear in the text.

3. **Moved paragraphs.** The dynamic programme keeps the order, so a paragraph the translator
   moved is left unpaired or swallowed by a neighbour's merge. A last pass (`_pair_moved`)
   pairs such leftovers across the order when a label, shared anchors or (for anchorless
   unpaired paragraphs) a close length says they are one paragraph and re-aligning the
   stretch between them without the two costs less; those pairs have method ``moved`` and
   are the only ones that cross.

An unlabelled paragraph next to a label pair joins it when that explains the lengths better
(a translator merged or split a paragraph). Every pair has a confidence in [0, 1]; a
paragraph with no partner is a pair with one side empty.
"""

from __future__ import annotations

import difflib
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .labels import match_label
from .model import Bracket, Draft, Paragraph, Position

# Characters of the edition per character of English, from the corpus: the circular
# SWG/OI/1262's note in English, Russian and Kazakh (1066 / 1008 / 1178 characters; the
# Russian note abbreviates names, a running text is longer) and the usual figure for
# Russian translations of UN texts (~1.1). Used when a pair is too short to estimate.
DEFAULT_RATIO = 1.0
SCRIPT_RATIOS = {("latin", "cyrillic"): 1.05, ("cyrillic", "latin"): 1 / 1.05}
_VARIANCE = 6.8  # Gale and Church's variance of the length difference, per character
_PRIORS = {(1, 1): 0.89, (1, 2): 0.0445, (2, 1): 0.0445, (1, 0): 0.0099, (0, 1): 0.0099}
_ANCHOR_WEIGHT = 4.0
_BAND = 30  # paragraphs either side of the length diagonal for long unlabelled stretches
_FULL_DP_CELLS = 200_000


@dataclass(slots=True)
class Pair:
    """Paragraphs ``a`` of edition A match paragraphs ``b`` of edition B (one side may be
    empty: an unpaired paragraph)."""

    a: list[int]
    b: list[int]
    a_label: str | None = None
    b_label: str | None = None
    confidence: float = 0.0
    method: str = "length"  # label | length | unpaired | moved

    def to_json(self) -> dict[str, Any]:
        return {
            "a": list(self.a),
            "b": list(self.b),
            "a_label": self.a_label,
            "b_label": self.b_label,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class Alignment:
    pairs: list[Pair] = field(default_factory=list)
    ratio: float = 1.0

    @property
    def unpaired_a(self) -> list[int]:
        return [i for p in self.pairs if not p.b for i in p.a]

    @property
    def unpaired_b(self) -> list[int]:
        return [j for p in self.pairs if not p.a for j in p.b]

    def to_json(self) -> list[dict[str, Any]]:
        return [p.to_json() for p in self.pairs]

    def partner_of_a(self) -> dict[int, Pair]:
        return {i: p for p in self.pairs for i in p.a}

    def partner_of_b(self) -> dict[int, Pair]:
        return {j: p for p in self.pairs for j in p.b}


@dataclass(slots=True)
class Unit:
    """What the aligner knows of one paragraph."""

    text: str
    label: str | None = None  # as shown
    key: str | None = None  # normalised for matching
    anchors: frozenset[str] = frozenset()
    length: int = 0

    def __post_init__(self) -> None:
        self.length = len(self.text)


# --- labels -------------------------------------------------------------------------------

_CYR_ORDER = "абвгдежзиклмнопрстуфхцчшщэюя"
_LAT_ORDER = "abcdefghijklmnopqrstuvwxyz"
_HEADINGS = {
    "pillar": "pillar",
    "столп": "pillar",
    "тірек": "pillar",
    "article": "article",
    "статья": "article",
    "бап": "article",
    "section": "section",
    "раздел": "section",
    "бөлім": "section",
    "chapter": "chapter",
    "глава": "chapter",
    "тарау": "chapter",
    "part": "part",
    "часть": "part",
    "бөлік": "part",
    "annex": "annex",
    "приложение": "annex",
    "қосымша": "annex",
}
_OWN_LABEL = re.compile(
    r"""^\s*\[?\s*(?:
      (?P<pp>(?:ПП|ОП|PP|OP)\s?\d+(?:\s?(?:бис|тер|bis|ter))?[a-zа-я]?)\.?
     |(?P<head>(?:"""
    + "|".join(_HEADINGS)
    + r""")\s+(?:[IVXLC]+|\d+))\b\.?
     |(?P<item>\(?[а-я]\))
    )(?=\s|$)""",
    re.VERBOSE | re.IGNORECASE,
)
_CYR_PP = str.maketrans({"П": "P", "О": "O"})


def own_label(text: str) -> str | None:
    """A label the parser does not read but translations use, as written."""
    m = _OWN_LABEL.match(text)
    if not m:
        return None
    return m.group(0).strip().lstrip("[").strip()


def label_key(label: str | None) -> str | None:
    """One key for the same label in any edition: ``ПП 5 бис.`` and ``PP5bis`` meet."""
    if not label:
        return None
    s = " ".join(label.split()).rstrip(".").strip()
    low = s.lower()
    for word, kind in _HEADINGS.items():
        if low.startswith(word + " "):
            return f"{kind}:{s.split(' ', 1)[1].upper()}"
    m = re.fullmatch(r"\(?([а-я])\)", low)
    if m and m.group(1) in _CYR_ORDER:
        letter = _LAT_ORDER[_CYR_ORDER.index(m.group(1))]
        return f"({letter})" if low.startswith("(") else f"{letter})"
    s = s.translate(_CYR_PP).replace("бис", "bis").replace("тер", "ter")
    s = s.replace(" ", "")
    s = re.sub(r"(?i)altern\.?|alt\.?", "ALT", s)
    return s.upper() if re.match(r"(?i)(PP|OP)\d", s) else s.lower()


# --- anchors ------------------------------------------------------------------------------

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "z", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "u", "я": "a", "ә": "a", "ғ": "g", "қ": "k",
    "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
_LATIN_DIGRAPHS = (("kh", "h"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("ts", "c"), ("ph", "f"))
_NUMBER = re.compile(r"\d+")
_CODE = re.compile(r"\b[A-Z][A-Z0-9]+(?:/[A-Z0-9]+)*\b")
_NAME = re.compile(r"(?<![\w.])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі]{3,}")
_VOWELS = set("aeiouy")


def _skeleton(word: str) -> str:
    s = "".join(_TRANSLIT.get(c, c) for c in word.lower())
    for di, mono in _LATIN_DIGRAPHS:
        s = s.replace(di, mono)
    s = s.replace("j", "i").replace("w", "v").replace("x", "ks").replace("q", "k")
    cons = "".join(c for c in s if c not in _VOWELS)
    return cons[:4]


def anchors_of(text: str, positions: Sequence[Position] = ()) -> frozenset[str]:
    """Tokens that survive translation: numbers, Latin codes, name skeletons, positions."""
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        out.add("n:" + (m.group().lstrip("0") or "0"))
    for m in _CODE.finditer(text):
        out.add("c:" + m.group())
    for i, m in enumerate(_NAME.finditer(text)):
        if i == 0 and m.start() < 3:
            continue  # a sentence's first word is capitalised in every language
        sk = _skeleton(m.group())
        if len(sk) >= 3:
            out.add("w:" + sk)
    for p in positions:
        out.add(f"p:{p.stance[0]}{p.delegation}")
    return frozenset(out)


def _dice(a: frozenset[str], b: frozenset[str]) -> float | None:
    total = len(a) + len(b)
    if not total:
        return None
    return 2 * len(a & b) / total


# --- units --------------------------------------------------------------------------------


def _positions(p: Paragraph) -> list[Position]:
    out = list(p.positions)
    for b in p.brackets:
        out.extend(b.positions)
    return out


def units_of_draft(draft: Draft) -> list[Unit]:
    units = []
    for p in draft.paragraphs:
        label = p.label or own_label(p.text)
        units.append(
            Unit(
                text=" ".join(p.text.split()),
                label=label,
                key=label_key(label),
                anchors=anchors_of(p.text, _positions(p)),
            )
        )
    return units


def units_of_texts(texts: Sequence[str]) -> list[Unit]:
    units = []
    for t in texts:
        found = match_label(t.lstrip())
        label = found.label if found else own_label(t)
        units.append(Unit(" ".join(t.split()), label, label_key(label), anchors_of(t)))
    return units


# --- costs --------------------------------------------------------------------------------


def _neg_log_two_tail(z: float) -> float:
    """-log P(|Z| >= z) for a standard normal Z, without underflow."""
    z = abs(z)
    if z < 20:
        return -math.log(max(math.erfc(z / math.sqrt(2)), 1e-300))
    return z * z / 2 + math.log(z * math.sqrt(math.pi / 2))


def _delta(la: int, lb: int, ratio: float) -> float:
    if la == 0 and lb == 0:
        return 0.0
    mean = (la + lb / ratio) / 2
    return (lb - la * ratio) / math.sqrt(max(mean, 1.0) * _VARIANCE)


def _anchor_sim(ua: Sequence[Unit], ub: Sequence[Unit]) -> float | None:
    ca = ua[0].anchors if len(ua) == 1 else frozenset().union(*(u.anchors for u in ua))
    cb = ub[0].anchors if len(ub) == 1 else frozenset().union(*(u.anchors for u in ub))
    return _dice(ca, cb)


def _cost(ua: Sequence[Unit], ub: Sequence[Unit], ratio: float) -> float:
    prior = -math.log(_PRIORS[(len(ua), len(ub))])
    if not ua or not ub:
        weight = sum(len(u.anchors) for u in (*ua, *ub))
        return prior + min(weight, 4) * 0.5
    la = sum(u.length for u in ua)
    lb = sum(u.length for u in ub)
    cost = prior + _neg_log_two_tail(_delta(la, lb, ratio))
    sim = _anchor_sim(ua, ub)
    if sim is not None:
        cost += _ANCHOR_WEIGHT * (0.5 - sim)
    return cost


def _confidence(ua: Sequence[Unit], ub: Sequence[Unit], ratio: float, labelled: bool) -> float:
    if not ua or not ub:
        return 0.5  # unpaired: a guess, not a verdict
    la = sum(u.length for u in ua)
    lb = sum(u.length for u in ub)
    length = math.erfc(abs(_delta(la, lb, ratio)) / (2 * math.sqrt(2)))
    sim = _anchor_sim(ua, ub)
    if labelled:
        conf = 0.8 + 0.2 * length
        if sim is not None:
            conf = 0.7 + 0.15 * length + 0.15 * sim
    elif sim is None:
        conf = 0.8 * length
    else:
        conf = 0.55 * length + 0.45 * sim
    if len(ua) + len(ub) > 2:
        conf *= 0.9
    return max(0.0, min(1.0, conf))


# --- the dynamic programme ----------------------------------------------------------------

_STEPS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))


def _dp(ua: list[Unit], ub: list[Unit], ratio: float) -> list[tuple[int, int, int, int]]:
    """Gale-Church over two stretches: steps as (i0, i1, j0, j1), in order."""
    n, m = len(ua), len(ub)
    if n == 0 or m == 0:
        return [(i, i + 1, 0, 0) for i in range(n)] + [(0, 0, j, j + 1) for j in range(m)]
    if n * m <= _FULL_DP_CELLS:
        lo = [0] * (n + 1)
        hi = [m] * (n + 1)
    else:
        # The band follows the length diagonal: row i's expected column is where B's
        # cumulative length reaches A's times the ratio.
        cum_b = [0]
        for u in ub:
            cum_b.append(cum_b[-1] + u.length)
        acc = 0
        lo, hi = [], []
        for i in range(n + 1):
            j = min(bisect_left(cum_b, acc * ratio), m)
            width = _BAND + abs(n - m) // 10
            lo.append(max(0, j - width))
            hi.append(min(m, j + width))
            if i < n:
                acc += ua[i].length
        for i in range(1, n + 1):  # keep the band connected
            lo[i] = min(lo[i], hi[i - 1])
        lo[0], hi[n] = 0, m
    inf = float("inf")
    lens_a = [u.length for u in ua]
    lens_b = [u.length for u in ub]
    anc_a = [u.anchors for u in ua]
    anc_b = [u.anchors for u in ub]
    prior = {k: -math.log(v) for k, v in _PRIORS.items()}
    skip_a = [prior[(1, 0)] + min(len(x), 4) * 0.5 for x in anc_a]
    skip_b = [prior[(0, 1)] + min(len(x), 4) * 0.5 for x in anc_b]
    sqrt_var = math.sqrt(_VARIANCE)

    def match(la: int, lb: int, xa: frozenset[str], xb: frozenset[str], p: float) -> float:
        mean = (la + lb / ratio) / 2
        z = abs(lb - la * ratio) / (math.sqrt(mean if mean > 1 else 1.0) * sqrt_var)
        c = p + (
            -math.log(max(math.erfc(z / 1.4142135623730951), 1e-300))
            if z < 20
            else z * z / 2 + math.log(z * 1.2533141373155001)
        )
        total = len(xa) + len(xb)
        if total:
            c += _ANCHOR_WEIGHT * (0.5 - 2 * len(xa & xb) / total)
        return c

    p11, p12, p21 = prior[(1, 1)], prior[(1, 2)], prior[(2, 1)]
    cost: list[dict[int, float]] = [dict() for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [dict() for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        row = cost[i]
        up = cost[i - 1] if i >= 1 else {}
        up2 = cost[i - 2] if i >= 2 else {}
        brow = back[i]
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, (0, 0)
            if i >= 1 and j >= 1:
                prev = up.get(j - 1)
                if prev is not None:
                    c = prev + match(lens_a[i - 1], lens_b[j - 1], anc_a[i - 1], anc_b[j - 1], p11)
                    if c < best:
                        best, arg = c, (1, 1)
                if j >= 2:
                    prev = up.get(j - 2)
                    if prev is not None:
                        c = prev + match(
                            lens_a[i - 1],
                            lens_b[j - 2] + lens_b[j - 1],
                            anc_a[i - 1],
                            anc_b[j - 2] | anc_b[j - 1],
                            p12,
                        )
                        if c < best:
                            best, arg = c, (1, 2)
                if i >= 2:
                    prev = up2.get(j - 1)
                    if prev is not None:
                        c = prev + match(
                            lens_a[i - 2] + lens_a[i - 1],
                            lens_b[j - 1],
                            anc_a[i - 2] | anc_a[i - 1],
                            anc_b[j - 1],
                            p21,
                        )
                        if c < best:
                            best, arg = c, (2, 1)
            if i >= 1:
                prev = up.get(j)
                if prev is not None:
                    c = prev + skip_a[i - 1]
                    if c < best:
                        best, arg = c, (1, 0)
            if j >= 1:
                prev = row.get(j - 1)
                if prev is not None:
                    c = prev + skip_b[j - 1]
                    if c < best:
                        best, arg = c, (0, 1)
            if best < inf:
                row[j] = best
                brow[j] = arg
    steps = []
    i, j = n, m
    if j not in cost[n]:  # cannot happen with a connected band; be safe
        return [(k, k + 1, 0, 0) for k in range(n)] + [(0, 0, k, k + 1) for k in range(m)]
    while i > 0 or j > 0:
        di, dj = back[i][j]
        steps.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    steps.reverse()
    return steps


def estimate_ratio(ua: Sequence[Unit], ub: Sequence[Unit]) -> float:
    la = sum(u.length for u in ua)
    lb = sum(u.length for u in ub)

    def script(units: Sequence[Unit]) -> str:
        sample = "".join(u.text for u in units[:50])
        cyr = sum(1 for c in sample if "\u0400" <= c <= "\u04ff")
        lat = sum(1 for c in sample if c.isascii() and c.isalpha())
        return "cyrillic" if cyr > lat else "latin"

    if la >= 400 and lb >= 400:
        return max(0.5, min(2.0, lb / la))
    return SCRIPT_RATIOS.get((script(ua), script(ub)), DEFAULT_RATIO)


def align_units(ua: list[Unit], ub: list[Unit]) -> Alignment:
    ratio = estimate_ratio(ua, ub)
    # 1. label pairs, in order
    la = [(i, u.key) for i, u in enumerate(ua) if u.key]
    lb = [(j, u.key) for j, u in enumerate(ub) if u.key]
    anchors: list[tuple[int, int]] = []
    if la and lb:
        sm = difflib.SequenceMatcher(a=[k for _, k in la], b=[k for _, k in lb], autojunk=False)
        for block in sm.get_matching_blocks():
            for k in range(block.size):
                anchors.append((la[block.a + k][0], lb[block.b + k][0]))
    pairs: list[Pair] = []
    pi, pj = 0, 0

    def gap(i1: int, j1: int) -> None:
        for i0, i1_, j0, j1_ in _dp(ua[pi:i1], ub[pj:j1], ratio):
            a = list(range(pi + i0, pi + i1_))
            b = list(range(pj + j0, pj + j1_))
            sa, sb = [ua[i] for i in a], [ub[j] for j in b]
            pairs.append(
                Pair(
                    a,
                    b,
                    sa[0].label if sa else None,
                    sb[0].label if sb else None,
                    _confidence(sa, sb, ratio, False),
                    "length" if a and b else "unpaired",
                )
            )

    for i, j in anchors:
        gap(i, j)
        pairs.append(
            Pair(
                [i],
                [j],
                ua[i].label,
                ub[j].label,
                _confidence([ua[i]], [ub[j]], ratio, True),
                "label",
            )
        )
        pi, pj = i + 1, j + 1
    gap(len(ua), len(ub))
    pairs = _absorb(pairs, ua, ub, ratio)
    pairs = _pair_moved(pairs, ua, ub, ratio)
    return Alignment(pairs, ratio)


def _absorb(pairs: list[Pair], ua: list[Unit], ub: list[Unit], ratio: float) -> list[Pair]:
    """An unlabelled, unpaired paragraph right after a label pair joins it when the merged
    lengths fit better (the translator merged or split it)."""
    out: list[Pair] = []
    for p in pairs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.method == "label"
            and p.method == "unpaired"
            and len(prev.a) + len(prev.b) == 2
        ):
            side_a = bool(p.a)
            idx = (p.a or p.b)[0]
            unit = ua[idx] if side_a else ub[idx]
            if unit.key is None or not _label_pair(unit, prev, ua, ub, side_a):
                sa = [ua[i] for i in prev.a]
                sb = [ub[j] for j in prev.b]
                separate = _cost(sa, sb, ratio) + _cost(
                    [unit] if side_a else [], [] if side_a else [unit], ratio
                )
                ma = [*sa, unit] if side_a else sa
                mb = sb if side_a else [*sb, unit]
                if _cost(ma, mb, ratio) < separate:
                    if side_a:
                        prev.a.append(idx)
                    else:
                        prev.b.append(idx)
                    prev.confidence = _confidence(ma, mb, ratio, True)
                    continue
        out.append(p)
    return out


# --- moved paragraphs ---------------------------------------------------------------------

_MOVE_PENALTY = 3.0  # nats: a move must explain the text clearly better than the order does
_MOVE_TRIES = 24  # candidate moves tried per alignment (each re-aligns one stretch)
_MOVE_LOW_CONFIDENCE = 0.4


def _steps_cost(pairs: Sequence[Pair], ua: list[Unit], ub: list[Unit], ratio: float) -> float:
    return sum(_cost([ua[i] for i in p.a], [ub[j] for j in p.b], ratio) for p in pairs)


_MOVE_MIN_LENGTH = 60  # characters: shorter paragraphs have no telling length
_MOVE_MAX_DELTA = 0.5  # Gale-Church's standardised length difference, for anchorless moves


def _move_evidence(x: Unit, y: Unit, ratio: float, both_unpaired: bool) -> bool:
    """Whether two paragraphs far apart are plausibly one moved paragraph: the same label;
    shared anchors (a number, a code, a name) making up at least half of both; or, for two
    paragraphs left unpaired with no anchors at all, lengths that fit very closely."""
    if x.key and y.key:
        return x.key == y.key
    sim = _dice(x.anchors, y.anchors)
    if sim is not None:
        return sim >= 0.5 and bool(x.anchors & y.anchors)
    return (
        both_unpaired
        and min(x.length, y.length) >= _MOVE_MIN_LENGTH
        and abs(_delta(x.length, y.length, ratio)) <= _MOVE_MAX_DELTA
    )


def _pair_moved(pairs: list[Pair], ua: list[Unit], ub: list[Unit], ratio: float) -> list[Pair]:
    """A pass after the in-order alignment for paragraphs a translator moved.

    The dynamic programme never lets pairs cross, so a moved paragraph is left unpaired or
    swallowed by a neighbour's merge. The suspects are the paragraphs of unpaired, merged or
    low-confidence pairs; a suspect of A and one of B with evidence of being the same
    paragraph (label or anchors, `_move_evidence`) are tried, best 1-1 cost first: both are
    taken out, the stretch of pairs between them is aligned again without them, and the move
    is kept when the stretch plus the moved pair (plus a penalty) costs less than before. The
    moved pair's confidence is its 1-1 confidence, lowered a little (a move is a guess the
    order does not support). The pairs stay a partition; only moved pairs cross the others.
    """
    order = list(pairs)
    moved: list[Pair] = []

    def lone(k: int) -> bool:
        return not order[k].a or not order[k].b

    def suspects(side_a: bool) -> dict[int, int]:
        out: dict[int, int] = {}
        for k, p in enumerate(order):
            mine, theirs = (p.a, p.b) if side_a else (p.b, p.a)
            if not mine:
                continue
            if (
                not theirs
                or len(p.a) + len(p.b) > 2
                or (p.method == "length" and p.confidence < _MOVE_LOW_CONFIDENCE)
            ):
                for i in mine:
                    out[i] = k
        return out

    tried: set[tuple[int, int]] = set()
    for _ in range(_MOVE_TRIES):
        sa, sb = suspects(True), suspects(False)
        if not sa or not sb:
            break
        options = sorted(
            (_cost([ua[x]], [ub[y]], ratio), x, y)
            for x in sa
            for y in sb
            if (x, y) not in tried
            and sa[x] != sb[y]
            and _move_evidence(ua[x], ub[y], ratio, lone(sa[x]) and lone(sb[y]))
        )
        if not options:
            break
        applied = False
        for pair_cost, x, y in options[:_MOVE_TRIES]:
            tried.add((x, y))
            k0, k1 = min(sa[x], sb[y]), max(sa[x], sb[y])
            stretch = order[k0 : k1 + 1]
            rest_a = sorted(i for p in stretch for i in p.a if i != x)
            rest_b = sorted(j for p in stretch for j in p.b if j != y)
            new = []
            for i0, i1, j0, j1 in _dp([ua[i] for i in rest_a], [ub[j] for j in rest_b], ratio):
                a, b = rest_a[i0:i1], rest_b[j0:j1]
                ea, eb = [ua[i] for i in a], [ub[j] for j in b]
                new.append(
                    Pair(
                        a,
                        b,
                        ea[0].label if ea else None,
                        eb[0].label if eb else None,
                        _confidence(ea, eb, ratio, False),
                        "length" if a and b else "unpaired",
                    )
                )
            before = _steps_cost(stretch, ua, ub, ratio)
            after = _steps_cost(new, ua, ub, ratio) + pair_cost + _MOVE_PENALTY
            if after < before:
                labelled = bool(ua[x].key and ua[x].key == ub[y].key)
                conf = _confidence([ua[x]], [ub[y]], ratio, labelled) * 0.9
                moved.append(Pair([x], [y], ua[x].label, ub[y].label, conf, "moved"))
                order[k0 : k1 + 1] = new
                applied = True
                break
        if not applied:
            break
    if not moved:
        return pairs
    # Each moved pair stands where its A paragraph stands.
    out: list[Pair] = []
    pending = sorted(moved, key=lambda p: p.a[0])
    for p in order:
        while pending and p.a and pending[0].a[0] < p.a[0]:
            out.append(pending.pop(0))
        out.append(p)
    return out + pending


def _label_pair(unit: Unit, prev: Pair, ua: list[Unit], ub: list[Unit], side_a: bool) -> bool:
    """Whether ``unit``'s label is also found on the other side (then it is no merge)."""
    other = ub if side_a else ua
    return any(u.key == unit.key for u in other)


def align(a: Draft, b: Draft) -> Alignment:
    """Pair the paragraphs of two editions (indexes as ``secretariat text parse`` numbers)."""
    return align_units(units_of_draft(a), units_of_draft(b))


def align_texts(a: Sequence[str], b: Sequence[str]) -> Alignment:
    """The same over plain paragraph texts."""
    return align_units(units_of_texts(a), units_of_texts(b))


def naive_alignment(n: int, m: int) -> Alignment:
    """The peer: paragraph i with paragraph i, the rest unpaired."""
    pairs = [Pair([i], [i], confidence=0.5) for i in range(min(n, m))]
    pairs += [Pair([i], [], method="unpaired") for i in range(m, n)]
    pairs += [Pair([], [j], method="unpaired") for j in range(n, m)]
    return Alignment(pairs)


# --- bracket parity -----------------------------------------------------------------------


@dataclass(slots=True)
class ParityIssue:
    """A difference between a source paragraph's brackets and an edition's: a kind and its
    parameters (rendered in the reader's language by the caller)."""

    kind: str  # bracket_count | nesting | positions
    params: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.params}


def _depths(brackets: list[Bracket]) -> list[int]:
    depth: dict[str, int] = {}
    out = []
    for b in brackets:
        d = depth.get(b.parent, -1) + 1 if b.parent else 0
        depth[b.id] = d
        out.append(d)
    return out


def _stances(ps: list[Position]) -> list[str]:
    return sorted(f"{'+' if p.stance == 'support' else '-'}{p.delegation}" for p in ps)


def bracket_parity(source: Sequence[Paragraph], edition: Sequence[Paragraph]) -> list[ParityIssue]:
    """Count, nesting and positions of the brackets must be the same in both."""
    sb = [b for p in source for b in p.brackets]
    eb = [b for p in edition for b in p.brackets]
    issues = []
    if len(sb) != len(eb):
        issues.append(ParityIssue("bracket_count", {"source": len(sb), "edition": len(eb)}))
    elif _depths(sb) != _depths(eb):
        issues.append(ParityIssue("nesting", {"source": _depths(sb), "edition": _depths(eb)}))
    src = _stances([x for p in source for x in _positions(p)])
    ed = _stances([x for p in edition for x in _positions(p)])
    if src != ed:
        missing = list((Counter(src) - Counter(ed)).elements())
        extra = list((Counter(ed) - Counter(src)).elements())
        issues.append(ParityIssue("positions", {"missing": missing, "extra": extra}))
    return issues


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, words) runs from ``old`` to ``new``: equal | delete | insert."""
    aw, bw = old.split(), new.split()
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(a=aw, b=bw, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(aw[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", " ".join(aw[i1:i2])))
        if j2 > j1:
            out.append(("insert", " ".join(bw[j1:j2])))
    return out
