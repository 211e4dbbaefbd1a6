"""The caller's own profile (read, update) and the directory of delegations, through the
accounts app's own actions and rules (`accounts.profile`, `accounts.directory`)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from secretariat.accounts.directory import directory
from secretariat.accounts.forms import ProfileForm
from secretariat.accounts.models import User
from secretariat.accounts.profile import (
    FIELDS,
    EmailChangeRefused,
    do_clear_email,
    do_request_email_change,
    do_update_profile,
    time_zones,
)
from secretariat.api.problems import ERRORS, Problem
from secretariat.api.v1.library import NUL_FREE
from secretariat.negotiation.actions.common import ActionError

router = Router(tags=["people"])


class ProfileOut(Schema):
    username: str
    first_name: str
    last_name: str
    email: str
    language: str
    time_zone: str
    role: str
    delegation: str | None


def _one_of(values: list[str]) -> str:
    return "^(" + "|".join(re.escape(v) for v in values) + ")$"


# What the profile form accepts, said in the schema so that a client knows it before asking:
# an address Django's EmailValidator takes (or empty), a language of the interface, a zone
# of the IANA database.
EMAIL = (
    r"^$|^[A-Za-z0-9_%+-]{1,32}(\.[A-Za-z0-9_%+-]{1,16}){0,3}"
    r"@[A-Za-z0-9]{1,63}(\.[A-Za-z0-9]{1,63}){0,3}\.[A-Za-z]{2,6}$"
)


class ProfileIn(Schema):
    """Only the fields given change; the same checks as the profile page."""

    first_name: str | None = Field(None, max_length=150, pattern=NUL_FREE)
    last_name: str | None = Field(None, max_length=150, pattern=NUL_FREE)
    email: str | None = Field(None, max_length=254, pattern=EMAIL)
    language: str | None = Field(
        None, pattern=_one_of([code for code, _name in settings.LANGUAGES])
    )
    time_zone: str | None = Field(None, pattern=_one_of(time_zones()))


class ContactOut(Schema):
    name: str
    email: str


class DirectoryEntryOut(Schema):
    code: str
    name: str
    kind: str
    bodies: list[str]
    contacts: list[ContactOut]


class DirectoryFilters(Schema):
    q: str = Field("", max_length=100, description="part of a code or a name")


def _me(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _profile(user: User) -> ProfileOut:
    return ProfileOut(
        username=user.get_username(),
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        language=user.language,
        time_zone=user.time_zone,
        role=user.role,
        delegation=user.delegation.code if user.delegation_id and user.delegation else None,
    )


@router.get("/profile", response={200: ProfileOut, ERRORS: Problem})
def read_profile(request: HttpRequest) -> ProfileOut:
    """The caller's own profile (a token reads its user's)."""
    return _profile(_me(request))


@router.patch("/profile", response={200: ProfileOut, ERRORS: Problem})
def update_profile(request: HttpRequest, data: ProfileIn) -> ProfileOut:
    """Change one's own name, language or time zone (audited, old and new values). A new
    email address is only asked for, as on the profile page: it is set once the link mailed
    to it is used, so the answer still shows the current one; an empty one removes the
    address (not for the secretariat and the Chairmanship); another account's is refused."""
    user = _me(request)
    given = {k: v for k, v in data.dict().items() if v is not None}
    form = ProfileForm({**{f: getattr(user, f) for f in FIELDS}, **given}, user=user)
    if not form.is_valid():
        raise ActionError(
            "; ".join(
                f"{field}: {' '.join(str(e) for e in errs)}" for field, errs in form.errors.items()
            )
        )
    values = {k: form.cleaned_data[k] for k in given if k != "email"}
    try:
        with transaction.atomic():
            do_update_profile(user, actor=user, **values)
            if "email" in given:
                if form.cleaned_data["email"]:
                    do_request_email_change(user, form.cleaned_data["email"], actor=user)
                else:
                    do_clear_email(user, actor=user)
    except EmailChangeRefused as refused:  # the address was taken since the form's check
        user.refresh_from_db()
        raise ActionError(f"email: {refused.message}", status=409) from None
    return _profile(user)


@router.get("/directory", response={200: list[DirectoryEntryOut], ERRORS: Problem})
def read_directory(
    request: HttpRequest, filters: Query[DirectoryFilters]
) -> list[DirectoryEntryOut]:
    """Every delegation of the register with the bodies it sits in; its contact points only
    for callers who read what all members see (as the directory page)."""
    from secretariat.core.limits import query_text

    return [
        DirectoryEntryOut(
            code=e.delegation.code,
            name=e.delegation.name,
            kind=e.delegation.kind,
            bodies=[b.code for b in e.bodies],
            contacts=[
                ContactOut(name=p.get_full_name() or p.get_username(), email=p.email)
                for p in e.contacts
            ],
        )
        for e in directory(_me(request), query_text(filters.q))
    ]
