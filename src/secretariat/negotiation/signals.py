"""What the negotiation tells the layers above it, without importing them.

`silence_ended` is sent inside the transaction that closes a silence procedure, adopted at its
deadline or broken by an objection (`silence_id=`): the notes app listens and enqueues the
chair's outcome notice in that same transaction, so the notice is never lost to a crash.

`text_changed` is sent inside the transaction that changes the working text (an edit, a
resolved bracket) or issues a revision (`negotiation_id=`): the board follows the words its
passage threads are about.
"""

from __future__ import annotations

from django.dispatch import Signal

silence_ended = Signal()
text_changed = Signal()
