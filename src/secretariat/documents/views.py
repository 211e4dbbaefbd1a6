from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts import access
from secretariat.accounts.models import Body
from secretariat.core import fragments
from secretariat.core.limits import query_text
from secretariat.core.uploads import UploadRefused, read_limited
from secretariat.documents import actions, checks, pending, textnorm
from secretariat.documents.files import FileRejected
from secretariat.documents.forms import DocumentForm, StatusForm, VersionForm
from secretariat.documents.models import (
    LANGUAGES,
    Document,
    DocumentType,
    Status,
    Version,
)
from secretariat.documents.search import filter_q

FILTERS = ("doc_type", "status", "organization", "body", "year", "language")


def _filter_options(visible: Any) -> dict[str, list[tuple[str, str]]]:
    """Choices for the list filters, from the documents this user may see."""
    orgs = visible.order_by("organization").values_list("organization", flat=True).distinct()
    bodies = Body.objects.filter(pk__in=visible.exclude(body=None).values("body")).values_list(
        "code", flat=True
    )
    # The distinct years from the database, not every document's date.
    years = {d.year for d in visible.exclude(date=None).dates("date", "year")}
    return {
        "doc_type": list(DocumentType.choices),
        "status": list(Status.choices),
        "organization": [(o, o) for o in orgs],
        "body": [(b, b) for b in bodies],
        "year": [(str(y), str(y)) for y in sorted(years, reverse=True)],
        "language": [(c, str(n)) for c, n in LANGUAGES],
    }


def document_list(request: HttpRequest) -> HttpResponse:
    visible = access.visible(request.user, Document.objects.all())
    filters = {k: query_text(request.GET.get(k, ""), 200) for k in FILTERS}
    documents = visible.filter(filter_q(filters)).select_related(
        "body", "current_version", "submitted_by"
    )
    text = query_text(request.GET.get("q", ""), 200).strip()
    if text:  # words of the title or the symbol
        documents = documents.filter(Q(title__icontains=text) | Q(symbol__icontains=text))
    number = request.GET.get("page")
    query = request.GET.copy()
    query.pop("page", None)
    # The filters and the list are cached (`{% cache %}` in the template) for every reader of
    # the same access scope asking the same thing; the page and the filter choices are only
    # read from the database when the cache misses.
    return render(
        request,
        "documents/list.html",
        {
            "page": SimpleLazyObject(
                lambda: Paginator(documents.order_by("-date", "-id"), 25).get_page(number)
            ),
            "filters": filters,
            "text": text,
            "options": SimpleLazyObject(lambda: _filter_options(visible)),
            "querystring": query.urlencode(),
            "can_register": access.can_create_document(request.user),
            "list_key": fragments.key(  # the list shows dates, no times
                "library", access.scope_key(request.user), sorted(request.GET.lists()), zoned=False
            ),
            "list_seconds": LIBRARY_SECONDS,
        },
    )


# Bounds what no change counts (a write without a signal, such as a bulk update).
LIBRARY_SECONDS = 300


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_object_for(
        request,
        Document.objects.select_related("body", "current_version", "submitted_by"),
        pk=pk,
    )
    editions = access.visible(
        request.user,
        Document.objects.filter(translation_key=document.translation_key).exclude(pk=document.pk),
    ).order_by("language")
    paragraphs = list(document.current_paragraphs())
    # The title lines at the head of the text are a heading, not numbered paragraphs (their
    # numbers stay as stored: search hits and passage comments point at them).
    titled = textnorm.title_lines([(p.label or None, p.text) for p in paragraphs])
    editable = access.can_edit(request.user, document)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "editions": editions,
            "versions": document.versions.all(),
            "paragraphs": paragraphs[titled:],
            "title_lines": paragraphs[:titled],
            "can_edit": editable,
            "version_form": VersionForm() if editable else None,
            "status_form": StatusForm(initial={"status": document.status}) if editable else None,
        },
    )


def download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    document = access.get_object_for(request, Document, pk=pk)
    version = access.get_object_for(
        request, Version.objects.filter(document=document), number=number, audit_view=False
    )
    response = FileResponse(
        default_storage.open(version.file, "rb"),
        as_attachment=True,
        filename=version.filename,
        content_type={"pdf": "application/pdf", "txt": "text/plain; charset=utf-8"}.get(
            version.kind, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )
    response["X-Checksum-SHA256"] = version.sha256
    return response


def _pending_upload(request: HttpRequest, file: Any) -> tuple[actions.Upload | None, str]:
    """The upload of this POST: the chosen file, or the one kept while a warning was confirmed
    (named by the signed `pending` token). (None, "") when the kept one is gone."""
    token = query_text(request.POST.get("pending", ""), 1000)
    if file is not None:
        if token:  # another file chosen instead of the kept one: that one is not needed now
            pending.discard(token, request.user)
        return actions.read_upload(read_limited(file), file.name), ""
    kept = pending.take(token, request.user) if token else None
    if kept is None:
        return None, ""
    return actions.read_upload(*kept), token


def _release(request: HttpRequest, token: str) -> None:
    """The confirmed upload is saved (under its checksum): its kept copy goes once that
    commits."""
    if token:
        transaction.on_commit(lambda: pending.discard(token, request.user))


@require_POST
def discard_pending(request: HttpRequest) -> HttpResponse:
    """Cancel on a confirm step: the kept file is removed now rather than by the sweep."""
    token = query_text(request.POST.get("pending", ""), 1000)
    if token and pending.discard(token, request.user):
        messages.info(request, _("The upload was cancelled; nothing was saved."))
    target = query_text(request.POST.get("next", ""), 500)
    # Only a path of this site ("ab" would be read as a view's name by redirect()).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("documents:list")
    return redirect(target)


@require_POST
def upload_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version. Before saving, a file that another visible document already holds, or a
    text that shares few words with the current version, is shown to the uploader with the
    match or the diff; they confirm (or go back) and the kept file is saved then."""
    document = access.get_object_for(
        request, Document.objects.select_related("current_version"), pk=pk, write=True
    )
    form = VersionForm(request.POST, request.FILES)
    if request.POST.get("pending"):
        form.fields["file"].required = False
    if form.is_valid():
        try:
            upload, token = _pending_upload(request, form.cleaned_data.get("file"))
            if upload is None:
                messages.error(request, _("The file is no longer kept; choose it again."))
                return redirect(document)
            if not request.POST.get("confirm"):
                warning = _version_warning(request, document, upload)
                if warning is not None:
                    warning["pending"] = token or pending.keep(
                        upload.data, upload.sha256, upload.filename, request.user
                    )
                    warning["comment"] = form.cleaned_data["comment"]
                    return render(request, "documents/version_confirm.html", warning)
            version = actions.do_add_version(
                document, upload, comment=form.cleaned_data["comment"], actor=request.user
            )
            _release(request, token)
        except (FileRejected, UploadRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Version %(number)d saved.") % {"number": version.number})
    elif form.has_error("file", "refused"):
        messages.error(request, " ".join(str(e) for e in form.errors["file"]))
    else:
        messages.error(request, _("Choose a file and say why it is a new version."))
    return redirect(document)


def _version_warning(
    request: HttpRequest, document: Document, upload: actions.Upload
) -> dict[str, Any] | None:
    """What to show before saving `upload` as a new version of `document`, or None."""
    duplicates = checks.duplicates(request.user, upload.sha256, exclude=document)
    current = document.current_version
    figure = checks.similarity(current.text, upload.text) if current is not None else 1.0
    dissimilar = current is not None and checks.is_dissimilar(figure)
    if not duplicates and not dissimilar:
        return None
    rows: list[checks.DiffRow] = []
    left_out = 0
    if dissimilar:
        old = list(document.current_paragraphs().values_list("text", flat=True))
        rows, left_out = checks.paragraph_diff(old, [p.text for p in upload.paragraphs])
    return {
        "document": document,
        "upload": upload,
        "duplicates": duplicates,
        "dissimilar": dissimilar,
        "similarity": round(figure * 100),
        "diff": rows,
        "left_out": left_out,
    }


@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_object_for(request, Document, pk=pk, write=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.do_change_status(document, form.cleaned_data["status"], actor=request.user)
        messages.success(request, _("Status changed."))
    return redirect(document)


def document_new(request: HttpRequest) -> HttpResponse:
    if not access.can_create_document(request.user):
        raise PermissionDenied
    edition_of = None
    if edition_pk := request.GET.get("edition_of") or request.POST.get("edition_of"):
        edition_of = access.get_object_for(request, Document, pk=edition_pk, write=True)
    initial = {}
    if edition_of is not None:
        initial = {
            f: getattr(edition_of, f)
            for f in (
                "title",
                "symbol",
                "doc_type",
                "status",
                "date",
                "organization",
                "access_level",
                "body",
            )
        }
    form = DocumentForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user
    )
    if request.method == "POST" and request.POST.get("pending"):
        form.fields["file"].required = False
    duplicates: list[checks.Duplicate] = []
    token = ""
    upload: actions.Upload | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload, token = _pending_upload(request, data.get("file"))
            if upload is None:
                form.fields["file"].required = True
                form.add_error("file", _("The file is no longer kept; choose it again."))
            elif not request.POST.get("confirm") and (
                duplicates := checks.duplicates(request.user, upload.sha256)
            ):
                # The same bytes are in the library already: show where, and ask.
                token = token or pending.keep(
                    upload.data, upload.sha256, upload.filename, request.user
                )
            else:
                document = actions.do_create_document(
                    upload,
                    title=data["title"],
                    organization=data["organization"],
                    doc_type=data["doc_type"],
                    status=data["status"],
                    access_level=data["access_level"],
                    body=data["body"],
                    symbol=data["symbol"],
                    day=data["date"],
                    language=data["language"],
                    edition_of=edition_of,
                    actor=request.user,
                )
                _release(request, token)
                messages.success(request, _("Document registered."))
                return redirect(document)
        except (FileRejected, UploadRefused) as exc:
            form.add_error("file", str(exc))
        except IntegrityError:  # the one-edition-per-language constraint
            form.add_error("language", _("This document already has an edition in that language."))
    return render(
        request,
        "documents/new.html",
        {
            "form": form,
            "edition_of": edition_of,
            "duplicates": duplicates,
            "pending": token,
            "pending_name": upload.filename if token and upload is not None else "",
        },
        status=400 if form.errors else 200,
    )
