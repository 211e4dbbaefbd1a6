"""Template filters for negotiated text shown as text (outside the engine's HTML renderer)."""

from __future__ import annotations

from django import template

from secretariat.negotiation.engine import show_bidi

register = template.Library()


@register.filter
def bidi_visible(value: object) -> str:
    """Bidi controls shown as `<U+202E>` tokens, never applied (autoescaping still applies:
    the result is plain text)."""
    return show_bidi("" if value is None else str(value))
