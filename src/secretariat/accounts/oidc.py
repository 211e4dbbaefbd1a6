"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when SECRETARIAT_OIDC_ISSUER
is set.

Who gets in:
- The identity provider must send an e-mail address. A person who already has an account with
  that address signs in to it, unless the provider places them in another delegation than
  their account's (refused: moving people between delegations is the secretariat's act).
- A person without an account gets one, as a delegate of their delegation, only when the
  delegation is known: from the `secretariat_delegation` claim (a delegation code or alias of
  the forum's register), or else from the secretariat's mapping of e-mail domains
  (`DelegationEmailDomain`, edited in the admin). Anyone else is refused: no account is ever
  created without a delegation, and single sign-on never grants the secretariat role.
- A claim naming a code the forum does not know refuses the sign-in (a typo at the provider
  must not fall back to the e-mail domain).
- The password login stays: the secretariat's break-glass access does not depend on the
  identity provider.
Every sign-in and every refusal is in the audit log (`login.sso`, `login.sso_refused`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from secretariat.accounts.models import (
    Delegation,
    DelegationAlias,
    DelegationEmailDomain,
    Role,
    User,
)
from secretariat.core import audit


class Refusal(enum.StrEnum):
    NO_EMAIL = "no_email"
    UNKNOWN_DELEGATION = "unknown_delegation"  # the claim names a code the forum lacks
    NO_DELEGATION = "no_delegation"  # no claim, no mapped domain, no account
    OTHER_DELEGATION = "other_delegation"  # the account belongs to another delegation
    AMBIGUOUS = "ambiguous"  # several accounts share the address
    INACTIVE = "inactive"


REFUSAL_MESSAGES = {
    Refusal.NO_EMAIL: gettext_lazy("The identity provider did not send your e-mail address."),
    Refusal.UNKNOWN_DELEGATION: gettext_lazy(
        "The identity provider names a delegation this forum does not know."
    ),
    Refusal.NO_DELEGATION: gettext_lazy(
        "Your organisation is not linked to a delegation of this forum. "
        "Please ask the secretariat for access."
    ),
    Refusal.OTHER_DELEGATION: gettext_lazy(
        "The identity provider places you in another delegation than your account. "
        "Please ask the secretariat."
    ),
    Refusal.AMBIGUOUS: gettext_lazy(
        "Several accounts use your e-mail address. Please ask the secretariat."
    ),
    Refusal.INACTIVE: gettext_lazy("Your account is disabled."),
}


@dataclass(frozen=True)
class ClaimedDelegation:
    """What the provider's claims say about the person's delegation."""

    delegation: Delegation | None
    source: str  # "claim", "domain" or "" (nothing said)
    unknown_code: str = ""


def claimed_delegation(claims: dict[str, Any]) -> ClaimedDelegation:
    code = str(claims.get(settings.OIDC_DELEGATION_CLAIM) or "").strip().upper()
    if code:
        delegation = (
            Delegation.objects.filter(code=code).first()
            or Delegation.objects.filter(
                pk__in=DelegationAlias.objects.filter(alias=code).values("delegation")
            ).first()
        )
        return ClaimedDelegation(delegation, "claim", "" if delegation else code)
    email = str(claims.get("email") or "")
    domain = email.rpartition("@")[2].strip().lower()
    if domain:
        mapped = DelegationEmailDomain.objects.select_related("delegation").filter(domain=domain)
        if (row := mapped.first()) is not None:
            return ClaimedDelegation(row.delegation, "domain")
    return ClaimedDelegation(None, "")


class SSORefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def _username_for(email: str) -> str:
    base = email.split("@")[0].lower()[:140] or "user"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def do_sso_sign_in(claims: dict[str, Any], *, issuer: str, request: HttpRequest) -> User:
    """The account the verified claims sign in to (created if the rules above allow), with
    the audit row; raises SSORefused (after auditing the refusal) otherwise."""
    email = str(claims.get("email") or "").strip()
    try:
        with transaction.atomic():
            if not email:
                raise SSORefused(Refusal.NO_EMAIL)
            said = claimed_delegation(claims)
            if said.unknown_code:
                raise SSORefused(Refusal.UNKNOWN_DELEGATION)
            accounts = list(User.objects.filter(email__iexact=email).select_related("delegation"))
            created = False
            if len(accounts) > 1:
                raise SSORefused(Refusal.AMBIGUOUS)
            if accounts:
                user = accounts[0]
                if not user.is_active:
                    raise SSORefused(Refusal.INACTIVE)
                if said.delegation is not None and user.delegation_id != said.delegation.pk:
                    raise SSORefused(Refusal.OTHER_DELEGATION)
            elif said.delegation is None:
                raise SSORefused(Refusal.NO_DELEGATION)
            else:
                user = User(
                    username=_username_for(email),
                    email=email,
                    first_name=str(claims.get("given_name") or "")[:150],
                    last_name=str(claims.get("family_name") or "")[:150],
                    role=Role.DELEGATE,
                    delegation=said.delegation,
                )
                user.set_unusable_password()
                user.save()
                created = True
                audit.record(
                    "user.created_by_sso",
                    actor=user,
                    obj=user,
                    request=request,
                    issuer=issuer,
                    delegation=said.delegation.code,
                )
            audit.record(
                "login.sso",
                actor=user,
                obj=user,
                request=request,
                issuer=issuer,
                subject=str(claims.get("sub") or ""),
                delegation=user.delegation.code if user.delegation else "",
                matched_by=said.source,
                created=created,
            )
            return user
    except SSORefused as refused:
        audit.record(
            "login.sso_refused",
            request=request,
            actor_name=email[:150],
            issuer=issuer,
            reason=refused.reason.value,
            claimed_delegation=str(claims.get(settings.OIDC_DELEGATION_CLAIM) or "")[:32],
        )
        raise


class SecretariatOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with the issuer and audience of the ID token checked
    and the account chosen by `do_sso_sign_in`."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if payload.get("iss") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        # The userinfo must be about the person the signed ID token names.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo for another subject")
        try:
            return do_sso_sign_in(claims, issuer=settings.OIDC_ISSUER, request=self.request)
        except SSORefused as refused:
            self.request.sso_refusal = refused.reason
            return None


class SSOCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sso_refusal", None)
        if isinstance(reason, Refusal):
            messages.error(self.request, REFUSAL_MESSAGES[reason])
        else:
            messages.error(self.request, _("Single sign-on did not succeed. Please try again."))
        return HttpResponseRedirect(reverse("login"))


_start = OIDCAuthenticationRequestView.as_view()
_callback = SSOCallbackView.as_view()


# mozilla-django-oidc's views read their settings when they are built (per request), so the
# switch is checked before: without an issuer these URLs do not exist.
@login_not_required
def sso_start(request: HttpRequest) -> HttpResponse:
    """Sends the browser to the identity provider (state, nonce and PKCE kept in the session)."""
    if not settings.OIDC_ENABLED:
        raise Http404
    response: HttpResponse = _start(request)
    return response


@login_not_required
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Where the identity provider sends the browser back with the code."""
    if not settings.OIDC_ENABLED:
        raise Http404
    response: HttpResponse = _callback(request)
    return response


# Mounted at /oidc/ by the root URL conf; the names are mozilla-django-oidc's own.
urlpatterns = [
    path("authenticate/", sso_start, name="oidc_authentication_init"),
    path("callback/", sso_callback, name="oidc_authentication_callback"),
]
