"""Background work of notes: releasing press releases at their embargo time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from secretariat.accounts.models import AccessLevel
from secretariat.communications.models import Note, NoteKind
from secretariat.core import audit


@task()
def release_press_release(note_id: int) -> str:
    """Publish an issued press release on the public portal once its time has come.
    Idempotent: a second run (or a run for a note released already) changes nothing."""
    with transaction.atomic():
        note = Note.objects.select_for_update().filter(pk=note_id).first()
        if note is None or note.kind != NoteKind.PRESS_RELEASE or not note.is_issued:
            return "skipped"
        if note.released_at is not None:
            return "already released"
        if note.release_at is not None and note.release_at > timezone.now():
            # Run early (a worker's clock, a changed embargo): try again at the time.
            release_press_release.using(run_after=note.release_at).enqueue(note.pk)
            return "not yet"
        note.access_level = AccessLevel.PUBLIC
        note.released_at = timezone.now()
        note.save(update_fields=["access_level", "released_at"])
        audit.record("note.release", obj=note, reference=note.reference)
    return "released"


@task()
def release_document(release_id: int) -> str:
    """Make a scheduled library document public once its time has come (idempotent)."""
    from secretariat.communications.models import DocumentRelease
    from secretariat.documents.models import Document
    from secretariat.documents.signals import document_changed

    with transaction.atomic():
        release = DocumentRelease.objects.select_for_update().filter(pk=release_id).first()
        if release is None:
            return "skipped"
        if release.released_at is not None:
            return "already released"
        if release.release_at > timezone.now():
            release_document.using(run_after=release.release_at).enqueue(release.pk)
            return "not yet"
        document = Document.objects.select_for_update().get(pk=release.document_id)
        old = document.access_level
        document.access_level = AccessLevel.PUBLIC
        document.save(update_fields=["access_level", "updated_at"])
        release.released_at = timezone.now()
        release.save(update_fields=["released_at"])
        audit.record("document.release", obj=document, old=old, new=AccessLevel.PUBLIC)
        document_changed.send(sender=Document, document_id=document.pk)
    return "released"


@task()
def issue_outcome_notice(silence_id: int) -> str:
    """The chair's notice of a silence procedure's result, as a note to every participant.
    Idempotent: at most one notice per procedure, nothing while the procedure is open."""
    from secretariat.communications.outcome import on_silence_ended

    note = on_silence_ended(silence_id)
    return note.reference if note is not None else "nothing to issue"
