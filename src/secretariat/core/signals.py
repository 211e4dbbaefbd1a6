"""Changes made through the Django admin reach the audit log too.

The admin writes a LogEntry in the same transaction as each change it makes; mirroring that
row keeps one audit trail for the product's actions and the secretariat's admin work.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from secretariat.core import audit

_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


@receiver(post_save, sender=LogEntry)
def _mirror_admin_log_entry(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    # Through audit.record: the row carries the request's address and the actor's names.
    audit.record_about(
        _ACTIONS.get(instance.action_flag, "admin.other"),
        actor=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or ""),
        object_repr=instance.object_repr,
        message=instance.get_change_message(),
    )
