"""The language of a piece of content the forum wrote (a meeting's title, a notice, a post),
for its element's `lang`: a screen reader then reads an English title on a Russian page in
English, and the page's own language is left to the interface.

Content with no language of its own is judged by its script, as the archive's importer judges
a file: Cyrillic with Kazakh letters is Kazakh, other Cyrillic Russian, Latin English (the
forum's working languages). `{{ meeting.title|lang_of }}` gives the code for `lang="..."`,
`{{ meeting.title|own_lang }}` the text in a span so marked.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from secretariat.core.contentlang import language_of

register = template.Library()


@register.filter
def lang_of(text: object) -> str:
    return language_of(str(text or ""))


@register.filter
def own_lang(text: object) -> SafeString:
    """`text` in a span marked with its own language: `{{ meeting.title|own_lang }}`, also
    inside `{% blocktranslate with title=meeting.title|own_lang %}`."""
    value = str(text or "")
    if not value:
        return mark_safe("")
    return format_html('<span lang="{}">{}</span>', language_of(value), value)


@register.filter
def title_or(text: object, fallback: str) -> str:
    """For `<title>`, which cannot mark a part with its language: the content's own words
    when they are in the page's language, else `fallback` (the page's kind, in the page's
    language): `{{ meeting.title|title_or:_("Meeting") }}`."""
    value = str(text or "")
    page = (get_language() or "en").split("-")[0]
    return value if value and language_of(value) == page else fallback
