"""The library: documents, their language editions, versions (append-only) and paragraphs."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import RestrictedContent


class DocumentType(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    STATEMENT = "statement", _("Statement")
    DRAFT = "draft", _("Draft")
    CONCEPT_PAPER = "concept_paper", _("Concept paper")
    PLAN_OF_ACTION = "plan_of_action", _("Plan of action")
    NOTE_VERBALE = "note_verbale", _("Note verbale")
    REPORT = "report", _("Report")
    NON_PAPER = "non_paper", _("Non-paper")
    PROPOSAL = "proposal", _("Proposal")
    OTHER = "other", _("Other")


# What a delegation may submit as its own paper.
DELEGATION_TYPES = (
    DocumentType.NON_PAPER,
    DocumentType.PROPOSAL,
    DocumentType.STATEMENT,
    DocumentType.OTHER,
)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_NEGOTIATION = "under_negotiation", _("Under negotiation")
    AGREED_AD_REF = "agreed_ad_ref", _("Agreed ad ref")
    APPROVED = "approved", _("Approved")
    ADOPTED = "adopted", _("Adopted")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Texts the forum has agreed: what the finder offers as precedents by default.
AGREED_STATUSES = (Status.ADOPTED, Status.PUBLISHED)
# What the public portal shows (together with access level "public").
PUBLIC_STATUSES = (Status.ADOPTED, Status.PUBLISHED)

LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("zh", _("Chinese")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("es", _("Spanish")),
    ("other", _("Other")),
]


class Document(RestrictedContent):
    """One document in one language. Editions of the same text share `translation_key`."""

    symbol = models.CharField(_("symbol"), max_length=80, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=400)
    doc_type = models.CharField(
        _("type"), max_length=20, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    date = models.DateField(_("date"), null=True, blank=True)
    organization = models.CharField(
        _("organization"),
        max_length=40,
        help_text=_(
            "The forum that issued it: ours, or another (ASEM, UN, ASEAN...) for reference texts."
        ),
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="en")
    translation_key = models.UUIDField(_("edition group"), default=uuid.uuid4, db_index=True)
    current_version = models.ForeignKey(
        "Version",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # A delegation's own paper (a non-paper, a proposal), shown as "submitted by" it.
    submitted_by = models.ForeignKey(
        "accounts.Delegation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(doc_type__in=DocumentType.values), name="document_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="document_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(access_level__in=["public", "members", "body", "secretariat"]),
                name="document_access_valid",
            ),
            models.CheckConstraint(
                condition=~Q(access_level="body") | Q(body__isnull=False),
                name="document_body_level_has_body",
            ),
            # One edition per language in a group.
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="document_one_edition_per_language"
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="document_org_status")]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip() if self.symbol else self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    def current_paragraphs(self) -> models.QuerySet[Paragraph]:
        """The paragraphs of the current version (none before the first is written)."""
        if self.current_version_id is None:
            return Paragraph.objects.none()
        return Paragraph.objects.filter(version_id=self.current_version_id)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


class Version(models.Model):
    """One uploaded file of a document, numbered 1, 2, ...; never changed once written."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.CharField(_("stored file"), max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    comment = models.CharField(_("reason"), max_length=500, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_by_name = models.CharField(_("uploaded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique"),
            models.UniqueConstraint(fields=["document", "sha256"], name="version_file_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["txt", "docx", "pdf"]), name="version_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A version is never changed; upload a new one.")
        super().save(*args, **kwargs)

    def access_parent(self) -> Document:
        return self.document


class Paragraph(models.Model):
    """A numbered paragraph of a version's text, with the forms the search index reads.

    `plain` (folded words) and `stemmed` (folded, stemmed words) are space-separated tokens
    computed in Python, so SQLite FTS5 and PostgreSQL tokenise exactly the same words.
    """

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="paragraphs")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("paragraph"))
    label = models.CharField(_("label"), max_length=24, blank=True)
    text = models.TextField(_("text"))
    plain = models.TextField(blank=True)
    stemmed = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="paragraph_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} ¶{self.number}"

    def access_parent(self) -> Document:
        return self.document
