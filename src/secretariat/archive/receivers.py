"""The archive listens to the library (which must not import it)."""

from __future__ import annotations

from typing import Any

from secretariat.archive.models import FinderChange
from secretariat.archive.tasks import sync_finder_document


def on_document_changed(sender: Any, *, document_id: int, **kwargs: Any) -> None:
    """Sent inside the change's transaction, so the change row and the task row commit (or
    not) with it. The row is what every host's index follows; the task brings the worker's
    host up to date at once."""
    FinderChange.objects.create(document_id=document_id)
    sync_finder_document.enqueue(document_id)
