"""The shapes the API answers with (also its OpenAPI components)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class VersionOut(Schema):
    number: int
    filename: str
    kind: str
    size: int
    sha256: str
    comment: str
    created_at: datetime
    download: str


class DocumentOut(Schema):
    id: int
    symbol: str
    title: str
    doc_type: str
    status: str
    date: date | None
    organization: str
    language: str
    access_level: str
    body: str | None
    translation_key: str
    current_version: int | None
    url: str


class ParagraphOut(Schema):
    number: int
    label: str
    text: str


class DocumentDetail(DocumentOut):
    versions: list[VersionOut]
    paragraphs: list[ParagraphOut]
    editions: list[int]


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_cursor: str | None


class AlignedEditionOut(Schema):
    """The hit's paragraph in another language edition of its document (one the caller may
    see), as the aligner pairs them."""

    language: str
    document_id: int
    document: str
    paragraph: int
    text: str
    confidence: float


class SearchHitOut(Schema):
    document_id: int
    document: str
    paragraph: int
    label: str
    score: float
    snippet: str
    text: str
    editions: list[AlignedEditionOut] = []


class SearchPage(Schema):
    total: int
    documents: int
    items: list[SearchHitOut]
    facets: dict[str, list[tuple[str, str, int]]]
    next_cursor: str | None


class DiffPart(Schema):
    op: str
    text: str


class PrecedentOut(Schema):
    document_id: int
    document: str
    symbol: str | None
    organization: str
    status: str
    date: str | None
    paragraph: int
    label: str
    text: str
    score: float
    is_precedent: bool
    editions: list[AlignedEditionOut] = []


class FinderOut(Schema):
    building: bool
    results: list[PrecedentOut]


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    url: str
    created_at: datetime
    read: bool


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None


class Done(Schema):
    ok: bool = True
