"""The archive's one table: the change sequence every host's finder index follows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FinderChange(models.Model):
    """One document changed (text or status), written in the transaction of the change. Each
    web host keeps its own finder index directory and applies the rows after the last id it
    recorded in its index manifest: the database is the only thing hosts share."""

    id = models.BigAutoField(primary_key=True)
    document_id = models.BigIntegerField(_("document"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("finder change")
        verbose_name_plural = _("finder changes")

    def __str__(self) -> str:
        return f"#{self.id} document {self.document_id}"
