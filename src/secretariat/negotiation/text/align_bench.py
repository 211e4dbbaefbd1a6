"""``secretariat text align-bench``: alignment time and accuracy on generated editions.

An English edition of n paragraphs and a pseudo-Russian one made from it with a known
truth: every word replaced by a Cyrillic word of a length drawn around 1.1 times its own
(the usual expansion English -> Russian), names by their real Russian forms, numbers and
codes kept, word counts jittered by 15 %, and then paragraphs merged (3 %), split (3 %),
dropped (1 %) and added (1 %); a third run also moves 1 % of the paragraphs 2 to 20 places
(the pass for moved paragraphs, scored against the in-order pass alone). Timed on the
labelled editions (``PPn.`` / ``ППn.``) and on the same texts without labels; the peer in
the same run is index-by-index pairing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import align as align_module
from .align import Alignment, align, align_texts, naive_alignment
from .parser import parse

_WORDS = (
    "cooperation", "security", "development", "regional", "international", "peace", "the",
    "dialogue", "confidence", "measures", "member", "states", "sustainable", "principles",
    "charter", "mutual", "respect", "trust", "implementation", "capacity", "of", "and",
    "organization", "forum", "consensus", "economic", "cultural", "human", "in", "to",
    "strengthening", "we", "reaffirm", "our", "commitment", "support", "efforts", "towards",
)  # fmt: skip
_NAMES = {
    "Astana": "Астана", "Kazakhstan": "Казахстан", "Almaty": "Алматы", "Helsinki": "Хельсинки",
    "Hanoi": "Ханой", "Copenhagen": "Копенгаген", "Mongolia": "Монголия", "Tajikistan":
    "Таджикистан", "Dushanbe": "Душанбе", "Bangkok": "Бангкок", "Istanbul": "Стамбул",
}  # fmt: skip
_CODES = ("CICA", "ASEM", "SCO", "RATS", "ICT", "CBMs", "UNODC", "SWG", "SOC")
_CYR = "абвгдежзиклмнопрстуфхцчшщэюя"


@dataclass
class Generated:
    a: list[str]
    b: list[str]
    truth: set[tuple[tuple[int, ...], tuple[int, ...]]]


def generate(n: int, seed: int = 7, labelled: bool = True, moved: float = 0.0) -> Generated:
    rnd = random.Random(seed)
    lexicon = {
        w: "".join(rnd.choice(_CYR) for _ in range(max(1, round(len(w) * rnd.gauss(1.1, 0.15)))))
        for w in _WORDS
    }

    def english() -> str:
        words = [rnd.choice(_WORDS) for _ in range(int(rnd.lognormvariate(3.6, 0.6)) + 5)]
        for _ in range(rnd.randint(0, 3)):
            k = rnd.randrange(len(words))
            words[k] = rnd.choice(
                [rnd.choice(list(_NAMES)), rnd.choice(_CODES), str(rnd.randint(1, 2030))]
            )
        return " ".join(words).capitalize() + ";"

    def russian(text: str) -> str:
        out = []
        for w in text.rstrip(";").split():
            low = w.lower()
            if w in _NAMES:
                out.append(_NAMES[w])
            elif low in lexicon:
                out.append(lexicon[low])
            else:
                out.append(w)
            if rnd.random() < 0.07:
                out.append(rnd.choice(list(lexicon.values())))
            if rnd.random() < 0.07 and out:
                out.pop()
        rnd.shuffle(out) if rnd.random() < 0.3 else None
        return " ".join(out).capitalize() + ";"

    en = [english() for _ in range(n)]
    a: list[str] = []
    b: list[str] = []
    truth: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    i = 0
    while i < n:
        r = rnd.random()
        label = i + 1
        if r < 0.03 and i + 1 < n:  # 2-1: the translator merged two paragraphs
            a += [f"PP{label}. {en[i]}", f"PP{label + 1}. {en[i + 1]}"]
            b.append(f"ПП{label}. {russian(en[i])} {russian(en[i + 1])}")
            truth.add(((len(a) - 2, len(a) - 1), (len(b) - 1,)))
            i += 2
            continue
        a.append(f"PP{label}. {en[i]}")
        if r < 0.06:  # 1-2: split
            words = russian(en[i]).split()
            half = max(1, len(words) // 2)
            rest = " ".join(words[half:]).capitalize() or "Ещё."
            b += [f"ПП{label}. " + " ".join(words[:half]) + ".", rest]
            truth.add(((len(a) - 1,), (len(b) - 2, len(b) - 1)))
        elif r < 0.07:  # 1-0: not translated
            truth.add(((len(a) - 1,), ()))
        else:
            b.append(f"ПП{label}. {russian(en[i])}")
            truth.add(((len(a) - 1,), (len(b) - 1,)))
        if rnd.random() < 0.01:  # 0-1: a translator's note
            b.append("Примечание переводчика: " + russian(english()))
            truth.add(((), (len(b) - 1,)))
        i += 1
    if not labelled:
        a = [x.split(". ", 1)[1] for x in a]
        b = [x.split(". ", 1)[1] if x.startswith("ПП") else x for x in b]
    if moved:
        b, truth = _move(rnd, b, truth, moved)
    return Generated(a, b, truth)


def _move(
    rnd: random.Random,
    b: list[str],
    truth: set[tuple[tuple[int, ...], tuple[int, ...]]],
    share: float,
) -> tuple[list[str], set[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The translator moved a share of the one-to-one paragraphs 2 to 20 places."""
    singles = sorted(p[1][0] for p in truth if len(p[0]) == 1 and len(p[1]) == 1)
    order = list(range(len(b)))
    for j in rnd.sample(singles, int(len(singles) * share)):
        k = order.index(j)
        order.pop(k)
        order.insert(max(0, min(len(order), k + rnd.choice((-1, 1)) * rnd.randint(2, 20))), j)
    new_index = {old: new for new, old in enumerate(order)}
    truth = {(a, tuple(new_index[j] for j in bs)) for a, bs in truth}
    return [b[j] for j in order], truth


def accuracy(al: Alignment, truth: set[tuple[tuple[int, ...], tuple[int, ...]]]) -> float:
    found = {(tuple(p.a), tuple(p.b)) for p in al.pairs}
    return len(found & truth) / len(truth) if truth else 1.0


@dataclass
class AlignBench:
    paragraphs: int
    labelled_s: float
    labelled_acc: float
    unlabelled_s: float
    unlabelled_acc: float
    naive_s: float
    naive_acc_labelled: float
    naive_acc_unlabelled: float
    parse_s: float
    moved_s: float = 0.0
    moved_acc: float = 0.0
    moved_acc_before: float = 0.0  # the same without the pass for moved paragraphs

    def lines(self) -> list[str]:
        n = self.paragraphs
        return [
            f"editions: {n} paragraphs each (English and a generated Russian, known truth)",
            f"parse both:              {self.parse_s * 1e3:8.1f} ms",
            f"align, labelled:         {self.labelled_s * 1e3:8.1f} ms  "
            f"accuracy {self.labelled_acc:6.1%}",
            f"align, labels removed:   {self.unlabelled_s * 1e3:8.1f} ms  "
            f"accuracy {self.unlabelled_acc:6.1%}",
            f"align, 1% moved, no labels:{self.moved_s * 1e3:6.1f} ms  "
            f"accuracy {self.moved_acc:6.1%} (in-order pass alone {self.moved_acc_before:6.1%})",
            "peer, same run: index-by-index pairing",
            f"  labelled:              {self.naive_s * 1e3:8.1f} ms  "
            f"accuracy {self.naive_acc_labelled:6.1%}",
            f"  labels removed:        {self.naive_s * 1e3:8.1f} ms  "
            f"accuracy {self.naive_acc_unlabelled:6.1%}",
            "accuracy: share of true pairs (1-1, merges, splits, unpaired) found exactly",
        ]


def run(paragraphs: int = 1000, seed: int = 7) -> AlignBench:
    lab = generate(paragraphs, seed, labelled=True)
    unl = generate(paragraphs, seed, labelled=False)
    t0 = time.perf_counter()
    da, db = parse("\n\n".join(lab.a)), parse("\n\n".join(lab.b))
    parse_s = time.perf_counter() - t0
    assert len(da.paragraphs) == len(lab.a) and len(db.paragraphs) == len(lab.b)
    t0 = time.perf_counter()
    al = align(da, db)
    labelled_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    au = align_texts(unl.a, unl.b)
    unlabelled_s = time.perf_counter() - t0
    mov = generate(paragraphs, seed, labelled=False, moved=0.01)
    t0 = time.perf_counter()
    am = align_texts(mov.a, mov.b)
    moved_s = time.perf_counter() - t0
    with _moves_off():
        before = align_texts(mov.a, mov.b)
    t0 = time.perf_counter()
    naive = naive_alignment(len(unl.a), len(unl.b))
    naive_s = time.perf_counter() - t0
    return AlignBench(
        paragraphs,
        labelled_s,
        accuracy(al, lab.truth),
        unlabelled_s,
        accuracy(au, unl.truth),
        naive_s,
        accuracy(naive, lab.truth),
        accuracy(naive, unl.truth),
        parse_s,
        moved_s,
        accuracy(am, mov.truth),
        accuracy(before, mov.truth),
    )


@contextmanager
def _moves_off() -> Iterator[None]:
    saved = align_module._MOVE_TRIES
    align_module._MOVE_TRIES = 0
    try:
        yield
    finally:
        align_module._MOVE_TRIES = saved
