"""The time left before a deadline, as words ("2 days 3 hours 5 minutes"), rendered by the
server; `static/js/countdown.js` keeps it current in the browser with the same units
(Intl.NumberFormat's unit names, in the page's language)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

register = template.Library()


def time_left(deadline: datetime, now: datetime | None = None) -> str:
    """Days, hours and minutes left (seconds in the last minute); "" once it has passed."""
    seconds = int((deadline - (now or timezone.now())).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if days or hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not parts:
        if parts or minutes:
            parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
        else:
            parts.append(ngettext("%(n)d second", "%(n)d seconds", secs) % {"n": secs})
    return " ".join(parts)


@register.simple_tag
def countdown(deadline: datetime) -> str:
    return time_left(deadline)
