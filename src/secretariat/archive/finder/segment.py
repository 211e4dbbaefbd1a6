"""One immutable index segment: a directory of .npy files, memory-mapped read-only.

Files (n paragraphs, T stored terms, K distinct keys, P postings):
  ids.npy      int64[n]    external paragraph ids, in local order
  order.npy    int64[n]    argsort(ids), to find local rows of given ids (tombstones, updates)
  tok_off.npy  int64[n+1]  row i's terms are toks[tok_off[i]:tok_off[i+1]]
  toks.npy     uint32[T]   term ids (hash of the normalised, stemmed word) for rerank/coverage
  keys.npy     uint32[K]   sorted shingle keys (rare-word unigrams and word bigrams)
  post_off.npy int64[K+1]  postings of keys[j] are post[post_off[j]:post_off[j+1]]
  df.npy       uint32[K]   document frequency (kept even when a key's postings are dropped)
  post.npy     uint32[P]   local row numbers, ascending within a key
mmap_mode='r' lets every web process share one copy through the page cache.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from typing import Literal

import numpy as np
import numpy.typing as npt

from .shingles import U64, doc_keys, tokenise_texts

_FILES = ("ids", "order", "tok_off", "toks", "keys", "post_off", "df", "post")
CHUNK = 20_000  # paragraphs tokenised per batch: bounds the Python-object working set


class Segment:
    """Read-only view of a segment directory."""

    ids: np.ndarray
    order: np.ndarray
    tok_off: np.ndarray
    toks: np.ndarray
    keys: np.ndarray
    post_off: np.ndarray
    df: np.ndarray
    post: np.ndarray

    def __init__(self, path: str, mmap: bool = True) -> None:
        self.path = path
        self.name = os.path.basename(path)
        mode: Literal["r"] | None = "r" if mmap else None
        for f in _FILES:
            arr = np.load(os.path.join(path, f + ".npy"), mmap_mode=mode)
            if isinstance(arr, np.memmap):  # plain ndarray view: slicing a memmap is slow
                arr = arr.view(np.ndarray)
            setattr(self, f, arr)
        self.n = int(self.ids.shape[0])
        # small arrays are touched on every query: keep them in RAM
        self.tok_off = np.asarray(self.tok_off)

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Local rows holding any of the given external ids."""
        if self.n == 0 or len(ids) == 0:
            return np.zeros(0, np.int64)
        ids = np.asarray(ids, np.int64)
        sorted_ids = self.ids[self.order]
        pos = np.searchsorted(sorted_ids, ids)
        pos = np.minimum(pos, self.n - 1)
        hit = sorted_ids[pos] == ids
        return np.asarray(self.order[pos[hit]], np.int64)

    def terms(self, row: int) -> np.ndarray:
        return np.asarray(self.toks[self.tok_off[row] : self.tok_off[row + 1]])


def _fsync_dir_files(path: str) -> None:
    for f in os.listdir(path):  # durable before the manifest points at it
        fd = os.open(os.path.join(path, f), os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)


class _NpyWriter:
    """Streams a 1-d .npy file in pieces (plain writes: nothing mapped, RSS stays flat)."""

    def __init__(self, fname: str, dtype: npt.DTypeLike, length: int) -> None:
        self.fh = open(fname, "wb")  # noqa: SIM115  (closed in close())
        header: dict[str, object] = {
            "descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
            "fortran_order": False,
            "shape": (int(length),),
        }
        np.lib.format.write_array_header_1_0(self.fh, header)
        self.dtype = np.dtype(dtype)
        self.left = int(length)

    def write(self, arr: np.ndarray) -> None:
        arr = np.ascontiguousarray(arr, dtype=self.dtype)
        self.left -= arr.size
        self.fh.write(arr.tobytes())

    def close(self) -> None:
        assert self.left == 0, "npy stream length mismatch"
        self.fh.close()


def write_segment(
    path: str,
    ids: np.ndarray,
    lens: np.ndarray,
    toks: np.ndarray,
    max_df_frac: float = 0.05,
    min_cap: int = 1000,
    entries: str | None = None,
) -> int:
    """Build and save a segment from term sequences; returns its row count.

    Memory: the term array plus one uint64 entry (key << 32 | row) per distinct shingle of
    each row, sorted in place; postings are streamed to disk from a strided view, so no
    second copy of the entries is made (1M paragraphs stay under 2 GB).
    """
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    n = len(ids)
    ids = np.asarray(ids, np.int64)
    tok_off = np.zeros(n + 1, np.int64)
    np.cumsum(lens, out=tok_off[1:])
    np.save(os.path.join(tmp, "ids.npy"), ids)
    np.save(os.path.join(tmp, "order.npy"), np.argsort(ids, kind="stable").astype(np.int64))
    np.save(os.path.join(tmp, "tok_off.npy"), tok_off)
    np.save(os.path.join(tmp, "toks.npy"), np.asarray(toks, np.uint32))
    if entries is not None:
        # (key << 32 | row) entries already made by the tokenising workers, spilled to disk
        ent = np.fromfile(entries, dtype=U64)
        os.remove(entries)
        fill = ent.size
    else:
        # Entries for all rows, generated per chunk into one preallocated array (untouched
        # capacity costs no RSS)
        ent = np.empty(2 * int(toks.size) + 1, U64)
        fill = 0
        step = 50_000
        for s in range(0, n, step):
            e = min(n, s + step)
            part = doc_keys(lens[s:e], toks[tok_off[s] : tok_off[e]], base_doc=s)
            ent[fill : fill + part.size] = part
            fill += part.size
            del part
        ent = ent[:fill]
    ent.sort()  # one global in-place sort
    pairs = ent.view(np.uint32).reshape(-1, 2)  # little-endian: [:, 0] row, [:, 1] key
    if not pairs.dtype.isnative or np.little_endian is False:  # pragma: no cover
        pairs = pairs[:, ::-1]
    key_col = pairs[:, 1]
    # key starts, found chunk by chunk to avoid a full-size boolean temporary
    starts_parts = [np.zeros(1, np.int64)] if fill else []
    cs = 8_000_000
    for s in range(1, fill, cs):
        e = min(fill, s + cs)
        starts_parts.append(np.flatnonzero(key_col[s:e] != key_col[s - 1 : e - 1]) + s)
    starts = np.concatenate(starts_parts) if starts_parts else np.zeros(0, np.int64)
    keys = np.ascontiguousarray(key_col[starts]) if fill else np.zeros(0, np.uint32)
    bounds = np.append(starts, fill).astype(np.int64)
    del starts
    df = np.diff(bounds).astype(np.uint32)
    # keys in more than max_df_frac of rows lose their postings (cost time, add no signal)
    max_df = max(min_cap, int(max_df_frac * n))
    kept = np.where(df > max_df, 0, df).astype(np.int64)
    post_off = np.zeros(len(keys) + 1, np.int64)
    np.cumsum(kept, out=post_off[1:])
    np.save(os.path.join(tmp, "keys.npy"), keys)
    np.save(os.path.join(tmp, "df.npy"), df)
    np.save(os.path.join(tmp, "post_off.npy"), post_off)
    w = _NpyWriter(os.path.join(tmp, "post.npy"), np.uint32, int(post_off[-1]))
    big = np.flatnonzero(df > max_df)
    row_col = pairs[:, 0]
    # copy runs between dropped keys, in bounded pieces
    cut_from = bounds[big]
    cut_to = bounds[big + 1]
    pos = 0
    for a, b in [*zip(cut_from.tolist(), cut_to.tolist(), strict=True), (fill, fill)]:
        for s in range(pos, a, cs):
            w.write(row_col[s : min(a, s + cs)])
        pos = b
    w.close()
    del ent, pairs
    with open(os.path.join(tmp, "meta.json"), "w") as fh:
        json.dump({"n": int(n), "terms": int(toks.size), "entries": int(fill)}, fh)
    _fsync_dir_files(tmp)
    os.replace(tmp, path)
    return int(n)


def _tokenise_and_key(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Worker job: term ids of a batch plus its index entries (rows local to the batch)."""
    lens, toks = tokenise_texts(texts)
    return lens, toks, doc_keys(lens, toks, base_doc=0)


def _tokenise_only(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return tokenise_texts(texts)


def tokenise_pairs(
    pairs: Iterable[tuple[int, str]], workers: int = 1, entries: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """(ids, lens, toks, entries_ok) for (id, text) pairs; later duplicates of an id win.

    With `entries` (a file name) the index entries are made batch by batch (in the worker
    processes when workers > 1) and appended to that file; entries_ok tells whether they are
    valid for the returned rows (False when duplicate ids had to be dropped).
    """
    id_parts: list[np.ndarray] = []
    len_parts: list[np.ndarray] = []
    tok_parts: list[np.ndarray] = []
    out = open(entries, "wb") if entries else None  # noqa: SIM115  (closed below)
    # with a spill file, terms go to disk too: no list of parts plus a concatenated copy
    tok_spill = entries + ".toks" if entries else None
    tok_out = open(tok_spill, "wb") if tok_spill else None  # noqa: SIM115
    rows = [0]

    def collect(cid: list[int], res: tuple) -> None:
        id_parts.append(np.asarray(cid, np.int64))
        len_parts.append(res[0])
        if tok_out is not None:
            tok_out.write(res[1].tobytes())
        else:
            tok_parts.append(res[1])
        if out is not None:
            ent = res[2]
            ent += U64(rows[0])  # batch-local row -> segment row (low 32 bits)
            out.write(ent.tobytes())
        rows[0] += len(cid)

    def chunks() -> Iterator[tuple[list[int], list[str]]]:
        cid: list[int] = []
        ctx: list[str] = []
        for pid, text in pairs:
            cid.append(int(pid))
            ctx.append(text)
            if len(cid) >= CHUNK:
                yield cid, ctx
                cid, ctx = [], []
        if cid:
            yield cid, ctx

    job = _tokenise_and_key if out is not None else _tokenise_only
    try:
        if workers > 1:
            import multiprocessing as mp

            with mp.get_context("fork").Pool(workers) as pool:
                pending: list = []
                for cid, ctx in chunks():
                    pending.append((cid, pool.apply_async(job, (ctx,))))
                    if len(pending) >= 2 * workers:
                        c, r = pending.pop(0)
                        collect(c, r.get())
                for c, r in pending:
                    collect(c, r.get())
        else:
            for cid, ctx in chunks():
                collect(cid, job(ctx))
    finally:
        if out is not None:
            out.close()
        if tok_out is not None:
            tok_out.close()
    if tok_spill is not None:
        toks = np.fromfile(tok_spill, dtype=np.uint32)
        os.remove(tok_spill)
    else:
        toks = np.concatenate(tok_parts) if tok_parts else np.zeros(0, np.uint32)
    if not id_parts:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0, np.uint32), True
    ids = np.concatenate(id_parts)
    lens = np.concatenate(len_parts)
    n_before = len(ids)
    ids, lens, toks = dedupe_last(ids, lens, toks)
    release_memory()
    return ids, lens, toks, len(ids) == n_before


def release_memory() -> None:
    """Hand freed heap pages back to the OS (glibc keeps them after many mid-size frees,
    which would otherwise add ~0.5 GB to the peak RSS of a 1M-paragraph build)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def dedupe_last(
    ids: np.ndarray, lens: np.ndarray, toks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep only the last row of every repeated id."""
    if len(np.unique(ids)) == len(ids):
        return ids, lens, toks
    rev_first = np.unique(ids[::-1], return_index=True)[1]
    keep_rows = np.sort(len(ids) - 1 - rev_first)
    return gather_rows(ids, lens, toks, keep_rows)


def gather_rows(
    ids: np.ndarray, lens: np.ndarray, toks: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    off = np.zeros(len(lens) + 1, np.int64)
    np.cumsum(lens, out=off[1:])
    new_lens = lens[rows]
    tok_idx = np.repeat(off[rows] - np.cumsum(new_lens) + new_lens, new_lens) + np.arange(
        int(new_lens.sum()), dtype=np.int64
    )
    return ids[rows], new_lens, toks[tok_idx]
