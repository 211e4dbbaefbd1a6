"""Who is who: the forum, its delegations (member states and the Chairmanship), bodies, users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin


class BilingualName(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("ru") and self.name_ru:
            return self.name_ru
        return self.name_en


class Forum(BilingualName):
    """The forum this installation serves (one row)."""

    short_name = models.CharField(_("short name"), max_length=40)

    class Meta:
        verbose_name = _("forum")

    def __str__(self) -> str:
        return self.short_name

    @classmethod
    def current(cls) -> Forum | None:
        return cls.objects.order_by("pk").first()


class Delegation(BilingualName):
    """A party that speaks in the drafts under a code: a member state, or the Chairmanship."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member state")
        CHAIRMANSHIP = "chairmanship", _("Chairmanship")
        OBSERVER = "observer", _("observer")

    code = models.CharField(_("code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MEMBER)

    class Meta:
        ordering = ["code"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z][A-Z0-9_]*$"), name="delegation_code_upper"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["member", "chairmanship", "observer"]),
                name="delegation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class DelegationAlias(models.Model):
    """Another code the drafts use for the same delegation (`BGD` for `BANGL`)."""

    alias = models.CharField(_("alias"), max_length=32, unique=True)
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["alias"]
        verbose_name = _("delegation alias")
        verbose_name_plural = _("delegation aliases")

    def __str__(self) -> str:
        return f"{self.alias} = {self.delegation.code}"


class Body(BilingualName):
    """A decision-making or working body, and the member states that sit in it."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    members = models.ManyToManyField(
        Delegation, related_name="bodies", blank=True, verbose_name=_("member states")
    )
    # Where an agreed text goes next (SWG -> SOC -> Summit).
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reports to"),
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.code


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat officer")
    CHAIR = "chair", _("Chairmanship")
    COORDINATOR = "coordinator", _("Coordinator")
    CONTACT_POINT = "contact_point", _("Contact point")
    DELEGATE = "delegate", _("Delegate")
    OBSERVER = "observer", _("Observer")


# The django-stubs plugin cannot resolve the reverse manager of a django-otp device (the
# Device base class comes untyped), here SecurityKey.user.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DELEGATE)
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("delegation"),
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    # Official mail (notes verbales) goes to contact points and the head of delegation.
    is_head_of_delegation = models.BooleanField(_("head of delegation"), default=False)
    # Where the user lives: digests are sent at an hour of their own day.
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    role__in=[
                        "secretariat",
                        "chair",
                        "coordinator",
                        "contact_point",
                        "delegate",
                        "observer",
                    ]
                ),
                name="user_role_valid",
            ),
            # Delegates and contact points speak for a delegation; they must have one.
            models.CheckConstraint(
                condition=~models.Q(role__in=["delegate", "contact_point"])
                | models.Q(delegation__isnull=False),
                name="user_delegate_has_delegation",
            ),
        ]

    @property
    def is_secretariat(self) -> bool:
        """For templates; the rule itself is `accounts.access.is_secretariat`."""
        from secretariat.accounts.access import is_secretariat  # access imports this module

        return is_secretariat(self)

    @property
    def acting_code(self) -> str | None:
        """The code this user speaks under in negotiations (`IND`, `CHAIR`), if any."""
        if self.role == Role.CHAIR:
            return "CHAIR"
        if self.delegation is not None and self.role in (
            Role.DELEGATE,
            Role.CONTACT_POINT,
            Role.COORDINATOR,
        ):
            return self.delegation.code
        return None


class AccessLevel(models.TextChoices):
    """Who may see a piece of content. Everything is private unless a body published it."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("All member states")
    BODY = "body", _("One body")
    SECRETARIAT = "secretariat", _("Secretariat only")


class RestrictedContent(models.Model):
    """Base for every kind of content the access policy rules: an access level and a body."""

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.MEMBERS
    )
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("body"),
    )

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.access_level == AccessLevel.PUBLIC


class UserSession(models.Model):
    """One signed-in session of a user, as the user sees it in "Active sessions".

    Only a hash of the session key is kept: this table (and its backups, and the admin) must
    not hand out keys that could be replayed as a cookie. Written at login, touched at most
    every `SESSION_TOUCH_SECONDS`; ending one deletes the Django session it stands for."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="signed_in_sessions", verbose_name=_("user")
    )
    key_hash = models.CharField(_("session key hash"), max_length=64, unique=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["user", "-last_seen"], name="usersession_user_seen")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.ip_address or '?'}"


class DelegationEmailDomain(models.Model):
    """The secretariat's mapping for single sign-on: people whose e-mail address is at this
    domain belong to this delegation (used when the identity provider sends no delegation
    claim). `mea.gov.in` -> IND."""

    domain = models.CharField(_("e-mail domain"), max_length=253, unique=True)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="email_domains",
        verbose_name=_("delegation"),
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("delegation e-mail domain")
        verbose_name_plural = _("delegation e-mail domains")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain__regex=r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$"),
                name="delegation_email_domain_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} = {self.delegation.code}"

    def clean(self) -> None:
        self.domain = self.domain.strip().lower().removeprefix("@")


class SecurityKey(TimestampMixin, Device):
    """A WebAuthn security key (or platform passkey) enrolled as a second factor.

    A django-otp device like the authenticator app, so that everything built on devices counts
    it: `user_has_device` (the sign-in step and the required-2FA gate), the verified mark in the
    session (`django_otp.login`), and the reset by another officer (`devices_for_user`). It
    verifies no typed code (`verify_token` stays False); `accounts.webauthn` checks its signed
    assertions."""

    # The credential id as the browser names it (base64url, unpadded; at most 1023 bytes raw).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField()  # COSE-encoded
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    aaguid = models.CharField(max_length=36, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")


class UsedChallenge(models.Model):
    """A WebAuthn challenge that was answered. The session holds the pending one, but two
    requests of the same session running at once would both read it before either saves the
    session: this unique row lets only one of them use it. Rows older than a challenge's life
    are purged as new ones come."""

    challenge = models.CharField(max_length=128, unique=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.challenge
