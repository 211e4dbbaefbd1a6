"""Thin views: access helper first, a form, one action, then redirect or render."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts import access as policy
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.models import Body
from secretariat.communications.access import visible_notes
from secretariat.communications.actions import ActionError
from secretariat.communications.models import Note
from secretariat.core import audit
from secretariat.documents.files import FileRejected
from secretariat.documents.models import Document
from secretariat.meetings import (
    access,
    actions,
    calendars,
    convening,
    hooks,
    minutes_views,
    participants,
)
from secretariat.meetings.forms import (
    AccreditationForm,
    AttachDocumentForm,
    ConfirmForm,
    ConveneForm,
    ConveningNoteForm,
    ItemForm,
    LinkNegotiationForm,
    MeetingForm,
    MoveForm,
    ParticipantForm,
    PublishForm,
    SpeakerForm,
    SpeakingTimeForm,
    StatementForm,
    StatusForm,
)
from secretariat.meetings.models import (
    Accreditation,
    AgendaEdition,
    AgendaItem,
    CalendarToken,
    ItemDocument,
    Meeting,
    SpeakerRequest,
)
from secretariat.negotiation.access import visible_negotiations

LIST_LANGUAGES = ("en", "ru")


def _visible_documents(user: Any) -> QuerySet[Document]:
    return policy.visible(user, Document.objects.all())


def _latest_edition(meeting: Meeting) -> AgendaEdition | None:
    return meeting.editions.order_by("-number").first()


# --- list, create, edit ----------------------------------------------------------------------
def meeting_list(request: AuthedHttpRequest) -> HttpResponse:
    meetings = access.visible_meetings(request.user).select_related("parent")
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at", "id"),
            "past": meetings.filter(ends_at__lt=now).order_by("-starts_at", "-id"),
            "may_manage": access.may_manage(request.user),
        },
    )


def meeting_new(request: AuthedHttpRequest) -> HttpResponse:
    access.require_manage(request)
    form = MeetingForm(request.POST or None, parents=access.visible_meetings(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.do_create_meeting(form.fields_value(), actor=request.user)
        except actions.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "meeting": None},
        status=400 if form.errors else 200,
    )


def meeting_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    parents = access.visible_meetings(request.user).exclude(pk=meeting.pk)
    form = MeetingForm(
        request.POST or None, parents=parents, initial=MeetingForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_meeting(meeting, form.fields_value(), actor=request.user)
        except actions.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@require_POST
def meeting_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.do_set_meeting_status(meeting, form.cleaned_data["status"], actor=request.user)
    else:
        messages.error(request, _("Choose a status."))
    return redirect(meeting)


@require_POST
def meeting_convening_note(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Link the issued note verbale that convenes the meeting (by its reference)."""
    meeting = access.get_meeting_for(request, pk, manage=True)
    form = ConveningNoteForm(request.POST)
    note = None
    if form.is_valid():
        note = (
            visible_notes(request.user)
            .filter(reference=form.cleaned_data["reference"].strip(), status=Note.Status.ISSUED)
            .first()
        )
    if note is None:
        messages.error(request, _("No issued note has this reference."))
    else:
        actions.do_link_convening_note(meeting, note, actor=request.user)
    return redirect(meeting)


@require_POST
def meeting_convene(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Draft the convening note verbale from the meeting; the secretariat reviews and issues it
    on the note's page, and its issue convenes the meeting."""
    meeting = access.get_meeting_for(request, pk, manage=True)
    form = ConveneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the register of the convening note."))
        return redirect(meeting)
    try:
        note = convening.do_draft_convening_note(
            meeting, series=form.cleaned_data["series"], actor=request.user
        )
    except (convening.ConveningError, ActionError) as exc:
        messages.error(request, str(exc))
        return redirect(meeting)
    messages.success(request, _("The convening note was drafted: review it, approve and issue it."))
    return redirect(note)


# --- the meeting page and its agenda ---------------------------------------------------------
def meeting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    manage = access.may_manage(request.user)
    edition = _latest_edition(meeting)
    docs = _item_documents(request, meeting, manage)
    context: dict[str, Any] = {
        "meeting": meeting,
        "may_manage": manage,
        "edition": edition,
        "edition_lines": list(edition.lines.all()) if edition else [],
        "editions": meeting.editions.order_by("number"),
        "side_meetings": access.visible_meetings(request.user).filter(parent=meeting),
        "documents": docs,
        "delegation": access.acting_delegation(request.user, meeting),
        # a draft convening note is the secretariat's: others see it once issued
        "convening_note": visible_notes(request.user).filter(pk=meeting.convening_note_id).first()
        if meeting.convening_note_id
        else None,
    }
    if manage:
        context["working"] = actions.numbered_items(meeting)
        context["item_form"] = ItemForm(meeting=meeting)
        context["publish_form"] = PublishForm(prefix="publish")
        context["status_form"] = StatusForm(initial={"status": meeting.status})
        context["note_form"] = ConveningNoteForm()
        if meeting.status == Meeting.Status.PLANNED and meeting.convening_note_id is None:
            series = convening.default_series(meeting)
            context["convene_form"] = ConveneForm(
                prefix=None, initial={"series": series.code if series else None}
            )
    context.update(minutes_views.meeting_context(request, meeting))
    return render(request, "meetings/detail.html", context)


def _item_documents(
    request: AuthedHttpRequest, meeting: Meeting, manage: bool
) -> list[ItemDocument]:
    """The meeting's document list, generated from its items: only the documents the reader may
    see, on items they may see (published ones for delegations)."""
    links = ItemDocument.objects.filter(
        item__meeting=meeting, document__in=_visible_documents(request.user)
    ).select_related("item", "document")
    if not manage:
        links = links.filter(item__in=_published_items(meeting))
    return list(links.order_by("item__position", "item_id", "added_at", "id"))


def _published_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.filter(
        pk__in=AgendaEdition.objects.filter(meeting=meeting).values("lines__item")
    )


def edition_detail(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    edition = meeting.editions.filter(number=number).first()
    if edition is None:
        raise Http404
    return render(
        request,
        "meetings/edition.html",
        {"meeting": meeting, "edition": edition, "lines": edition.lines.all()},
    )


@require_POST
def item_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    form = ItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_item(
                meeting,
                title=d["title"],
                annotation=d["annotation"],
                kind=d["kind"],
                parent=d["parent"],
                actor=request.user,
            )
        except actions.MeetingError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("The item was not added: give it a title."))
    return redirect(meeting)


@require_POST
def item_move(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    item = access.get_item_for(request, meeting, item_pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        actions.do_move_item(item, up=form.cleaned_data["direction"] == "up", actor=request.user)
    return redirect(meeting)


@require_POST
def agenda_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    form = PublishForm(request.POST, prefix="publish")
    if form.is_valid():
        try:
            edition = actions.do_publish_agenda(
                meeting, form.cleaned_data["kind"], actor=request.user
            )
        except actions.MeetingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Published: %(kind)s.") % {"kind": edition.get_kind_display()}
            )
    return redirect(meeting)


# --- an agenda item --------------------------------------------------------------------------
def _panels(item: AgendaItem, request: AuthedHttpRequest) -> list[SafeString]:
    # Panels come from other apps' own templates (already escaped by their render_to_string).
    return [mark_safe(html) for panel in hooks.item_panels if (html := panel(item, request.user))]


def item_detail(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    item = access.get_item_for(request, meeting, item_pk)
    manage = access.may_manage(request.user)
    delegation = access.acting_delegation(request.user, meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "item": item,
        "may_manage": manage,
        "delegation": delegation,
        "documents": item.documents.filter(
            document__in=_visible_documents(request.user)
        ).select_related("document"),
        "negotiations": visible_negotiations(request.user).filter(pk__in=item.negotiations.all()),
        "speakers": item.speakers.select_related("delegation").exclude(
            status=SpeakerRequest.Status.WITHDRAWN
        ),
        "panels": _panels(item, request),
        "statements": access.statements_for(request.user, item),
        "floor_form": ConfirmForm(),
    }
    if delegation is not None:
        context["statement_form"] = StatementForm()
        context["waiting"] = item.speakers.filter(
            delegation=delegation, status=SpeakerRequest.Status.WAITING
        ).exists()
    if manage:
        context["attach_form"] = AttachDocumentForm(documents=_visible_documents(request.user))
        context["negotiation_form"] = LinkNegotiationForm(
            negotiations=visible_negotiations(request.user)
        )
        context["time_form"] = SpeakingTimeForm(initial={"minutes": 3})
    context.update(minutes_views.item_context(request, meeting, item))
    return render(request, "meetings/item.html", context)


@require_POST
def item_attach(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    item = access.get_item_for(request, meeting, item_pk)
    form = AttachDocumentForm(request.POST, documents=_visible_documents(request.user))
    if form.is_valid():
        actions.do_attach_document(
            item, form.cleaned_data["document"], form.cleaned_data["status"], actor=request.user
        )
    else:
        messages.error(request, _("Choose a document and its status."))
    return redirect(item)


@require_POST
def item_link_negotiation(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    item = access.get_item_for(request, meeting, item_pk)
    form = LinkNegotiationForm(request.POST, negotiations=visible_negotiations(request.user))
    if form.is_valid():
        actions.do_link_negotiation(item, form.cleaned_data["negotiation"], actor=request.user)
    return redirect(item)


@require_POST
def item_request_floor(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    item = access.get_item_for(request, meeting, item_pk)
    delegation = access.require_delegation(request, meeting)
    if ConfirmForm(request.POST).is_valid():
        actions.do_request_floor(item, delegation, actor=request.user)
        messages.success(request, _("Your delegation is on the speakers' list."))
    return redirect(item)


@require_POST
def item_statement(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    item = access.get_item_for(request, meeting, item_pk)
    delegation = access.require_delegation(request, meeting)
    form = StatementForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        actions.do_file_statement(
            item,
            delegation,
            title=d["title"],
            text=d["text"],
            audience=d["audience"],
            actor=request.user,
        )
        messages.success(request, _("The statement is filed."))
    else:
        messages.error(request, _("The statement was not filed: give it a title and a text."))
    return redirect(item)


@require_POST
def item_speaker(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    item = access.get_item_for(request, meeting, item_pk)
    form = SpeakerForm(request.POST)
    if form.is_valid():
        speaker = item.speakers.filter(pk=form.cleaned_data["speaker"]).first()
        if speaker is None:
            raise Http404
        what = form.cleaned_data["action"]
        if what == "call":
            actions.do_call_speaker(speaker, actor=request.user)
        else:
            actions.do_move_speaker(speaker, up=what == "up", actor=request.user)
    return redirect(item)


@require_POST
def item_speaking_time(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    item = access.get_item_for(request, meeting, item_pk)
    form = SpeakingTimeForm(request.POST)
    if form.is_valid():
        actions.do_set_speaking_time(item, form.cleaned_data["minutes"], actor=request.user)
    return redirect(item)


# --- documents as one ZIP --------------------------------------------------------------------
def documents_zip(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Every document of the meeting the downloader may see, with a manifest of what is in it."""
    meeting = access.get_meeting_for(request, pk)
    links = _item_documents(request, meeting, access.may_manage(request.user))
    buffer = io.BytesIO()
    manifest = [f"{meeting.title}", ""]
    seen: set[int] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for link in links:
            document = link.document
            version = document.current_version
            if version is None or document.pk in seen:
                continue
            seen.add(document.pk)
            stem = (document.symbol or f"document-{document.pk}").replace("/", "-")
            name = f"{len(seen):02d}-{stem}-v{version.number}.{version.kind}"
            with default_storage.open(version.file, "rb") as handle:
                archive.writestr(name, handle.read())
            manifest.append(
                f"{name}\t{document.symbol}\t{document.title}\t"
                f"{link.get_status_display()}\t{link.item.title}\tsha256={version.sha256}"
            )
        archive.writestr("MANIFEST.txt", "\n".join(manifest) + "\n")
    audit.record("meeting.download_documents", obj=meeting, request=request, documents=sorted(seen))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-documents.zip"'
    return response


# --- registration ----------------------------------------------------------------------------
def registration(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    manage = access.may_manage(request.user)
    delegation = access.acting_delegation(request.user, meeting)
    if not manage and delegation is None:
        raise Http404
    context: dict[str, Any] = {"meeting": meeting, "may_manage": manage, "delegation": delegation}
    if delegation is not None:
        context["mine"] = meeting.participants.filter(delegation=delegation)
        context["accreditation"] = meeting.accreditations.filter(delegation=delegation).first()
        context["participant_form"] = ParticipantForm()
        context["accreditation_form"] = AccreditationForm()
    if manage:
        context["accreditations"] = meeting.accreditations.select_related("delegation")
        context["confirm_form"] = ConfirmForm()
    context["late"] = (
        meeting.registration_deadline is not None and timezone.now() > meeting.registration_deadline
    )
    return render(request, "meetings/registration.html", context)


@require_POST
def register_participant(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    delegation = access.require_delegation(request, meeting)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            actions.do_register_participant(
                meeting, delegation, form.fields_value(), actor=request.user
            )
        except actions.MeetingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The participant is registered."))
    else:
        messages.error(request, _("The participant was not registered: check the form."))
    return redirect("meetings:registration", meeting.pk)


@require_POST
def submit_accreditation(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    delegation = access.require_delegation(request, meeting)
    form = AccreditationForm(request.POST, request.FILES)
    if form.is_valid():
        note = form.cleaned_data.get("note")
        creds = form.cleaned_data.get("credentials")
        try:
            actions.do_submit_accreditation(
                meeting,
                delegation,
                note=(note.read(), note.name) if note else None,
                credentials=(creds.read(), creds.name) if creds else None,
                actor=request.user,
            )
        except FileRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The accreditation is uploaded."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("meetings:registration", meeting.pk)


def _accreditation(meeting: Meeting, acc_pk: int) -> Accreditation:
    found = meeting.accreditations.select_related("delegation").filter(pk=acc_pk).first()
    if found is None:
        raise Http404
    return found


@require_POST
def approve_accreditation(request: AuthedHttpRequest, pk: int, acc_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    accreditation = _accreditation(meeting, acc_pk)
    if ConfirmForm(request.POST).is_valid():
        try:
            actions.do_approve_accreditation(accreditation, actor=request.user)
        except actions.MeetingError as exc:
            messages.error(request, str(exc))
    return redirect("meetings:registration", meeting.pk)


@require_POST
def record_originals(request: AuthedHttpRequest, pk: int, acc_pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk, manage=True)
    accreditation = _accreditation(meeting, acc_pk)
    if ConfirmForm(request.POST).is_valid():
        actions.do_record_originals(accreditation, actor=request.user)
    return redirect("meetings:registration", meeting.pk)


def _list_language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "en")
    return lang if lang in LIST_LANGUAGES else "en"


def participant_list(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    language = _list_language(request)
    return render(
        request,
        "meetings/participants.html",
        {
            "meeting": meeting,
            "language": language,
            "blocks": participants.ordered_list(meeting, language),
            "languages": LIST_LANGUAGES,
        },
    )


def participant_docx(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    language = _list_language(request)
    data = participants.to_docx(meeting, language)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="participants-{meeting.pk}-{language}.docx"'
    )
    return response


def participant_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request, pk)
    language = _list_language(request)
    response = HttpResponse(participants.to_pdf(meeting, language), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="participants-{meeting.pk}-{language}.pdf"'
    )
    return response


def seating(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The seating plan: the delegations round the table in the list's order."""
    meeting = access.get_meeting_for(request, pk)
    language = _list_language(request)
    blocks = [b for b in participants.ordered_list(meeting, language) if b.code]
    return render(
        request,
        "meetings/seating.html",
        {"meeting": meeting, "seats": participants.seats(blocks), "language": language},
    )


# --- calendars -------------------------------------------------------------------------------
def calendar_page(request: AuthedHttpRequest) -> HttpResponse:
    token = actions.calendar_token(request.user)
    return render(
        request,
        "meetings/calendar.html",
        {
            "feed": request.build_absolute_uri(
                reverse("meetings-calendar:feed", args=[token.token])
            ),
            "bodies": [
                (
                    b,
                    request.build_absolute_uri(
                        reverse("meetings-calendar:body-feed", args=[token.token, b.code])
                    ),
                )
                for b in Body.objects.all()
            ],
            "form": ConfirmForm(),
        },
    )


@require_POST
def calendar_rotate(request: AuthedHttpRequest) -> HttpResponse:
    if ConfirmForm(request.POST).is_valid():
        actions.do_rotate_calendar_token(request.user, actor=request.user)
        messages.success(request, _("A new calendar address is made; the old one stops working."))
    return redirect("meetings-calendar:page")


def _token_user(token: str) -> Any:
    found = (
        CalendarToken.objects.select_related("user", "user__delegation").filter(token=token).first()
    )
    if found is None or not found.user.is_active:
        raise Http404
    return found.user


def _ics(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's feed: no login, the secret token alone."""
    user = _token_user(token)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(calendars.to_ics(calendars.user_entries(user), name=_("Meetings"), base_url=base))


@login_not_required
def calendar_body_feed(request: HttpRequest, token: str, code: str) -> HttpResponse:
    user = _token_user(token)
    body = Body.objects.filter(code=code).first()
    if body is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(calendars.to_ics(calendars.body_entries(user, body), name=body.code, base_url=base))
