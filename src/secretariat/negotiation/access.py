"""Who may see and act in a negotiation, on top of the forum's access policy.

A negotiation is body-restricted content: delegations outside the body get 404. Within it a
user acts under one code only, their own (`IND`, or the negotiation's chair code for the
Chairmanship); observers and the secretariat state no positions. The chair and the
secretariat steer (compile, edit the working text, decide). Every "who may" rule of the app's
views and templates is a function here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from secretariat.accounts import access as policy
from secretariat.accounts.models import Role, User
from secretariat.core import audit
from secretariat.core.models import AuditEvent
from secretariat.negotiation.models import (
    EDITION_LANGUAGES,
    ImportJob,
    Negotiation,
    TranslatorAssignment,
)

# Podium polls, its stream and paragraph fragments come back many times a minute: one
# "viewed" row per user per negotiation per hour says who read it without flooding the log.
REPEATED_VIEW_WINDOW = timedelta(hours=1)


def visible_negotiations(user: Any) -> QuerySet[Negotiation]:
    """The negotiations `user` may see, for lists: the imported draft and its diagnostics (as
    large as the import, 20 MB at most) are left unread; a negotiation's own pages fetch it."""
    return policy.visible(
        user, Negotiation.objects.select_related("body").defer(*Negotiation.LARGE_FIELDS)
    )


def user_of(request: HttpRequest) -> User:
    """The request's user; the login middleware has already sent anonymous visitors away."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def is_observer(user: Any) -> bool:
    return getattr(user, "role", None) == Role.OBSERVER


def is_chair(user: Any) -> bool:
    """Who acts for the Chairmanship now (the recorded term when there is one)."""
    return policy.holds_chairmanship(user)


def can_start(user: Any) -> bool:
    """Import a draft and open a negotiation: the secretariat and the Chairmanship."""
    return policy.is_secretariat(user) or is_chair(user)


def can_map_codes(user: Any) -> bool:
    """Teach the forum's register a draft's unknown code: the secretariat, which keeps it."""
    return policy.is_secretariat(user)


def can_comment(user: Any, negotiation: Negotiation) -> bool:
    """Everyone who sees the text may discuss it, except observers."""
    return policy.can_view(user, negotiation) and not is_observer(user)


def acting_code(user: Any, negotiation: Negotiation) -> str | None:
    """The code `user` speaks under in this negotiation, or None if they may not act."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if is_observer(user) or not policy.can_view(user, negotiation):
        return None
    if is_chair(user):
        return negotiation.chair_code
    code: str | None = user.acting_code
    body = negotiation.body
    if code is None or body is None:
        return None
    if user.delegation_id not in set(body.members_on().values_list("pk", flat=True)):
        return None
    return code


def can_steer(user: Any, negotiation: Negotiation) -> bool:
    """Compile revisions, edit the working text, record decisions: chair and secretariat."""
    if not policy.can_view(user, negotiation):
        return False
    return policy.is_secretariat(user) or is_chair(user)


def get_negotiation_for(request: HttpRequest, pk: int, *, write: bool = False) -> Negotiation:
    """404 if the user may not see it; with `write`, 403 unless they may act in it. The view
    is audited (see `get_negotiation_for_poll` for pages fetched again and again)."""
    negotiation = policy.get_object_for(
        request, Negotiation.objects.select_related("body"), pk=pk, audit_view=not write
    )
    if (
        write
        and acting_code(request.user, negotiation) is None
        and not can_steer(request.user, negotiation)
    ):
        raise PermissionDenied
    return negotiation


def get_negotiation_for_poll(request: HttpRequest, pk: int) -> Negotiation:
    """For what a page fetches again and again (podium polls, the podium stream, paragraph
    fragments): 404 as usual, and the view is recorded by `record_repeated_view`."""
    negotiation = policy.get_object_for(
        request, Negotiation.objects.select_related("body"), pk=pk, audit_view=False
    )
    record_repeated_view(request.user, negotiation, request=request)
    return negotiation


def record_repeated_view(
    user: Any, negotiation: Negotiation, *, request: HttpRequest | None = None, via: str = ""
) -> bool:
    """One "view" audit row per user and revision of the text within REPEATED_VIEW_WINDOW;
    returns whether it wrote one. The audit log is its own memory, so this holds across web
    processes; a new revision of the text is a new first view. `via` names the channel in the
    row (the podium stream says so). The row goes through `audit.record`'s view path: written
    at once if that needs no wait, else buffered, so it never fails nor holds up the read."""
    if policy.is_public_obj(negotiation):
        return False
    number = (
        negotiation.revisions.filter(frozen=False).values_list("number", flat=True).first() or 0
    )
    seen = AuditEvent.objects.filter(
        action="view",
        actor_id=getattr(user, "pk", None),
        object_type=negotiation._meta.label_lower,
        object_id=str(negotiation.pk),
        at__gte=timezone.now() - REPEATED_VIEW_WINDOW,
        detail__revision=number,
    ).exists()
    if seen:
        return False
    detail: dict[str, Any] = {"revision": number}
    if via:
        detail["via"] = via
    audit.record("view", actor=user, obj=negotiation, request=request, **detail)
    return True


def require_code(request: HttpRequest, negotiation: Negotiation) -> str:
    code = acting_code(request.user, negotiation)
    if code is None:
        raise PermissionDenied
    return code


ASSIGN_PERMISSION = "negotiation.add_translatorassignment"


def is_translation_manager(user: Any) -> bool:
    """A secretariat manager for translation: a secretariat officer holding the permission to
    assign translators (or a superuser). They assign translators and may keep any edition."""
    return policy.is_secretariat(user) and (
        bool(getattr(user, "is_superuser", False)) or user.has_perm(ASSIGN_PERMISSION)
    )


def translator_languages(user: Any, negotiation: Negotiation | None = None) -> list[str]:
    """The edition languages `user` may keep: every language for a manager; else the ones the
    secretariat assigned them forum-wide, plus (for `negotiation`) the ones assigned for it,
    or (with no negotiation: the queue) for any negotiation. Secretariat staff only."""
    codes = [code for code, _name in EDITION_LANGUAGES]
    if not policy.is_secretariat(user):
        return []
    if is_translation_manager(user):
        return codes
    qs = TranslatorAssignment.objects.filter(translator=user)
    if negotiation is not None:
        qs = qs.filter(Q(negotiation__isnull=True) | Q(negotiation=negotiation))
    assigned = set(qs.values_list("language", flat=True))
    return [code for code in codes if code in assigned]


def translation_negotiations(user: Any, language: str) -> QuerySet[Negotiation]:
    """The negotiations whose `language` edition `user` keeps, among those they may read."""
    visible = visible_negotiations(user)
    if not policy.is_secretariat(user):
        return visible.none()
    if is_translation_manager(user):
        return visible
    mine = TranslatorAssignment.objects.filter(translator=user, language=language)
    if mine.filter(negotiation__isnull=True).exists():
        return visible
    return visible.filter(pk__in=mine.values("negotiation_id"))


def can_translate(
    user: Any, negotiation: Negotiation | None = None, language: str | None = None
) -> bool:
    """Keep the language editions: the secretariat's staff assigned to the language (for the
    negotiation or forum-wide), or its managers; and only in what they may read: an edition is
    never wider than its source. Without `language`: any language they keep."""
    if not policy.is_secretariat(user):
        return False
    if negotiation is not None and not policy.can_view(user, negotiation):
        return False
    languages = translator_languages(user, negotiation)
    return language in languages if language is not None else bool(languages)


def require_translate(
    request: HttpRequest, negotiation: Negotiation, language: str | None = None
) -> None:
    if not can_translate(request.user, negotiation, language):
        raise PermissionDenied


def require_steer(request: HttpRequest, negotiation: Negotiation) -> None:
    if not can_steer(request.user, negotiation):
        raise PermissionDenied


def get_import_job_for(request: HttpRequest, pk: int) -> ImportJob:
    """An import's progress: for the one who started it and the secretariat; 404 for anyone
    else (the draft is restricted until it is a negotiation of its body)."""
    from django.http import Http404

    job = ImportJob.objects.select_related("negotiation").filter(pk=pk).first()
    if job is None:
        raise Http404
    user = request.user
    if job.created_by_id != getattr(user, "pk", None) and not policy.is_secretariat(user):
        audit.record_view(obj=job, request=request, action="view.denied")
        raise Http404
    return job
