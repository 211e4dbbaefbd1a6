"""Signals of the communications app for the layers above it (which it never imports).

- `note_issued(sender=Note, note_id=...)`: sent inside the issuing transaction, once the note has
  its number and its emails are queued; a receiver's writes commit or roll back with the issue
  (meetings: the convening note of a meeting convenes it).
"""

from __future__ import annotations

from django.dispatch import Signal

note_issued = Signal()
