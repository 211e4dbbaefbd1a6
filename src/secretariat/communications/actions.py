"""Every change to notes: one transaction each, its audit row and its emails in it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import AccessLevel, Body, Delegation, DelegationAlias
from secretariat.communications import rendering
from secretariat.communications.models import (
    LANGUAGE_CODES,
    IncomingNote,
    Note,
    NoteEdition,
    NoteEnclosure,
    NoteKind,
    NoteRecipient,
    NoteTemplate,
    Series,
    SeriesCounter,
)
from secretariat.communications.register_sections import register_series
from secretariat.communications.signals import note_issued
from secretariat.core import audit
from secretariat.documents import files
from secretariat.documents.models import Version


class ActionError(ValueError):
    """A change that is refused; the message is for the user. `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class EditionText:
    language: str
    subject: str
    text: str


# --- addressees -------------------------------------------------------------------------------
def find_delegations(codes: Iterable[str]) -> list[Delegation]:
    """The delegations for these codes (or their aliases); unknown codes are refused."""
    found: dict[int, Delegation] = {}
    unknown = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        delegation = Delegation.objects.in_register().filter(code=code).first()
        if delegation is None:
            alias = (
                DelegationAlias.objects.select_related("delegation")
                .filter(alias=code, delegation__retired=False)
                .first()
            )
            delegation = alias.delegation if alias else None
        if delegation is None:
            unknown.append(code)
        else:
            found[delegation.pk] = delegation
    if unknown:
        raise ActionError(_("Unknown delegation code: %(codes)s.") % {"codes": ", ".join(unknown)})
    if not found:
        raise ActionError(_("Choose at least one delegation."))
    return sorted(found.values(), key=lambda d: d.code)


def addressed_delegations(
    kind: str, body: Body | None, chosen: Sequence[Delegation]
) -> list[Delegation]:
    if kind in (NoteKind.CIRCULAR, NoteKind.PRESS_RELEASE):
        return list(Delegation.objects.members_on().order_by("code"))
    if kind == NoteKind.TO_BODY:
        if body is None:
            raise ActionError(_("Choose the body the note is addressed to."))
        return list(body.members.members_on().order_by("code"))
    return list(chosen)


def _level_for(kind: str) -> str:
    return {
        NoteKind.CIRCULAR: AccessLevel.MEMBERS,
        NoteKind.PRESS_RELEASE: AccessLevel.MEMBERS,
        NoteKind.TO_BODY: AccessLevel.BODY,
    }.get(NoteKind(kind), AccessLevel.SECRETARIAT)


def _set_recipients(note: Note, delegations: Sequence[Delegation]) -> None:
    wanted = {d.pk for d in delegations}
    note.recipients.exclude(delegation_id__in=wanted).delete()
    have = set(note.recipients.values_list("delegation_id", flat=True))
    NoteRecipient.objects.bulk_create(
        NoteRecipient(note=note, delegation_id=pk) for pk in sorted(wanted - have)
    )


def _clean_editions(editions: Sequence[EditionText]) -> list[EditionText]:
    seen: dict[str, EditionText] = {}
    for edition in editions:
        if edition.language not in LANGUAGE_CODES:
            raise ActionError(_("Unknown language: %(code)s.") % {"code": edition.language})
        if not edition.subject.strip() or not edition.text.strip():
            raise ActionError(_("Every edition needs a subject and a text."))
        seen[edition.language] = EditionText(
            edition.language, edition.subject.strip()[:300], edition.text.strip()
        )
    if not seen:
        raise ActionError(_("Choose at least one language."))
    return list(seen.values())


def _locked(note: Note) -> Note:
    return Note.objects.select_for_update().get(pk=note.pk)


def _require_draft(note: Note) -> None:
    if note.status != Note.Status.DRAFT:
        raise ActionError(_("Only a draft can be changed."), status=409)


# --- composing ---------------------------------------------------------------------------------
def do_create_note(
    *,
    kind: str,
    series: Series,
    editions: Sequence[EditionText],
    body: Body | None = None,
    delegations: Sequence[Delegation] = (),
    corrects: Note | None = None,
    release_at: datetime | None = None,
    actor: Any,
) -> Note:
    """A new draft. Its number is given at issue, never now."""
    cleaned = _clean_editions(editions)
    if corrects is not None and not corrects.is_issued:
        raise ActionError(_("Only an issued note can be corrected."))
    if kind == NoteKind.TO_DELEGATIONS and not delegations:
        raise ActionError(_("Choose at least one delegation."))
    addressed = addressed_delegations(kind, body, delegations)
    if not register_series().filter(pk=series.pk).exists():
        raise ActionError(_("This series is not in the forum's register."))
    with transaction.atomic():
        note = Note.objects.create(
            kind=kind,
            series=series,
            subject=cleaned[0].subject,
            access_level=_level_for(kind),
            body=body if kind == NoteKind.TO_BODY else None,
            corrects=corrects,
            release_at=release_at if kind == NoteKind.PRESS_RELEASE else None,
            created_by=actor,
        )
        NoteEdition.objects.bulk_create(
            NoteEdition(note=note, language=e.language, subject=e.subject, text=e.text)
            for e in cleaned
        )
        _set_recipients(note, addressed)
        audit.record(
            "note.create",
            actor=actor,
            obj=note,
            kind=kind,
            series=series.code,
            languages=[e.language for e in cleaned],
            recipients=[d.code for d in addressed],
            corrects=corrects.reference if corrects else "",
        )
    return note


def do_update_note(
    note: Note,
    *,
    editions: Sequence[EditionText],
    series: Series | None = None,
    body: Body | None = None,
    delegations: Sequence[Delegation] = (),
    release_at: datetime | None = None,
    actor: Any,
) -> Note:
    cleaned = _clean_editions(editions)
    with transaction.atomic():
        note = _locked(note)
        _require_draft(note)
        old = {e.language: (e.subject, e.text) for e in note.editions.all()}
        if note.kind == NoteKind.TO_DELEGATIONS and not delegations:
            raise ActionError(_("Choose at least one delegation."))
        addressed = addressed_delegations(note.kind, body or note.body, delegations)
        note.subject = cleaned[0].subject
        if series is not None:
            note.series = series
        if note.kind == NoteKind.TO_BODY and body is not None:
            note.body = body
        if note.kind == NoteKind.PRESS_RELEASE:
            note.release_at = release_at
        note.save()
        note.editions.exclude(language__in=[e.language for e in cleaned]).delete()
        for e in cleaned:
            NoteEdition.objects.update_or_create(
                note=note, language=e.language, defaults={"subject": e.subject, "text": e.text}
            )
        _set_recipients(note, addressed)
        audit.record(
            "note.update",
            actor=actor,
            obj=note,
            old={k: list(v) for k, v in old.items()},
            new={e.language: [e.subject, e.text] for e in cleaned},
        )
    return note


def enclosure_pages(version: Version) -> int:
    """PDF: its pages (pypdf). Text and Word: the pages its text takes rendered on A4."""
    if version.kind == "pdf":
        with default_storage.open(version.file, "rb") as handle:
            return max(1, rendering.count_pdf_pages(handle.read()))
    return rendering.text_pages(version.text)


def do_add_enclosure(note: Note, version: Version, *, actor: Any) -> NoteEnclosure:
    pages = enclosure_pages(version)  # rendering is slow: done before the transaction
    with transaction.atomic():
        note = _locked(note)
        _require_draft(note)
        if note.enclosures.filter(version=version).exists():
            raise ActionError(_("This document is already enclosed."), status=409)
        order = (note.enclosures.aggregate(m=models.Max("order"))["m"] or 0) + 1
        enclosure = NoteEnclosure.objects.create(
            note=note, version=version, order=order, pages=pages
        )
        audit.record(
            "note.enclose",
            actor=actor,
            obj=note,
            document=version.document_id,
            version=version.number,
            pages=pages,
        )
    return enclosure


def do_remove_enclosure(note: Note, enclosure_id: int, *, actor: Any) -> None:
    with transaction.atomic():
        note = _locked(note)
        _require_draft(note)
        enclosure = note.enclosures.filter(pk=enclosure_id).first()
        if enclosure is None:
            raise ActionError(_("No such enclosure."), status=404)
        audit.record(
            "note.unenclose", actor=actor, obj=note, document=enclosure.version.document_id
        )
        enclosure.delete()


# --- workflow ----------------------------------------------------------------------------------
def do_approve_note(note: Note, *, actor: Any) -> Note:
    with transaction.atomic():
        note = _locked(note)
        _require_draft(note)
        if (
            note.series.distinct_approver
            and actor is not None
            and note.created_by_id == getattr(actor, "pk", None)
        ):
            raise ActionError(
                _("In this series a note is approved by another officer than its drafter."),
                status=403,
            )
        note.status = Note.Status.APPROVED
        note.approved_by = actor
        note.save(update_fields=["status", "approved_by"])
        audit.record("note.approve", actor=actor, obj=note)
    return note


def do_reopen_note(note: Note, *, actor: Any) -> Note:
    """Back from approved to draft (to change it before issue)."""
    with transaction.atomic():
        note = _locked(note)
        if note.status != Note.Status.APPROVED:
            raise ActionError(_("Only an approved note can be reopened."), status=409)
        note.status = Note.Status.DRAFT
        note.approved_by = None
        note.save(update_fields=["status", "approved_by"])
        audit.record("note.reopen", actor=actor, obj=note)
    return note


def allocate_number(series: Series, year: int) -> tuple[int, int]:
    """(counter year, number): the next number of the series, under a row lock held until the
    caller's transaction ends, so a rollback gives the number back."""
    counter_year = year if series.yearly_reset else 0
    counter = (
        SeriesCounter.objects.select_for_update().filter(series=series, year=counter_year).first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                SeriesCounter.objects.create(
                    series=series, year=counter_year, last_number=series.start_at - 1
                )
        except IntegrityError:  # another issue created it first
            pass
        counter = SeriesCounter.objects.select_for_update().get(series=series, year=counter_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter_year, counter.last_number


def template_for(kind: str, language: str) -> NoteTemplate:
    template = NoteTemplate.objects.filter(kind=kind, language=language).first()
    if template is None:
        raise ActionError(
            _("There is no template for this kind of note in %(language)s.")
            % {"language": language}
        )
    return template


def addressee_text(note: Note, language: str, delegations: Sequence[Delegation]) -> str:
    if note.kind == NoteKind.TO_BODY and note.body is not None:
        return rendering.name_in(note.body, language)
    if note.kind == NoteKind.TO_DELEGATIONS:
        return ", ".join(rendering.name_in(d, language) for d in delegations)
    return ""


def edition_inputs(
    note: Note, *, reference: str, day: date, delegations: Sequence[Delegation]
) -> list[rendering.EditionInput]:
    enclosures = tuple(
        rendering.EnclosureInfo(e.version.document.title, e.version.document.symbol, e.pages)
        for e in note.enclosures.select_related("version__document")
    )
    inputs = []
    for edition in note.editions.all():
        template = template_for(note.kind, edition.language)
        inputs.append(
            rendering.EditionInput(
                language=edition.language,
                subject=edition.subject,
                text=edition.text,
                reference=reference,
                addressee=addressee_text(note, edition.language, delegations),
                recipients=tuple(rendering.name_in(d, edition.language) for d in delegations),
                enclosures=enclosures,
                day=day,
                corrects=note.corrects.reference if note.corrects else "",
                place=template.place,
                letterhead=template.letterhead,
                template=template.body,
            )
        )
    return inputs


def store_pdf(data: bytes) -> tuple[str, str]:
    sha = files.checksum(data)
    name = f"notes/{sha[:2]}/{sha}.pdf"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return name, sha


def do_issue_note(note: Note, *, actor: Any, day: date | None = None) -> Note:
    """Give the number, freeze the editions, store the PDF, address the recipients and queue
    the emails: all in one transaction, so a failure anywhere gives the number back.
    `day` dates a note entered from a paper register (the demo); by default, today."""
    from secretariat.communications import mail, tasks

    with transaction.atomic():
        note = _locked(note)
        if note.status != Note.Status.APPROVED:
            raise ActionError(_("Only an approved note can be issued."), status=409)
        if not note.editions.exists():
            raise ActionError(_("The note has no edition."))
        delegations = addressed_delegations(
            note.kind,
            note.body,
            [r.delegation for r in note.recipients.select_related("delegation")],
        )
        if not delegations:
            raise ActionError(_("The note is addressed to nobody."))
        _set_recipients(note, delegations)
        today = day or timezone.localdate()
        counter_year, number = allocate_number(note.series, today.year)
        reference = note.series.reference(number, today.year)
        try:
            rendered = [
                rendering.render_edition(data)
                for data in edition_inputs(
                    note, reference=reference, day=today, delegations=delegations
                )
            ]
        except rendering.TemplateProblem as exc:
            raise ActionError(str(exc)) from exc
        pdf = rendering.note_pdf(rendered)
        name, sha = store_pdf(pdf)
        for result in rendered:
            NoteEdition.objects.filter(note=note, language=result.language).update(
                rendered=f'<div class="letterhead">{result.letterhead}</div>{result.html}'
            )
        note.year = counter_year
        note.number = number
        note.reference = reference
        note.status = Note.Status.ISSUED
        note.issued_on = today
        note.issued_at = timezone.now()
        note.issued_by = actor
        note.pdf_file = name
        note.pdf_sha256 = sha
        note.pdf_pages = rendering.count_pdf_pages(pdf)
        note.save()
        emails = mail.enqueue_note_emails(note)
        note_issued.send(sender=Note, note_id=note.pk, actor=actor)
        if note.kind == NoteKind.PRESS_RELEASE:
            tasks.release_press_release.using(run_after=note.release_at).enqueue(note.pk)
        audit.record(
            "note.issue",
            actor=actor,
            obj=note,
            reference=reference,
            recipients=[d.code for d in delegations],
            emails=emails,
            pdf_sha256=sha,
        )
    note.emails_queued = emails  # type: ignore[attr-defined]
    return note


# --- receipts ----------------------------------------------------------------------------------
def record_opened(note: Note, user: Any) -> bool:
    """The first view of an issued note by a user of an addressed delegation; True if new."""
    if not note.is_issued or not getattr(user, "delegation_id", None):
        return False
    with transaction.atomic():
        updated = NoteRecipient.objects.filter(
            note=note, delegation_id=user.delegation_id, opened_at__isnull=True
        ).update(opened_at=timezone.now(), opened_by=user)
        if updated:
            audit.record("note.open", actor=user, obj=note, delegation=user.delegation.code)
    return bool(updated)


def do_acknowledge_note(note: Note, *, actor: Any) -> NoteRecipient:
    if not getattr(actor, "delegation_id", None):
        raise ActionError(_("This note is not addressed to your delegation."), status=403)
    with transaction.atomic():
        receipt = (
            NoteRecipient.objects.select_for_update()
            .filter(note=note, delegation_id=actor.delegation_id)
            .first()
        )
        if receipt is None or not note.is_issued:
            raise ActionError(_("This note is not addressed to your delegation."), status=403)
        if receipt.acknowledged_at is not None:
            raise ActionError(_("Your delegation has already acknowledged this note."), status=409)
        now = timezone.now()
        receipt.acknowledged_at = now
        receipt.acknowledged_by = actor
        if receipt.opened_at is None:
            receipt.opened_at, receipt.opened_by = now, actor
        receipt.save()
        audit.record("note.acknowledge", actor=actor, obj=note, delegation=receipt.delegation.code)
    return receipt


# --- templates ---------------------------------------------------------------------------------
def do_update_template(
    template: NoteTemplate, *, body: str, letterhead: str, place: str, actor: Any
) -> NoteTemplate:
    rendering.check_template(body)
    rendering.check_template(letterhead)
    with transaction.atomic():
        template = NoteTemplate.objects.select_for_update().get(pk=template.pk)
        old = {"body": template.body, "letterhead": template.letterhead, "place": template.place}
        new = {"body": body, "letterhead": letterhead, "place": place}
        if old == new:
            return template
        template.body, template.letterhead, template.place = body, letterhead, place
        template.updated_by = actor
        template.save()
        audit.record("note_template.update", actor=actor, obj=template, old=old, new=new)
    return template


# --- incoming notes ----------------------------------------------------------------------------
def do_register_incoming(
    *,
    data: bytes,
    filename: str,
    sender: Delegation,
    sender_reference: str,
    received_on: date,
    subject: str,
    concerns: models.Model | None = None,
    actor: Any,
) -> IncomingNote:
    """Register a note received from a delegation; the file passes the library's checks."""
    sniffed = files.sniff(data)
    text = files.extract_text(sniffed.kind, data)
    sha = files.checksum(data)
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        stored = files.store(data, sha)
        incoming = IncomingNote.objects.create(
            sender=sender,
            sender_reference=sender_reference.strip()[:80],
            received_on=received_on,
            subject=subject.strip()[:300],
            file=stored,
            filename=filename[:255],
            kind=sniffed.kind,
            sha256=sha,
            text=text,
            concerns_type=ContentType.objects.get_for_model(concerns) if concerns else None,
            concerns_id=concerns.pk if concerns else None,
            registered_by=actor,
        )
        audit.record(
            "incoming_note.register",
            actor=actor,
            obj=incoming,
            sender=sender.code,
            sender_reference=incoming.sender_reference,
            sha256=sha,
        )
    return incoming


def outbox_installed() -> bool:
    return apps.is_installed("secretariat.outbox")


def do_schedule_document_release(document: Any, release_at: datetime, *, actor: Any) -> Any:
    """Release an adopted (or published) library document on the public portal at a time."""
    from secretariat.communications.models import DocumentRelease
    from secretariat.communications.tasks import release_document
    from secretariat.documents.models import PUBLIC_STATUSES

    if document.status not in PUBLIC_STATUSES:
        raise ActionError(_("Only an adopted or published document can be released."))
    if document.is_public:
        raise ActionError(_("This document is public already."), status=409)
    with transaction.atomic():
        release = DocumentRelease.objects.create(
            document=document, release_at=release_at, scheduled_by=actor
        )
        release_document.using(run_after=release_at).enqueue(release.pk)
        audit.record(
            "document.schedule_release",
            actor=actor,
            obj=document,
            release_at=release_at.isoformat(),
        )
    return release
