"""Who is who: the forum, its delegations (member states and the Chairmanship), bodies, users."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin

from secretariat.core.requestmemo import forget, memoised

FORUM_MEMO_KEY = "accounts.forum"


class BilingualName(models.Model):
    """A name in English (required) and in the other interface languages where it has one; a
    page shows the name in its own language, else the English one."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        language = (get_language() or "en").split("-")[0]
        if language == "ru" and self.name_ru:
            return self.name_ru
        if language == "kk" and self.name_kk:
            return self.name_kk
        return self.name_en


class Forum(BilingualName):
    """The forum this installation serves (one row), as its register file describes it
    (`accounts/forum_register.py`, docs/forum-register.md)."""

    class Presiding(models.TextChoices):
        CHAIRMANSHIP = "chairmanship", _("rotating chairmanship")
        COORDINATORS = "coordinators", _("coordinators per group")
        PRESIDENCY = "presidency", _("presidency")

    class Powers(models.TextChoices):
        SECRETARIAT = "secretariat", _("a standing secretariat")
        PRESIDING = "presiding", _("the presiding side")

    short_name = models.CharField(_("short name"), max_length=40)
    presiding = models.CharField(
        _("presiding arrangement"),
        max_length=16,
        choices=Presiding.choices,
        default=Presiding.CHAIRMANSHIP,
    )
    # The code under which the presiding side speaks in the drafts (`CHAIR`), if any.
    presiding_code = models.CharField(_("presiding side's code"), max_length=16, blank=True)
    # The role whose holders speak for the presiding side (chair or coordinator).
    presiding_role = models.CharField(_("presiding role"), max_length=20, default="chair")
    secretariat_powers = models.CharField(
        _("secretariat's powers held by"),
        max_length=16,
        choices=Powers.choices,
        default=Powers.SECRETARIAT,
    )
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    reference_series = models.JSONField(_("reference-number series"), default=list, blank=True)

    class Meta:
        verbose_name = _("forum")

    def __str__(self) -> str:
        return self.short_name

    @classmethod
    def current(cls) -> Forum | None:
        """The forum (its register's first row); read once per request (`core.requestmemo`,
        forgotten when a forum row is saved or deleted), at every call elsewhere."""
        return memoised(FORUM_MEMO_KEY, cls.objects.order_by("pk").first)


def _forget_forum(sender: type[Forum], **kwargs: object) -> None:
    forget(FORUM_MEMO_KEY)


post_save.connect(_forget_forum, sender=Forum, dispatch_uid="accounts.forget_forum_saved")
post_delete.connect(_forget_forum, sender=Forum, dispatch_uid="accounts.forget_forum_deleted")


def member_on_q(day: date | None = None, prefix: str = "") -> models.Q:
    """`Delegation.is_member_on(day)` as a query condition; `prefix` reaches the delegation
    through a relation (`delegation__`). Who sits in a body is its register membership AND
    this, computed when asked: an accession or withdrawal date takes effect on its day
    without a reload of the register."""
    day = day or timezone.localdate()
    p = prefix
    return (
        models.Q(**{f"{p}kind": "member", f"{p}retired": False})
        & (models.Q(**{f"{p}joined_on": None}) | models.Q(**{f"{p}joined_on__lte": day}))
        & (models.Q(**{f"{p}left_on": None}) | models.Q(**{f"{p}left_on__gt": day}))
    )


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def in_register(self) -> DelegationQuerySet:
        """Those a new note, meeting or initiative may name: not retired from the register
        (a retired delegation stays for the records that name it)."""
        return self.filter(retired=False)

    def members_on(self, day: date | None = None) -> DelegationQuerySet:
        """The forum's members on `day` (today): `Delegation.is_member_on` as a query."""
        return self.filter(member_on_q(day))


class Delegation(BilingualName):
    """A party that speaks in the drafts under a code: a member state, or the Chairmanship."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member state")
        CHAIRMANSHIP = "chairmanship", _("Chairmanship")
        OBSERVER = "observer", _("observer")
        PARTNER = "partner", _("partner organisation")

    class Entity(models.TextChoices):
        STATE = "state", _("state")
        ORGANISATION = "organisation", _("organisation")

    class Tier(models.TextChoices):
        """What a non-member participant may read: public content, or also what is shared
        with all members."""

        PUBLIC = "public", _("public content")
        MEMBERS = "members", _("content shared with all members")

    code = models.CharField(_("code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MEMBER)
    entity = models.CharField(
        _("state or organisation"), max_length=16, choices=Entity.choices, default=Entity.STATE
    )
    joined_on = models.DateField(_("accession"), null=True, blank=True)
    left_on = models.DateField(_("withdrawal"), null=True, blank=True)
    # Taken out of the register: kept (documents and positions refer to it), never deleted.
    retired = models.BooleanField(_("retired from the register"), default=False)
    access_tier = models.CharField(
        _("access tier"), max_length=16, choices=Tier.choices, default=Tier.PUBLIC
    )
    may_contribute = models.BooleanField(_("may submit contributions"), default=False)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z][A-Z0-9_]*$"), name="delegation_code_upper"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["member", "chairmanship", "observer", "partner"]),
                name="delegation_kind_valid_v2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def name_in(self, language: str) -> str:
        """The name in `language` (English when that language has none)."""
        if language.startswith("kk") and self.name_kk:
            return self.name_kk
        if language.startswith("ru") and self.name_ru:
            return self.name_ru
        return self.name_en

    def is_member_on(self, day: date) -> bool:
        """A member of the forum on `day`: accession on or before it, no withdrawal yet."""
        return (
            self.kind == self.Kind.MEMBER
            and not self.retired
            and (self.joined_on is None or self.joined_on <= day)
            and (self.left_on is None or self.left_on > day)
        )


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


class MemberGroup(BilingualName):
    """A regional or other group of members (ASEM's Asian group with its ASEAN and NESA
    subgroups; the European group). Its members are its own plus its subgroups'."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subgroups",
        verbose_name=_("part of"),
    )
    members = models.ManyToManyField(
        Delegation, related_name="member_groups", blank=True, verbose_name=_("members")
    )
    order = models.PositiveSmallIntegerField(default=100)
    retired = models.BooleanField(_("retired from the register"), default=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z][A-Z0-9_]*$"), name="member_group_code_upper"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def all_member_ids(self) -> set[int]:
        """Its own members and those of its subgroups, at any depth."""
        ids = set(self.members.values_list("pk", flat=True))
        for sub in self.subgroups.all():
            ids |= sub.all_member_ids()
        return ids


class Body(BilingualName):
    """A decision-making or working body, and the member states that sit in it."""

    class Membership(models.TextChoices):
        ALL = "all", _("all members")
        GROUP = "group", _("the members of a group")
        LIST = "list", _("a list of members")

    code = models.CharField(_("code"), max_length=32, unique=True)
    membership = models.CharField(
        _("membership"), max_length=8, choices=Membership.choices, default=Membership.LIST
    )
    group = models.ForeignKey(
        MemberGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("group"),
    )
    retired = models.BooleanField(_("retired from the register"), default=False)
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

    def members_on(self, day: date | None = None) -> DelegationQuerySet:
        """Who sits in it on `day` (today): the register's membership of members on that day
        (one who joins later or has withdrawn is listed but does not sit)."""
        return self.members.members_on(day)


class CoordinatorSeat(models.Model):
    """A coordinator's seat where the forum is presided by coordinators per group (ASEM: the
    EU's external action service permanently, the EU Presidency rotating every six months;
    an ASEAN and a non-ASEAN Asian coordinator alternating). Holders over time are rows."""

    class Kind(models.TextChoices):
        PERMANENT = "permanent", _("permanent")
        ROTATING = "rotating", _("rotating")

    group = models.ForeignKey(
        MemberGroup, on_delete=models.PROTECT, related_name="seats", verbose_name=_("group")
    )
    label = models.CharField(_("seat"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    holder = models.ForeignKey(
        Delegation, on_delete=models.PROTECT, related_name="seats", verbose_name=_("holder")
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["group", "label", "starts_on"]
        verbose_name = _("coordinator's seat")
        verbose_name_plural = _("coordinators' seats")

    def __str__(self) -> str:
        return f"{self.group}: {self.label} ({self.holder.code})"


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
            # The register's code for the presiding side: the chair's own Chairmanship
            # delegation (the page header loads it anyway), else the forum's, once per user
            # object (a request).
            delegation = self.delegation
            if delegation is not None and delegation.kind == Delegation.Kind.CHAIRMANSHIP:
                return delegation.code
            if not hasattr(self, "_presiding_code"):
                forum = Forum.current()
                self._presiding_code = forum.presiding_code if forum is not None else ""
            return self._presiding_code or None
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


class Mission(models.Model):
    """A delegation's mission by city (an embassy, a permanent representation, a consulate),
    as the forum's register lists it, with its contact points."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("embassy")
        PERMANENT_REPRESENTATION = "permanent_representation", _("permanent representation")
        CONSULATE = "consulate", _("consulate")
        OFFICE = "office", _("office")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="missions", verbose_name=_("delegation")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100)
    name = models.CharField(_("name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["delegation", "order", "city"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "kind", "city"], name="mission_unique_per_city"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code}: {self.get_kind_display()}, {self.city}"


class MissionContact(models.Model):
    """A contact point at a mission (name, position, how to reach them)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["mission", "order", "name"]
        verbose_name = _("mission contact point")
        verbose_name_plural = _("mission contact points")
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="mission_contact_unique"),
        ]

    def __str__(self) -> str:
        return self.name
