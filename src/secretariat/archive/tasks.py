"""Background work of the archive: keeping the finder index in step with the library."""

from __future__ import annotations

from django_tasks import task

from secretariat.archive import finding


@task()
def sync_finder_document(document_id: int) -> None:
    """Idempotent: (re)index the document's current paragraphs, or drop them if withdrawn."""
    finding.sync_document(document_id)


@task()
def build_finder_index() -> None:
    """Idempotent: build the index when it is missing or unreadable (readers say "being
    built" meanwhile, with the progress this writes)."""
    finding.build_missing_index()
