"""What the uploader is told before a file is saved: the same file is already in the library
(by SHA-256), or a new version's text is not the document's text at all (a similarity figure
and a paragraph diff). Only documents the uploader may see are named: a restricted
document's existence is never revealed through its checksum."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Indel

from secretariat.accounts import access
from secretariat.documents.models import Document, Version

# Below this share of words in common, a "new version" is more likely another document.
DISSIMILAR_BELOW = 0.5
MAX_DIFF_ROWS = 200


@dataclass(frozen=True)
class Duplicate:
    document: Document
    version_number: int


def duplicates(user: Any, sha256: str, *, exclude: Document | None = None) -> list[Duplicate]:
    """The visible documents holding a version with these exact bytes (newest first)."""
    versions = Version.objects.filter(sha256=sha256).select_related("document", "document__body")
    versions = access.visible(user, versions, prefix="document__")
    if exclude is not None:
        versions = versions.exclude(document=exclude)
    seen: dict[int, Duplicate] = {}
    for version in versions.order_by("-document_id", "number"):
        seen.setdefault(version.document_id, Duplicate(version.document, version.number))
    return list(seen.values())


def similarity(old: str, new: str) -> float:
    """The share of words two texts have in common, in order (0..1; 1 = the same words)."""
    a, b = old.lower().split(), new.lower().split()
    if not a and not b:
        return 1.0
    return float(Indel.normalized_similarity(a, b))


def is_dissimilar(figure: float) -> bool:
    return figure < DISSIMILAR_BELOW


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "equal", "delete", "insert"
    text: str


def paragraph_diff(old: list[str], new: list[str]) -> tuple[list[DiffRow], int]:
    """Paragraph by paragraph: kept, removed and added paragraphs in reading order (at most
    MAX_DIFF_ROWS), and how many rows were left out."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("equal", t) for t in old[i1:i2])
            continue
        rows.extend(DiffRow("delete", t) for t in old[i1:i2])
        rows.extend(DiffRow("insert", t) for t in new[j1:j2])
    return rows[:MAX_DIFF_ROWS], max(0, len(rows) - MAX_DIFF_ROWS)
