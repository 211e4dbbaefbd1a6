"""What the negotiation tells the layers above it, without importing them.

`silence_ended` is sent inside the transaction that closes a silence procedure, adopted at its
deadline or broken by an objection (`silence_id=`): the notes app listens and enqueues the
chair's outcome notice in that same transaction, so the notice is never lost to a crash.
"""

from __future__ import annotations

from django.dispatch import Signal

silence_ended = Signal()
