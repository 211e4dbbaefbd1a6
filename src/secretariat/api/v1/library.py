"""Documents, full-text search and the agreed-language finder: the library's own functions and
access policy (`accounts.access`), as the pages use them."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from secretariat.accounts import access
from secretariat.api import pagination
from secretariat.api.problems import ERRORS, Problem
from secretariat.api.v1.schemas import (
    AlignedEditionOut,
    DocumentDetail,
    DocumentOut,
    DocumentPage,
    FinderOut,
    ParagraphOut,
    PrecedentOut,
    SearchHitOut,
    SearchPage,
    VersionOut,
)
from secretariat.archive import finding
from secretariat.core.audit import record_view
from secretariat.core.limits import MAX_ID
from secretariat.documents.models import Document, Version
from secretariat.documents.search import aligned_editions, filter_q, with_other_editions
from secretariat.documents.search import search as run_search

ID = Path(..., ge=1, le=MAX_ID)  # a 422 problem, never a database overflow

router = Router(tags=["library"])

NUL_FREE = r"^[^\x00]*$"


class DocumentFilters(Schema):
    doc_type: str = Field("", max_length=20, pattern=NUL_FREE)
    status: str = Field("", max_length=20, pattern=NUL_FREE)
    organization: str = Field("", max_length=40, pattern=NUL_FREE)
    body: str = Field("", max_length=32, pattern=NUL_FREE)
    year: str = Field("", max_length=4, pattern=NUL_FREE)
    language: str = Field("", max_length=8, pattern=NUL_FREE)


class PageParams(Schema):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)


def _filters(f: DocumentFilters) -> dict[str, str]:
    return {k: str(v).strip() for k, v in f.dict().items()}


def _document(d: Document) -> DocumentOut:
    return DocumentOut(
        id=d.pk,
        symbol=d.symbol,
        title=d.title,
        doc_type=d.doc_type,
        status=d.status,
        date=d.date,
        organization=d.organization,
        language=d.language,
        access_level=d.access_level,
        body=d.body.code if d.body_id and d.body else None,
        translation_key=str(d.translation_key),
        current_version=d.current_version.number
        if d.current_version_id and d.current_version
        else None,
        url=reverse("api-1:document", args=[d.pk]),
    )


def _version(v: Version) -> VersionOut:
    return VersionOut(
        number=v.number,
        filename=v.filename,
        kind=v.kind,
        size=v.size,
        sha256=v.sha256,
        comment=v.comment,
        created_at=v.created_at,
        download=reverse("api-1:version-file", args=[v.document_id, v.number]),
    )


@router.get("/documents", response={200: DocumentPage, ERRORS: Problem}, url_name="documents")
def list_documents(
    request: HttpRequest, filters: Query[DocumentFilters], page: Query[PageParams]
) -> DocumentPage:
    """The documents the caller may see, newest registered first, with the library's filters."""
    qs = access.visible(request.user, Document.objects.all()).filter(filter_q(_filters(filters)))
    rows, cursor = pagination.keyset(
        qs.select_related("body", "current_version"), page.cursor, page.limit, kind="documents"
    )
    return DocumentPage(items=[_document(d) for d in rows], next_cursor=cursor)


def _get_document(request: HttpRequest, pk: int, *, audit_view: bool = True) -> Document:
    return access.get_object_for(
        request,
        Document.objects.select_related("body", "current_version"),
        pk=pk,
        audit_view=audit_view,
    )


@router.get("/documents/{pk}", response={200: DocumentDetail, ERRORS: Problem}, url_name="document")
def document_detail(request: HttpRequest, pk: int = ID) -> DocumentDetail:
    """One document with its versions, current paragraphs and the other language editions."""
    document = _get_document(request, pk)
    editions = access.visible(
        request.user,
        Document.objects.filter(translation_key=document.translation_key).exclude(pk=document.pk),
    ).values_list("pk", flat=True)
    return DocumentDetail(
        **_document(document).dict(),
        versions=[_version(v) for v in document.versions.order_by("number")],
        paragraphs=[
            ParagraphOut(number=p.number, label=p.label, text=p.text)
            for p in document.current_paragraphs().order_by("number")
        ],
        editions=sorted(editions),
    )


@router.get(
    "/documents/{pk}/versions",
    response={200: list[VersionOut], ERRORS: Problem},
    url_name="versions",
)
def document_versions(request: HttpRequest, pk: int = ID) -> list[VersionOut]:
    document = _get_document(request, pk, audit_view=False)
    return [_version(v) for v in document.versions.order_by("number")]


@router.get(
    "/documents/{pk}/versions/{number}/file",
    response={200: None, ERRORS: Problem},
    url_name="version-file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, byte for byte as uploaded",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_version(request: HttpRequest, pk: int = ID, number: int = ID) -> FileResponse:
    """The stored file of one version (the checksum in `X-Checksum-SHA256`)."""
    document = _get_document(request, pk)
    version = document.versions.filter(number=number).first()
    if version is None:
        from django.http import Http404

        raise Http404
    response = FileResponse(
        default_storage.open(version.file, "rb"),
        as_attachment=True,
        filename=version.filename,
        content_type="application/octet-stream",
    )
    response["X-Checksum-SHA256"] = version.sha256
    return response


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=500, pattern=NUL_FREE)
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(20, ge=1, le=pagination.MAX_LIMIT)


@router.get("/search", response={200: SearchPage, ERRORS: Problem}, url_name="search")
def search(
    request: HttpRequest, params: Query[SearchParams], filters: Query[DocumentFilters]
) -> SearchPage:
    """Full-text search of the current paragraphs the caller may see (ranked; facets counted
    over the caller's hits only)."""
    offset = pagination.decode(params.cursor, "search") or 0
    result = run_search(
        request.user,
        params.q,
        _filters(filters),
        limit=params.limit,
        offset=offset,
        editions=True,
        others=False,  # the API's answer has no place for the board's or meetings' hits
    )
    items = [
        SearchHitOut(
            document_id=h.paragraph.document_id,
            document=str(h.document),
            paragraph=h.paragraph.number,
            label=h.paragraph.label,
            score=h.score,
            snippet=str(h.snippet),
            text=h.paragraph.text,
            editions=[_edition(e) for e in h.editions],
        )
        for h in result.hits
    ]
    restricted = {
        h.paragraph.document_id for h in result.hits if not access.is_public_obj(h.document)
    }
    restricted |= set(
        Document.objects.filter(pk__in={e["document_id"] for h in result.hits for e in h.editions})
        .exclude(access_level="public")
        .values_list("pk", flat=True)
    )
    for document in Document.objects.filter(pk__in=restricted):
        record_view(obj=document, request=request, page="api.search")
    more = offset + params.limit < min(result.total, 5000)
    return SearchPage(
        total=result.total,
        documents=result.documents,
        items=items,
        facets=result.facets,
        next_cursor=pagination.encode("search", offset + params.limit) if more else None,
    )


def _edition(found: dict[str, Any]) -> AlignedEditionOut:
    return AlignedEditionOut(**{k: found[k] for k in AlignedEditionOut.model_fields})


class FinderParams(Schema):
    text: str = Field(..., min_length=1, max_length=5000, pattern=NUL_FREE)
    k: int = Field(5, ge=1, le=20)
    include_drafts: bool = False


@router.get("/finder", response={200: FinderOut, ERRORS: Problem}, url_name="finder")
def finder(request: HttpRequest, params: Query[FinderParams]) -> FinderOut:
    """Agreed language closest to `text`, best first; empty when nothing is close enough.
    `building` is true while the index is (re)built: ask again later."""
    try:
        rows = finding.precedents(
            request.user, params.text, k=params.k, include_drafts=params.include_drafts
        )
    except finding.IndexBuilding:
        return FinderOut(building=True, results=[])
    several = with_other_editions(r["document_id"] for r in rows)
    for r in rows:
        r["editions"] = [
            _edition(e)
            for e in (
                aligned_editions(request.user, r["document_id"], r["paragraph"])
                if r["document_id"] in several
                else []
            )
        ]
    shown = {r["document_id"] for r in rows} | {e.document_id for r in rows for e in r["editions"]}
    restricted = Document.objects.filter(pk__in=shown).exclude(access_level="public")
    for document in restricted:
        record_view(obj=document, request=request, page="api.finder")
    return FinderOut(
        building=False,
        results=[PrecedentOut(**{k: r[k] for k in PrecedentOut.model_fields}) for r in rows],
    )
