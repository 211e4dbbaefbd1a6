"""The mails of an email address change (accounts.profile asks for it, by a signal): a link to
confirm, sent to the NEW address, and a notice to the OLD one that a change was asked. Both
are outbox rows of kind + parameters, rendered in the user's language when sent; the link's
token is made at sending time (nothing secret is stored) and expires a day later."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.accounts import profile
from secretariat.accounts.models import User
from secretariat.outbox.api import RenderedEmail, absolute_url, enqueue_email, register_kind

CONFIRM = "accounts.email_change_confirm"
NOTICE = "accounts.email_change_notice"
CLEARED = "accounts.email_cleared_notice"


def _hello(user: User) -> str:
    return _("Hello %(name)s,") % {"name": user.get_full_name() or user.username}


def render_confirm(params: dict[str, Any], user: User) -> RenderedEmail | None:
    """None (nothing sent) once the address is the account's already."""
    address = str(params.get("address", ""))
    if not address or address == user.email:
        return None
    link = absolute_url(
        reverse("account-email-confirm", args=[profile.email_change_token(user, address)])
    )
    hours = profile.EMAIL_CHANGE_MAX_AGE_SECONDS // 3600
    text = "\n\n".join(
        [
            _hello(user),
            _(
                "You asked to use this address, %(address)s, for your account %(username)s. "
                "Open this link to confirm it:"
            )
            % {"address": address, "username": user.username},
            link,
            ngettext(
                "The link works once, for %(hours)d hour. Until it is opened your account "
                "keeps its current address. If you did not ask for this, ignore this message.",
                "The link works once, for %(hours)d hours. Until it is opened your account "
                "keeps its current address. If you did not ask for this, ignore this message.",
                hours,
            )
            % {"hours": hours},
        ]
    )
    return RenderedEmail(subject=_("Confirm your new email address"), text=text + "\n", html="")


def _told_to_old_address(user: User, what: str, subject: str) -> RenderedEmail:
    """A notice to an address the account is leaving: what happened, and what to do if the
    user did not do it."""
    warning = _(
        "If it was not you, change your password now and tell the secretariat: "
        "someone else may be using your account."
    )
    text = "\n\n".join([_hello(user), what, warning])
    return RenderedEmail(subject=subject, text=text + "\n", html="")


def render_notice(params: dict[str, Any], user: User) -> RenderedEmail | None:
    what = _(
        "Someone signed in to your account %(username)s asked to change its email "
        "address to %(address)s. The change takes effect only once it is confirmed "
        "from that address; until then mail keeps coming here."
    ) % {"address": str(params.get("address", "")), "username": user.username}
    return _told_to_old_address(user, what, _("A change of your email address was asked"))


def render_cleared(params: dict[str, Any], user: User) -> RenderedEmail | None:
    what = _(
        "The email address %(address)s was removed from your account %(username)s: "
        "no more mail from the forum comes here, and a forgotten password cannot be "
        "reset by mail until the account has an address again."
    ) % {"address": str(params.get("address", "")), "username": user.username}
    return _told_to_old_address(user, what, _("Your email address was removed from your account"))


def _queue_cleared(sender: Any, user: User, address: str, **kwargs: Any) -> None:
    """To the old address, the user's no longer (inside the transaction that removed it)."""
    enqueue_email(
        user,
        CLEARED,
        {"address": address},
        key=f"email-cleared:{uuid.uuid4().hex}",
        to_address=address,
    )


def _queue(sender: Any, user: User, address: str, **kwargs: Any) -> None:
    """Inside the request's transaction (the signal is sent there)."""
    tag = uuid.uuid4().hex
    enqueue_email(
        user, CONFIRM, {"address": address}, key=f"email-change:{tag}", to_address=address
    )
    enqueue_email(user, NOTICE, {"address": address}, key=f"email-change-notice:{tag}")


def register() -> None:
    register_kind(CONFIRM, render_confirm)
    register_kind(NOTICE, render_notice)
    register_kind(CLEARED, render_cleared)
    profile.email_change_requested.connect(_queue, dispatch_uid="outbox.email_change")
    profile.email_cleared.connect(_queue_cleared, dispatch_uid="outbox.email_cleared")
