"""Notes verbales, circulars and press releases; the reference register; incoming notes.

A note is drafted, approved and issued by the secretariat. Its number is given at issue from its
series' counter (never at draft); an issued note never changes: its editions are frozen as
rendered HTML and its PDF is stored once, content-addressed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import Delegation, RestrictedContent

NOTE_LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
LANGUAGE_CODES = [code for code, _name in NOTE_LANGUAGES]


class NoteKind(models.TextChoices):
    CIRCULAR = "circular", _("Circular note to all member states")
    TO_DELEGATIONS = "to_delegations", _("Note verbale to chosen delegations")
    TO_BODY = "to_body", _("Note verbale to the members of a body")
    PRESS_RELEASE = "press_release", _("Press release")


class Series(models.Model):
    """A run of reference numbers (`SWG/OI`, `SOC/OI`, `NV`) with its format."""

    code = models.CharField(_("series"), max_length=32, unique=True)
    title = models.CharField(_("purpose"), max_length=200, blank=True)
    # `{series}`, `{number}` and `{year}` are replaced; e.g. "{series}/{number}".
    format = models.CharField(_("reference format"), max_length=64, default="{series}/{number}")
    yearly_reset = models.BooleanField(_("numbers restart every year"), default=False)
    # The first number to give (a register taken over from paper continues where it was).
    start_at = models.PositiveIntegerField(_("first number"), default=1)
    distinct_approver = models.BooleanField(
        _("approval by another officer than the drafter"), default=False
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(condition=Q(start_at__gte=1), name="series_start_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    def reference(self, number: int, year: int | None) -> str:
        return self.format.format(series=self.code, number=number, year=year or "")


class SeriesCounter(models.Model):
    """The last number given in a series (per year when it restarts yearly; year 0 otherwise).

    Issuing locks this row (`select_for_update`) inside its transaction, so numbers are gapless:
    a rolled-back issue gives its number back with the rest of its changes."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveIntegerField(default=0)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="series_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year or ''} {self.last_number}".replace("  ", " ")


class NoteTemplate(models.Model):
    """The forum's own formulas and layout for a kind of note in a language (Django template
    syntax; the variables are documented in `rendering.TEMPLATE_VARIABLES`)."""

    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=NOTE_LANGUAGES)
    place = models.CharField(_("place"), max_length=100, blank=True)
    letterhead = models.TextField(_("letterhead"), blank=True)
    body = models.TextField(_("template"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("note template")
        verbose_name_plural = _("note templates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="note_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class Note(RestrictedContent):
    """An outgoing note. Access: a circular is for all member states (level `members`), a note
    to a body for its members (level `body`), a note to chosen delegations is `secretariat`
    level plus its `recipients` rows; drafts are seen by the secretariat only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued")

    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="notes", verbose_name=_("series")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    subject = models.CharField(_("subject"), max_length=300)
    year = models.PositiveIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True, db_index=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    # Press releases: released on the public portal at this time (embargo until then).
    release_at = models.DateTimeField(_("release at"), null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # The chair's notice of the result of a silence procedure (one per procedure).
    outcome_of = models.OneToOneField(
        "negotiation.SilenceProcedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            # The last line of defence behind the counter's row lock.
            models.UniqueConstraint(
                fields=["series", "year", "number"],
                condition=Q(number__isnull=False),
                name="note_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "issued"]), name="note_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | (Q(number__isnull=False) & ~Q(reference="")),
                name="note_issued_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(access_level="body") | Q(body__isnull=False),
                name="note_body_level_has_body",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.subject[:60]} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("communications:detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class NoteEdition(models.Model):
    """The note in one language: the officer's text, and once issued the frozen rendering."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("language"), max_length=8, choices=NOTE_LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    rendered = models.TextField(blank=True)  # HTML, written once at issue

    class Meta:
        ordering = ["note", "id"]
        constraints = [
            models.UniqueConstraint(fields=["note", "language"], name="note_edition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note} ({self.language})"

    def access_parent(self) -> Note:
        return self.note


class NoteRecipient(models.Model):
    """A delegation the note is addressed to, with its receipt: opened, acknowledged."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="recipients")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["note", "delegation__code"]
        constraints = [
            models.UniqueConstraint(fields=["note", "delegation"], name="note_recipient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note} → {self.delegation.code}"


class NoteEnclosure(models.Model):
    """A library document enclosed with a note, fixed to the exact version chosen."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="enclosures")
    version = models.ForeignKey("documents.Version", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    # PDFs: their page count (pypdf); text and Word files: the pages they take when rendered
    # as A4 in the note's own typeface (WeasyPrint), counted when the enclosure is added.
    pages = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["note", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["note", "version"], name="note_enclosure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.note}: {self.version}"


class IncomingNote(models.Model):
    """A note received from a delegation, registered by the secretariat. Seen by the
    secretariat and the sending delegation."""

    sender = models.ForeignKey(
        Delegation, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    sender_reference = models.CharField(_("their reference"), max_length=80, blank=True)
    received_on = models.DateField(_("received"))
    subject = models.CharField(_("subject"), max_length=300)
    file = models.CharField(max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    # What it concerns: a negotiation, a document (later a meeting or an initiative).
    concerns_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concerns_id = models.PositiveBigIntegerField(null=True, blank=True)
    concerns = GenericForeignKey("concerns_type", "concerns_id")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("incoming note")
        verbose_name_plural = _("incoming notes")

    def __str__(self) -> str:
        ref = self.sender_reference or "—"
        return f"{self.sender.code} {ref}: {self.subject[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("communications:incoming-detail", args=[self.pk])


class OutcomeStatement(models.Model):
    """An interpretative statement or reservation a delegation files while a silence procedure
    runs; carried by the outcome notice."""

    class Kind(models.TextChoices):
        INTERPRETATIVE = "interpretative", _("Interpretative statement")
        RESERVATION = "reservation", _("Reservation")

    silence = models.ForeignKey(
        "negotiation.SilenceProcedure", on_delete=models.CASCADE, related_name="+"
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["interpretative", "reservation"]),
                name="outcome_statement_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code}: {self.get_kind_display()}"


class DocumentRelease(models.Model):
    """An adopted library document to be made public on the portal at a set time (embargo
    until then); a task with `run_after` does it, idempotently."""

    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    release_at = models.DateTimeField(_("release at"))
    released_at = models.DateTimeField(null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["release_at", "id"]
        verbose_name = _("document release")
        verbose_name_plural = _("document releases")

    def __str__(self) -> str:
        return f"{self.document} @ {self.release_at:%Y-%m-%d %H:%M}"
