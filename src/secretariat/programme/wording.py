"""The forum's own words for the roles in an initiative (CICA: "coordinator" and
"co-coordinators" of a CBM), stored per forum in `ForumWording`; product words otherwise.

The forum's words are stored as written (in English); they are shown in the reader's language
when the catalogue knows them (the usual ones are in it, `USUAL_WORDS`), else as stored."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from secretariat.accounts.models import Forum
from secretariat.programme.models import ForumWording, Participation

# Words forums use for the roles, translated in the catalogues.
USUAL_WORDS = (
    gettext_noop("coordinator"),
    gettext_noop("co-coordinator"),
    gettext_noop("co-sponsor"),
    gettext_noop("co-lead"),
    gettext_noop("lead"),
)


@dataclass(frozen=True)
class Wording:
    lead: str
    co_lead: str
    cosponsor: str

    def role(self, participation: Participation) -> str:
        return {"lead": self.lead, "co_lead": self.co_lead}.get(participation.role, self.cosponsor)


def current_wording() -> Wording:
    forum = Forum.current()
    stored = ForumWording.objects.filter(forum=forum).first() if forum is not None else None
    if stored is not None:
        return Wording(_(stored.lead), _(stored.co_lead), _(stored.cosponsor))
    return Wording(_("lead"), _("co-lead"), _("co-sponsor"))
