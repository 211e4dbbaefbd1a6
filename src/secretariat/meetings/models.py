"""Meetings of a body: the agenda and its published editions, item documents, registration of
participants, the speakers' list, and the calendar tokens.

A meeting carries the access policy's level and body (an ICT working group meeting is seen by
that group's members only); everything below it inherits its rule through `access_parent`.
Published agenda editions are append-only snapshots: the working items may change, what was
published stays as it was published.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import Body, Delegation, RestrictedContent


class Precedence(models.TextChoices):
    """How the list of participants is ordered (a protocol setting of the meeting)."""

    # One order for every language: English alphabetical, starting from a member drawn by lot.
    LOT = "lot", _("English alphabetical order from a member drawn by lot, in every language")
    # Each language's list in its own alphabet, by the delegations' names in that language.
    ALPHABET = "alphabet", _("Each language's list in its own alphabetical order")


class Meeting(RestrictedContent):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The meeting's own zone: a 10:00 session in Astana is 10:00 Asia/Almaty for everyone.
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # Preparatory and side meetings ("in the margins of the SOM").
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="side_meetings",
        verbose_name=_("in the margins of"),
    )
    is_urgent = models.BooleanField(_("urgent consultation"), default=False)
    convening_note = models.ForeignKey(
        "communications.Note",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("convening note"),
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    requires_credentials = models.BooleanField(_("formal credentials required"), default=False)
    precedence = models.CharField(
        _("order of precedence"), max_length=12, choices=Precedence.choices, default=Precedence.LOT
    )
    lot_start = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member drawn by lot"),
    )
    host = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host country"),
    )
    # iCalendar: the UID never changes; SEQUENCE goes up on every change a calendar must see.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "convened", "held", "closed", "cancelled"]),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(access_level="body") | Q(body__isnull=False),
                name="meeting_body_level_has_body",
            ),
            models.CheckConstraint(
                condition=Q(precedence__in=["lot", "alphabet"]), name="meeting_precedence_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class AgendaItem(models.Model):
    """A working agenda item (the secretariat's draft); sub-items have a parent item."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Item")
        # The Senior Officials' review item: mandates and reports due are shown on it.
        REVIEW = "review", _("Review of mandates and reports")
        ADOPTION = "adoption", _("Adoption of the agenda")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=500)
    annotation = models.TextField(_("annotation"), blank=True)
    # Added after the provisional agenda was published (a supplementary item).
    supplementary = models.BooleanField(_("supplementary item"), default=False)
    negotiations = models.ManyToManyField(
        "negotiation.Negotiation", blank=True, related_name="+", verbose_name=_("negotiations")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["regular", "review", "adoption"]),
                name="agenda_item_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:item", args=[self.meeting_id, self.pk])

    def access_parent(self) -> Meeting:
        return self.meeting


class AgendaEdition(models.Model):
    """A published state of the agenda, kept as it was published (append-only)."""

    class Kind(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional agenda")
        ANNOTATED = "annotated", _("Annotated provisional agenda")
        REVISED = "revised", _("Revised provisional agenda")
        SUPPLEMENTARY = "supplementary", _("Supplementary list of items")
        ADOPTED = "adopted", _("Adopted agenda")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The adoption of the agenda is a decision of the body (negotiation.Decision is for texts;
    # the adopted agenda is recorded here with the date and the body).
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_edition_unique"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["provisional", "annotated", "revised", "supplementary", "adopted"]
                ),
                name="agenda_edition_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.meeting})"


class EditionItem(models.Model):
    """One line of a published agenda edition, frozen."""

    edition = models.ForeignKey(AgendaEdition, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(AgendaItem, null=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(max_length=16)
    depth = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=500)
    annotation = models.TextField(blank=True)
    supplementary = models.BooleanField(default=False)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["edition", "order"]

    def __str__(self) -> str:
        return f"{self.label}. {self.title}"


class ItemDocument(models.Model):
    """A library document on an agenda item, with its status for the meeting."""

    class Status(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        OFFICIAL = "official", _("Official")
        IN_SESSION = "in_session", _("In-session")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OFFICIAL
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "document"], name="item_document_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["advance", "official", "in_session"]),
                name="item_document_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} on {self.item_id}"


class Accreditation(models.Model):
    """A delegation's registration for a meeting: its accreditation note verbale (a checked
    file), its formal credentials kept apart, and the secretariat's approval."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="accreditations")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    note_file = models.CharField(max_length=200, blank=True)
    note_filename = models.CharField(max_length=255, blank=True)
    note_sha256 = models.CharField(max_length=64, blank=True)
    credentials_file = models.CharField(max_length=200, blank=True)
    credentials_filename = models.CharField(max_length=255, blank=True)
    credentials_sha256 = models.CharField(max_length=64, blank=True)
    originals_seen_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "delegation__code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "delegation"], name="accreditation_unique"),
        ]

    def __str__(self) -> str:
        return f"accreditation of {self.delegation_id} for {self.meeting_id}"

    def access_parent(self) -> Meeting:
        return self.meeting


class Participant(models.Model):
    """A person registered by a delegation (or the secretariat's own staff: no delegation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    honorific = models.CharField(_("title"), max_length=40, blank=True)
    function = models.CharField(_("function"), max_length=300, blank=True)
    # Protocol rank within the delegation: 1 is the highest.
    rank = models.PositiveSmallIntegerField(_("rank"), default=10)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    arrives_on = models.DateField(_("arrives"), null=True, blank=True)
    departs_on = models.DateField(_("departs"), null=True, blank=True)
    late = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "delegation__code", "-is_head", "rank", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="participant_rank_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def access_parent(self) -> Meeting:
        return self.meeting


class SpeakerRequest(models.Model):
    """A delegation's request for the floor on an item; the secretariat orders and calls it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speakers")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=3)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "position", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "called", "withdrawn"]),
                name="speaker_status_valid",
            ),
            models.UniqueConstraint(
                fields=["item", "delegation"],
                condition=Q(status="waiting"),
                name="speaker_one_waiting_per_delegation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation_id} on {self.item_id}"

    def access_parent(self) -> Meeting:
        return self.item.meeting


class Statement(models.Model):
    """A statement a delegation files on an agenda item; it chooses who reads it."""

    class Audience(models.TextChoices):
        # the delegations registered for the meeting (and the secretariat, the steering roles)
        PARTICIPANTS = "participants", _("The meeting's participants")
        # everyone who may see the meeting
        MEETING = "meeting", _("Everyone who may see the meeting")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="statements")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    audience = models.CharField(
        _("published to"), max_length=16, choices=Audience.choices, default=Audience.PARTICIPANTS
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "filed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["participants", "meeting"]),
                name="statement_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def access_parent(self) -> Meeting:
        return self.item.meeting


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's ICS feed URL: no login, the token alone; rotated on demand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar token of {self.user_id}"


# --- minutes and outcome -----------------------------------------------------------------------
class SummaryRecord(models.Model):
    """The summary record of one agenda item: drafted by the secretariat (every saved text is a
    kept `RecordVersion`), circulated to the meeting's participants for comments until a
    deadline, then final. Readers: the secretariat always; the participants and the steering
    roles once circulated; everyone who sees the meeting once final."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comments")
        FINAL = "final", _("Final")

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="record")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    comments_due = models.DateTimeField(_("comments due by"), null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("summary record")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "circulated", "final"]),
                name="summary_record_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"summary record of {self.item_id}"

    def access_parent(self) -> Meeting:
        return self.item.meeting

    @property
    def current(self) -> RecordVersion | None:
        return self.versions.order_by("-number").first()


class RecordVersion(models.Model):
    """One saved text of a summary record (append-only, numbered)."""

    record = models.ForeignKey(SummaryRecord, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("summary"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="record_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number} of {self.record_id}"


class RecordComment(models.Model):
    """A participating delegation's comment on a circulated summary record; read by the
    secretariat and by the commenting delegation only."""

    record = models.ForeignKey(SummaryRecord, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="+")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "created_at", "id"]

    def __str__(self) -> str:
        return f"comment of {self.delegation_id} on {self.record_id}"


class MeetingDecision(models.Model):
    """A decision the meeting's body took at the meeting, on an item or on the agenda itself
    (the adoption of the agenda is one). It links the negotiation decisions it covers (adopted
    texts, ad ref agreements) and the outcome documents in the library; readers see only the
    linked things they may see themselves."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Adoption of the agenda")
        DECISION = "decision", _("Decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DECISION)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    decided_on = models.DateField(_("decided on"))
    negotiation_decisions = models.ManyToManyField(
        "negotiation.Decision", blank=True, related_name="+", verbose_name=_("adopted texts")
    )
    outcome_documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("outcome documents")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision of the meeting")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meeting_decision_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["agenda", "decision"]), name="meeting_decision_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def access_parent(self) -> Meeting:
        return self.meeting


class Tasking(models.Model):
    """A task a decision gives (who, what, due by a date or by a body's next meeting). Typed in
    the decision form it is confirmed at once; found in a decision's or an adopted text's words
    ("requests the Chairmanship to ...") it is proposed and waits for the secretariat. Once
    confirmed, the programme app makes it a tracked mandate (through `hooks.tasking_confirmed`)."""

    class Assignee(models.TextChoices):
        # the same values as the programme's mandates
        BODY = "body", _("a body")
        CHAIRMANSHIP = "chairmanship", _("the Chairmanship")
        COORDINATOR = "coordinator", _("a coordinator")
        LEAD_COUNTRY = "lead_country", _("a lead country")
        SECRETARIAT = "secretariat", _("the secretariat")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    decision = models.ForeignKey(MeetingDecision, on_delete=models.CASCADE, related_name="taskings")
    negotiation_decision = models.ForeignKey(
        "negotiation.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.CharField(_("tasked"), max_length=16, choices=Assignee.choices)
    assignee_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.TextField(_("task"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_meeting_of = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("due by the next meeting of"),
    )
    detected = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "confirmed", "dismissed"]),
                name="tasking_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=False) | Q(due_meeting_of__isnull=False),
                name="tasking_has_a_due",
            ),
        ]

    def __str__(self) -> str:
        return self.task[:80]

    def access_parent(self) -> Meeting:
        return self.decision.meeting


class SearchEntry(models.Model):
    """A meeting's words for the library's search, pre-folded and pre-stemmed like the
    library's paragraphs (documents.searchtext). `scope` says who may find it: the working agenda
    (`draft`) is the secretariat's; `published` rows are the latest published agenda's lines and
    the meeting's own title and venue. Rebuilt for one meeting by every change to it."""

    class Scope(models.TextChoices):
        PUBLISHED = "published", "published"
        DRAFT = "draft", "draft"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=12, choices=Scope.choices)
    label = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=500)
    text = models.TextField()
    # " word word " with a space at both ends, so a word matches as " word ".
    plain = models.TextField()
    stemmed = models.TextField()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["published", "draft"]), name="search_entry_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationReminder(models.Model):
    """The registration reminder sent to one delegation for one meeting: the unique key means
    a pass run twice, by two workers or after a restart, never sends it again."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registration_reminders"
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "delegation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "delegation"], name="registration_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"registration reminder of {self.delegation_id} for {self.meeting_id}"

    def access_parent(self) -> Meeting:
        return self.meeting
