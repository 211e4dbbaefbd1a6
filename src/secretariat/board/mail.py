"""The board's own outgoing mail: the confirmation of a thread sent by mail."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.outbox.api import RenderedEmail, absolute_url, register_kind


def render_confirm(params: dict[str, Any], user: User) -> RenderedEmail | None:
    from secretariat.board.access import can_post_in
    from secretariat.board.models import MailedThread

    pending = MailedThread.objects.select_related("board").filter(pk=params["pending"]).first()
    if pending is None or pending.user_id != user.pk or not can_post_in(user, pending.board):
        return None
    link = absolute_url(reverse("board:confirm", args=[pending.token]))
    text = _(
        "You sent a new thread “%(subject)s” to the board %(board)s by email.\n"
        "Open this link to post it (nothing is posted until you do):\n%(link)s\n"
    ) % {"subject": pending.subject, "board": pending.board.code.upper(), "link": link}
    return RenderedEmail(
        subject=_("Confirm your new thread: %(subject)s") % {"subject": pending.subject},
        text=text,
        html="",
    )


def register() -> None:
    register_kind("board.confirm", render_confirm)
