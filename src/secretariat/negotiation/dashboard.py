"""The negotiations block of the home dashboard."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.negotiation import engine
from secretariat.negotiation.access import visible_negotiations
from secretariat.negotiation.models import Revision


def whats_new(user: Any) -> list[dict[str, Any]]:
    items = []
    register = engine.forum_register()
    for n in visible_negotiations(user).order_by("-changed_at")[:6]:
        # The figures stored with the text when it was written; a revision without them is
        # parsed (a 20 MB text took ~38 s: every dashboard of the process waited on it).
        working = Revision.objects.filter(negotiation=n, frozen=False).only("summary").first()
        s = engine.Summary(0, 0, 0)
        if working is not None and "paragraphs" in working.summary:
            stored = working.summary
            s = engine.Summary(stored["paragraphs"], stored["agreed"], stored["open_brackets"])
        elif working is not None:
            s = engine.summary(engine.draft_of(working, register))
        items.append(
            {
                "text": n.title,
                "lang": "en",  # the negotiated text's language
                "url": n.get_absolute_url(),
                "meta": " · ".join(
                    part
                    for part in (
                        n.body.code if n.body else "",
                        str(n.get_state_display()),
                        ngettext(
                            "%(agreed)d of %(total)d paragraph agreed",
                            "%(agreed)d of %(total)d paragraphs agreed",
                            s.paragraphs,
                        )
                        % {"agreed": s.agreed, "total": s.paragraphs},
                        ngettext(
                            "%(count)d open bracket", "%(count)d open brackets", s.open_brackets
                        )
                        % {"count": s.open_brackets},
                    )
                    if part
                ),
            }
        )
    return [
        {
            "title": _("Negotiations"),
            "items": items,
            "empty": _("No negotiation you can see is under way."),
        }
    ]
