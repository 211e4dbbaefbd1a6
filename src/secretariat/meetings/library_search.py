"""The meetings' part of the library's search page (the one hook: `documents.search` asks every
app's `library_search` module through `core.providers`): meetings and agenda items the reader
may see, found with the library's words (`meetings.search`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from secretariat.documents.search import OtherGroup, parse
from secretariat.meetings.search import search_meetings


def library_results(user: Any, text: str, *, limit: int = 5) -> OtherGroup:
    hits = search_meetings(user, parse(text.replace("\x00", " ")))
    return OtherGroup(kind="meeting", title=gettext("Meetings"), total=len(hits), hits=hits[:limit])
