"""What is coming for the dashboard: the next meetings the user may see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from secretariat.meetings.access import visible_meetings
from secretariat.meetings.models import Meeting


def whats_new(user: Any) -> list[dict[str, Any]]:
    coming = (
        visible_meetings(user)
        .filter(ends_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at", "id")
    )
    items = [
        {
            "text": f"{m.body.code if m.body else ''}: {m.title}",
            "url": m.get_absolute_url(),
            "meta": formats.date_format(timezone.localtime(m.starts_at), "SHORT_DATE_FORMAT"),
        }
        for m in coming[:6]
    ]
    return [
        {
            "title": _("Meetings: coming"),
            "items": items,
            "empty": _("No meetings coming."),
            "url": reverse("meetings:list"),
        }
    ]
