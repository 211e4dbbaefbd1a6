from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from secretariat.accounts import access
from secretariat.archive import finding
from secretariat.archive.forms import FinderForm
from secretariat.archive.public import public_documents
from secretariat.core import audit
from secretariat.core.feeds import LanguageAtomFeed
from secretariat.core.limits import page_number, query_text
from secretariat.documents import textnorm
from secretariat.documents.models import Document, Paragraph
from secretariat.documents.search import (
    aligned_editions,
    search_documents,
    with_other_editions,
)

FILTERS = ("organization", "body", "doc_type", "year", "language", "status")
PAGE = 10  # documents, each with its best paragraphs


def search(request: HttpRequest) -> HttpResponse:
    q = query_text(request.GET.get("q", ""))
    filters = {k: query_text(request.GET.get(k, ""), 200) for k in FILTERS}
    page = page_number(request.GET.get("page"))
    result = search_documents(
        request.user,
        q,
        filters,
        limit=PAGE,
        offset=(page - 1) * PAGE,
        stamp=finding.change_stamp() if q else None,
        editions=True,
    )
    _record_shown(
        request,
        "search",
        [g.document for g in result.groups],
        [e["document_id"] for g in result.groups for h in g.hits for e in h.editions],
    )
    base = request.GET.copy()
    base.pop("page", None)
    return render(
        request,
        "archive/search.html",
        {
            "q": q,
            "filters": filters,
            "filtered": any(filters.values()),
            "result": result,
            "page": page,
            "has_next": result.documents > page * PAGE,
            "querystring": base.urlencode(),
        },
    )


def _record_shown(
    request: HttpRequest, page: str, documents: list[Document], other_ids: list[int]
) -> None:
    """The documents whose words a search or finder page shows (its hits, their aligned
    editions), recorded as read where they are not public: one insert for the page."""
    shown = {d.pk: d for d in documents}
    missing = set(other_ids) - set(shown)
    if missing:
        shown.update(Document.objects.exclude(access_level="public").in_bulk(missing))
    restricted = [d for d in shown.values() if not access.is_public_obj(d)]
    audit.record_views(sorted(restricted, key=lambda d: d.pk), request=request, page=page)


def _building(request: HttpRequest, exc: finding.IndexBuilding) -> HttpResponse:
    return render(request, "archive/_index_building.html", {"progress": exc.progress})


def finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.POST if request.method == "POST" else None)
    results = None
    building = None
    if form.is_valid():
        try:
            results = finding.precedents(
                request.user,
                form.cleaned_data["text"],
                k=5,
                include_drafts=form.cleaned_data["include_drafts"],
            )
        except finding.IndexBuilding as exc:
            building = exc
        several = with_other_editions(r["document_id"] for r in results or [])
        for r in results or []:  # the precedent in its other language editions
            r["editions"] = (
                aligned_editions(request.user, r["document_id"], r["paragraph"])
                if r["document_id"] in several
                else []
            )
        _record_shown(
            request,
            "finder",
            [],
            [r["document_id"] for r in results or []]
            + [e["document_id"] for r in results or [] for e in r["editions"]],
        )
    return render(
        request,
        "archive/finder.html",
        {
            "form": form,
            "text": form.data.get("text", ""),
            "include_drafts": form.data.get("include_drafts") == "on",
            "results": results,
            "building": building,
        },
    )


def paragraph_precedents(request: HttpRequest, pk: int) -> HttpResponse:
    """The precedents of one paragraph of the library (an htmx fragment)."""
    paragraph = access.get_object_for(
        request, Paragraph.objects.select_related("document"), pk=pk, audit_view=False
    )
    try:
        results = finding.precedents(
            request.user, paragraph.text, k=3, exclude_document_id=paragraph.document_id
        )
    except finding.IndexBuilding as exc:
        return _building(request, exc)
    if not access.is_public_obj(paragraph.document):  # the paragraph's text is shown
        audit.record_view(obj=paragraph.document, request=request, page="precedents", paragraph=pk)
    return render(request, "archive/_precedents.html", {"results": results, "compact": True})


def document_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """Agreed-language coverage of every paragraph of a document (an htmx fragment)."""
    document = access.get_object_for(request, Document, pk=pk, audit_view=False)
    paragraphs = [textnorm.Para(p.number, p.label, p.text) for p in document.current_paragraphs()]
    try:
        rows = finding.annotate_paragraphs(
            request.user, paragraphs, exclude_document_id=document.pk
        )
    except finding.IndexBuilding as exc:
        return _building(request, exc)
    if not access.is_public_obj(document):  # every paragraph's text is shown
        audit.record_view(obj=document, request=request, page="coverage")
    total = sum(r["words"] for r in rows)
    covered = sum(r["covered_words"] for r in rows)
    return render(
        request,
        "archive/_coverage.html",
        {"rows": rows, "share": covered / total if total else 0.0},
    )


# --- the public portal -----------------------------------------------------------------------
@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    documents = public_documents().order_by("-date", "-id")
    return render(request, "archive/public_list.html", {"documents": documents})


def _public_document(pk: int) -> Document:
    document = public_documents().filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


@login_not_required
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _public_document(pk)
    editions = (
        public_documents().filter(translation_key=document.translation_key).exclude(pk=document.pk)
    )
    paragraphs = document.current_paragraphs()
    return render(
        request,
        "archive/public_detail.html",
        {"document": document, "editions": editions, "paragraphs": paragraphs},
    )


@login_not_required
def public_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    document = _public_document(pk)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404
    response = FileResponse(
        default_storage.open(version.file, "rb"), as_attachment=True, filename=version.filename
    )
    response["X-Checksum-SHA256"] = version.sha256
    return response


@login_not_required
def public_feed(request: HttpRequest) -> HttpResponse:
    feed = LanguageAtomFeed(
        title=_("Published documents"),
        link=request.build_absolute_uri(reverse("archive:public")),
        description=_("New publications of the forum."),
        language=get_language(),
        feed_url=request.build_absolute_uri(reverse("archive:feed")),
    )
    for document in public_documents().order_by(
        F("date").desc(nulls_last=True), "-created_at", "-id"
    )[:50]:
        link = request.build_absolute_uri(reverse("archive:public-detail", args=[document.pk]))
        # Dated by the document's own date (not by when it was imported), in its language.
        dated = (
            datetime.combine(document.date, time(), tzinfo=UTC)
            if document.date
            else document.created_at
        )
        feed.add_item(
            title=str(document),
            link=link,
            description=", ".join(
                str(x)
                for x in (
                    document.organization,
                    document.get_doc_type_display(),
                    document.date.isoformat() if document.date else "",
                )
                if x
            ),
            unique_id=link,
            updateddate=dated,
            pubdate=dated,
            language=document.language if document.language != "other" else "",
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml")
