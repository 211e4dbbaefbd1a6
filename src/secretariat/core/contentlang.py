"""The language of a piece of content the forum wrote (a meeting's title, a notice, a post)
that has no language of its own, judged by its script as the archive's importer judges a
file: Cyrillic with Kazakh letters is Kazakh, other Cyrillic Russian, Latin English (the
forum's working languages). Pages mark such content `lang="..."` with it (templatetag
`content_lang`, widget `ContentSelect`), so a screen reader reads an English title on a
Russian page in English.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

_KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_LETTER = re.compile(r"[^\W\d_]")


def language_of(text: str) -> str:
    """ "en", "ru" or "kk": the script of most of the letters of `text`."""
    letters = _LETTER.findall(str(text or "")[:5000])
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if not letters or len(cyrillic) * 2 <= len(letters):
        return "en"
    if sum(ch in _KAZAKH for ch in cyrillic) > len(cyrillic) / 50:
        return "kk"
    return "ru"


class ContentSelect(forms.Select):
    """A select whose options are content (meeting titles, say): each option is marked with
    its own language."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        value = option["value"]
        if value not in ("", None):
            # A row that knows its language (a document) says it; other content is judged.
            known = getattr(getattr(value, "instance", None), "language", "")
            option["attrs"]["lang"] = known or language_of(str(option["label"]))
        return option


def _named(message: str, names: dict[str, str]) -> SafeString:
    marked = {k: format_html('<span translate="no">{}</span>', v) for k, v in names.items()}
    return mark_safe(conditional_escape(str(message)) % marked)


_named_lazy = lazy(_named, SafeString)


def with_names(message: Any, **names: str) -> Any:
    """A translated message whose `%(name)s` placeholders are product names ("Markdown",
    "Word"), each marked translate="no": `with_names(_("Message (%(markdown)s)"),
    markdown="Markdown")`. Lazy, for form labels and help texts."""
    return _named_lazy(message, names)


def mark_content_fields(form: forms.Form, *names: str) -> None:
    """Mark the inputs of `names` with the language of the content they hold (a notice being
    edited, a post, a programme's areas), from the posted or the initial value."""
    for name in names:
        if name not in form.fields:
            continue
        bound = form.data.get(form.add_prefix(name)) if form.is_bound else None
        value = bound if form.is_bound else form.initial.get(name)
        if value:
            form.fields[name].widget.attrs["lang"] = language_of(str(value))
