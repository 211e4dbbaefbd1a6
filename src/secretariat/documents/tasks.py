"""Background work of the library: keep the archive's finder index in step with a document."""

from __future__ import annotations

from django_tasks import task


@task()
def update_finder_index(document_id: int) -> None:
    """Idempotent: (re)index the document's current paragraphs, or drop them if withdrawn."""
    from secretariat.archive import finding  # the archive owns the index; the library tells it

    finding.sync_document(document_id)
