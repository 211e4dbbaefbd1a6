from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a user should know about, shown inside the product (mail comes later)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=48)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Lets a task that runs twice notify once: (user, key) is unique when a key is given.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.text
