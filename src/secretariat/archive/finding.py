"""The glue between the library and the finder engine (secretariat.archive.finder).

Everything Django-side of the agreed-language finder lives here: where the index is, which
paragraphs it holds (the current version of every document not withdrawn), keeping it in step
with the library, and answering for a user — every result is filtered by the access policy and
by status inside the engine (its `allow` mask), before the top-k, so a paragraph the user may
not see can neither appear nor push a visible one out.

Public functions (the negotiation workspace calls the first two; keep their signatures):
    closest_language(user, text, k=1) -> list[dict]     precedents only; [] when none
    annotate(user, text) -> list[dict]                  per paragraph: coverage and sources
    precedents(user, text, k=5, include_drafts=False) -> list[dict]
    sync_document(document_id), rebuild(progress=None)
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import F, QuerySet

from secretariat.archive.finder import PRECEDENT_THRESHOLD, FinderIndex, build, diff_words
from secretariat.documents import textnorm
from secretariat.documents.models import AGREED_STATUSES, Document, Paragraph, Status
from secretariat.documents.search import current_paragraphs

logger = logging.getLogger(__name__)


# After a real precedent, matches scoring below this share nothing but a word or two.
MIN_SHOWN = 0.01

_lock = threading.Lock()
_open: dict[str, FinderIndex] = {}


def index_dir() -> Path:
    return Path(getattr(settings, "FINDER_INDEX_DIR", settings.DATA_DIR / "finder-index"))


def indexed_paragraphs() -> QuerySet[Paragraph]:
    """What the index holds: current paragraphs of every document that is not withdrawn."""
    return Paragraph.objects.filter(version_id=F("document__current_version_id")).exclude(
        document__status=Status.WITHDRAWN
    )


def get_index() -> FinderIndex:
    """The index, opened once per process; built from the library on first use."""
    path = index_dir()
    key = str(path)
    with _lock:
        idx = _open.get(key)
        if idx is not None and (path / "MANIFEST.json").exists():
            return idx
        idx = None
        if (path / "MANIFEST.json").exists():
            try:
                idx = FinderIndex.open(key)
            except Exception:  # an index written by another version of the engine
                logger.exception("Finder index at %s unreadable; rebuilding it", path)
                shutil.rmtree(path, ignore_errors=True)  # derived data: the library has it all
        if idx is None:
            idx = _build(path, indexed_paragraphs().values_list("id", "text").iterator())
        _open[key] = idx
        return idx


def _build(path: Path, pairs: Any) -> FinderIndex:
    path.parent.mkdir(parents=True, exist_ok=True)
    return build(str(path), pairs)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the library (atomic: readers see the old one until done).
    Interrupting it leaves the previous index in place."""
    qs = indexed_paragraphs()
    total = qs.count()

    def pairs() -> Iterator[tuple[int, str]]:
        for done, pair in enumerate(qs.values_list("id", "text").iterator(chunk_size=2000), 1):
            if progress is not None and (done % 500 == 0 or done == total):
                progress(done, total)
            yield pair

    idx = _build(index_dir(), pairs())
    with _lock:
        _open[str(index_dir())] = idx
    return total


def sync_document(document_id: int) -> None:
    """Bring the index in line with one document (idempotent; safe to run twice)."""
    idx = get_index()
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    all_ids = list(Paragraph.objects.filter(document=document).values_list("id", flat=True))
    keep = []
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
    live = _live(idx, [pid for pid, _ in keep])
    missing = [(pid, text) for pid, text in keep if pid not in live]
    if missing:
        idx.add(missing)


def _live(idx: FinderIndex, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    existing = getattr(idx, "_existing", None)  # the engine's own lookup, when it offers one
    if existing is None:
        return set()
    return {int(i) for i in existing(np.array(sorted(ids), dtype=np.int64))}


# --- answering ---------------------------------------------------------------------------
def _statuses(include_drafts: bool) -> list[str]:
    if include_drafts:
        return [s for s in Status.values if s != Status.WITHDRAWN]
    return list(AGREED_STATUSES)


def allowed_ids(
    user: Any, include_drafts: bool = False, exclude_document_id: int | None = None
) -> np.ndarray:
    """Ids of the indexed paragraphs this user may be shown (sorted)."""
    qs = current_paragraphs(user).filter(document__status__in=_statuses(include_drafts))
    if exclude_document_id is not None:
        qs = qs.exclude(document_id=exclude_document_id)
    return np.array(sorted(qs.values_list("id", flat=True)), dtype=np.int64)


def _allow(
    user: Any, include_drafts: bool, exclude_document_id: int | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    allowed = allowed_ids(user, include_drafts, exclude_document_id)

    def allow(ids: np.ndarray) -> np.ndarray:
        return np.isin(ids, allowed, assume_unique=False)

    return allow


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
    allow = _allow(user, include_drafts, exclude_document_id)
    matches = get_index().search(text, k=k, allow=allow)
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
    idx = get_index()
    allow = _allow(user, False, exclude_document_id)
    results = []
    coverages = []
    for para in paragraphs:
        coverage = idx.coverage(para.text, allow=allow)
        coverages.append((para, coverage))
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
