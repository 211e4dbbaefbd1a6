"""Making sure a background task will run by a given time, without piling up duplicates.

The outbox and the digests need "a sender task due no later than T". Enqueueing one task per
message would leave hundreds of empty runs behind a bulk mailing, so we look for a ready task of
the same function due by T and lock it (SKIP LOCKED): while our transaction holds that lock no
worker can start it, so when it runs it sees the rows we are about to commit. If none is free,
we enqueue a new one in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult, get_date_max


def ensure_task(task: Task[Any, Any], at: datetime | None = None) -> None:
    """Make sure `task` (taking no arguments) runs at or before `at` (now when None)."""
    due = Q(run_after=get_date_max())
    due |= Q(run_after__lte=at) if at is not None else Q(run_after__lte=timezone.now())
    with transaction.atomic():
        pending = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status="READY", task_path=task.module_path)
            .filter(due)
            .values_list("pk", flat=True)[:1]
        )
        if list(pending):
            return
        if at is not None and at > timezone.now():
            task.using(run_after=at).enqueue()
        else:
            task.enqueue()
