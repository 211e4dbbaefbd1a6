"""Quoted text inside a sentence of the interface, marked as such.

A notification reads "Rev. 2 of “Draft Astana Statement” is out": the sentence is in the
reader's language, the title in its own. `quoted_message` marks the title (or subject, or
name) the sentence quotes, with its language when the notification names it, else as text not
to translate, so screen readers and the interface sweep tell the two apart."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

QUOTED_PARAMETERS = ("title", "subject", "name")


@register.filter
def quoted_message(notification: Any) -> SafeString:
    message: str = str(escape(notification.message))
    params = notification.params if isinstance(notification.params, dict) else {}
    language = params.get("language")
    mark = (
        f'lang="{escape(language)}"'
        if isinstance(language, str) and language
        else ('translate="no"')
    )
    for key in QUOTED_PARAMETERS:
        value = params.get(key)
        if isinstance(value, str) and value.strip():
            quoted = escape(value)
            if quoted in message:
                message = message.replace(quoted, f'<span {mark} dir="auto">{quoted}</span>', 1)
    return mark_safe(message)  # every part is escaped above
