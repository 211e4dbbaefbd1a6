"""Notices posted to the forum (announcements, reminders), each with its access level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel, RestrictedContent


class Notice(RestrictedContent):
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(access_level=AccessLevel.BODY) | models.Q(body__isnull=False),
                name="notice_body_level_needs_body",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])


class NoticeRevision(models.Model):
    """The text of a notice before each edit: versions are kept, never overwritten."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    access_level = models.CharField(max_length=16, choices=AccessLevel.choices)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["notice", "number"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="notice_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}#{self.number}"
