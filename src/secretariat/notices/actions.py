from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secretariat.accounts.access import require_audience
from secretariat.accounts.models import AccessLevel, Body
from secretariat.core import audit
from secretariat.notices.access import can_post_notice
from secretariat.notices.models import Notice, NoticeRevision


@transaction.atomic
def do_post_notice(
    *, title: str, text: str, access_level: str, body: Body | None, actor: Any, request: Any = None
) -> Notice:
    """Post a notice. Refused (PermissionDenied) if `actor` may not post, or names an
    audience they could not read themselves (the form offers only those; this holds for any
    caller)."""
    if not can_post_notice(actor):
        raise PermissionDenied
    require_audience(actor, access_level, body)
    notice = Notice.objects.create(
        title=title,
        text=text,
        access_level=access_level,
        body=body if access_level == AccessLevel.BODY else None,
        created_by=actor,
    )
    NoticeRevision.objects.create(
        notice=notice,
        number=1,
        title=title,
        text=text,
        access_level=notice.access_level,
        edited_by=actor,
    )
    audit.record("notice.post", actor=actor, obj=notice, request=request, access_level=access_level)
    return notice


@transaction.atomic
def do_edit_notice(
    notice: Notice,
    *,
    title: str,
    text: str,
    access_level: str,
    body: Body | None,
    actor: Any,
    request: Any = None,
) -> Notice:
    """Change a notice; a no-op edit writes nothing, any other keeps a new revision. The
    new audience must be one `actor` could read (an author cannot move a notice out of
    their own sight, into a body they are not in)."""
    require_audience(actor, access_level, body)
    body = body if access_level == AccessLevel.BODY else None
    old = {
        "title": notice.title,
        "text": notice.text,
        "access_level": notice.access_level,
        "body": notice.body_id,
    }
    new = {
        "title": title,
        "text": text,
        "access_level": access_level,
        "body": body.pk if body else None,
    }
    if old == new:
        return notice
    notice.title, notice.text, notice.access_level, notice.body = title, text, access_level, body
    notice.save()
    number = notice.revisions.count() + 1
    NoticeRevision.objects.create(
        notice=notice,
        number=number,
        title=title,
        text=text,
        access_level=access_level,
        edited_by=actor,
    )
    changed = {k: {"old": old[k], "new": new[k]} for k in old if old[k] != new[k]}
    audit.record("notice.edit", actor=actor, obj=notice, request=request, changes=changed)
    return notice
