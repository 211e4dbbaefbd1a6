"""The access policy: one place decides who may view or edit what.

Every object that carries an access level (see `RestrictedContent`) is judged here, and lists,
counts, search results and feeds are filtered by `visible_q` — the same rule as a query — so a
restricted item cannot leak through a side door.

    public       everyone, also without login
    members      every user of a member state, the Chairmanship, coordinators, the secretariat
    body         users whose delegation sits in the object's body, the Chairmanship,
                 coordinators, the secretariat
    secretariat  secretariat staff only

Observers read public content only, unless the forum's register gives their organisation
the `members` tier (then also what all members see, never a body's or the secretariat's).
Editing is for the secretariat, the Chairmanship and coordinators on content they can see,
and for the author of an object; apps refine it (a delegate acts in a negotiation for their
own delegation only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from secretariat.accounts.models import (
    AccessLevel,
    Body,
    Delegation,
    Forum,
    Role,
    User,
    member_on_q,
)
from secretariat.accounts.register import presiding_role, secretariat_powers
from secretariat.core import audit

M = TypeVar("M", bound=models.Model)

STEERING_ROLES = {Role.CHAIR, Role.COORDINATOR}


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_secretariat(user: Any) -> bool:
    """Secretariat staff (and superusers): the one definition; `User.is_secretariat` asks it.
    Where the forum has no standing secretariat, the register names who holds its powers
    (`secretariat_powers: presiding`): then the presiding side's holders have them too."""
    if not _is_user(user):
        return False
    return user.role == Role.SECRETARIAT or user.is_superuser or holds_secretariat_powers(user)


def holds_secretariat_powers(user: Any) -> bool:
    """A chair or coordinator who holds the presiding side now, in a forum whose register gives
    the secretariat's powers to the presiding side (ASEM's coordinators). Once per user object;
    other roles cost no query."""
    if not _is_user(user) or not user.is_active or user.role not in STEERING_ROLES:
        return False
    cached = getattr(user, "_secretariat_powers", None)
    if cached is None:
        cached = secretariat_powers() == Forum.Powers.PRESIDING and holds_chairmanship(user)
        user._secretariat_powers = cached
    return bool(cached)


# Who holds the chairmanship now is known above accounts (the programme app's terms). A
# provider answers True/False for a user, or None when it has no recorded term (then the
# user's role decides, as before terms were kept).
ChairProvider = Callable[[Any], bool | None]
_chair_providers: list[ChairProvider] = []


def register_chair_provider(provider: ChairProvider) -> None:
    """Called from an AppConfig.ready(): the first provider with a verdict decides."""
    if provider not in _chair_providers:
        _chair_providers.append(provider)


def holds_chairmanship(user: Any) -> bool:
    """Whether `user` acts for the Chairmanship (the presiding side) now: the recorded term's
    holders from the handover on; without any recorded term, users with the chair role or
    the role the forum's register names for the presiding side (coordinators in ASEM)."""
    if not _is_user(user) or not user.is_active:
        return False
    cached = getattr(user, "_holds_chair", None)  # once per user object (one request)
    if cached is None:
        role = user.role
        # The role that speaks for the presiding side is the register's (coordinators in
        # ASEM); the forum is asked only for a coordinator, so other users cost no query.
        cached = role == Role.CHAIR or (role == Role.COORDINATOR and presiding_role() == role)
        for provider in _chair_providers:
            verdict = provider(user)
            if verdict is not None:
                cached = verdict
                break
        user._holds_chair = cached
    return bool(cached)


def is_steering(user: Any) -> bool:
    """The Chairmanship and the coordinators, who steer the process between meetings."""
    return _is_user(user) and (user.role == Role.COORDINATOR or holds_chairmanship(user))


def can_create_document(user: Any) -> bool:
    """Registering a document in the library: the secretariat and the steering roles, and a
    delegation submitting its own papers (non-papers, proposals) to a body it sits in."""
    return is_secretariat(user) or is_steering(user) or submits_for_delegation(user)


def submits_for_delegation(user: Any) -> bool:
    """A delegate or contact point whose delegation sits in some body registers documents as
    its delegation's own contributions (marked as theirs, only to those bodies)."""
    return (
        _is_user(user)
        and user.is_active
        and user.role in (Role.DELEGATE, Role.CONTACT_POINT)
        and can_contribute(user)
        and bool(body_ids_of(user))
    )


def may_submit_to_body(user: Any, body: Body | None) -> bool:
    """A delegation's own document goes only to a body the delegation sits in."""
    return body is not None and submits_for_delegation(user) and body.pk in body_ids_of(user)


def _participant_terms(user: Any) -> tuple[str, bool]:
    """A non-member participant's access tier and whether it may contribute, from its
    delegation's register entry (cached on the user object; no query without a delegation)."""
    if not user.delegation_id:
        return Delegation.Tier.PUBLIC, False
    cached = getattr(user, "_participant_terms", None)
    if cached is None:
        row = (
            Delegation.objects.filter(pk=user.delegation_id)
            .values_list("access_tier", "may_contribute")
            .first()
        )
        cached = (str(row[0]), bool(row[1])) if row else (Delegation.Tier.PUBLIC, False)
        user._participant_terms = cached
    return cached


def observer_reads_members_content(user: Any) -> bool:
    """An observer or partner organisation whose register entry shares with it what all the
    members see (the `members` access tier); never body or secretariat content."""
    return _participant_terms(user)[0] == Delegation.Tier.MEMBERS


def can_contribute(user: Any) -> bool:
    """Posting content of one's own (notices, later posts): every active user but observers,
    unless the register lets their organisation submit contributions."""
    if not _is_user(user) or not user.is_active:
        return False
    return user.role != Role.OBSERVER or _participant_terms(user)[1]


TWO_FACTOR_ROLES = {Role.SECRETARIAT, Role.CHAIR}


def must_use_two_factor(user: Any) -> bool:
    """Who must sign in with a second factor: the secretariat (and superusers) and the
    Chairmanship, whose accounts can change every document and the running negotiations.
    Everyone else may enrol a device; once they have one, it is asked for too."""
    return _is_user(user) and (is_secretariat(user) or user.role in TWO_FACTOR_ROLES)


def must_keep_email(user: Any) -> bool:
    """Whose account may not be without an email address: the secretariat (and superusers)
    and the Chairmanship, whose work mail and password resets must reach them."""
    return _is_user(user) and (
        is_secretariat(user) or user.role in TWO_FACTOR_ROLES or holds_chairmanship(user)
    )


def can_reset_two_factor(actor: Any, target: Any) -> bool:
    """A lost device is reset by ANOTHER secretariat officer: never by its owner, so a stolen
    password alone can never replace the second factor."""
    return is_secretariat(actor) and actor.pk != target.pk


def can_end_sessions_of(actor: Any, target: Any) -> bool:
    """One's own sessions, or anyone's for the secretariat (a lost laptop, a departed officer)."""
    return _is_user(actor) and (actor.pk == target.pk or is_secretariat(actor))


def body_ids_of(user: Any) -> set[int]:
    """The bodies the user's delegation sits in (cached on the user object)."""
    if not _is_user(user) or not user.delegation_id:
        return set()
    cached = getattr(user, "_body_ids", None)
    if cached is None:
        # Its bodies while it is a member today (accession and withdrawal dates count on
        # their day, without a reload of the register).
        cached = set(
            Body.objects.filter(  # one filter(): the same join of members
                Q(members=user.delegation_id) & member_on_q(prefix="members__")
            ).values_list("id", flat=True)
        )
        user._body_ids = cached
    return cached


def can_see_level(user: Any, access_level: str, body_id: int | None) -> bool:
    if access_level == AccessLevel.PUBLIC:
        return True
    if not _is_user(user) or not user.is_active:
        return False
    if is_secretariat(user):
        return True
    if access_level == AccessLevel.SECRETARIAT:
        return False
    if user.role == Role.OBSERVER:
        return access_level == AccessLevel.MEMBERS and observer_reads_members_content(user)
    if is_steering(user):
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
    if is_steering(user):
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
        if observer_reads_members_content(user):
            return public | Q(**{f"{p}access_level": AccessLevel.MEMBERS})
        return public
    if is_steering(user):
        return ~Q(**{f"{p}access_level": AccessLevel.SECRETARIAT})
    if not user.delegation_id:
        return public
    return (
        public
        | Q(**{f"{p}access_level": AccessLevel.MEMBERS})
        | Q(**{f"{p}access_level": AccessLevel.BODY, f"{p}body_id__in": sorted(body_ids_of(user))})
    )


def scope_key(user: Any) -> str:
    """A short digest of what decides which content `user` may see and what the pages offer
    them: the policy's condition (`visible_q`, with the user's bodies) and the powers the pages
    test. Fragments cached across readers are keyed by it: two users share an entry only when
    the policy treats them alike."""
    parts = (
        str(visible_q(user)),
        _is_user(user) and user.is_active,
        is_secretariat(user),
        is_steering(user),
        getattr(user, "role", ""),
        can_create_document(user),
        can_contribute(user),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


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
    403 if they may see but not change it. Records the view of restricted content, and every
    refusal of an object that exists ("view.denied", "change.denied"): written the way views
    are (core.audit: never waiting on, nor failing with, a busy database)."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    user = request.user
    if not can_view(user, obj):
        audit.record_view(obj=obj, request=request, action="view.denied")
        raise Http404
    if write and not can_edit(user, obj):
        audit.record_view(obj=obj, request=request, action="change.denied")
        raise PermissionDenied
    if audit_view and not write and not is_public_obj(obj):
        audit.record("view", obj=obj, request=request)
    return obj


def is_public_obj(obj: Any) -> bool:
    parent = getattr(obj, "access_parent", None)
    target = parent() if callable(parent) else obj
    return target.access_level == AccessLevel.PUBLIC


def bodies_readable_by(user: Any) -> models.QuerySet[Body]:
    """The bodies whose body-level content `user` may read (all for the secretariat and the
    steering roles): what a form may offer them as the audience of a post."""
    if not _is_user(user) or not user.is_active or user.role == Role.OBSERVER:
        return Body.objects.none()
    if is_secretariat(user) or is_steering(user):
        return Body.objects.all()
    return Body.objects.filter(pk__in=sorted(body_ids_of(user)))


def levels_readable_by(user: Any) -> list[tuple[str, Any]]:
    """The access levels (value, label) of which `user` could read some content: a poster is
    offered only these, so nothing they post is hidden from them."""
    out: list[tuple[str, Any]] = []
    for value, label in AccessLevel.choices:
        if value == AccessLevel.BODY:
            if bodies_readable_by(user).exists():
                out.append((value, label))
        elif can_see_level(user, value, None):
            out.append((value, label))
    return out


def require_audience(user: Any, access_level: str, body: Body | None) -> None:
    """The action layer's check of an audience (access level and body) `user` gives a post
    or a document: PermissionDenied unless they could read it themselves. Forms offer only
    such audiences; this refuses a direct call (a command, the API, a future view) that
    would widen it. `user` None is the system (a task, a command), which is not refused."""
    if user is None:
        return
    if access_level not in AccessLevel.values:
        raise PermissionDenied(f"unknown access level {access_level!r}")
    if access_level == AccessLevel.BODY and body is None:
        raise PermissionDenied("a body-restricted audience needs its body")
    body_id = body.pk if access_level == AccessLevel.BODY and body is not None else None
    if not can_see_level(user, access_level, body_id):
        raise PermissionDenied("the audience is one its author could not read")


def get_account_for(request: HttpRequest, pk: int) -> User:
    """A user account as the secretariat manages it (sessions, second factor): 404 for anyone
    else, who may not look into other people's accounts."""
    if not is_secretariat(request.user):
        raise Http404
    try:
        return User.objects.select_related("delegation").get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None
