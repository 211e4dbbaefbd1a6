"""The bulletin board: a board per body, one forum-wide, one for the secretariat; threads with
posts in Markdown; every edit kept as a revision; flags, read markers, mailed-in threads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel, RestrictedContent


class BoardKind(models.TextChoices):
    BODY = "body", _("Body board")
    FORUM = "forum", _("Forum-wide board")
    SECRETARIAT = "secretariat", _("Secretariat board")


class Board(RestrictedContent):
    """Its access level follows its kind: body -> BODY, forum -> MEMBERS, secretariat ->
    SECRETARIAT (see `actions.ensure_boards`)."""

    kind = models.CharField(_("kind"), max_length=16, choices=BoardKind.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["body", "forum", "secretariat"]),
                name="board_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="body", access_level=AccessLevel.BODY, body__isnull=False)
                    | models.Q(kind="forum", access_level=AccessLevel.MEMBERS, body__isnull=True)
                    | models.Q(
                        kind="secretariat", access_level=AccessLevel.SECRETARIAT, body__isnull=True
                    )
                ),
                name="board_kind_matches_access",
            ),
            models.UniqueConstraint(
                fields=["body"], condition=models.Q(kind="body"), name="board_one_per_body"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        if self.kind == BoardKind.BODY and self.body is not None:
            return self.body.name
        return str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return reverse("board:board", args=[self.code])


class Thread(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="threads")
    subject = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(db_index=True)
    post_count = models.PositiveIntegerField(default=0)  # visible (not hidden) posts
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-id"]
        indexes = [models.Index(fields=["board", "-pinned", "-last_post_at"], name="thread_list")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("board:thread", args=[self.pk])

    def access_parent(self) -> Board:
        return self.board


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))  # Markdown, the current revision
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    by_email = models.BooleanField(default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The search forms of the text (documents.searchtext), padded with spaces: " w1 w2 ".
    plain = models.TextField(blank=True)
    stemmed = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="post_hidden_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("board:thread", args=[self.thread_id]) + f"#post-{self.pk}"

    def access_parent(self) -> Board:
        return self.thread.board

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(models.Model):
    """Every text a post has had, append-only; number 1 is the original."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="post_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.number}"


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="flag_once")]

    def __str__(self) -> str:
        return f"flag {self.post_id} by {self.user_id}"


class ThreadRead(models.Model):
    """Up to when a user has read a thread (unread markers)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="thread_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"


class BoardVisit(models.Model):
    """When a user last opened a board: "new since my last visit"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    previous_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="board_visit_once")]

    def __str__(self) -> str:
        return f"{self.user_id} visited {self.board_id}"


class MailedThread(models.Model):
    """A new thread sent by mail to a board's address: posted once its sender confirms."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.subject


class PassageAnchor(models.Model):
    """A thread about some words of a paragraph: of a library document (by number, followed
    into each new version) or of a negotiation's working text (by paragraph key, followed
    through each edit and revision). The quoted words and their context are kept and re-found:
    the anchor follows the words, or is marked changed when they are gone."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="anchor")
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    negotiation = models.ForeignKey(
        "negotiation.Negotiation",
        null=True,
        blank=True,
        # Not CASCADE: a thread left without its anchor would be open to the whole board.
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The document version, or the negotiation's change counter, the anchor was last found in.
    version_id_seen = models.PositiveBigIntegerField()
    paragraph_number = models.PositiveIntegerField(default=0)  # documents
    paragraph_key = models.CharField(max_length=64, blank=True)  # negotiations
    quote = models.CharField(max_length=1000)
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    changed = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["document", "paragraph_number"], name="anchor_paragraph"),
            models.Index(fields=["negotiation", "paragraph_key"], name="anchor_negotiation_para"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(document__isnull=False, negotiation__isnull=True)
                    | models.Q(document__isnull=True, negotiation__isnull=False)
                ),
                name="anchor_on_one_text",
            )
        ]

    def __str__(self) -> str:
        where = f"{self.document_id} ¶{self.paragraph_number}"
        if self.negotiation_id is not None:
            where = f"N{self.negotiation_id} {self.paragraph_key}"
        return f"{where}: {self.quote[:40]}"

    def get_text_url(self) -> str:
        """The paragraph the thread is about, in its document or negotiation."""
        if self.negotiation_id is not None:
            return (
                reverse("negotiation:detail", args=[self.negotiation_id])
                + f"#para-{self.paragraph_key}"
            )
        return reverse("documents:detail", args=[self.document_id]) + f"#p{self.paragraph_number}"


class Attachment(models.Model):
    """A file attached to a post, checked like the library's files (by content, size limit)
    and stored content-addressed; served only to those who may see the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "id"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("board:attachment", args=[self.pk])
