"""The forum's own words for the roles in an initiative (CICA: "coordinator" and
"co-coordinators" of a CBM), stored per forum in `ForumWording`; product words otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from secretariat.accounts.models import Forum
from secretariat.programme.models import ForumWording, Participation


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
        return Wording(stored.lead, stored.co_lead, stored.cosponsor)
    return Wording(_("lead"), _("co-lead"), _("co-sponsor"))
