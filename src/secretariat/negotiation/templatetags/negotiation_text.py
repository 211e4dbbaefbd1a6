"""Template filters for negotiated text shown as text (outside the engine's HTML renderer)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from secretariat.negotiation.engine import show_bidi

register = template.Library()


@register.filter
def bidi_visible(value: object) -> str:
    """Bidi controls shown as `<U+202E>` tokens, never applied (autoescaping still applies:
    the result is plain text)."""
    return show_bidi("" if value is None else str(value))


@register.filter
def rev(number: object) -> str:
    """A revision's short name in the reader's language ("Rev. 2", "Ред. 2")."""
    try:
        return _("Rev. %(number)d") % {"number": int(str(number))}
    except ValueError:
        return str(number)


@register.filter
def change_status(status: str) -> str:
    """A compared paragraph's status in the reader's language."""
    names = {
        "unchanged": pgettext("paragraph", "unchanged"),
        "changed": pgettext("paragraph", "changed"),
        "added": pgettext("paragraph", "added"),
        "removed": pgettext("paragraph", "removed"),
        "moved": pgettext("paragraph", "moved"),
    }
    return names.get(status, status)
