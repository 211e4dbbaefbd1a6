"""ICS feeds: a user's (the meetings they may see, the silence deadlines of negotiations they may
see, and what other apps add through `hooks.calendar_sources`) and a body's.

Every event keeps its UID across updates and carries its SEQUENCE; a cancelled meeting stays
in the feed with STATUS:CANCELLED, so calendars remove it instead of keeping a stale copy.
Times are written in the meeting's own zone with its VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from django.db.models import QuerySet
from django.utils import timezone

from secretariat.accounts.access import visible
from secretariat.accounts.models import Body, User
from secretariat.meetings import hooks
from secretariat.meetings.access import visible_meetings
from secretariat.meetings.hooks import CalendarEntry
from secretariat.meetings.models import Meeting
from secretariat.negotiation.models import Negotiation, SilenceProcedure

UID_DOMAIN = "secretariat"
PRODID = "-//Secretariat//Meetings calendar//EN"
# The whole history stays in the feed: a forum holds tens of meetings a year, and a calendar
# that subscribes late should still show the sessions it is asked about.


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def meeting_entry(meeting: Meeting) -> CalendarEntry:
    zone = _zone(meeting.time_zone)
    where = ", ".join(x for x in (meeting.venue, meeting.online_link) if x)
    return CalendarEntry(
        uid=f"meeting-{meeting.uid}@{UID_DOMAIN}",
        summary=meeting.title,
        start=meeting.starts_at.astimezone(zone),
        end=meeting.ends_at.astimezone(zone),
        sequence=meeting.sequence,
        cancelled=meeting.is_cancelled,
        url=meeting.get_absolute_url(),
        location=where,
    )


def silence_entry(silence: SilenceProcedure) -> CalendarEntry:
    zone = _zone(silence.time_zone)
    start = silence.deadline.astimezone(zone)
    return CalendarEntry(
        uid=f"silence-{silence.pk}@{UID_DOMAIN}",
        summary=f"Silence deadline: {silence.negotiation.title}",
        start=start,
        end=start,
        # the deadline is fixed when the procedure opens; its ending or breaking is the change
        sequence=0 if silence.state == SilenceProcedure.State.OPEN else 1,
        cancelled=silence.state == SilenceProcedure.State.BROKEN,
        url=silence.negotiation.get_absolute_url(),
    )


def _ordered(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.order_by("starts_at", "id")


def user_entries(user: User) -> list[CalendarEntry]:
    entries = [meeting_entry(m) for m in _ordered(visible_meetings(user))]
    negotiations = visible(user, Negotiation.objects.all())
    silences = SilenceProcedure.objects.filter(negotiation__in=negotiations).select_related(
        "negotiation"
    )
    entries += [silence_entry(s) for s in silences]
    for source in hooks.calendar_sources:
        entries += source(user)
    return entries


def body_entries(user: User, body: Body) -> list[CalendarEntry]:
    return [meeting_entry(m) for m in _ordered(visible_meetings(user).filter(body=body))]


def to_ics(entries: Iterable[CalendarEntry], *, name: str, base_url: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        if entry.end is not None:
            event.add("dtend", entry.end)
        event.add("sequence", entry.sequence)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        if entry.location:
            event.add("location", entry.location)
        if entry.url:
            event.add("url", base_url + entry.url if entry.url.startswith("/") else entry.url)
        if entry.description:
            event.add("description", entry.description)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
