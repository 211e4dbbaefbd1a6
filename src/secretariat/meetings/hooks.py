"""Registration hooks other apps fill from their AppConfig.ready() (meetings imports none of them).

- `item_panels`: each callable returns HTML (already escaped, e.g. from `render_to_string`) to
  show on an agenda item's page, or "" for nothing; the programme app shows the mandates and
  reports due on a review item this way.
- `calendar_sources`: each callable returns the calendar entries a user may see (e.g. reporting
  deadlines of initiatives) for the user's ICS feed.
- `outcome_panels`: each callable returns HTML for a held or closed meeting's outcome section
  (the programme lists the mandates the meeting's decisions created), or "".
- `tasking_confirmed`: each callable is called inside the transaction that confirms a tasking of
  a meeting decision (the programme creates the tracked mandate); it must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secretariat.accounts.models import User
    from secretariat.meetings.models import AgendaItem, Meeting, Tasking


@dataclass(frozen=True)
class CalendarEntry:
    """One event for a calendar feed. `uid` must be stable across updates; raise `sequence`
    on every change; `cancelled` sends STATUS:CANCELLED. A `date` start is an all-day event."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    sequence: int = 0
    cancelled: bool = False
    url: str = ""
    location: str = ""
    description: str = ""


item_panels: list[Callable[[AgendaItem, User], str]] = []
calendar_sources: list[Callable[[User], list[CalendarEntry]]] = []
outcome_panels: list[Callable[[Meeting, User], str]] = []
tasking_confirmed: list[Callable[[Tasking, User | None], object]] = []
