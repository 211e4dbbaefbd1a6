"""Domain-free models: the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One thing that happened: a login, a failed login, a view or a change of restricted content.

    Rows are only ever inserted. Updates and deletes are refused by the model and its queryset,
    and by the database itself: triggers created by migration 0004 (PostgreSQL and SQLite)
    abort any UPDATE or DELETE, whatever the client. The actor is kept as text in the row
    (user name, full name, delegation code), so deleting an account leaves its past rows as they
    were: `actor` is a reference without a database constraint that nothing ever rewrites (it
    may name a user that no longer exists; read it through `actor_id`).
    """

    # A default rather than auto_now_add: a view event written late (see core.audit) keeps the
    # time of the view.
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Never SET_NULL: the database refuses to update an audit row. The id stays as written.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too, so the record survives the account.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    actor_full_name = models.CharField(_("full name"), max_length=300, blank=True)
    actor_delegation = models.CharField(_("delegation"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class WorkerHeartbeat(models.Model):
    """A live `secretariat worker`: its lease on the tasks it claims.

    The worker writes its row when it starts and refreshes `beat_at` while it runs; it deletes
    the row when it stops. A task left RUNNING by a worker whose row is gone or stale (or whose
    process no longer exists on this host) is put back in the queue by `core.reaper`.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class ContentChange(models.Model):
    """One row per transaction-level change of content (`core.changes`): the stamp that cached
    page fragments (the dashboard's blocks, the library's list) are keyed by, read from the
    database so that every web process and host sees the same value. Rows are only inserted
    (no row lock for concurrent writers to wait on, so no deadlock with their other locks) and
    the old ones pruned by the workers."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("content change")
        verbose_name_plural = _("content changes")

    def __str__(self) -> str:
        return str(self.pk)
