"""What is new in the library for the dashboard (only what the user may see)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.accounts import access
from secretariat.documents.models import Document


def whats_new(user: Any) -> list[dict[str, Any]]:
    documents = (
        access.visible(user, Document.objects.all())
        .select_related("current_version")
        .order_by("-updated_at", "-id")[:6]
    )
    items = [
        {
            "text": str(d),
            "lang": d.language,
            "url": d.get_absolute_url(),
            "meta": ", ".join(
                x
                for x in (
                    d.organization,
                    d.get_status_display(),
                    formats.date_format(d.date, "DATE_FORMAT") if d.date else "",
                )
                if x
            ),
        }
        for d in documents
    ]
    return [
        {
            "title": _("Library: recently updated"),
            "items": items,
            "empty": _("No documents yet."),
            "url": reverse("documents:list"),
        }
    ]
