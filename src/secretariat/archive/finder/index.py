"""FinderIndex: the on-disk, multi-process shingle index and its search/coverage queries.

Directory layout (see segment.py for one segment):
  MANIFEST.json     {"generation", "next_seq", "segments": [{"name", "seq"}],
                     "tombstones": file name or null, "meta": {...} (the caller's, e.g.
                     the last change applied)}; replaced atomically (tmp + os.replace)
  LOCK              fcntl.flock'ed by writers, so two processes never write at once
  seg-<seq>/        immutable segments: one big base from build()/compact(), small deltas
  tomb-<gen>.npy    int64[T, 2] rows (paragraph id, seq): every copy of that id in a segment
                    with segment seq <= that value is dead (removed or superseded)
Readers check the manifest's stat (inode, mtime) before each query (at most every
`reload_interval` seconds) and reopen when it changed; unchanged segments stay mapped.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .scoring import concat_terms, rerank, run_cover
from .segment import Segment, gather_rows, tokenise_pairs, write_segment
from .shingles import is_stop, query_keys, tokenise_one

# A match scoring below this is not a precedent ("no precedent" when the best one is below).
# Calibrated with `secretariat archive bench` (no-precedent queries = edited held-out
# sentences), seed 42: 100k paragraphs 1.2 % false precedents / 97.5 % of true precedents
# found; 1M 1.6 % / 96.2 %. (0.50 gave 2.0 % / 97.8 % and 2.2 % / 96.6 %: the false rate
# grows with N, so the threshold keeps a margin at 1M.)
PRECEDENT_THRESHOLD = 0.52

MANIFEST = "MANIFEST.json"
MAX_SEGMENTS = 8  # more deltas than this are merged (all but the base) on the next add
RERANK = 40  # candidates reranked precisely
RERANK_WORDS = 4000  # ... or up to this many (candidate x query word) pairs for short queries
RERANK_SHORT = 400
RERANK_TERMS = 20_000  # ... but stop adding candidates past this many paragraph words
RERANK_MIN = 20  # ... keeping at least this many
POSTINGS_BUDGET = 15_000  # postings read per query per segment, rarest keys first (bench-tuned)
POSTINGS_WORDS = 300_000  # ... short queries (few, common keys) may read up to this / words
POSTINGS_MAX = 60_000
POSTINGS_SCALE_N = 1_000_000  # archives smaller than this get budgets scaled down by N / this
POSTINGS_SCALE_MIN = 1 / 3  # ... but no further than this factor

_TLS = threading.local()


class IndexUnreadable(Exception):
    """The directory holds an index this engine cannot read (a damaged manifest or segment, or
    one written by another version). Derived data: rebuild it with build(); never guess."""


AllowFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Match:
    """One search hit: paragraph id, score in [0, 1], and whether it counts as a precedent."""

    id: int
    score: float
    is_precedent: bool


@dataclass
class CoverageSource:
    id: int
    runs: int  # maximal runs of >= 6 words of the draft found in this paragraph
    words: int  # draft words covered by those runs


@dataclass
class Coverage:
    """Share of the draft's words inside runs of >= 6 consecutive words found in the archive."""

    words: int
    covered_words: int
    share: float
    covered: list[bool] = field(default_factory=list)  # per normalised draft word
    sources: list[CoverageSource] = field(default_factory=list)


class _Loaded:
    """A segment plus its dead-row mask for the current tombstones."""

    def __init__(self, seg: Segment, seq: int) -> None:
        self.seg = seg
        self.seq = seq
        self.dead = np.zeros(seg.n, bool)
        self.n_dead = 0

    def apply_tombstones(self, tomb: np.ndarray) -> None:
        self.dead = np.zeros(self.seg.n, bool)
        if tomb.size:
            kill = tomb[tomb[:, 1] >= self.seq, 0]
            rows = self.seg.rows_of(kill)
            self.dead[rows] = True
        self.n_dead = int(self.dead.sum())

    def score_keys(
        self, pos: np.ndarray, idf: np.ndarray, budget: int = POSTINGS_BUDGET
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores): rows sharing any of the keys at `pos` (-1 = absent), idf-summed."""
        seg = self.seg
        sel = np.flatnonzero(pos >= 0)
        if sel.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        p = pos[sel]
        starts = seg.post_off[p]
        ln = seg.post_off[p + 1] - starts
        order = np.argsort(ln, kind="stable")  # rarest keys first, within a postings budget
        ln_o = ln[order]
        keep = (np.cumsum(ln_o) <= budget) & (ln_o > 0)
        keep[: max(1, np.searchsorted(ln_o, 1))] |= ln_o[: max(1, np.searchsorted(ln_o, 1))] > 0
        order, ln_o = order[keep], ln_o[keep]
        if order.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        # one gather for all kept postings lists (long queries keep hundreds of short lists,
        # too many for a Python loop of slices)
        ends = np.cumsum(ln_o)
        total = int(ends[-1])
        docs = seg.post.take(np.repeat(starts[order] - (ends - ln_o), ln_o) + np.arange(total))
        w = np.repeat(idf[sel][order], ln_o)
        # docs repeat once per shared key. A per-thread segment-sized "last occurrence" array
        # (never reset: every slot read was written just before) gives each occurrence a
        # compact group number, so a bincount sums the weights (much cheaper than add.at)
        mark = self._mark()
        at = np.arange(docs.size, dtype=np.int32)
        mark[docs] = at
        grp = mark[docs]
        one = np.flatnonzero(grp == at)
        sums = np.bincount(grp, weights=w, minlength=docs.size)
        u, scores = docs[one], sums[one].astype(np.float32)
        if self.n_dead:
            alive = ~self.dead[u]
            u, scores = u[alive], scores[alive]
        return u.astype(np.int64), scores

    def _mark(self) -> np.ndarray:
        return _scratch(self.seg.path + "#mark", self.seg.n, np.int32)


def _scratch(key: str, n: int, dtype: type) -> np.ndarray:
    """Per-thread dense scratch array for one segment (kept zeroed by its users), so a query
    neither allocates nor page-faults a segment-sized array."""
    bufs = getattr(_TLS, "bufs", None)
    if bufs is None:
        bufs = _TLS.bufs = {}
    arr = bufs.get(key)
    if arr is None:
        if len(bufs) >= 32:  # segments replaced by merges: forget the oldest scratch arrays
            for old in list(bufs)[:16]:
                del bufs[old]
        arr = bufs[key] = np.zeros(n, dtype)
    return arr


class FinderIndex:
    """Agreed-language finder over an index directory. Use create() / open() / build()."""

    def __init__(self, path: str, reload_interval: float = 0.0) -> None:
        self.path = os.path.abspath(path)
        self.reload_interval = reload_interval
        self._segs: list[_Loaded] = []
        self._stat: tuple[int, int] | None = None
        self._last_check = 0.0
        self.generation = -1
        self._manifest: dict = {}
        self._reload(force=True)

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(cls, path: str) -> FinderIndex:
        """Create an empty index at path (or open it if one already exists)."""
        os.makedirs(path, exist_ok=True)
        with _locked(path):
            if not os.path.exists(os.path.join(path, MANIFEST)):
                _write_manifest(
                    path, {"generation": 0, "next_seq": 1, "segments": [], "tombstones": None}
                )
        return cls(path)

    @classmethod
    def open(cls, path: str, reload_interval: float = 0.0) -> FinderIndex:
        """Open an existing index (FileNotFoundError if there is none)."""
        if not os.path.exists(os.path.join(path, MANIFEST)):
            raise FileNotFoundError(f"no finder index at {path}")
        return cls(path, reload_interval)

    def close(self) -> None:
        self._segs = []

    def __enter__(self) -> FinderIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        self._maybe_reload()
        return sum(s.seg.n - s.n_dead for s in self._segs)

    def _maybe_reload(self) -> None:
        if self.reload_interval:
            now = time.monotonic()
            if now - self._last_check < self.reload_interval:
                return
            self._last_check = now
        self._reload()

    def _reload(self, force: bool = False) -> None:
        mpath = os.path.join(self.path, MANIFEST)
        for attempt in range(20):
            try:
                st = os.stat(mpath)
                key = (st.st_ino, st.st_mtime_ns)
                if not force and key == self._stat:
                    return
                with open(mpath) as fh:
                    man = _parse_manifest(fh.read(), mpath)
                if not force and man["generation"] == self.generation:
                    self._stat = key
                    return
                old = {s.seg.name: s for s in self._segs}
                segs = []
                for info in man["segments"]:
                    got = old.get(info["name"])
                    if got is None:
                        got = _Loaded(_open_segment(self.path, info["name"]), info["seq"])
                    segs.append(got)
                tomb = _load_tomb(self.path, man.get("tombstones"))
                for s in segs:
                    s.apply_tombstones(tomb)
                self._segs, self._manifest, self._stat = segs, man, key
                self.generation = man["generation"]
                return
            except FileNotFoundError:
                # a writer replaced the manifest and removed files meanwhile: read again
                if attempt == 19:
                    raise
                time.sleep(0.01)

    # ------------------------------------------------------------------ writing
    def add(self, pairs: Iterable[tuple[int, str]]) -> int:
        """Add (or replace) paragraphs given as (id, text); returns how many were written."""
        ids, lens, toks, _ = tokenise_pairs(pairs)
        if len(ids) == 0:
            return 0
        with _locked(self.path):
            man = _read_manifest(self.path)
            self._reload(force=True)
            seq = man["next_seq"]
            name = f"seg-{seq:08d}"
            write_segment(os.path.join(self.path, name), ids, lens, toks)
            # older copies of these ids are superseded
            tomb = _load_tomb(self.path, man.get("tombstones"))
            existing = self._live(ids)
            if existing.size:
                tomb = np.concatenate(
                    [tomb, np.stack([existing, np.full(existing.size, seq - 1)], 1)]
                )
            man["segments"].append({"name": name, "seq": seq})
            man["next_seq"] = seq + 1
            self._commit(man, tomb)
            if len(man["segments"]) > MAX_SEGMENTS:
                self._merge(man, base_too=False)
        self._reload(force=True)
        return len(ids)

    def remove(self, ids: Iterable[int]) -> None:
        """Withdraw paragraphs: gone from results at once (tombstones); compact() reclaims space."""
        arr = np.fromiter((int(i) for i in ids), np.int64)
        if arr.size == 0:
            return
        with _locked(self.path):
            man = _read_manifest(self.path)
            self._reload(force=True)
            tomb = _load_tomb(self.path, man.get("tombstones"))
            tomb = np.concatenate(
                [tomb, np.stack([arr, np.full(arr.size, man["next_seq"] - 1)], 1)]
            )
            self._commit(man, tomb)
        self._reload(force=True)

    def meta(self) -> dict:
        """The caller's bookkeeping stored in the manifest (a copy; {} when none)."""
        try:
            return dict(_read_manifest(self.path).get("meta") or {})
        except FileNotFoundError:
            return {}

    @contextlib.contextmanager
    def writing(self) -> Iterator[dict]:
        """Hold the writers' lock (one host's processes) around a read-modify-write of meta:
        yields the current meta; what the block leaves in it is written when it exits. add()
        and remove() must not be called inside (they take the lock themselves): use the
        returned meta to decide, then call them after, or call them before."""
        with _locked(self.path):
            man = _read_manifest(self.path)
            meta = dict(man.get("meta") or {})
            yield meta
            man = _read_manifest(self.path)
            man["meta"] = meta
            _write_manifest(self.path, man)

    def compact(self) -> None:
        """Merge all segments into one and drop dead rows and tombstones."""
        with _locked(self.path):
            man = _read_manifest(self.path)
            self._reload(force=True)
            self._merge(man, base_too=True)
        self._reload(force=True)

    def live_ids(self, ids: Iterable[int]) -> np.ndarray:
        """Which of these paragraph ids the index holds live (sorted, distinct)."""
        self._maybe_reload()
        return self._live(np.fromiter((int(i) for i in ids), np.int64))

    def _live(self, ids: np.ndarray) -> np.ndarray:
        found = []
        for s in self._segs:
            rows = s.seg.rows_of(ids)
            rows = rows[~s.dead[rows]]
            found.append(np.asarray(s.seg.ids[rows], np.int64))
        return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)

    def _merge(self, man: dict, base_too: bool) -> None:
        self._reload(force=True)
        segs = list(self._segs)
        if not base_too and segs:
            biggest = max(range(len(segs)), key=lambda i: segs[i].seg.n)
            segs = [s for i, s in enumerate(segs) if i != biggest]
        if not segs:
            return
        parts_ids, parts_lens, parts_toks = [], [], []
        for s in segs:
            rows = np.flatnonzero(~s.dead)
            lens = np.diff(s.seg.tok_off)
            i, ln, tk = gather_rows(np.asarray(s.seg.ids), lens, np.asarray(s.seg.toks), rows)
            parts_ids.append(i)
            parts_lens.append(ln)
            parts_toks.append(tk)
        ids = np.concatenate(parts_ids)
        lens = np.concatenate(parts_lens)
        toks = np.concatenate(parts_toks)
        seq = max(s.seq for s in segs)  # keeps "dead iff tomb seq >= segment seq" valid
        name = f"seg-{man['next_seq']:08d}"
        man["next_seq"] += 1
        write_segment(os.path.join(self.path, name), ids, lens, toks)
        merged = {s.seg.name for s in segs}
        kept = [info for info in man["segments"] if info["name"] not in merged]
        new = {"name": name, "seq": seq}
        man["segments"] = sorted([*kept, new], key=lambda i: i["seq"])
        tomb = _load_tomb(self.path, man.get("tombstones"))
        if base_too:
            tomb = np.zeros((0, 2), np.int64)
        self._commit(man, tomb)

    def _commit(self, man: dict, tomb: np.ndarray) -> None:
        man["generation"] += 1
        if tomb.size:
            tname = f"tomb-{man['generation']:08d}.npy"
            _atomic_save(os.path.join(self.path, tname), tomb.astype(np.int64))
            man["tombstones"] = tname
        else:
            man["tombstones"] = None
        _write_manifest(self.path, man)
        _cleanup(self.path, man)

    # ------------------------------------------------------------------ reading
    def _query(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term ids, unigram key per term, distinct index keys) of a query text."""
        q = tokenise_one(text)  # same terms as the build's tokenise_texts
        uni, keys = query_keys(q)
        return q, uni, keys

    def _lookup(self, keys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per segment: positions of keys (or -1), and their df."""
        out = []
        k32 = keys.astype(np.uint32)
        for s in self._segs:
            sk = s.seg.keys
            if sk.shape[0] == 0:
                out.append((np.full(len(k32), -1), np.zeros(len(k32), np.int64)))
                continue
            pos = np.searchsorted(sk, k32)
            pos = np.minimum(pos, sk.shape[0] - 1)
            hit = sk[pos] == k32
            pos = np.where(hit, pos, -1)
            df = np.where(hit, s.seg.df[np.maximum(pos, 0)], 0).astype(np.int64)
            out.append((pos, df))
        return out

    def _prepare(self, keys: np.ndarray) -> tuple[list, np.ndarray, np.ndarray, float]:
        """One lookup of the query keys in every segment: (per-segment positions, df, idf, N)."""
        n_total = float(max(1, sum(s.seg.n - s.n_dead for s in self._segs)))
        looks = self._lookup(keys)
        df_all = np.sum([df for _, df in looks], axis=0) if looks else np.zeros(len(keys))
        idf = np.log((n_total + 1.0) / (df_all + 1.0)).astype(np.float32)
        return looks, df_all, idf, n_total

    def _candidates(
        self,
        prep: tuple,
        want: int,
        allow: AllowFn | None,
        n_words: int = 100,
        max_terms: int | None = None,
    ) -> list[tuple[_Loaded, np.ndarray]]:
        """Top `want` live, allowed (segment, rows) by idf-weighted count of shared keys;
        with max_terms, fewer (but >= RERANK_MIN) when their paragraphs exceed that many words."""
        looks, _df, idf, n_total = prep
        budget = max(POSTINGS_BUDGET, min(POSTINGS_MAX, POSTINGS_WORDS // max(1, n_words)))
        # postings grow with the archive: a smaller one reaches the same rare keys within a
        # proportionally smaller budget (no recall change at 100k, ~1/3 of the postings read)
        budget = int(budget * min(1.0, max(POSTINGS_SCALE_MIN, n_total / POSTINGS_SCALE_N)))
        pool_docs, pool_score, pool_seg = [], [], []
        for si, (s, (pos, _df)) in enumerate(zip(self._segs, looks, strict=True)):
            docs, scores = s.score_keys(pos, idf, budget)
            if docs.size:
                pool_docs.append(docs)
                pool_score.append(scores)
                pool_seg.append(np.full(docs.size, si, np.int64))
        if not pool_docs:
            return []
        docs = np.concatenate(pool_docs)
        score = np.concatenate(pool_score)
        segi = np.concatenate(pool_seg)
        chosen: list[np.ndarray] = []
        n_chosen = 0
        taken = 0
        batch = want if allow is None else 2 * want
        while taken < docs.size and n_chosen < want:
            # next `batch` best after the `taken` already examined (argpartition, no full sort)
            hi = min(docs.size, taken + batch)
            part = np.argpartition(-score, hi - 1)[:hi] if hi < docs.size else np.arange(hi)
            part = part[np.argsort(-score[part], kind="stable")][taken:hi]
            taken = hi
            if allow is not None:
                ids = np.empty(part.size, np.int64)
                for si in np.unique(segi[part]).tolist():
                    sel = segi[part] == si
                    ids[sel] = self._segs[si].seg.ids[docs[part[sel]]]
                part = part[np.asarray(allow(ids), bool)]
            chosen.append(part)
            n_chosen += part.size
            batch *= 4  # many filtered out: fetch more
        if not chosen:
            return []
        pick = np.concatenate(chosen)[:want]
        if max_terms is not None and pick.size > RERANK_MIN:
            # rerank cost grows with the candidates' words: long paragraphs pile up shared
            # keys, so a few of them can cost more than dozens of ordinary ones
            lens = np.empty(pick.size, np.int64)
            for si in np.unique(segi[pick]).tolist():
                sel = segi[pick] == si
                off = self._segs[si].seg.tok_off
                rows = docs[pick[sel]]
                lens[sel] = off[rows + 1] - off[rows]
            cut = int(np.searchsorted(np.cumsum(lens), max_terms, side="right"))
            pick = pick[: max(RERANK_MIN, cut)]
        out = []
        for si in np.unique(segi[pick]).tolist():
            out.append((self._segs[si], docs[pick[segi[pick] == si]]))
        return out

    def _term_weights(
        self, q: np.ndarray, uni: np.ndarray, keys: np.ndarray, prep: tuple
    ) -> np.ndarray:
        """idf weight of each query word; stop words (not posted) get a small fixed weight,
        words the archive has never seen get the highest."""
        _looks, df_all, _idf, n_total = prep
        pos = np.searchsorted(keys, uni)
        pos[pos == len(keys)] = 0
        df = np.where(keys[pos] == uni, df_all[pos], 0) if len(keys) else np.zeros(len(uni))
        w = np.log((n_total + 1.0) / (df + 1.0)) + 0.5
        w[is_stop(q)] = 0.5
        return w

    def search(
        self,
        text: str,
        k: int = 5,
        allow: AllowFn | None = None,
        min_score: float | None = None,
    ) -> list[Match]:
        """Top-k most similar live (and allowed) paragraphs, best first.

        Every match carries is_precedent = score >= PRECEDENT_THRESHOLD; pass
        min_score=PRECEDENT_THRESHOLD to get precedents only ([] means "no precedent").
        allow(ids) -> bool mask is applied before the top-k, so filtered paragraphs never
        appear and never displace allowed ones.
        """
        self._maybe_reload()
        q, uni, keys = self._query(text)
        if q.size == 0 or not self._segs:
            return []
        # short queries share few keys, so candidate counts tie a lot: rerank more of them
        # (reranking cost grows with candidates x query length, so this stays cheap)
        want = max(RERANK, 4 * k, min(RERANK_SHORT, RERANK_WORDS // max(1, q.size)))
        prep = self._prepare(keys)
        cands = self._candidates(prep, want, allow, n_words=int(q.size), max_terms=RERANK_TERMS)
        if not cands:
            return []
        weights = self._term_weights(q, uni, keys, prep)
        ids_l, scores_l = [], []
        for s, rows in cands:
            terms, lens = concat_terms(s.seg.toks, s.seg.tok_off, rows)
            sc = rerank(q, weights, terms, lens)
            ids_l.append(np.asarray(s.seg.ids[rows], np.int64))
            scores_l.append(sc)
        ids = np.concatenate(ids_l)
        scores = np.concatenate(scores_l)
        order = np.lexsort((ids, -scores))[:k]
        out = [
            Match(int(ids[i]), float(scores[i]), bool(scores[i] >= PRECEDENT_THRESHOLD))
            for i in order
        ]
        if min_score is not None:
            out = [m for m in out if m.score >= min_score]
        return out

    def coverage(
        self, text: str, allow: AllowFn | None = None, run: int = 6, candidates: int = 100
    ) -> Coverage:
        """Which words of a draft paragraph come in runs of >= `run` words found in the archive."""
        self._maybe_reload()
        q, _uni, keys = self._query(text)
        m = len(q)
        if m < run or not self._segs:
            return Coverage(m, 0, 0.0, [False] * m, [])
        cands = self._candidates(self._prepare(keys), candidates, allow)
        covered = np.zeros(m, bool)
        per_src: list[tuple[int, np.ndarray]] = []
        for s, rows in cands:
            terms, lens = concat_terms(s.seg.toks, s.seg.tok_off, rows)
            cov = run_cover(q, terms, lens, run)
            ids = np.asarray(s.seg.ids[rows], np.int64)
            for j in np.flatnonzero(cov.any(1)):
                per_src.append((int(ids[j]), cov[j]))
                covered |= cov[j]
        sources = []
        for pid, row in per_src:
            edges = np.diff(np.concatenate(([0], row.astype(np.int8), [0])))
            sources.append(CoverageSource(pid, int((edges == 1).sum()), int(row.sum())))
        sources.sort(key=lambda s: (-s.words, s.id))
        cw = int(covered.sum())
        return Coverage(m, cw, cw / m, covered.tolist(), sources)

    def stats(self) -> dict:
        """Segment count, live/dead rows, bytes on disk."""
        size = 0
        for root, _dirs, files in os.walk(self.path):
            size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        return {
            "generation": self.generation,
            "segments": len(self._segs),
            "live": len(self),
            "dead": sum(s.n_dead for s in self._segs),
            "bytes": size,
        }


def build(
    path: str, pairs: Iterable[tuple[int, str]], workers: int = 1, meta: dict | None = None
) -> FinderIndex:
    """Bulk (re)build: one segment from all pairs, replacing whatever the index held (and its
    meta, by `meta` when given)."""
    os.makedirs(path, exist_ok=True)
    # index entries are made next to tokenising (in the workers) and spilled to disk, so
    # the parent never holds the texts, and the entries only once
    spill = os.path.join(path, f"entries-{os.getpid()}.tmp")
    ids, lens, toks, entries_ok = tokenise_pairs(pairs, workers=workers, entries=spill)
    if not entries_ok:  # duplicate ids were dropped: rows moved, make entries again
        os.remove(spill)
    with _locked(path):
        man = _manifest_for_rebuild(path)
        seq = man["next_seq"]
        name = f"seg-{seq:08d}"
        entries = spill if entries_ok else None
        write_segment(os.path.join(path, name), ids, lens, toks, entries=entries)
        man["segments"] = [{"name": name, "seq": seq}]
        man["next_seq"] = seq + 1
        man["generation"] += 1
        man["tombstones"] = None
        if meta is not None:
            man["meta"] = meta
        _write_manifest(path, man)
        _cleanup(path, man)
    return FinderIndex(path)


# ---------------------------------------------------------------------- file helpers
@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    fd = os.open(os.path.join(path, "LOCK"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_manifest(path: str) -> dict:
    mpath = os.path.join(path, MANIFEST)
    with open(mpath) as fh:
        return _parse_manifest(fh.read(), mpath)


def _parse_manifest(raw: str, where: str) -> dict:
    try:
        man = json.loads(raw)
        if not (
            isinstance(man["generation"], int)
            and isinstance(man["next_seq"], int)
            and all(
                isinstance(i["name"], str) and isinstance(i["seq"], int) for i in man["segments"]
            )
        ):
            raise TypeError("unexpected field types")
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexUnreadable(f"{where}: {exc}") from exc
    return man


def _open_segment(path: str, name: str) -> Segment:
    try:
        return Segment(os.path.join(path, name))
    except FileNotFoundError:
        raise  # a concurrent writer's cleanup: the caller reads the manifest again
    except (ValueError, OSError) as exc:
        raise IndexUnreadable(f"{path}/{name}: {exc}") from exc


def _manifest_for_rebuild(path: str) -> dict:
    """The manifest a full build continues from. An unreadable one is replaced: the new
    generation comes from the clock (never one a reader already holds) and segment numbers
    continue after every segment directory present, so no name is reused."""
    try:
        return _read_manifest(path)
    except FileNotFoundError:
        return {"generation": 0, "next_seq": 1, "segments": [], "tombstones": None}
    except IndexUnreadable:
        seqs = [int(f[4:]) for f in os.listdir(path) if f.startswith("seg-") and f[4:].isdigit()]
        return {
            "generation": time.time_ns(),
            "next_seq": max(seqs, default=0) + 1,
            "segments": [],
            "tombstones": None,
        }


def _write_manifest(path: str, man: dict) -> None:
    tmp = os.path.join(path, MANIFEST + ".tmp")
    with open(tmp, "w") as fh:
        json.dump(man, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, os.path.join(path, MANIFEST))


def _atomic_save(fname: str, arr: np.ndarray) -> None:
    tmp = fname + ".tmp.npy"
    np.save(tmp, arr)
    os.replace(tmp, fname)


def _load_tomb(path: str, name: str | None) -> np.ndarray:
    if not name:
        return np.zeros((0, 2), np.int64)
    return np.load(os.path.join(path, name)).reshape(-1, 2)


def _cleanup(path: str, man: dict) -> None:
    """Delete segments/tombstone files the manifest no longer names (readers keep their mmaps)."""
    live = {s["name"] for s in man["segments"]}
    if man.get("tombstones"):
        live.add(man["tombstones"])
    for f in os.listdir(path):
        if (f.startswith("seg-") and f not in live) or (f.startswith("tomb-") and f not in live):
            full = os.path.join(path, f)
            if os.path.isdir(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(full)
