"""Importing files into the library from the command line (and the demo).

Idempotent by checksum: a file whose bytes are already a version in the library is skipped, so
an interrupted import is resumed by running it again. One transaction per file: a bad file is
reported and skipped, never half-imported.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from secretariat.accounts.models import AccessLevel, Body, Forum
from secretariat.core.types import Writer
from secretariat.documents import actions, files, textnorm
from secretariat.documents.models import DocumentType, Status, Version
from secretariat.documents.searchtext import WORD_RE

logger = logging.getLogger(__name__)
SUFFIXES = {".txt", ".pdf", ".docx"}
_SYMBOL_RES = [
    re.compile(r"(?:№|No\.|Ref\.?:?)\s*([A-Z][A-Z0-9.\-]*(?:/[A-Z0-9.\-]+){1,5})"),
    re.compile(r"\b([AS]/RES/\d+/\d+|[A-Z]{2,8}/[A-Z]{1,8}/\d{1,6})\b"),
]
_TYPE_WORDS = [
    ("plan of action", DocumentType.PLAN_OF_ACTION),
    ("concept paper", DocumentType.CONCEPT_PAPER),
    ("note verbale", DocumentType.NOTE_VERBALE),
    ("declaration", DocumentType.DECLARATION),
    ("statement", DocumentType.STATEMENT),
    ("report", DocumentType.REPORT),
    ("draft", DocumentType.DRAFT),
]


@dataclass
class Options:
    organization: str = ""
    day: date | None = None
    status: str = Status.ADOPTED
    title: str = ""
    symbol: str = ""
    language: str = ""
    doc_type: str = ""
    access_level: str = AccessLevel.MEMBERS
    body: Body | None = None


@dataclass
class Outcome:
    path: Path
    action: str  # "imported" | "skipped" | "rejected"
    message: str
    document_id: int | None = None


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: given files as they are, folders searched for .txt/.pdf/.docx."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return found


def detect_language(text: str) -> str:
    sample = "".join(WORD_RE.findall(text[:20000]))
    if not sample:
        return "en"
    kazakh = sum(ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for ch in sample)
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in sample)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in sample)
    if cjk > len(sample) / 3:
        return "zh"
    if cyrillic > len(sample) / 2:
        return "kk" if kazakh > cyrillic / 50 else "ru"
    return "en"


def detect_symbol(text: str) -> str:
    head = text[:1500]
    for regex in _SYMBOL_RES:
        if match := regex.search(head):
            return match.group(1).rstrip(".-")
    return ""


def detect_type(title: str, status: str) -> str:
    lowered = title.lower()
    for words, kind in _TYPE_WORDS:
        if words in lowered:
            return kind
    return (
        DocumentType.DRAFT
        if status in (Status.DRAFT, Status.UNDER_NEGOTIATION)
        else (DocumentType.OTHER)
    )


def _default_organization() -> str:
    forum = Forum.current()
    return forum.short_name if forum else "—"


def import_file(path: Path, options: Options) -> Outcome:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Outcome(path, "rejected", str(exc))
    sha = files.checksum(data)
    existing = Version.objects.filter(sha256=sha).select_related("document").first()
    if existing is not None:
        return Outcome(
            path,
            "skipped",
            f"already imported as “{existing.document}” v{existing.number}",
            existing.document_id,
        )
    try:
        upload = actions.read_upload(data, path.name)
    except files.FileRejected as exc:
        return Outcome(path, "rejected", str(exc))
    meta, _body = textnorm.parse_header(files.extract_text(upload.kind, data))
    symbol = options.symbol or detect_symbol(upload.text)
    # A note verbale opens with its formula; its symbol names it better than any heading.
    is_note = "presents its compliments" in upload.text[:3000]
    title = (
        options.title
        or meta.get("title")
        or (f"Note verbale {symbol}" if is_note and symbol else "")
        or textnorm.guess_title(upload.text)
        or path.stem
    )
    day, day_note = options.day, ""
    if day is None:
        day = textnorm.detect_date(f"{meta.get('title', '')}\n{upload.text}")
        day_note = " (date from the text)" if day else ""
    if day is None and (m := re.search(r"(\d{4})-(\d\d)-(\d\d)", path.name)):
        try:
            day, day_note = date(int(m[1]), int(m[2]), int(m[3])), " (date from the file name)"
        except ValueError:
            day = None
    try:
        document = actions.do_create_document(
            upload,
            title=title,
            organization=options.organization or _default_organization(),
            doc_type=options.doc_type
            or (DocumentType.NOTE_VERBALE if is_note else detect_type(title, options.status)),
            status=options.status,
            access_level=options.access_level,
            body=options.body,
            symbol=symbol,
            day=day,
            language=options.language or detect_language(upload.text),
            comment=f"Imported from {path.name}",
            actor=None,
        )
    except Exception as exc:  # reported and skipped; its transaction was rolled back
        return Outcome(path, "rejected", f"{type(exc).__name__}: {exc}")
    return Outcome(
        path,
        "imported",
        f"“{document.title}”, {len(upload.paragraphs)} paragraphs, "
        f"{document.date or 'no date'}{day_note}",
        document.pk,
    )


class Progress:
    """One line on a terminal, rewritten: done/total, rate, time left. Silent elsewhere."""

    def __init__(self, total: int, unit: str, stream: TextIO | None = None) -> None:
        self.total, self.unit = total, unit
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        if not self.tty:
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = done / elapsed
        left = (self.total - done) / rate if rate else 0
        self.stream.write(
            f"\r  {done}/{self.total} {self.unit} · {rate:.1f} {self.unit}/s · "
            f"{int(left // 60)}:{int(left % 60):02d} left   "
        )
        self.stream.flush()

    def clear(self) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def import_paths(
    paths: list[Path],
    options: Options,
    stdout: Writer,
    *,
    progress: Progress | None = None,
    after: Callable[[Outcome], Any] | None = None,
) -> list[Outcome]:
    outcomes = []
    for done, path in enumerate(paths, 1):
        outcome = import_file(path, options)
        outcomes.append(outcome)
        if progress:
            progress.clear()
        stdout.write(f"{outcome.action:<9} {path}: {outcome.message}\n")
        if after is not None and outcome.action == "imported":
            after(outcome)
        if progress:
            progress.update(done)
    if progress:
        progress.clear()
    return outcomes


def sync_after_import(outcome: Outcome) -> None:
    """Index the new document now, so the finder answers without waiting for a worker (the
    task enqueued with the import does the same again, harmlessly)."""
    from secretariat.archive import finding

    if outcome.document_id is None:
        return
    try:
        finding.sync_document(outcome.document_id)
    except Exception:  # the import itself is done; the enqueued task will index it
        logger.exception("Indexing document %s for the finder failed", outcome.document_id)
