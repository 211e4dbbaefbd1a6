"""Texts under negotiation: revisions, amendments, positions, comments, silence, decisions.

The text itself is always bracket notation (the engine's canonical form). The app reads its
structure as the engine's typed draft (`engine.draft_of`, parsed once per process); the JSON
kept beside each revision (`parsed`) is a record of what the engine read, not an input.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import Body, RestrictedContent
from secretariat.accounts.register import presiding_code


def presiding_code_or_chair() -> str:
    """A negotiation made without naming its chair's code takes the forum register's (COORD in
    ASEM); `CHAIR` only before any register is loaded."""
    return presiding_code() or "CHAIR"


class VisibleNegotiations(models.Manager["Negotiation"]):
    """The default manager: negotiations whose import has finished. A long import writes its
    negotiation in several short transactions (`actions.importing`), as a pending row that no
    list, count, search, page or API may see; the last transaction makes it visible."""

    def get_queryset(self) -> models.QuerySet[Negotiation]:
        return super().get_queryset().filter(pending="")


class Negotiation(RestrictedContent):
    class State(models.TextChoices):
        NEGOTIATING = "negotiating", _("under negotiation")
        AGREED_AD_REF = "agreed_ad_ref", _("agreed ad ref")
        SILENCE = "silence", _("under silence procedure")
        ADOPTED = "adopted", _("adopted")

    # Fields as large as the imported draft (20 MB at most): left unread wherever rows are read
    # for a list or an access check (`visible_negotiations`, `notifications.access.readable`).
    LARGE_FIELDS = ("source_text", "diagnostics")

    title = models.CharField(_("title"), max_length=300)
    chair_code = models.CharField(_("chair's code"), max_length=16, default=presiding_code_or_chair)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.NEGOTIATING
    )
    source_document_id = models.PositiveBigIntegerField(_("source document"), null=True, blank=True)
    source_name = models.CharField(_("source file"), max_length=300, blank=True)
    # The draft exactly as imported, and what the engine said about it (line, column, ...).
    source_text = models.TextField(_("imported text"), blank=True)
    diagnostics = models.JSONField(_("diagnostics"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every change of the working text: the optimistic lock of text edits and the
    # change counter the podium view follows.
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)
    # Empty once visible. While an import is still writing it: who writes it ("job:<id>" for
    # the worker's import job, "run:<token>" for an import inside a request), so a rerun of
    # the job or a later sweep can find and remove what a dead run left.
    pending = models.CharField(max_length=48, blank=True, default="", db_index=True)

    objects = VisibleNegotiations()
    # Pending rows too: only the import's own writing and its clean-up use this.
    with_pending = models.Manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        default_manager_name = "objects"
        base_manager_name = "with_pending"
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["negotiating", "agreed_ad_ref", "silence", "adopted"]
                ),
                name="negotiation_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("negotiation:detail", args=[self.pk])

    def podium_url(self) -> str:
        return reverse("negotiation:podium", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.NEGOTIATING


class Revision(models.Model):
    """A numbered state of the text. Issued revisions are frozen and never change; the one
    unfrozen revision of a negotiation is the working draft the chair edits live."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    notation = models.TextField(_("text (notation)"))
    # The working revision an import writes holds {"same_as_revision": 1} here (its text is
    # Rev. 1's) until its text first changes: one copy of a long draft's structure, not two.
    parsed = models.JSONField(_("structure"), default=dict)
    # The text's figures (engine.Summary.as_json) written with it by the import and every
    # working-text change, so a page that shows only them (the dashboard) need not parse a
    # long text; empty on revisions written otherwise, which are parsed as before.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    frozen = models.BooleanField(_("issued"), default=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["negotiation", "number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "number"], name="revision_number_unique"
            ),
            models.UniqueConstraint(
                fields=["negotiation"],
                condition=models.Q(frozen=False),
                name="revision_one_working_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(frozen=False) | models.Q(issued_at__isnull=False),
                name="revision_frozen_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} — Rev. {self.number}"

    def access_parent(self) -> Negotiation:
        return self.negotiation


class Amendment(models.Model):
    class Kind(models.TextChoices):
        INSERT = "insert", _("insert words")
        DELETE = "delete", _("delete words")
        REPLACE = "replace", _("replace words")
        NEW_PARAGRAPH = "new_paragraph", _("new paragraph")
        ALTERNATIVE = "alternative", _("alternative paragraph")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft (not submitted)")
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("compiled into a revision")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REJECTED = "rejected", _("not compiled")

    negotiation = models.ForeignKey(
        Negotiation, on_delete=models.CASCADE, related_name="amendments"
    )
    paragraph_key = models.CharField(_("paragraph"), max_length=64)
    paragraph_label = models.CharField(_("paragraph label"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Character offsets in the paragraph's notation as the proposer saw it (base_text).
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    base_text = models.TextField(_("paragraph as seen"), blank=True)
    base_version = models.PositiveIntegerField(default=0)
    text = models.TextField(_("proposed text"), blank=True)
    new_label = models.CharField(_("label of the new paragraph"), max_length=32, blank=True)
    delegation_code = models.CharField(_("delegation"), max_length=16)
    explanation = models.TextField(_("explanation"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    compiled_into = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="amendments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="amendment_span_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["insert", "delete", "replace", "new_paragraph", "alternative"]
                ),
                name="amendment_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "proposed", "accepted", "withdrawn", "rejected"]
                ),
                name="amendment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"A{self.pk} {self.delegation_code} {self.get_kind_display()} {self.paragraph_label}"

    def access_parent(self) -> Negotiation:
        return self.negotiation

    @property
    def original(self) -> str:
        return self.base_text[self.start : self.end]


class Position(models.Model):
    """A delegation's stance on a paragraph, a bracket or an amendment. Append-only: a change
    adds a row and points the old one at it; the current one is not superseded nor withdrawn."""

    class Target(models.TextChoices):
        PARAGRAPH = "paragraph", _("paragraph")
        BRACKET = "bracket", _("bracket")
        AMENDMENT = "amendment", _("amendment")

    class Stance(models.TextChoices):
        SUPPORT = "support", _("supports")
        OPPOSE = "oppose", _("opposes")

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="positions")
    target_kind = models.CharField(max_length=12, choices=Target.choices)
    target_key = models.CharField(max_length=64)
    paragraph_key = models.CharField(max_length=64)
    target_text = models.TextField(blank=True)
    delegation_code = models.CharField(_("delegation"), max_length=16)
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    qualifier = models.CharField(_("qualifier"), max_length=120, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    base_version = models.PositiveIntegerField(default=0)
    # The revision this stance was written into (None: not yet compiled).
    compiled_in = models.PositiveIntegerField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_kind__in=["paragraph", "bracket", "amendment"]),
                name="position_target_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(stance__in=["support", "oppose"]), name="position_stance_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["negotiation", "target_kind", "target_key"], name="position_target_idx"
            )
        ]

    def __str__(self) -> str:
        sign = "+" if self.stance == self.Stance.SUPPORT else "-"
        qual = f" {self.qualifier}" if self.qualifier else ""
        return f"({sign}{self.delegation_code}{qual})"

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None and self.withdrawn_at is None


class Comment(models.Model):
    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="comments")
    paragraph_key = models.CharField(max_length=64)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delegation_code = models.CharField(max_length=16, blank=True)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SilenceProcedure(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        BROKEN = "broken", _("broken")
        ENDED = "ended", _("ended: adopted")

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="silences")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateTimeField(_("deadline"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    broken_code = models.CharField(max_length=16, blank=True)
    broken_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation"], condition=models.Q(state="open"), name="silence_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "broken", "ended"]),
                name="silence_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="broken") | ~models.Q(reason=""),
                name="silence_break_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} silence until {self.deadline:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        AGREED_AD_REF = "agreed_ad_ref", _("agreed ad ref")
        FORWARDED = "forwarded", _("forwarded to another body")
        ADOPTED_BY_CONSENSUS = "adopted_by_consensus", _("adopted by consensus")
        ADOPTED_BY_SILENCE = "adopted_by_silence", _("adopted by silence procedure")

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    to_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    filed_document_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "agreed_ad_ref",
                        "forwarded",
                        "adopted_by_consensus",
                        "adopted_by_silence",
                    ]
                ),
                name="decision_kind_valid",
            ),
            # Adoption happens once per negotiation.
            models.UniqueConstraint(
                fields=["negotiation"],
                condition=models.Q(kind__startswith="adopted"),
                name="decision_adopted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.body})"


class Statement(models.Model):
    """A reservation or an explanation of position attached to a decision (and a paragraph)."""

    class Kind(models.TextChoices):
        RESERVATION = "reservation", _("reservation")
        EXPLANATION = "explanation", _("explanation of position")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    delegation_code = models.CharField(max_length=16)
    paragraph_key = models.CharField(max_length=64, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["reservation", "explanation"]),
                name="statement_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation_code}: {self.text[:60]}"


class ImportJob(models.Model):
    """A long draft being imported by the worker (`tasks.import_negotiation`): the request
    that received it answers at once with a status page that follows this row.

    The draft is read and structured outside any transaction; the negotiation is then written
    as a pending (invisible) negotiation in a few short transactions and made visible in a
    last one (`actions.importing.run_import_job`), so readers never wait long on it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        READING = "reading", _("Reading the draft")
        WRITING = "writing", _("Saving the negotiation")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    chair_code = models.CharField(_("Chairmanship code"), max_length=16)
    source_name = models.CharField(_("source"), max_length=300, blank=True)
    source_document_id = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(_("draft"))
    size = models.PositiveIntegerField(_("size in bytes"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    negotiation = models.ForeignKey(
        Negotiation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "reading", "writing", "done", "failed"]),
                name="negotiation_importjob_state_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("negotiation:import-status", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


EDITION_LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]


class Edition(models.Model):
    """A language edition of a negotiation's text, beside the source (the text the delegations
    negotiate). Its access is the negotiation's: never wider than its source."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("language"), max_length=8, choices=EDITION_LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["negotiation", "language"]
        verbose_name = _("language edition")
        verbose_name_plural = _("language editions")
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "language"], name="edition_one_per_language"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in EDITION_LANGUAGES]),
                name="edition_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.negotiation} [{self.language}]"

    def access_parent(self) -> Negotiation:
        return self.negotiation


class EditionParagraph(models.Model):
    """One paragraph of an edition (bracket notation), with what it translates: the number
    of the source revision and the source paragraph's text as it read in that revision, so a
    later change of the source shows the translation lagging, with the words that changed."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField(_("paragraph"))
    notation = models.TextField(_("text (notation)"))
    source_revision = models.PositiveIntegerField(_("translates revision"))
    source_notation = models.TextField(_("source text translated"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("edition paragraph")
        verbose_name_plural = _("edition paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="edition_paragraph_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} ¶{self.number}"


class EditionParagraphVersion(models.Model):
    """One text an edition paragraph has had, kept when a load or a translator's update
    replaces it: nothing is overwritten without its earlier text staying here (who, when,
    which source revision it translated). Keyed by the edition and the paragraph's number,
    so a paragraph a later load drops keeps its history; an empty `notation` records that
    drop."""

    class Via(models.TextChoices):
        LOAD = "load", _("edition loaded")
        PARAGRAPH = "paragraph", _("paragraph updated")
        REMOVED = "removed", _("removed by a load")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("paragraph"))
    notation = models.TextField(_("text (notation)"), blank=True)
    source_revision = models.PositiveIntegerField(_("translates revision"))
    source_notation = models.TextField(_("source text translated"), blank=True)
    via = models.CharField(_("how"), max_length=16, choices=Via.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    made_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["edition", "number", "-made_at", "-pk"]
        verbose_name = _("edition paragraph version")
        verbose_name_plural = _("edition paragraph versions")
        indexes = [models.Index(fields=["edition", "number"], name="edition_version_number")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(via__in=["load", "paragraph", "removed"]),
                name="edition_version_via_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition} ¶{self.number} ({self.made_at:%Y-%m-%d %H:%M})"


class TranslatorAssignment(models.Model):
    """The secretariat assigns a translator (a secretariat staff member) to a language, for
    one negotiation or, with no negotiation, forum-wide. Only assigned translators (and the
    secretariat's managers) may change that language's editions; the queue shows a
    translator the languages assigned to them."""

    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="translator_assignments",
        verbose_name=_("translator"),
    )
    language = models.CharField(_("language"), max_length=8, choices=EDITION_LANGUAGES)
    negotiation = models.ForeignKey(
        Negotiation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translator_assignments",
        verbose_name=_("negotiation"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["language", "translator"]
        verbose_name = _("translator assignment")
        verbose_name_plural = _("translator assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["translator", "language", "negotiation"],
                name="translator_assignment_unique",
            ),
            models.UniqueConstraint(
                fields=["translator", "language"],
                condition=models.Q(negotiation__isnull=True),
                name="translator_assignment_forum_wide_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in EDITION_LANGUAGES]),
                name="translator_assignment_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.translator} [{self.language}]"
