"""Atom feeds whose entries each say their own language (`xml:lang` on `<entry>`).

Django's Atom1Feed gives the whole feed one language; a library mixes English, Russian and
other editions, so each entry carries its document's (`add_item(..., language="ru")`).
"""

from __future__ import annotations

from typing import Any

from django.utils.feedgenerator import Atom1Feed


class LanguageAtomFeed(Atom1Feed):
    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        attrs: dict[str, str] = super().item_attributes(item)
        if item.get("language"):
            attrs["xml:lang"] = str(item["language"])
        return attrs
