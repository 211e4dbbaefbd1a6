"""Notifications: what happened (a kind and its parameters), rendered in the reader's language
when it is read or mailed; each user's choices of email per category; what a user follows."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    DOCUMENTS = "documents", _("New documents in my bodies")
    REVISIONS = "revisions", _("New revisions of negotiations I follow")
    PARAGRAPHS = "paragraphs", _("Amendments or positions on my paragraphs")
    SILENCE = "silence", _("Silence procedures opened, broken or ended")
    NOTES_VERBALES = "notes_verbales", _("Notes verbales to my delegation")
    BOARD = "board", _("Board discussions I follow or am mentioned in")
    OTHER = "other", _("Other notifications")


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("No email")


class EmailState(models.TextChoices):
    NONE = "none", _("not mailed")
    QUEUED = "queued", _("mailed at once")
    DIGEST = "digest", _("waiting for the digest")
    DIGESTED = "digested", _("in a digest")


class Notification(models.Model):
    """Something a user should know about. New rows keep `kind` + `params` and are rendered when
    read (`message`); rows from the old `notify(users, kind, text, ...)` keep their `text`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=48)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    text = models.CharField(_("text"), max_length=500, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Lets a task that runs twice notify once: (user, key) is unique when a key is given.
    key = models.CharField(max_length=120, blank=True)
    # What the notification is about, when it is a restricted object: shown and mailed only
    # while the reader may still see it.
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    email_state = models.CharField(
        max_length=12, choices=EmailState.choices, default=EmailState.NONE
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email_state", "user"], name="notification_email_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(email_state__in=["none", "queued", "digest", "digested"]),
                name="notification_email_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """The sentence in the active language (legacy rows: the text stored with them)."""
        from secretariat.notifications.kinds import render_message

        return render_message(self.kind, self.params, self.text)

    @property
    def message_html(self) -> str:
        """The sentence for a page, its quoted titles marked with their own language."""
        from secretariat.notifications.kinds import render_message_html

        return render_message_html(self.kind, self.params, self.text)

    @property
    def category(self) -> str:
        from secretariat.notifications.kinds import category_of

        return category_of(self.kind)


class NotificationPreference(models.Model):
    """A user's choice of email for one category (no row: the category's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    mode = models.CharField(_("email"), max_length=12, choices=Mode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="notification_pref_once"),
            models.CheckConstraint(
                condition=models.Q(mode__in=["immediate", "digest", "off"]),
                name="notification_pref_mode_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    category__in=[
                        "documents",
                        "revisions",
                        "paragraphs",
                        "silence",
                        "notes_verbales",
                        "board",
                        "other",
                    ]
                ),
                name="notification_pref_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.mode}"


class DigestSchedule(models.Model):
    """When a user's daily digest goes out (an hour of their own time zone, `User.time_zone`),
    and the local day it last went out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="digest_schedule",
    )
    hour = models.PositiveSmallIntegerField(_("digest hour"), default=8)
    last_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hour__lte=23), name="digest_schedule_hour_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hour:02d}:00"


class Follow(models.Model):
    """A user follows a document or a negotiation (any object, by content type and id)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
