"""Keys of page fragments cached across requests (`{% cache %}` in the templates).

A key holds everything the fragment shows depends on: the content stamp (`core.changes`:
any change of content makes new keys), the reader's language and time zone, and what the view
adds (the reader's access scope, the query). Readers with different rights never share an
entry because the view puts their scope (`accounts.access.scope_key`) in the key. The views
hand the template lazy values, so a fragment found in the cache costs no queries."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone, translation

from secretariat.core import changes

# Raise to drop every entry written by an older layout of the fragments.
GENERATION = 1


def key(name: str, *parts: Any, zoned: bool = True) -> str:
    """`zoned=False` for a fragment that shows no time of day (dates only): readers in other
    time zones then share it."""
    zone = timezone.get_current_timezone_name() if zoned else ""
    raw = repr((name, GENERATION, changes.stamp(), translation.get_language(), zone, *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:40]
