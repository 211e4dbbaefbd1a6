"""What is new in the notes for the dashboard: the latest issued notes the user may see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.communications.access import visible_notes
from secretariat.communications.models import Note


def whats_new(user: Any) -> list[dict[str, Any]]:
    notes = visible_notes(user).filter(status=Note.Status.ISSUED).order_by("-issued_at", "-id")
    items = [
        {
            "text": f"{n.reference}: {n.subject}",
            "url": n.get_absolute_url(),
            "meta": formats.date_format(n.issued_on, "DATE_FORMAT") if n.issued_on else "",
        }
        for n in notes[:6]
    ]
    return [
        {
            "title": _("Notes: recently issued"),
            "items": items,
            "empty": _("No notes yet."),
            "url": reverse("communications:register"),
        }
    ]
