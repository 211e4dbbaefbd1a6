"""Thin views: access helper first, a form, one action, then redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts import access as policy
from secretariat.accounts.models import AccessLevel, Body
from secretariat.communications import access, actions, mail, rendering
from secretariat.communications.forms import (
    ComposeForm,
    EmptyForm,
    EncloseForm,
    IncomingForm,
    RegisterFilterForm,
    RemoveEnclosureForm,
    TemplateForm,
)
from secretariat.communications.models import (
    Note,
    NoteEdition,
    NoteKind,
    NoteTemplate,
)
from secretariat.communications.register_sections import register_series
from secretariat.core.feeds import LanguageAtomFeed
from secretariat.documents.files import FileRejected
from secretariat.documents.models import Document, Version

PAGE = 25
# The outbox's delivery statuses, as the receipts column shows them.
EMAIL_STATUS = {
    "queued": gettext_lazy("queued"),
    "sending": gettext_lazy("sending"),
    "sent": gettext_lazy("sent"),
    "failed": gettext_lazy("failed"),
    "cancelled": gettext_lazy("cancelled"),
}


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return Paginator(queryset, PAGE).get_page(request.GET.get("page"))


def _querystring(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the register ------------------------------------------------------------------------------
def register(request: HttpRequest) -> HttpResponse:
    filters = RegisterFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    direction = data.get("direction") or "out"
    context: dict[str, Any] = {
        "filters": {k: request.GET.get(k, "") for k in ("series", "year", "body", "status", "q")},
        "direction": direction,
        "series_options": register_series().values_list("code", flat=True),
        "body_options": Body.objects.values_list("code", flat=True),
        "status_options": Note.Status.choices,
        "querystring": _querystring(request),
        "may_draft": access.may_draft(request.user),
    }
    if direction == "in":
        incoming = access.visible_incoming(request.user).select_related("sender")
        if data.get("year"):
            incoming = incoming.filter(received_on__year=data["year"])
        context["page"] = _page(request, incoming.order_by("-received_on", "-id"))
        return render(request, "communications/incoming_list.html", context)
    notes = access.visible_notes(request.user).select_related("series", "body")
    if data.get("series"):
        notes = notes.filter(series__code=data["series"])
    if data.get("year"):
        notes = notes.filter(issued_on__year=data["year"])
    if data.get("body"):
        notes = notes.filter(body__code=data["body"])
    if data.get("status"):
        notes = notes.filter(status=data["status"])
    if query := (data.get("q") or "").strip():
        # Searched inside what the user may see: the access rule is already in `notes`.
        matching = NoteEdition.objects.filter(
            Q(subject__icontains=query) | Q(text__icontains=query)
        ).values("note_id")
        notes = notes.filter(
            Q(reference__icontains=query) | Q(subject__icontains=query) | Q(pk__in=matching)
        )
    context["page"] = _page(request, notes.order_by("-issued_at", "-id"))
    return render(request, "communications/register.html", context)


# --- composing ---------------------------------------------------------------------------------
def _editions_initial(note: Note) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": note.kind,
        "series": note.series_id,
        "body": note.body_id,
        "release_at": note.release_at,
        "corrects": note.corrects.reference if note.corrects else "",
        "to_codes": ", ".join(note.recipients.values_list("delegation__code", flat=True))
        if note.kind == NoteKind.TO_DELEGATIONS
        else "",
    }
    for edition in note.editions.all():
        initial[f"subject_{edition.language}"] = edition.subject
        initial[f"text_{edition.language}"] = edition.text
    return initial


def compose(request: HttpRequest) -> HttpResponse:
    access.require_secretariat(request)
    form = ComposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note = actions.do_create_note(
                kind=data["kind"],
                series=data["series"],
                editions=data["editions"],
                body=data.get("body"),
                delegations=data["delegations"],
                corrects=data["corrected_note"],
                release_at=data.get("release_at"),
                actor=request.user,
            )
        except actions.ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(note)
    return render(
        request,
        "communications/compose.html",
        {"form": form, "note": None},
        status=400 if form.errors else 200,
    )


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_note_for(request, pk, write=True)
    if note.status != Note.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect(note)
    form = ComposeForm(request.POST or None, initial=_editions_initial(note))
    # What a draft is (its kind, the note it corrects) is fixed when it is created.
    form.fields["kind"].disabled = True
    form.fields["corrects"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_note(
                note,
                editions=data["editions"],
                series=data["series"],
                body=data.get("body"),
                delegations=data["delegations"],
                release_at=data.get("release_at"),
                actor=request.user,
            )
        except actions.ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(note)
    return render(
        request,
        "communications/compose.html",
        {"form": form, "note": note},
        status=400 if form.errors else 200,
    )


def preview(request: HttpRequest) -> HttpResponse:
    """The compose form's live preview (htmx): the editions as they would be issued today."""
    access.require_secretariat(request)
    form = ComposeForm(request.POST or None)
    editions: list[rendering.RenderedEdition] = []
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        try:
            delegations = actions.addressed_delegations(kind, data.get("body"), data["delegations"])
        except actions.ActionError as exc:
            delegations, problems = [], [exc.message]
        draft = Note(kind=kind, series=data["series"], body=data.get("body"))
        for edition in data["editions"]:
            template = NoteTemplate.objects.filter(kind=kind, language=edition.language).first()
            if template is None:
                problems.append(
                    _("There is no template for this kind of note in %(language)s.")
                    % {"language": edition.language}
                )
                continue
            try:
                editions.append(
                    rendering.render_edition(
                        rendering.EditionInput(
                            language=edition.language,
                            subject=edition.subject,
                            text=edition.text,
                            reference="",
                            addressee=actions.addressee_text(draft, edition.language, delegations),
                            recipients=tuple(
                                rendering.name_in(d, edition.language) for d in delegations
                            ),
                            enclosures=(),
                            day=timezone.localdate(),
                            corrects=data["corrected_note"].reference
                            if data["corrected_note"]
                            else "",
                            place=template.place,
                            letterhead=template.letterhead,
                            template=template.body,
                        )
                    )
                )
            except rendering.TemplateProblem as exc:
                problems.append(str(exc))
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
    return render(
        request, "communications/_preview.html", {"editions": editions, "problems": problems}
    )


# --- the note ----------------------------------------------------------------------------------
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_note_for(request, pk)
    receipt = access.recipient_of(request.user, note)
    if receipt is not None:
        actions.record_opened(note, request.user)
        receipt.refresh_from_db()
    is_officer = access.may_draft(request.user)
    editions = list(note.editions.all())
    previews: list[rendering.RenderedEdition] = []
    problems: list[str] = []
    if not note.is_issued:
        delegations = [r.delegation for r in note.recipients.select_related("delegation")]
        try:
            inputs = actions.edition_inputs(
                note, reference="", day=timezone.localdate(), delegations=delegations
            )
            previews = [rendering.render_edition(i) for i in inputs]
        except (actions.ActionError, rendering.TemplateProblem) as exc:
            problems.append(str(exc))
    recipients = note.recipients.select_related("delegation", "opened_by", "acknowledged_by")
    statuses: dict[str, str] = {}
    if is_officer and note.is_issued and actions.outbox_installed():
        statuses = _email_status_by_delegation(note)
    return render(
        request,
        "communications/detail.html",
        {
            "note": note,
            "editions": editions,
            "previews": previews,
            "problems": problems,
            "enclosures": visible_enclosures(request.user, note),
            "recipients": [
                (r, EMAIL_STATUS.get(statuses.get(r.delegation.code, ""), "")) for r in recipients
            ]
            if is_officer
            else [],
            "receipt": receipt,
            "is_officer": is_officer,
            "enclose_form": EncloseForm() if is_officer and note.status == "draft" else None,
            "corrections": access.visible_notes(request.user, note.corrections.all()),
            "may_approve": is_officer and note.status == Note.Status.DRAFT,
            "may_issue": is_officer and note.status == Note.Status.APPROVED,
        },
    )


def visible_enclosures(user: Any, note: Note) -> list[Any]:
    """The enclosures whose document this user may see: a note to many does not reveal the
    title of a document restricted to fewer."""
    return [
        e
        for e in note.enclosures.select_related("version__document")
        if policy.can_view(user, e.version.document)
    ]


def _email_status_by_delegation(note: Note) -> dict[str, str]:
    """Per delegation: 'sent' when every email to its users went, else the worst status."""
    from secretariat.outbox.api import delivery_status

    users = mail.recipients_of(note)
    keys = {mail.email_key(note, u): u for u in users}
    found = delivery_status(keys)
    rank = {"failed": 0, "queued": 1, "sending": 2, "cancelled": 3, "sent": 4}
    out: dict[str, str] = {}
    for key, status in found.items():
        delegation = keys[key].delegation
        code = delegation.code if delegation is not None else ""
        if code not in out or rank.get(status, 0) < rank.get(out[code], 0):
            out[code] = status
    return out


def _post_action(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    note = access.get_note_for(request, pk, write=True)
    form = EmptyForm(request.POST)
    if form.is_valid():
        try:
            run(note)
        except actions.ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    return redirect(note)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda note: actions.do_approve_note(note, actor=request.user),
        _("The note is approved."),
    )


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda note: actions.do_reopen_note(note, actor=request.user),
        _("The note is a draft again."),
    )


@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda note: actions.do_issue_note(note, actor=request.user),
        _("The note is issued."),
    )


@require_POST
def enclose(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_note_for(request, pk, write=True)
    form = EncloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of a document in the library."))
        return redirect(note)
    document = (
        policy.visible(request.user, Document.objects.all())
        .filter(pk=form.cleaned_data["document"])
        .first()
    )
    number = form.cleaned_data.get("version")
    version = None
    if document is not None:
        version = (
            Version.objects.filter(document=document, number=number).first()
            if number
            else document.current_version
        )
    if version is None:
        messages.error(request, _("No such document or version in the library."))
        return redirect(note)
    try:
        actions.do_add_enclosure(note, version, actor=request.user)
    except actions.ActionError as exc:
        messages.error(request, exc.message)
    return redirect(note)


@require_POST
def unenclose(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_note_for(request, pk, write=True)
    form = RemoveEnclosureForm(request.POST)
    if form.is_valid():
        try:
            actions.do_remove_enclosure(note, form.cleaned_data["enclosure"], actor=request.user)
        except actions.ActionError as exc:
            messages.error(request, exc.message)
    return redirect(note)


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_note_for(request, pk)
    if access.recipient_of(request.user, note) is None:
        raise PermissionDenied
    form = EmptyForm(request.POST)
    if form.is_valid():
        try:
            actions.do_acknowledge_note(note, actor=request.user)
        except actions.ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Receipt acknowledged for your delegation."))
    return redirect(note)


def _pdf_response(note: Note) -> FileResponse:
    if not note.pdf_file:
        raise Http404
    response = FileResponse(
        default_storage.open(note.pdf_file, "rb"),
        as_attachment=False,
        filename=note.reference.replace("/", "-") + ".pdf",
        content_type="application/pdf",
    )
    response["X-Checksum-SHA256"] = note.pdf_sha256
    return response


def pdf(request: HttpRequest, pk: int) -> FileResponse:
    note = access.get_note_for(request, pk)
    receipt = access.recipient_of(request.user, note)
    if receipt is not None:
        actions.record_opened(note, request.user)
    return _pdf_response(note)


# --- incoming notes ----------------------------------------------------------------------------
def incoming_new(request: HttpRequest) -> HttpResponse:
    access.require_secretariat(request)
    form = IncomingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concerns = _concerns(request, data)
        if concerns is not False:
            upload = data["file"]
            try:
                incoming = actions.do_register_incoming(
                    data=upload.read(),
                    filename=upload.name,
                    sender=data["sender"],
                    sender_reference=data["sender_reference"],
                    received_on=data["received_on"],
                    subject=data["subject"],
                    concerns=concerns,
                    actor=request.user,
                )
            except FileRejected as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The incoming note is registered."))
                return redirect(incoming)
        else:
            form.add_error(None, _("What the note concerns was not found."))
    return render(
        request,
        "communications/incoming_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _concerns(request: HttpRequest, data: dict[str, Any]) -> Any:
    """The object an incoming note concerns; None for nothing, False for not found."""
    if data.get("concerns_negotiation"):
        from django.apps import apps

        if not apps.is_installed("secretariat.negotiation"):
            return False
        from secretariat.negotiation.models import Negotiation

        found = Negotiation.objects.filter(pk=data["concerns_negotiation"]).first()
        return found if found is not None else False
    if data.get("concerns_document"):
        found_doc = Document.objects.filter(pk=data["concerns_document"]).first()
        return found_doc if found_doc is not None else False
    return None


def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incoming = access.get_incoming_for(request, pk)
    concerns = incoming.concerns
    link = ""
    if concerns is not None and policy.can_view(request.user, concerns):
        link = getattr(concerns, "get_absolute_url", lambda: "")()
    return render(
        request,
        "communications/incoming_detail.html",
        {"incoming": incoming, "concerns": concerns if link else None, "concerns_url": link},
    )


def incoming_file(request: HttpRequest, pk: int) -> FileResponse:
    incoming = access.get_incoming_for(request, pk)
    response = FileResponse(
        default_storage.open(incoming.file, "rb"), as_attachment=True, filename=incoming.filename
    )
    response["X-Checksum-SHA256"] = incoming.sha256
    return response


# --- templates ---------------------------------------------------------------------------------
def templates(request: HttpRequest) -> HttpResponse:
    access.require_secretariat(request)
    return render(
        request,
        "communications/templates.html",
        {"templates": NoteTemplate.objects.all(), "variables": rendering.TEMPLATE_VARIABLES},
    )


def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_secretariat(request)
    template = NoteTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404
    form = TemplateForm(
        request.POST or None,
        initial={"body": template.body, "letterhead": template.letterhead, "place": template.place},
        language=template.language,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_template(
                template,
                body=data["body"],
                letterhead=data["letterhead"],
                place=data["place"],
                actor=request.user,
            )
        except rendering.TemplateProblem as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("The template is saved."))
            return redirect("communications:templates")
    return render(
        request,
        "communications/template_edit.html",
        {"template": template, "form": form, "variables": rendering.TEMPLATE_VARIABLES},
        status=400 if form.errors else 200,
    )


# --- public press releases ---------------------------------------------------------------------
def public_releases() -> QuerySet[Note]:
    return access.visible_notes(None).filter(
        kind=NoteKind.PRESS_RELEASE, access_level=AccessLevel.PUBLIC, released_at__isnull=False
    )


def _public_release(pk: int) -> Note:
    note = public_releases().filter(pk=pk).first()
    if note is None:
        raise Http404
    return note


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    notes = public_releases().order_by("-released_at", "-id")
    return render(request, "communications/public_list.html", {"page": _page(request, notes)})


@login_not_required
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = _public_release(pk)
    return render(
        request,
        "communications/public_detail.html",
        {"note": note, "editions": note.editions.all()},
    )


@login_not_required
def public_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _pdf_response(_public_release(pk))


@login_not_required
def public_feed(request: HttpRequest) -> HttpResponse:
    feed = LanguageAtomFeed(
        title=_("Press releases"),
        link=request.build_absolute_uri(reverse("communications:public")),
        description=_("Press releases of the forum."),
        language=get_language(),
        feed_url=request.build_absolute_uri(reverse("communications:public-feed")),
    )
    for note in public_releases().order_by("-released_at", "-id")[:50]:
        edition = note.editions.filter(language="en").first() or note.editions.first()
        feed.add_item(
            title=f"{note.reference}: {edition.subject if edition else note.subject}",
            link=request.build_absolute_uri(
                reverse("communications:public-detail", args=[note.pk])
            ),
            description=edition.text[:500] if edition else "",
            pubdate=note.released_at,
            language=edition.language if edition else "",
            unique_id=request.build_absolute_uri(
                reverse("communications:public-detail", args=[note.pk])
            ),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml")


# --- statements during a silence procedure -----------------------------------------------------
def silence_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """Delegates of participating delegations file an interpretative statement or a
    reservation while the procedure is open; it goes into the outcome notice."""
    from secretariat.communications import outcome
    from secretariat.communications.forms import StatementForm
    from secretariat.negotiation.models import SilenceProcedure

    silence = SilenceProcedure.objects.select_related("negotiation__body").filter(pk=pk).first()
    if silence is None or not policy.can_view(request.user, silence.negotiation):
        raise Http404
    if outcome.statement_code(request.user, silence) is None:
        raise PermissionDenied
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome.do_file_outcome_statement(
                silence,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except actions.ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your statement is filed."))
            return redirect("communications:silence-statement", pk=silence.pk)
    from secretariat.communications.models import OutcomeStatement

    filed = OutcomeStatement.objects.filter(
        silence=silence, delegation_id=getattr(request.user, "delegation_id", None) or 0
    )
    return render(
        request,
        "communications/statement.html",
        {"silence": silence, "form": form, "filed": filed},
        status=400 if form.errors else 200,
    )


def releases(request: HttpRequest) -> HttpResponse:
    """The secretariat schedules adopted library documents for the public portal."""
    from secretariat.communications.forms import DocumentReleaseForm
    from secretariat.communications.models import DocumentRelease

    access.require_secretariat(request)
    form = DocumentReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = Document.objects.filter(pk=form.cleaned_data["document"]).first()
        if document is None:
            form.add_error("document", _("No such document or version in the library."))
        else:
            try:
                actions.do_schedule_document_release(
                    document, form.cleaned_data["release_at"], actor=request.user
                )
            except actions.ActionError as exc:
                form.add_error("document", exc.message)
            else:
                messages.success(request, _("The release is scheduled."))
                return redirect("communications:releases")
    return render(
        request,
        "communications/releases.html",
        {"form": form, "releases": DocumentRelease.objects.select_related("document")[:100]},
        status=400 if form.errors else 200,
    )
