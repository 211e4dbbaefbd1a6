"""The negotiation's deadlines for the core reaper's overdue sweep: an open silence procedure
past its deadline whose task was lost (a dead worker, a failed run) is enqueued again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from secretariat.core import reaper
from secretariat.negotiation.models import SilenceProcedure
from secretariat.negotiation.tasks import end_silence_procedure


def overdue_silences(now: datetime) -> Iterator[reaper.Deadline]:
    for silence in SilenceProcedure.objects.filter(
        state=SilenceProcedure.State.OPEN, deadline__lte=now
    ).select_related("negotiation"):
        yield reaper.Deadline(
            kind="negotiation.silence",
            label=str(silence),
            due_at=silence.deadline,
            task=end_silence_procedure,
            args=(silence.pk,),
            url=silence.negotiation.get_absolute_url(),
        )
