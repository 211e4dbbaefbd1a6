"""Notes by email, through the outbox (`secretariat.outbox`).

One email per user of each addressed delegation, keyed `note:{id}:user:{uid}` so a second
enqueue is a no-op. The email is rendered at send time in the recipient's language: the
reference and subject of the note in that language, the enclosures' titles, a link to the note
and the issued PDF attached. The renderer checks again that the recipient may still see the
note; if not, the email is cancelled (nothing of the note's content reaches them).
A note to a body or to chosen delegations puts the same in the email: it only ever goes to
users who may see the note.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.communications.models import Note

KIND = "communications.note"


def _outbox_installed() -> bool:
    return apps.is_installed("secretariat.outbox")


def recipients_of(note: Note) -> list[User]:
    """Who receives a note by email: the outbox's official distribution list of the addressed
    delegations (contact points and heads of delegation; the delegates where a delegation has
    registered neither), each once and only if they may see the note."""
    from secretariat.communications.access import can_view_note
    from secretariat.outbox.lists import ListSpec, members_of

    codes = tuple(note.recipients.values_list("delegation__code", flat=True))
    if not codes:
        return []
    users: dict[int, User] = {}
    for member in members_of(ListSpec(delegations=codes)):
        if member.user.email and can_view_note(member.user, note):
            users.setdefault(member.user.pk, member.user)
    return list(users.values())


def email_key(note: Note, user: User) -> str:
    return f"note:{note.pk}:user:{user.pk}"


def enqueue_note_emails(note: Note) -> int:
    """Inside the issuing transaction: queue the emails; returns how many were queued."""
    if not _outbox_installed():
        return 0
    from secretariat.outbox.api import EmailRequest, enqueue_emails

    list_id = "notes." + note.series.code.lower().replace("/", "-")
    return enqueue_emails(
        EmailRequest(user, KIND, {"note": note.pk}, email_key(note, user), list_id)
        for user in recipients_of(note)
    )


def render_note_email(params: dict[str, Any], recipient: User) -> Any:
    """The outbox renderer (called with the recipient's language active)."""
    from django.utils.translation import get_language

    from secretariat.accounts.access import can_view
    from secretariat.communications.access import can_view_note
    from secretariat.outbox.api import Attachment, RenderedEmail, absolute_url

    note_id = params.get("note")
    if not isinstance(note_id, int):
        return None
    note = Note.objects.filter(pk=note_id).select_related("series").first()
    if note is None or not note.is_issued or not can_view_note(recipient, note):
        return None
    language = (get_language() or "en")[:2]
    editions = {e.language: e for e in note.editions.all()}
    edition = editions.get(language) or editions.get("en") or next(iter(editions.values()))
    context = {
        "note": note,
        "subject": edition.subject,
        "enclosures": [
            e.version.document.title
            for e in note.enclosures.select_related("version__document")
            if can_view(recipient, e.version.document)
        ],
        "url": absolute_url(note.get_absolute_url()),
        "recipient": recipient,
    }
    attachments: tuple[Any, ...] = ()
    if note.pdf_file:
        with default_storage.open(note.pdf_file, "rb") as handle:
            data = handle.read()
        filename = note.reference.replace("/", "-") + ".pdf"
        attachments = (Attachment(filename, data, "application/pdf"),)
    return RenderedEmail(
        subject=_("Note %(reference)s: %(subject)s")
        % {"reference": note.reference, "subject": edition.subject},
        text=render_to_string("communications/email/note.txt", context),
        html=render_to_string("communications/email/note.html", context),
        attachments=attachments,
    )


def register() -> None:
    if not _outbox_installed():
        return
    from secretariat.outbox.api import register_kind

    register_kind(KIND, render_note_email, official=True)
