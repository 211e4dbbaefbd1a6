"""Registration mail through the outbox, rendered in the reader's language at send time.

- `meetings.registration_reminder`: before the registration deadline, to a delegation that has
  not registered (params: meeting, delegation).
- `meetings.registration_confirmed`: the secretariat approved the delegation's registration
  (params: meeting, delegation); lists the participants the reader's delegation registered.
Both renderers check again that the reader may see the meeting; if not, nothing is sent.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from secretariat.accounts.access import can_view
from secretariat.accounts.models import User
from secretariat.outbox.api import RenderedEmail, absolute_url, register_kind

REMINDER = "meetings.registration_reminder"
CONFIRMED = "meetings.registration_confirmed"


def _meeting(params: dict[str, Any], user: User) -> Any:
    from secretariat.meetings.models import Meeting

    pk = params.get("meeting")
    meeting = Meeting.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if meeting is None or meeting.is_cancelled or not can_view(user, meeting):
        return None
    return meeting


def _local(moment: Any, meeting: Any) -> str:
    local = moment.astimezone(ZoneInfo(meeting.time_zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({meeting.time_zone})"


def render_reminder(params: dict[str, Any], user: User) -> RenderedEmail | None:
    from secretariat.meetings.models import Accreditation, Participant

    meeting = _meeting(params, user)
    if meeting is None or meeting.registration_deadline is None:
        return None
    delegation = params.get("delegation")
    if not isinstance(delegation, int):
        return None
    registered = (
        Accreditation.objects.filter(meeting=meeting, delegation_id=delegation).exists()
        or Participant.objects.filter(meeting=meeting, delegation_id=delegation).exists()
    )
    if registered:  # the delegation registered while the reminder waited in the outbox
        return None
    values = {"title": meeting.title, "deadline": _local(meeting.registration_deadline, meeting)}
    subject = _("Registration closes %(deadline)s: %(title)s") % values
    lead = (
        _("Your delegation has not yet registered for %(title)s. Registration closes %(deadline)s.")
        % values
    )
    link = absolute_url(reverse("meetings:registration", args=[meeting.pk]))
    register_here = _("Register your participants and upload the accreditation note here:")
    return RenderedEmail(subject=subject, text=f"{lead}\n\n{register_here} {link}\n", html="")


def render_confirmed(params: dict[str, Any], user: User) -> RenderedEmail | None:
    from secretariat.meetings.models import Participant

    meeting = _meeting(params, user)
    delegation = params.get("delegation")
    if meeting is None or not isinstance(delegation, int):
        return None
    names = list(
        Participant.objects.filter(meeting=meeting, delegation_id=delegation).values_list(
            "name", flat=True
        )
    )
    values = {"title": meeting.title, "starts": _local(meeting.starts_at, meeting)}
    subject = _("Registration approved: %(title)s") % values
    lead = (
        _("The secretariat has approved your delegation's registration for %(title)s (%(starts)s).")
        % values
    )
    lines = [lead, ""]
    if names:
        lines.append(_("Registered participants:"))
        lines += [f"- {name}" for name in names]
        lines.append("")
    lines.append(
        _("Registration: %(url)s")
        % {"url": absolute_url(reverse("meetings:registration", args=[meeting.pk]))}
    )
    return RenderedEmail(subject=subject, text="\n".join(lines) + "\n", html="")


def register() -> None:
    register_kind(REMINDER, render_reminder, official=True)
    register_kind(CONFIRMED, render_confirmed, official=True)
