"""The caller's own notifications (the notification centre's rule: one about an object the
reader may no longer see is not listed)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from secretariat.accounts.models import User
from secretariat.api import pagination
from secretariat.api.problems import ERRORS, Problem
from secretariat.api.v1.library import PageParams
from secretariat.api.v1.schemas import NotificationOut, NotificationPage
from secretariat.core.limits import MAX_ID
from secretariat.notifications.access import readable
from secretariat.notifications.actions import do_mark_read
from secretariat.notifications.models import Notification

router = Router(tags=["notifications"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/notifications", response={200: NotificationPage, ERRORS: Problem})
def list_notifications(request: HttpRequest, page: Query[PageParams]) -> NotificationPage:
    user = _user(request)
    rows, cursor = pagination.keyset(
        Notification.objects.filter(user=user).select_related("target_type"),
        page.cursor,
        page.limit,
        kind="notifications",
    )
    return NotificationPage(
        items=[
            NotificationOut(
                id=n.pk,
                kind=n.kind,
                message=n.message,
                url=n.url,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
            for n in readable(user, rows)
        ],
        next_cursor=cursor,
    )


class MarkRead(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=500)


class Marked(Schema):
    marked: int


@router.post("/notifications/read", response={200: Marked, ERRORS: Problem})
def mark_read(request: HttpRequest, data: MarkRead) -> Marked:
    """Mark the given notifications of the caller read (others' ids are ignored)."""
    ids = [i for i in data.ids if 0 < i <= MAX_ID]
    return Marked(marked=do_mark_read(_user(request), ids))


@router.post("/notifications/read-all", response={200: Marked, ERRORS: Problem})
def mark_all_read(request: HttpRequest) -> Marked:
    """Mark every notification of the caller read."""
    return Marked(marked=do_mark_read(_user(request)))
