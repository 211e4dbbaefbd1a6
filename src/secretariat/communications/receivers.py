"""Receivers of the lower layers' signals."""

from __future__ import annotations

from typing import Any


def on_silence_ended(sender: Any, *, silence_id: int, **kwargs: Any) -> None:
    """Enqueue the outcome notice in the transaction that ended the procedure."""
    from secretariat.communications.tasks import issue_outcome_notice

    issue_outcome_notice.enqueue(silence_id)
