"""Changing the library. Each function runs in one transaction, writes its audit row and
sends `signals.document_changed` in it (the archive enqueues its finder-index update then)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.accounts import access
from secretariat.accounts.access import require_audience
from secretariat.accounts.models import AccessLevel, Body, Delegation
from secretariat.core import audit
from secretariat.documents import files, textnorm
from secretariat.documents.models import (
    DELEGATION_TYPES,
    Document,
    DocumentType,
    Paragraph,
    Status,
    Version,
)
from secretariat.documents.searchtext import plain_form, stemmed_form
from secretariat.documents.signals import document_changed


@dataclass(frozen=True)
class Upload:
    """A file as received, already read: its bytes, type, text and paragraphs."""

    data: bytes
    filename: str
    kind: str
    sha256: str
    text: str
    paragraphs: list[textnorm.Para]


def read_upload(data: bytes, filename: str) -> Upload:
    """Check and read a file before anything is written; FileRejected says what is wrong."""
    sniffed = files.sniff(data)
    raw = files.extract_text(sniffed.kind, data)
    _meta, body = textnorm.parse_header(raw)
    paragraphs = textnorm.paragraphs(body)
    if not paragraphs:
        raise files.FileRejected(_("The file holds no text."))
    return Upload(data, filename, sniffed.kind, files.checksum(data), body, paragraphs)


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None else "system"


def _write_version(
    document: Document, upload: Upload, number: int, comment: str, actor: Any
) -> Version:
    stored = files.store(upload.data, upload.sha256)
    version = Version.objects.create(
        document=document,
        number=number,
        file=stored,
        filename=upload.filename[:255],
        kind=upload.kind,
        size=len(upload.data),
        sha256=upload.sha256,
        comment=comment[:500],
        text=upload.text,
        created_by=actor,
        created_by_name=_actor_name(actor),
    )
    Paragraph.objects.bulk_create(
        Paragraph(
            version=version,
            document=document,
            number=p.number,
            label=p.label[:24],
            text=p.text,
            plain=plain_form(p.text),
            stemmed=stemmed_form(p.text),
        )
        for p in upload.paragraphs
    )
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    return version


def do_create_document(
    upload: Upload,
    *,
    title: str,
    organization: str,
    doc_type: str = DocumentType.OTHER,
    status: str = Status.DRAFT,
    access_level: str = AccessLevel.MEMBERS,
    body: Body | None = None,
    symbol: str = "",
    day: date | None = None,
    language: str = "en",
    edition_of: Document | None = None,
    comment: str = "",
    actor: Any,
    filed_by_app: bool = False,
) -> Document:
    """Register a document with its first version (and, with `edition_of`, as another
    language edition of that document). An `actor` may register it only for an audience
    they could read themselves (PermissionDenied otherwise: the chair, a secretariat-only
    document); `actor` None is the system (an adoption by a deadline task, an import).
    A delegate registering on their own is held to a delegation's paper (its body, a draft);
    `filed_by_app` is for an app above that has already decided this actor may file this
    document (an initiative's lead filing its report)."""
    if access_level == AccessLevel.BODY and body is None:
        raise ValueError("A body-restricted document needs its body.")
    require_audience(actor, access_level, body)
    submitted_by = (
        None
        if filed_by_app
        else _submitting_delegation(actor, body, access_level, doc_type, status)
    )
    with transaction.atomic():
        document = Document.objects.create(
            submitted_by=submitted_by,
            title=title[:400],
            organization=organization,
            doc_type=doc_type,
            status=status,
            access_level=access_level,
            body=body,
            symbol=symbol,
            date=day,
            language=language,
            translation_key=edition_of.translation_key if edition_of else uuid.uuid4(),
            created_by=actor,
        )
        version = _write_version(document, upload, 1, comment or _("First version"), actor)
        audit.record(
            "document.create",
            actor=actor,
            obj=document,
            sha256=version.sha256,
            filename=version.filename,
            status=status,
            access_level=access_level,
            submitted_by=submitted_by.code if submitted_by else "",
        )
        document_changed.send(sender=Document, document_id=document.pk)
    return document


def _submitting_delegation(
    actor: Any, body: Body | None, access_level: str, doc_type: str, status: str
) -> Delegation | None:
    """The delegation a document is submitted by, when its actor registers it as their
    delegation's own paper (not the secretariat, the steering roles, the system), or
    PermissionDenied: only to a body the delegation sits in, for that body or all members,
    as a draft non-paper, proposal, statement or other paper."""
    if actor is None or access.is_secretariat(actor) or access.is_steering(actor):
        return None
    if not access.may_submit_to_body(actor, body):
        raise PermissionDenied("a delegation submits only to a body it sits in")
    if access_level not in (AccessLevel.BODY, AccessLevel.MEMBERS):
        raise PermissionDenied("a delegation's paper is for its body or all members")
    if doc_type not in DELEGATION_TYPES or status != Status.DRAFT:
        raise PermissionDenied("a delegation submits draft papers of its own")
    delegation: Delegation | None = actor.delegation
    return delegation


def do_add_version(document: Document, upload: Upload, *, comment: str, actor: Any) -> Version:
    """Append a new version; the previous ones stay as they are. The same file twice is
    refused (a no-op upload creates nothing). A delegation's own paper takes new versions from
    its delegates only while the delegation still sits in the paper's body."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if (
            document.submitted_by_id is not None
            and actor is not None
            and not (access.is_secretariat(actor) or access.is_steering(actor))
            and not access.may_submit_to_body(actor, document.body)
        ):
            raise PermissionDenied("a delegation submits only to a body it sits in")
        existing = document.versions.filter(sha256=upload.sha256).first()
        if existing is not None:
            raise files.FileRejected(
                _("This file is already version %(number)d of the document.")
                % {"number": existing.number}
            )
        number = (
            document.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = _write_version(document, upload, number, comment, actor)
        audit.record(
            "document.version",
            actor=actor,
            obj=document,
            number=number,
            sha256=version.sha256,
            filename=version.filename,
            comment=comment,
        )
        document_changed.send(sender=Document, document_id=document.pk)
    return version


def do_change_status(document: Document, status: str, *, actor: Any) -> Document:
    """Move a document to another status (adopted, published, withdrawn...)."""
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        old = document.status
        if old == status:
            return document
        document.status = status
        document.save(update_fields=["status", "updated_at"])
        audit.record(
            "document.status",
            actor=actor,
            obj=document,
            old=old,
            new=status,
        )
        document_changed.send(sender=Document, document_id=document.pk)
    return document
