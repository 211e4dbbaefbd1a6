"""The registry of notification kinds: kind -> category + how to say it in the reader's language.

A kind is rendered from its parameters when the notification is read or mailed, so each reader
sees it in their own language:

    register("negotiation.amendment", Category.PARAGRAPHS,
             template=_("%(code)s proposes an amendment to %(label)s of “%(title)s”"))
    register("documents.batch", Category.DOCUMENTS, render=lambda p: ngettext(...) % p)

Parameters are JSON: strings, numbers, and datetimes as ISO strings (`format_datetime` shows
them in the locale's format and the user's zone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat.core.templatetags.content_lang import own_lang
from secretariat.notifications.models import Category

MessageRender = Callable[[dict[str, Any]], str]
# The Reply-To of a kind's immediate email (e.g. the board's signed reply address).
ReplyTo = Callable[[dict[str, Any], Any], str]


@dataclass(frozen=True)
class NotificationKind:
    kind: str
    category: Category
    render: MessageRender | None = None
    reply_to: ReplyTo | None = None


_KINDS: dict[str, NotificationKind] = {}


def register(
    kind: str,
    category: Category,
    *,
    template: str | Promise | None = None,
    render: MessageRender | None = None,
    reply_to: ReplyTo | None = None,
) -> None:
    """Register a kind: a gettext template with named parameters, or a render function (for
    counts with ngettext, dates, or anything else)."""
    if template is not None and render is not None:
        raise ValueError("give a template or a render function, not both")
    if template is not None:
        text = template

        def render_template(params: dict[str, Any]) -> str:
            return str(text) % params

        render = render_template
    _KINDS[kind] = NotificationKind(kind, category, render, reply_to)


def get(kind: str) -> NotificationKind | None:
    return _KINDS.get(kind)


def category_of(kind: str) -> str:
    found = _KINDS.get(kind)
    return found.category if found else Category.OTHER


def render_message(kind: str, params: dict[str, Any], text: str = "") -> str:
    """The sentence in the active language. Rows written by the old `notify(..., text)` keep
    their text; a kind that cannot render its parameters falls back to the text, never fails."""
    found = _KINDS.get(kind)
    if found is not None and found.render is not None and params:
        try:
            return found.render(params)
        except (KeyError, TypeError, ValueError):
            pass
    return text or kind


# Parameters that quote content (a negotiation's or a meeting's title, a subject): on a page
# they are marked with their own language.
CONTENT_PARAMS = ("title", "subject", "meeting", "document", "thread")


def render_message_html(kind: str, params: dict[str, Any], text: str = "") -> SafeString:
    """The sentence as HTML, its quoted content marked with its own language (`lang`), so a
    Russian sentence that quotes an English title is read as such."""
    marks = {
        key: f"\x00{i}\x00"
        for i, key in enumerate(CONTENT_PARAMS)
        if isinstance(params.get(key), str) and params[key]
    }
    sentence = render_message(kind, {**params, **marks} if marks else params, text)
    html = str(conditional_escape(sentence))
    for key, mark in marks.items():
        html = html.replace(mark, str(own_lang(params[key])))
    return mark_safe(html.replace("\x00", ""))


def format_datetime(value: str, zone: str = "") -> str:
    """An ISO datetime parameter in the active locale's format, in `zone` (else the server's)."""
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        tz = ZoneInfo(zone) if zone else timezone.get_current_timezone()
    except (ZoneInfoNotFoundError, ValueError):
        tz = timezone.get_current_timezone()
    local = moment.astimezone(tz)
    shown = formats.date_format(local, "DATETIME_FORMAT")
    return f"{shown} ({zone})" if zone else shown


# --- the kinds the product sends -----------------------------------------------------------
# The msgids are the ones the old call sites used, so their translations carry over.


def _revision(params: dict[str, Any]) -> str:
    if "number" in params:
        return str(_("Rev. %(number)d of “%(title)s” is out")) % params
    return str(_("New negotiation in %(body)s: %(title)s")) % params


def _silence_opened(params: dict[str, Any]) -> str:
    deadline = format_datetime(params["deadline"], params.get("time_zone", ""))
    return str(_("Silence procedure on “%(title)s” until %(deadline)s")) % {
        "title": params["title"],
        "deadline": deadline,
    }


def _documents_batch(params: dict[str, Any]) -> str:
    count = int(params["count"])
    return ngettext(
        "%(count)d new document in %(body)s",
        "%(count)d new documents in %(body)s",
        count,
    ) % {"count": count, "body": params["body"]}


def _note_verbale(params: dict[str, Any]) -> str:
    return str(_("Note verbale %(reference)s from %(sender)s: %(subject)s")) % params


register("documents.new", Category.DOCUMENTS, template=_("New document in %(body)s: %(title)s"))
register("documents.batch", Category.DOCUMENTS, render=_documents_batch)
register("negotiation.revision", Category.REVISIONS, render=_revision)
register(
    "negotiation.amendment",
    Category.PARAGRAPHS,
    template=_("%(code)s proposes an amendment to %(label)s of “%(title)s”"),
)
register(
    "negotiation.position",
    Category.PARAGRAPHS,
    template=_("%(code)s took a position on %(label)s of “%(title)s”"),
)
register("negotiation.silence", Category.SILENCE)  # old rows: their text only
register("negotiation.silence.opened", Category.SILENCE, render=_silence_opened)
register(
    "negotiation.silence.broken",
    Category.SILENCE,
    template=_("%(code)s broke silence on “%(title)s”: %(reason)s"),
)
register(
    "negotiation.silence.ended",
    Category.SILENCE,
    template=_("Silence ended: “%(title)s” is adopted"),
)
register(
    "negotiation.forward",
    Category.OTHER,
    template=_("“%(title)s” was sent from %(from)s to %(to)s"),
)
register("negotiation.adopted", Category.OTHER, template=_("“%(title)s” was adopted by consensus"))
register("communications.note_verbale", Category.NOTES_VERBALES, render=_note_verbale)
