"""What the library tells the layers above it, without importing them.

`document_changed` is sent inside the transaction of every change of a document's text or
status (`document_id=`): the archive listens and enqueues its finder-index update in that same
transaction, so the library never imports the archive.
"""

from __future__ import annotations

from django.dispatch import Signal

document_changed = Signal()
