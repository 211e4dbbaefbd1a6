"""The board's notification kinds, registered from BoardConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import User
from secretariat.notifications import kinds
from secretariat.notifications.models import Category

POST = "board.post"
MENTION = "board.mention"
CONFIRM = "board.confirm"


def _reply_to(params: dict[str, Any], user: User) -> str:
    from secretariat.board.addresses import reply_address

    return reply_address(int(params["thread"]), user.pk)


def register_all() -> None:
    kinds.register(
        POST,
        Category.BOARD,
        template=_("%(author)s posted in “%(subject)s” (%(board)s)"),
        reply_to=_reply_to,
    )
    kinds.register(
        MENTION,
        Category.BOARD,
        template=_("%(author)s mentioned you in “%(subject)s” (%(board)s)"),
        reply_to=_reply_to,
    )
    from secretariat.board import mail

    mail.register()
