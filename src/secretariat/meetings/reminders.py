"""Registration reminders and confirmations, by email through the outbox.

The reminder pass: for each convened meeting whose registration deadline is less than
`REMIND_DAYS` away (and not past), each member delegation of its body that has registered
nothing (no accreditation note, no participant) gets one reminder, to its official distribution
list (contact points, else heads, else delegates) who may see the meeting. A
`RegistrationReminder` row, unique per meeting and delegation, is inserted in the same
transaction as the emails, so a pass run twice, by two workers or after a restart, sends once.
The pass is a django-tasks row with `run_after` (it survives restarts); each run schedules the
next at the earliest reminder window still ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat.accounts.access import can_view
from secretariat.accounts.models import Delegation, User
from secretariat.meetings import mail
from secretariat.meetings.models import (
    Accreditation,
    Meeting,
    Participant,
    RegistrationReminder,
)
from secretariat.outbox.api import EmailRequest, enqueue_emails
from secretariat.outbox.lists import ListSpec, members_of

REMIND_DAYS = 7


@dataclass(frozen=True)
class SentReminder:
    meeting: int
    delegation: str
    recipients: int


def contacts(meeting: Meeting, delegation: Delegation) -> list[User]:
    """The delegation's official distribution list, each once, only those who see the meeting."""
    users: dict[int, User] = {}
    for member in members_of(ListSpec(delegations=(delegation.code,))):
        if member.user.email and can_view(member.user, meeting):
            users.setdefault(member.user.pk, member.user)
    return list(users.values())


def window_opens(meeting: Meeting) -> datetime | None:
    deadline = meeting.registration_deadline
    return None if deadline is None else deadline - timedelta(days=REMIND_DAYS)


def unregistered(meeting: Meeting) -> list[Delegation]:
    """Member delegations of the meeting's body with neither an accreditation nor a
    participant for it."""
    if meeting.body is None:
        return []
    done = set(
        Accreditation.objects.filter(meeting=meeting).values_list("delegation_id", flat=True)
    ) | set(
        Participant.objects.filter(meeting=meeting, delegation__isnull=False).values_list(
            "delegation_id", flat=True
        )
    )
    return [d for d in meeting.body.members_on().order_by("code") if d.pk not in done]


def _send(meeting: Meeting, delegation: Delegation) -> SentReminder | None:
    users = contacts(meeting, delegation)
    params = {"meeting": meeting.pk, "delegation": delegation.pk}
    try:
        with transaction.atomic():
            RegistrationReminder.objects.create(
                meeting=meeting,
                delegation=delegation,
                sent_at=timezone.now(),
                recipients=len(users),
            )
            enqueue_emails(
                EmailRequest(
                    user,
                    mail.REMINDER,
                    params,
                    f"meetings:registration-reminder:{meeting.pk}:{delegation.pk}:user:{user.pk}",
                    "meetings.registration",
                )
                for user in users
            )
    except IntegrityError:  # another pass sent it first
        return None
    return SentReminder(meeting.pk, delegation.code, len(users))


def due_meetings(now: datetime) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.CONVENED,
            registration_deadline__gt=now,
            registration_deadline__lte=now + timedelta(days=REMIND_DAYS),
        ).select_related("body")
    )


def run_pass(now: datetime | None = None) -> list[SentReminder]:
    """Send every registration reminder owed now and not yet sent; returns what was sent."""
    now = now or timezone.now()
    sent: list[SentReminder] = []
    for meeting in due_meetings(now):
        reminded = set(meeting.registration_reminders.values_list("delegation_id", flat=True))
        for delegation in unregistered(meeting):
            if delegation.pk in reminded:
                continue
            result = _send(meeting, delegation)
            if result is not None:
                sent.append(result)
    return sent


def next_window(now: datetime) -> datetime | None:
    """When the next pass is owed: the earliest reminder window of a convened meeting that
    opens after `now` (windows already open were served by this pass)."""
    opens = [
        w
        for m in Meeting.objects.filter(
            status=Meeting.Status.CONVENED, registration_deadline__gt=now
        ).only("registration_deadline")
        if (w := window_opens(m)) is not None and w > now
    ]
    return min(opens) if opens else None


def schedule_for(meeting: Meeting) -> None:
    """Inside the caller's transaction: a pass no later than the meeting's reminder window."""
    from secretariat.meetings.tasks import registration_reminder_pass
    from secretariat.outbox.scheduling import ensure_task

    if meeting.status != Meeting.Status.CONVENED or meeting.registration_deadline is None:
        return
    now = timezone.now()
    if meeting.registration_deadline <= now:
        return
    opens = window_opens(meeting)
    ensure_task(registration_reminder_pass, opens if opens is not None and opens > now else None)


def enqueue_confirmation(accreditation: Accreditation) -> int:
    """Inside the approving transaction: the confirmation to the delegation's contact points.
    Keyed by the approval's time, so an approval given again after a new note mails again."""
    meeting, delegation = accreditation.meeting, accreditation.delegation
    stamp = int(accreditation.approved_at.timestamp()) if accreditation.approved_at else 0
    return enqueue_emails(
        EmailRequest(
            user,
            mail.CONFIRMED,
            {"meeting": meeting.pk, "delegation": delegation.pk},
            f"meetings:registration-confirmed:{accreditation.pk}:{stamp}:user:{user.pk}",
            "meetings.registration",
        )
        for user in contacts(meeting, delegation)
    )
