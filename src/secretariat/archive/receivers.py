"""The archive listens to the library (which must not import it)."""

from __future__ import annotations

from typing import Any

from secretariat.archive.tasks import sync_finder_document


def on_document_changed(sender: Any, *, document_id: int, **kwargs: Any) -> None:
    """Sent inside the change's transaction, so the task row commits (or not) with it."""
    sync_finder_document.enqueue(document_id)
