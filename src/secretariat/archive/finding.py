"""The glue between the library and the finder engine (secretariat.archive.finder).

Everything Django-side of the agreed-language finder lives here: where the index is, which
paragraphs it holds (the current version of every document not withdrawn), keeping it in step
with the library, and answering for a user — every result is filtered by the access policy and
by status inside the engine (its `allow` mask), before the top-k, so a paragraph the user may
not see can neither appear nor push a visible one out.

A request never builds the index. When it is missing (a new installation, a restored backup)
or unreadable, the first reader enqueues `archive.tasks.build_finder_index` and every reader
gets `IndexBuilding` (with the build's progress) until the task has written it.

Public functions (the negotiation workspace calls the first two; keep their signatures):
    closest_language(user, text, k=1) -> list[dict]     precedents only; [] when none
    annotate(user, text) -> list[dict]                  per paragraph: coverage and sources
    precedents(user, text, k=5, include_drafts=False) -> list[dict]
    sync_document(document_id), rebuild(progress=None), build_missing_index()
    build_progress() -> BuildProgress | None
    catch_up(idx, force=False) -> int                   apply new FinderChange rows

Several web hosts, no shared disk: each host keeps its own index directory (under its
SECRETARIAT_DATA_DIR) derived from the database. Every document change writes a FinderChange
row in its transaction (receivers.py); the index manifest's meta records the last change id
applied ("change_seq") and ids skipped while their transaction was still open ("gaps"). Before
answering, a process checks at most every CATCH_UP_SECONDS with one indexed MAX(id) query and
applies what is new. The file lock serialises only the processes of one host.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from django.conf import settings
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from secretariat.accounts import access
from secretariat.archive.finder import (
    PRECEDENT_THRESHOLD,
    FinderIndex,
    IndexUnreadable,
    build,
    diff_words,
)
from secretariat.archive.models import FinderChange
from secretariat.documents import textnorm
from secretariat.documents.models import AGREED_STATUSES, Document, Paragraph, Status

logger = logging.getLogger(__name__)
T = TypeVar("T")


# After a real precedent, matches scoring below this share nothing but a word or two.
MIN_SHOWN = 0.01
# A build request whose task has not reported progress for this long is made again (its
# worker died); the task reports at least every few seconds while it works.
STALE_BUILD_SECONDS = 600

# How often a process asks the database whether other hosts changed documents.
CATCH_UP_SECONDS = 1.0
# A change id missing between two applied ones belongs to a transaction still open (ids are
# allocated before commit) or rolled back; it is looked for again until this many seconds.
GAP_SECONDS = 120.0

_lock = threading.Lock()
_open: dict[str, FinderIndex] = {}
_checked: dict[str, float] = {}


@dataclass(frozen=True)
class BuildProgress:
    """How far the task building the index has got (total is None until it has counted)."""

    done: int
    total: int | None


class IndexBuilding(Exception):
    """There is no usable index yet; a task is building it. Say so, do not wait for it."""

    def __init__(self, progress: BuildProgress | None) -> None:
        super().__init__("the finder index is being built")
        self.progress = progress


def index_dir() -> Path:
    return Path(getattr(settings, "FINDER_INDEX_DIR", settings.DATA_DIR / "finder-index"))


def _status_file() -> Path:
    path = index_dir()
    return path.with_name(path.name + ".build.json")


def indexed_paragraphs() -> QuerySet[Paragraph]:
    """What the index holds: current paragraphs of every document that is not withdrawn."""
    return Paragraph.objects.filter(version_id=F("document__current_version_id")).exclude(
        document__status=Status.WITHDRAWN
    )


def get_index() -> FinderIndex:
    """The index, opened once per process (it follows other processes' writes by itself).
    Raises IndexBuilding, after asking for the build, when there is none or it is unreadable."""
    path = index_dir()
    key = str(path)
    idx = _open.get(key)
    if idx is not None and (path / "MANIFEST.json").exists():
        return idx
    with _lock:
        idx = _open.pop(key, None)
        if idx is not None and (path / "MANIFEST.json").exists():  # opened meanwhile
            _open[key] = idx
            return idx
        try:
            idx = FinderIndex.open(key)
        except FileNotFoundError:
            pass
        except IndexUnreadable as exc:
            # Derived data: leave it for the build to replace (never delete on a guess).
            logger.error("Finder index unreadable (%s); asking for a rebuild", exc)
        else:
            _open[key] = idx
            return idx
    raise _building()


def _building() -> IndexBuilding:
    request_build()
    return IndexBuilding(build_progress())


def request_build() -> bool:
    """Enqueue the build task unless one is already under way; True when it was enqueued.
    The status file, created exclusively, makes the many readers of a missing index ask once."""
    from secretariat.archive.tasks import build_finder_index

    status = _status_file()
    status.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(status, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        try:
            age = time.time() - status.stat().st_mtime
        except FileNotFoundError:  # the build finished meanwhile
            return False
        if age < STALE_BUILD_SECONDS:
            return False
        _write_status(BuildProgress(0, None))
    else:
        with os.fdopen(fd, "w") as fh:
            json.dump({"done": 0, "total": None}, fh)
    try:
        build_finder_index.enqueue()
    except BaseException:
        status.unlink(missing_ok=True)  # nobody is building it: let the next reader ask
        raise
    return True


def build_progress() -> BuildProgress | None:
    """The progress of the build under way, or None when none is."""
    try:
        data = json.loads(_status_file().read_text())
        return BuildProgress(int(data["done"]), data["total"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def _write_status(progress: BuildProgress) -> None:
    status = _status_file()
    tmp = status.with_name(status.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"done": progress.done, "total": progress.total}))
    os.replace(tmp, status)


def build_missing_index() -> int | None:
    """The build task's work: build the index when it is missing or unreadable (idempotent: an
    index that opens is left alone). Returns the paragraphs indexed, or None if there was
    nothing to do. Documents changed while it read the library are synced again after."""
    try:
        FinderIndex.open(str(index_dir()))
    except (FileNotFoundError, IndexUnreadable):
        pass
    else:
        _status_file().unlink(missing_ok=True)
        return None
    started = timezone.now()
    try:
        total = rebuild(progress=lambda done, total: _write_status(BuildProgress(done, total)))
    finally:
        _status_file().unlink(missing_ok=True)
    changed = Document.objects.filter(updated_at__gte=started).values_list("pk", flat=True)
    for document_id in changed:
        sync_document(document_id)
    return total


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the library (atomic: readers see the old one until done).
    Interrupting it leaves the previous index in place."""
    qs = indexed_paragraphs()
    total = qs.count()
    if progress is not None:
        progress(0, total)

    def pairs() -> Iterator[tuple[int, str]]:
        for done, pair in enumerate(qs.values_list("id", "text").iterator(chunk_size=2000), 1):
            if progress is not None and (done % 500 == 0 or done == total):
                progress(done, total)
            yield pair

    path = index_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Changes up to here are in what is read below; later ones are applied by catch_up().
    upto = FinderChange.objects.aggregate(m=Max("id"))["m"] or 0
    idx = build(str(path), pairs(), meta={"change_seq": upto, "gaps": []})
    with _lock:
        _open[str(path)] = idx
    return total


def sync_document(document_id: int) -> None:
    """Bring the index in line with one document (idempotent; safe to run twice). Without an
    index there is nothing to sync: the build under way reads the library, this included."""
    try:
        idx = get_index()
    except IndexBuilding:
        return
    _sync_into(idx, document_id)


def _sync_into(idx: FinderIndex, document_id: int) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    all_ids = list(Paragraph.objects.filter(document=document).values_list("id", flat=True))
    keep: list[tuple[int, str]] = []
    if document.status != Status.WITHDRAWN and document.current_version_id:
        keep = list(
            Paragraph.objects.filter(version_id=document.current_version_id).values_list(
                "id", "text"
            )
        )
    kept = {pid for pid, _ in keep}
    stale = [pid for pid in all_ids if pid not in kept]
    if stale:
        idx.remove(stale)
    # A paragraph's text never changes (versions are append-only), so one already live in the
    # index is left alone: re-adding it would only write another delta segment.
    live = set(idx.live_ids(kept).tolist())
    missing = [(pid, text) for pid, text in keep if pid not in live]
    if missing:
        idx.add(missing)


def change_stamp() -> str:
    """A value that changes with every change of the library (the FinderChange rows: their
    highest id, and their number for a row of a lower id committed late), for caches of what
    is computed over the library (the search facets)."""
    row = FinderChange.objects.aggregate(m=Max("id"), n=Count("id"))
    return f"{row['m'] or 0}.{row['n']}"


def catch_up_now() -> int:
    """catch_up() of this host's index at once (the worker's task); 0 without an index (the
    build under way reads the library)."""
    try:
        idx = get_index()
    except IndexBuilding:
        return 0
    return catch_up(idx, force=True)


@dataclass(frozen=True)
class _Gap:
    id: int
    since: float  # wall-clock seconds when first seen missing


def catch_up(idx: FinderIndex, *, force: bool = False) -> int:
    """Apply the FinderChange rows this host's index has not seen; returns the documents
    synced. Cheap when nothing changed: one MAX(id) query, at most every CATCH_UP_SECONDS per
    process (unless `force`). Idempotent: two processes of a host applying the same rows only
    repeat work."""
    now = time.monotonic()
    if not force and now - _checked.get(idx.path, -CATCH_UP_SECONDS) < CATCH_UP_SECONDS:
        return 0
    _checked[idx.path] = now
    meta = idx.meta()
    seq = int(meta.get("change_seq", 0))
    gaps = [_Gap(int(g["id"]), float(g["since"])) for g in meta.get("gaps", [])]
    if not gaps:
        latest = FinderChange.objects.aggregate(m=Max("id"))["m"] or 0
        if latest <= seq:
            return 0
    rows = list(
        FinderChange.objects.filter(Q(id__gt=seq) | Q(id__in=[g.id for g in gaps]))
        .order_by("id")
        .values_list("id", "document_id")
    )
    found = {cid for cid, _ in rows}
    new_seq = max([seq, *found])
    wall = time.time()
    still = [g for g in gaps if g.id not in found and wall - g.since < GAP_SECONDS]
    still += [_Gap(cid, wall) for cid in range(seq + 1, new_seq) if cid not in found]
    documents = sorted({doc for _, doc in rows})
    for document_id in documents:
        _sync_into(idx, document_id)
    with idx.writing() as stored:
        if int(stored.get("change_seq", 0)) == seq:  # nobody on this host got further
            stored["change_seq"] = new_seq
            stored["gaps"] = [{"id": g.id, "since": g.since} for g in still]
    return len(documents)


# --- answering ---------------------------------------------------------------------------
def _statuses(include_drafts: bool) -> frozenset[str]:
    if include_drafts:
        return frozenset(s for s in Status.values if s != Status.WITHDRAWN)
    return frozenset(AGREED_STATUSES)


class _Allow:
    """The engine's allow-mask for one user and one question, decided per document.

    The engine asks about its candidates only (a few hundred paragraph ids per batch), so this
    reads just their documents — one query per batch, whatever the size of the archive — and
    judges each (access level, body) pair once with the access policy. A paragraph passes when
    it belongs to its document's current version, the document's status counts, and the user
    may see it; unknown ids (gone from the library) never pass."""

    def __init__(
        self, user: Any, include_drafts: bool, exclude_document_id: int | None = None
    ) -> None:
        self.user = user
        self.statuses = _statuses(include_drafts)
        self.exclude_document_id = exclude_document_id
        self.seen: dict[int, bool] = {}
        self.levels: dict[tuple[str, int | None], bool] = {}

    def _level(self, access_level: str, body_id: int | None) -> bool:
        key = (access_level, body_id)
        if key not in self.levels:
            self.levels[key] = access.can_see_level(self.user, access_level, body_id)
        return self.levels[key]

    def _learn(self, ids: Iterable[int]) -> None:
        rows = Paragraph.objects.filter(pk__in=list(ids)).values_list(
            "pk",
            "version_id",
            "document_id",
            "document__current_version_id",
            "document__status",
            "document__access_level",
            "document__body_id",
        )
        for pid, version, document, current, status, level, body in rows:
            self.seen[pid] = (
                version == current
                and status in self.statuses
                and document != self.exclude_document_id
                and self._level(level, body)
            )

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        wanted = ids.tolist()
        unknown = {pid for pid in wanted if pid not in self.seen}
        if unknown:
            self._learn(unknown)
            for pid in unknown:
                self.seen.setdefault(pid, False)
        return np.fromiter((self.seen[pid] for pid in wanted), bool, len(wanted))


def _ask(question: Callable[[FinderIndex], T]) -> T:
    """Run a question on the index; one damaged under a reader's feet is rebuilt, not used."""
    idx = get_index()
    try:
        catch_up(idx)
        return question(idx)
    except IndexUnreadable as exc:
        logger.error("Finder index unreadable (%s); asking for a rebuild", exc)
        with _lock:
            _open.pop(str(index_dir()), None)
        raise _building() from exc


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _describe(paragraph: Paragraph) -> dict[str, Any]:
    document = paragraph.document
    return {
        "document": document.title,
        "document_id": document.pk,
        "symbol": document.symbol or None,
        "organization": document.organization,
        "status": document.status,
        "source": paragraph.version.filename,
        "date": _iso(document.date),
        "paragraph": paragraph.number,
        "label": paragraph.label,
        "text": paragraph.text,
        "url": f"{document.get_absolute_url()}#p{paragraph.number}",
    }


def _rows(ids: list[int]) -> dict[int, Paragraph]:
    return Paragraph.objects.select_related("document", "version").in_bulk(ids)


def precedents(
    user: Any,
    text: str,
    k: int = 5,
    include_drafts: bool = False,
    *,
    exclude_document_id: int | None = None,
) -> list[dict[str, Any]]:
    """The top-k paragraphs closest to `text`, best first, each with its word diff; [] when
    the best is not close enough to count as a precedent (weak matches are not listed)."""
    text = text.strip()
    if not text:
        return []
    allow = _Allow(user, include_drafts, exclude_document_id)
    matches = _ask(lambda idx: idx.search(text, k=k, allow=allow))
    if not matches or matches[0].score < PRECEDENT_THRESHOLD:
        return []
    # Once there is a real precedent, the rest of the top-k is shown as the engine ranks it,
    # each marked a precedent or a partial match (a reused sentence inside a longer paragraph
    # scores low but is what a drafter wants to see).
    matches = [m for m in matches if m.score >= MIN_SHOWN]
    rows = _rows([m.id for m in matches])
    out = []
    for match in matches:
        paragraph = rows.get(match.id)
        if paragraph is None:  # removed from the library since the index saw it
            continue
        out.append(
            {
                **_describe(paragraph),
                "score": round(match.score, 4),
                "is_precedent": match.is_precedent,
                "diff": diff_words(text, paragraph.text),
            }
        )
    return out


def closest_language(user: Any, text: str, k: int = 1) -> list[dict[str, Any]]:
    """Agreed language (adopted and published texts) closest to `text`; [] when none."""
    return [p for p in precedents(user, text, k=k) if p["is_precedent"]]


def annotate(
    user: Any, text: str, *, exclude_document_id: int | None = None
) -> list[dict[str, Any]]:
    """Per paragraph of a draft: the share of its words in runs of six or more words found in
    adopted texts the user may see, and those sources."""
    return annotate_paragraphs(
        user, textnorm.paragraphs(text), exclude_document_id=exclude_document_id
    )


def annotate_paragraphs(
    user: Any, paragraphs: list[textnorm.Para], *, exclude_document_id: int | None = None
) -> list[dict[str, Any]]:
    allow = _Allow(user, False, exclude_document_id)
    results = []
    coverages = _ask(
        lambda idx: [(para, idx.coverage(para.text, allow=allow)) for para in paragraphs]
    )
    rows = _rows([s.id for _, c in coverages for s in c.sources])
    for para, coverage in coverages:
        sources = []
        for source in coverage.sources:
            paragraph = rows.get(source.id)
            if paragraph is not None:
                sources.append({**_describe(paragraph), "words": source.words})
        results.append(
            {
                "paragraph": para.number,
                "label": para.label,
                "text": para.text,
                "coverage": round(coverage.share, 4),
                "words": coverage.words,
                "covered_words": coverage.covered_words,
                "sources": sources,
            }
        )
    return results
