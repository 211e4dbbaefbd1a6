"""The access policy: one place decides who may view or edit what.

Every object that carries an access level (see `RestrictedContent`) is judged here, and lists,
counts, search results and feeds are filtered by `visible_q` — the same rule as a query — so a
restricted item cannot leak through a side door.

    public       everyone, also without login
    members      every user of a member state, the Chairmanship, coordinators, the secretariat
    body         users whose delegation sits in the object's body, the Chairmanship,
                 coordinators, the secretariat
    secretariat  secretariat staff only

Observers read public content only. Editing is for the secretariat, the Chairmanship and
coordinators on content they can see, and for the author of an object; apps refine it (a
delegate acts in a negotiation for their own delegation only).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from secretariat.accounts.models import AccessLevel, Body, Role
from secretariat.core import audit

M = TypeVar("M", bound=models.Model)

STEERING_ROLES = {Role.CHAIR, Role.COORDINATOR}


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_secretariat(user: Any) -> bool:
    """Secretariat staff (and superusers): the one definition; `User.is_secretariat` asks it."""
    return _is_user(user) and (user.role == Role.SECRETARIAT or user.is_superuser)


def is_steering(user: Any) -> bool:
    """The Chairmanship and the coordinators, who steer the process between meetings."""
    return _is_user(user) and user.role in STEERING_ROLES


def can_create_document(user: Any) -> bool:
    """Registering a document in the library: the secretariat and the steering roles."""
    return is_secretariat(user) or is_steering(user)


def can_contribute(user: Any) -> bool:
    """Posting content of one's own (notices, later posts): every active user but observers."""
    return _is_user(user) and user.is_active and user.role != Role.OBSERVER


def body_ids_of(user: Any) -> set[int]:
    """The bodies the user's delegation sits in (cached on the user object)."""
    if not _is_user(user) or not user.delegation_id:
        return set()
    cached = getattr(user, "_body_ids", None)
    if cached is None:
        cached = set(Body.objects.filter(members=user.delegation_id).values_list("id", flat=True))
        user._body_ids = cached
    return cached


def can_see_level(user: Any, access_level: str, body_id: int | None) -> bool:
    if access_level == AccessLevel.PUBLIC:
        return True
    if not _is_user(user) or not user.is_active:
        return False
    if is_secretariat(user):
        return True
    if access_level == AccessLevel.SECRETARIAT or user.role == Role.OBSERVER:
        return False
    if user.role in STEERING_ROLES:
        return True
    if access_level == AccessLevel.MEMBERS:
        return bool(user.delegation_id)
    if access_level == AccessLevel.BODY:
        return body_id is not None and body_id in body_ids_of(user)
    return False


def can_view(user: Any, obj: Any) -> bool:
    """May `user` see `obj`? Objects may define `access_parent()` to inherit another's rule."""
    parent = getattr(obj, "access_parent", None)
    if callable(parent):
        return can_view(user, parent())
    return can_see_level(user, obj.access_level, obj.body_id)


def can_edit(user: Any, obj: Any) -> bool:
    """May `user` change `obj`? Apps with finer rules call this first, then add their own."""
    if not can_view(user, obj) or not _is_user(user):
        return False
    if is_secretariat(user):
        return True
    if user.role == Role.OBSERVER:
        return False
    if user.role in STEERING_ROLES:
        parent = getattr(obj, "access_parent", None)
        level = (parent() if callable(parent) else obj).access_level
        return level != AccessLevel.SECRETARIAT
    author_id = getattr(obj, "created_by_id", None)
    return author_id is not None and author_id == user.pk


def visible_q(user: Any, prefix: str = "") -> Q:
    """The policy as a query condition; `prefix` reaches the content through a relation."""
    p = prefix
    public = Q(**{f"{p}access_level": AccessLevel.PUBLIC})
    if not _is_user(user) or not user.is_active:
        return public
    if is_secretariat(user):
        return Q()
    if user.role == Role.OBSERVER:
        return public
    if user.role in STEERING_ROLES:
        return ~Q(**{f"{p}access_level": AccessLevel.SECRETARIAT})
    if not user.delegation_id:
        return public
    return (
        public
        | Q(**{f"{p}access_level": AccessLevel.MEMBERS})
        | Q(**{f"{p}access_level": AccessLevel.BODY, f"{p}body_id__in": sorted(body_ids_of(user))})
    )


def visible(user: Any, queryset: models.QuerySet[M], prefix: str = "") -> models.QuerySet[M]:
    return queryset.filter(visible_q(user, prefix))


def get_object_for(
    request: HttpRequest,
    queryset: models.QuerySet[M] | type[M],
    *,
    write: bool = False,
    audit_view: bool = True,
    **lookup: Any,
) -> M:
    """Fetch one object for the request's user: 404 if they may not see it (nor know it exists),
    403 if they may see but not change it. Records the view of restricted content."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    user = request.user
    if not can_view(user, obj):
        raise Http404
    if write and not can_edit(user, obj):
        raise PermissionDenied
    if audit_view and not write and not is_public_obj(obj):
        audit.record("view", obj=obj, request=request)
    return obj


def is_public_obj(obj: Any) -> bool:
    parent = getattr(obj, "access_parent", None)
    target = parent() if callable(parent) else obj
    return target.access_level == AccessLevel.PUBLIC
