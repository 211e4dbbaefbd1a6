from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from secretariat.accounts import access
from secretariat.notices.models import Notice


def whats_new(user: Any) -> list[dict[str, Any]]:
    notices = access.visible(user, Notice.objects.all())[:5]
    return [
        {
            "title": _("Latest notices"),
            "items": [
                {
                    "text": n.title,
                    "url": n.get_absolute_url(),
                    "meta": formats.date_format(timezone.localtime(n.created_at), "DATE_FORMAT"),
                }
                for n in notices
            ],
            "empty": _("No notices yet."),
        }
    ]
