"""Notification emails, rendered by the outbox in the recipient's language at send time.

`notifications.immediate`: one notification as it happens. `notifications.digest`: the day's
waiting items in one message. Both re-check the user's choice and the target's access when
they are sent, so a user who switched the category off or lost access gets nothing.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.accounts.models import User
from secretariat.notifications import kinds
from secretariat.notifications.access import readable
from secretariat.notifications.models import Notification
from secretariat.outbox.api import RenderedEmail, absolute_url


def _link(n: Notification) -> str:
    return absolute_url(n.url) if n.url else absolute_url(reverse("notifications:list"))


def _context(user: User, items: list[Notification]) -> dict[str, Any]:
    return {
        "user": user,
        "items": [{"message": n.message, "url": _link(n), "at": n.created_at} for n in items],
        "settings_url": absolute_url(reverse("notifications:settings")),
        "centre_url": absolute_url(reverse("notifications:list")),
    }


def render_immediate(params: dict[str, Any], user: User) -> RenderedEmail | None:
    from secretariat.notifications.actions import modes_for
    from secretariat.notifications.models import Mode

    n = (
        Notification.objects.select_related("target_type")
        .filter(user=user, key=params.get("key", ""))
        .first()
    )
    if n is None or not readable(user, [n]):
        return None
    if modes_for([user], n.category)[user.pk] != Mode.IMMEDIATE:
        return None  # switched off since
    context = _context(user, [n])
    message = n.message
    registered = kinds.get(n.kind)
    reply_to = registered.reply_to(n.params, user) if registered and registered.reply_to else ""
    return RenderedEmail(
        subject=message if len(message) <= 150 else message[:149] + "…",
        text=render_to_string("notifications/email/immediate.txt", context),
        html=render_to_string("notifications/email/immediate.html", context),
        unsubscribe_category=n.category,
        reply_to=reply_to,
    )


def render_digest(params: dict[str, Any], user: User) -> RenderedEmail | None:
    from datetime import date

    ids = [int(i) for i in params.get("ids", [])]
    items = readable(
        user,
        Notification.objects.select_related("target_type")
        .filter(user=user, pk__in=ids)
        .order_by("created_at", "id"),
    )
    if not items:
        return None
    day = formats.date_format(date.fromisoformat(params["date"]), "DATE_FORMAT")
    count = len(items)
    subject = ngettext(
        "%(count)d new item for you — %(date)s",
        "%(count)d new items for you — %(date)s",
        count,
    ) % {"count": count, "date": day}
    context = _context(user, items) | {"subject": subject, "title": _("Your daily digest")}
    return RenderedEmail(
        subject=subject,
        text=render_to_string("notifications/email/digest.txt", context),
        html=render_to_string("notifications/email/digest.html", context),
        unsubscribe_category="digest",
    )
