"""Background work of the archive: keeping the finder index in step with the library."""

from __future__ import annotations

from django_tasks import task

from secretariat.archive import finding


@task()
def sync_finder_document(document_id: int) -> None:
    """Idempotent: bring the index of the worker's host up to date with the change sequence
    (this document's change included), so its readers find nothing left to apply."""
    finding.sync_document(document_id)
    finding.catch_up_now()


@task()
def build_finder_index() -> None:
    """Idempotent: build the index when it is missing or unreadable (readers say "being
    built" meanwhile, with the progress this writes)."""
    finding.build_missing_index()
