# ruff: noqa: UP031, RUF046  (kept close to the shared original for easy diffing)
"""Synthetic "agreed language" corpus generator.

Adapted from /work/shared/tools/gen_corpus.py (project shared tools) for the finder bench:
seeds may be several folders (default: the demo corpus and its extra/ folder).

Builds an archive of N adopted paragraphs and a query set (a "draft") from a
folder of real diplomatic texts (*.txt).  Standard library only.

How it works
  1. Every *.txt in the seed folder is read, cleaned (markdown emphasis,
     bullets, numbering, hard line wraps removed), split into sentences /
     preambular clauses, and filtered (Latin script only, 6..150 words, not
     an all-caps heading).  About 8% of the sentences are held out: they never
     enter the archive and are used for queries with no precedent.
  2. Each archive paragraph = 1-4 seed sentences (60% of the time a
     contiguous run from one seed document, otherwise random sentences),
     then mutated:
       - clause reordering (move one comma/semicolon clause elsewhere),
         sentence-order swap,
       - word-level edits at a rate drawn uniformly in [--arch-edit-min,
         --arch-edit-max] (default 5-30% of words): substitution, insertion,
         deletion, phrase insertion (2-5 words lifted from another seed
         sentence) and phrase deletion.
     Replacement / inserted words come from the seed vocabulary (frequency^0.75)
     or, with probability --tail-prob, from a synthetic Zipfian long tail of
     pseudo-words (stands in for names, places, rare terms of a big archive).
  3. Queries: --n-pos paragraphs derived from archive paragraphs chosen in
     the first --gt-range ids (so the same queries are valid for every archive
     that is a prefix of a larger one) with 10-40% edits and clause
     reordering; ground truth = that archive id.  --n-neg queries are built
     from held-out sentences with the same edit process; ground truth = null.

Outputs (in --out):
  archive.tsv     "<id>\t<text>" one paragraph per line, ids 0..N-1.
                  Archives are prefix-nested: the first 10k lines of a 1M
                  archive are exactly the 10k archive (same --seed).
  queries.jsonl   {"qid", "text", "gt" (int or null), "edit_rate", "kind"}
  meta.json       parameters and corpus statistics.

Usage
  python gen_corpus.py --seeds SEED_DIR --out OUT_DIR --n 100000 [--seed 42]
"""

import argparse
import bisect
import glob
import itertools
import json
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from typing import Any

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")
ENUM_RE = re.compile(
    r"^(?:[-\u2022\u2013\u25cf\u25aa>*]+\s*|\(?(?:\d{1,3}|[ivxlc]{1,6}|[IVXLC]{1,6}|[a-z])[.)]\s*|"
    r"(?:PP|OP)\s*\d+\.?\s*)+"
)
SENT_SPLIT_RE = re.compile(r"(?<=[.;!?])\s+(?=[\"\u201c(\u2022\-A-Z0-9])")


# --------------------------------------------------------------------------
# seed parsing
# --------------------------------------------------------------------------
def _latin_ratio(s: str) -> float:
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if c.isascii()) / len(letters)


DEFAULT_SEEDS = (
    os.path.join(os.path.dirname(__file__), "..", "..", "demo", "corpus"),
    os.path.join(os.path.dirname(__file__), "..", "..", "demo", "corpus", "extra"),
)


def load_seed_sentences(seed_dir: str | Sequence[str]) -> tuple[list[str], list[tuple[int, str]]]:
    dirs = [seed_dir] if isinstance(seed_dir, str) else list(seed_dir)
    paths = sorted(p for d in dirs for p in glob.glob(os.path.join(d, "*.txt")))
    if not paths:
        raise SystemExit("no *.txt files in %s" % dirs)
    sents = []  # list of (doc_index, sentence_text)
    for di, path in enumerate(paths):
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        raw = raw.replace("\r", "")
        raw = re.sub(r"\*{1,3}|_{2,}", "", raw)
        raw = raw.replace("\u2122", '"').replace("\u00a0", " ")
        for block in re.split(r"\n\s*\n", raw):
            # each line may start a bullet / numbered item; strip markers, join wraps
            lines = [ENUM_RE.sub("", ln.strip()) for ln in block.split("\n") if ln.strip()]
            text = re.sub(r"\s+", " ", " ".join(lines)).strip()
            if not text:
                continue
            for s in SENT_SPLIT_RE.split(text):
                s = ENUM_RE.sub("", s.strip()).strip()
                words = s.split()
                if len(words) < 6:
                    continue
                if _latin_ratio(s) < 0.95:
                    continue
                letters = [c for c in s if c.isalpha()]
                if sum(1 for c in letters if c.isupper()) > 0.5 * len(letters):
                    continue  # headings
                # very long sentences: cut at semicolons into <=150-word pieces
                if len(words) > 150:
                    buf = []
                    for part in re.split(r"(?<=;)\s+", s):
                        buf.append(part)
                        if sum(len(b.split()) for b in buf) > 60:
                            sents.append((di, " ".join(buf)))
                            buf = []
                    if buf:
                        sents.append((di, " ".join(buf)))
                else:
                    sents.append((di, s))
    # de-duplicate exact repeats (the seeds contain repeated drafts)
    seen, out = set(), []
    for di, s in sents:
        k = s.lower()
        if k not in seen:
            seen.add(k)
            out.append((di, s))
    return paths, out


# --------------------------------------------------------------------------
# mutation machinery
# --------------------------------------------------------------------------
class Mutator:
    def __init__(
        self,
        sentences: Sequence[tuple[int, str]],
        rng: random.Random,
        tail_size: int = 50000,
        tail_prob: float = 0.15,
    ) -> None:
        self.rng = rng
        self.sent_tokens = [s.split() for _, s in sentences]
        counts: dict[str, int] = {}
        for toks in self.sent_tokens:
            for t in toks:
                for w in WORD_RE.findall(t):
                    wl = w.lower()
                    counts[wl] = counts.get(wl, 0) + 1
        self.vocab = sorted(counts)
        cw, acc = [], 0.0
        for w in self.vocab:
            acc += counts[w] ** 0.75
            cw.append(acc)
        self.vocab_cw = cw
        # synthetic long tail: pseudo-words glued from seed word pieces
        trng = random.Random(12345)
        long_words = [w for w in self.vocab if len(w) >= 6 and w.isalpha()]
        tail: set[str] = set()
        while len(tail) < tail_size and long_words:
            a, b = trng.choice(long_words), trng.choice(long_words)
            tail.add(a[: trng.randint(3, 5)] + b[-trng.randint(3, 5) :])
        self.tail = sorted(tail)
        trng.shuffle(self.tail)
        tcw, acc = [], 0.0
        for r in range(len(self.tail)):
            acc += 1.0 / (r + 1)
            tcw.append(acc)
        self.tail_cw = tcw
        self.tail_prob = tail_prob
        self._word_buf: list[str] = []

    def _refill(self) -> None:
        rng, k = self.rng, 4096
        n_tail = sum(1 for _ in range(k) if rng.random() < self.tail_prob)
        buf = rng.choices(self.vocab, cum_weights=self.vocab_cw, k=k - n_tail)
        if n_tail and self.tail:
            buf += rng.choices(self.tail, cum_weights=self.tail_cw, k=n_tail)
        rng.shuffle(buf)
        self._word_buf = buf

    def word(self) -> str:
        if not self._word_buf:
            self._refill()
        return self._word_buf.pop()

    def phrase(self) -> list[str]:
        toks = self.rng.choice(self.sent_tokens)
        k = self.rng.randint(2, 5)
        if len(toks) <= k:
            return [t.rstrip(",;:.") for t in toks]
        i = self.rng.randrange(0, len(toks) - k)
        return [t.rstrip(",;:.") for t in toks[i : i + k]]

    def reorder_clauses(self, toks: list[str]) -> list[str]:
        """Move one clause (comma/semicolon delimited) to another position."""
        clauses, cur = [], []
        for t in toks:
            cur.append(t)
            if t.endswith((",", ";")):
                clauses.append(cur)
                cur = []
        if cur:
            clauses.append(cur)
        if len(clauses) < 3:
            return toks
        rng = self.rng
        i = rng.randrange(1, len(clauses))  # keep the opening clause mostly
        c = clauses.pop(i)
        j = rng.randrange(1, len(clauses) + 1)
        clauses.insert(j, c)
        out = [t for c in clauses for t in c]
        # fix punctuation at the end: make the last token end like the original
        last_orig = toks[-1]
        end = last_orig[-1] if last_orig[-1] in ".;:" else ""
        out = [
            t.rstrip(".;") if k < len(out) - 1 and t.endswith((".",)) else t
            for k, t in enumerate(out)
        ]
        if end and not out[-1].endswith(end):
            out[-1] = out[-1].rstrip(",;:.") + end
        return out

    def edit(self, toks: list[str], rate: float) -> list[str]:
        """Apply word-level edits to roughly rate*len(toks) words."""
        rng = self.rng
        toks = list(toks)
        budget = max(1, int(round(rate * len(toks))))
        while budget > 0 and toks:
            r = rng.random()
            n = len(toks)
            if r < 0.35:  # substitution
                i = rng.randrange(n)
                t = toks[i]
                tail = t[len(t.rstrip(",;:.")) :]
                w = self.word()
                if t[:1].isupper():
                    w = w[:1].upper() + w[1:]
                toks[i] = w + tail
                budget -= 1
            elif r < 0.55:  # insertion
                toks.insert(rng.randrange(n + 1), self.word())
                budget -= 1
            elif r < 0.80:  # deletion
                if n > 4:
                    i = rng.randrange(n)
                    t = toks.pop(i)
                    tail = t[len(t.rstrip(",;:.")) :]
                    if tail and i > 0:
                        toks[i - 1] = toks[i - 1].rstrip(",;:.") + tail
                budget -= 1
            elif r < 0.90:  # phrase insertion (amendment)
                ph = self.phrase()
                i = rng.randrange(n + 1)
                toks[i:i] = ph
                budget -= len(ph)
            else:  # phrase deletion
                k = min(rng.randint(2, 5), budget)
                if n > k + 4:
                    i = rng.randrange(n - k)
                    del toks[i : i + k]
                budget -= k
        return toks

    def mutate_paragraph(
        self, sent_token_lists: Sequence[list[str]], rate: float, p_reorder: float, p_swap: float
    ) -> str:
        rng = self.rng
        sl = [list(s) for s in sent_token_lists]
        if len(sl) > 1 and rng.random() < p_swap:
            i, j = rng.sample(range(len(sl)), 2)
            sl[i], sl[j] = sl[j], sl[i]
        out = []
        for s in sl:
            if rng.random() < p_reorder:
                s = self.reorder_clauses(s)
            out.extend(s)
        out = self.edit(out, rate)
        return " ".join(out)


def _near_duplicates(
    sents: Sequence[tuple[int, str]], held: set[int], min_share: float = 0.4
) -> set[int]:
    """Ids of held sentences, and archive sentences, that share >= min_share of the word
    trigrams of the shorter one with a sentence on the other side of the hold-out split."""

    def grams(text: str) -> set[tuple[str, ...]]:
        w = [x.lower().replace("z", "s") for x in WORD_RE.findall(text)]
        return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}

    g = [grams(s) for _, s in sents]
    post: dict[tuple[str, ...], list[int]] = {}
    for i in held:
        for t in g[i]:
            post.setdefault(t, []).append(i)
    out = set()
    for j in range(len(sents)):
        if j in held or not g[j]:
            continue
        shared: dict[int, int] = {}
        for t in g[j]:
            for i in post.get(t, ()):
                shared[i] = shared.get(i, 0) + 1
        for i, c in shared.items():
            if c >= min_share * max(1, min(len(g[i]), len(g[j]))):
                out.add(i)
    return out


# --------------------------------------------------------------------------
def generate(
    seeds: str | Sequence[str],
    out: str,
    n: int,
    seed: int = 42,
    n_pos: int = 200,
    n_neg: int = 50,
    gt_range: int = 10000,
    arch_edit: tuple[float, float] = (0.05, 0.30),
    query_edit: tuple[float, float] = (0.10, 0.40),
    holdout: float = 0.08,
    tail_size: int = 50000,
    tail_prob: float = 0.15,
    quiet: bool = False,
) -> dict[str, Any]:
    t0 = time.time()
    paths, sents = load_seed_sentences(seeds)
    hrng = random.Random(seed * 7919 + 1)
    idx = list(range(len(sents)))
    hrng.shuffle(idx)
    n_hold = max(10, int(holdout * len(sents)))
    held = set(idx[:n_hold])
    # Adaptation: the seeds repeat sentences with small variants (drafts, British/American
    # spelling), so a held-out sentence may still have a near-copy in the archive and would
    # then be a real precedent, not a "no precedent" query. Such sentences are set aside
    # (neither archived nor queried).
    near = _near_duplicates(sents, held)
    arch_ids = [i for i in range(len(sents)) if i not in held and i not in near]
    held_ids = sorted(held - near)
    # document-ordered runs for contiguous sampling
    by_doc: dict[int, list[int]] = {}
    for i in arch_ids:
        by_doc.setdefault(sents[i][0], []).append(i)
    doc_lists = list(by_doc.values())
    doc_cw = list(itertools.accumulate(len(d) for d in doc_lists))

    arng = random.Random(seed)
    mut = Mutator([sents[i] for i in range(len(sents))], arng, tail_size, tail_prob)
    toks = mut.sent_tokens

    def pick_sentences(
        rng: random.Random,
        pool_ids: Sequence[int],
        docs: Sequence[list[int]] | None = None,
        cw: Sequence[int] | None = None,
    ) -> list[int]:
        k = rng.choices((1, 2, 3, 4), weights=(0.30, 0.35, 0.25, 0.10))[0]
        if docs is not None and cw is not None and rng.random() < 0.6:
            d = docs[bisect.bisect_right(cw, rng.random() * cw[-1])]
            if len(d) <= k:
                return list(d)
            st = rng.randrange(len(d) - k + 1)
            return d[st : st + k]
        return [rng.choice(pool_ids) for _ in range(k)]

    os.makedirs(out, exist_ok=True)
    n_gt = min(n, gt_range)
    gt_texts = {}
    qrng = random.Random(seed + 1000003)
    gt_ids = qrng.sample(range(n_gt), n_pos)
    gt_set = set(gt_ids)
    total_words = 0
    with open(os.path.join(out, "archive.tsv"), "w", encoding="utf-8") as f:
        for pid in range(n):
            chosen = pick_sentences(arng, arch_ids, doc_lists, doc_cw)
            rate = arng.uniform(*arch_edit)
            text = mut.mutate_paragraph([toks[i] for i in chosen], rate, 0.3, 0.2)
            text = text.replace("\t", " ")
            total_words += text.count(" ") + 1
            f.write("%d\t%s\n" % (pid, text))
            if pid in gt_set:
                gt_texts[pid] = text
            if not quiet and pid and pid % 200000 == 0:
                print(
                    "  generated %d paragraphs (%.0fs)" % (pid, time.time() - t0), file=sys.stderr
                )

    # queries (independent RNG so they are identical for every N >= gt_range)
    qmut = Mutator([sents[i] for i in range(len(sents))], qrng, tail_size, tail_prob)
    queries = []
    for g in gt_ids:
        rate = qrng.uniform(*query_edit)
        base = [gt_texts[g].split()]
        text = qmut.mutate_paragraph(base, rate, 0.5, 0.0)
        queries.append({"text": text, "gt": g, "edit_rate": round(rate, 3), "kind": "pos"})
    for _ in range(n_neg):
        chosen = pick_sentences(qrng, held_ids)
        rate = qrng.uniform(*query_edit)
        text = qmut.mutate_paragraph([toks[i] for i in chosen], rate, 0.5, 0.2)
        queries.append({"text": text, "gt": None, "edit_rate": round(rate, 3), "kind": "neg"})
    qrng.shuffle(queries)
    with open(os.path.join(out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for qi, q in enumerate(queries):
            q = dict(qid=qi, **q)
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    meta = dict(
        n=n,
        seed=seed,
        n_pos=n_pos,
        n_neg=n_neg,
        gt_range=gt_range,
        arch_edit=arch_edit,
        query_edit=query_edit,
        holdout=holdout,
        tail_size=tail_size,
        tail_prob=tail_prob,
        seed_files=[os.path.basename(p) for p in paths],
        seed_sentences=len(sents),
        held_out_sentences=len(held_ids),
        seed_vocab=len(mut.vocab),
        mean_words_per_paragraph=total_words / max(1, n),
        archive_bytes=os.path.getsize(os.path.join(out, "archive.tsv")),
        gen_seconds=round(time.time() - t0, 1),
    )
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    if not quiet:
        print(json.dumps(meta), file=sys.stderr)
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--seeds", nargs="+", default=list(DEFAULT_SEEDS), help="folders of *.txt seed texts"
    )
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--n-pos", type=int, default=200)
    ap.add_argument("--n-neg", type=int, default=50)
    ap.add_argument(
        "--gt-range",
        type=int,
        default=10000,
        help="ground-truth ids are drawn from [0, min(n, gt-range))",
    )
    ap.add_argument("--arch-edit-min", type=float, default=0.05)
    ap.add_argument("--arch-edit-max", type=float, default=0.30)
    ap.add_argument("--query-edit-min", type=float, default=0.10)
    ap.add_argument("--query-edit-max", type=float, default=0.40)
    ap.add_argument("--holdout", type=float, default=0.08)
    ap.add_argument("--tail-size", type=int, default=50000)
    ap.add_argument("--tail-prob", type=float, default=0.15)
    ap.add_argument(
        "--print-sentences", action="store_true", help="dump parsed seed sentences and exit"
    )
    a = ap.parse_args()
    if a.print_sentences:
        _, sents = load_seed_sentences(a.seeds)
        for di, s in sents:
            print(di, s)
        return
    generate(
        a.seeds,
        a.out,
        a.n,
        a.seed,
        a.n_pos,
        a.n_neg,
        a.gt_range,
        (a.arch_edit_min, a.arch_edit_max),
        (a.query_edit_min, a.query_edit_max),
        a.holdout,
        a.tail_size,
        a.tail_prob,
    )


if __name__ == "__main__":
    main()
