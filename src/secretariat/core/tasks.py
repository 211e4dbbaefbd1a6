"""Tasks of the core: a self-test the operator (and the test suite) can send to the worker."""

from __future__ import annotations

from django_tasks import task

from secretariat.core.models import AuditEvent


@task()
def worker_selftest(token: str) -> str:
    """Record that a worker ran; idempotent: a second run with the same token adds nothing."""
    if not AuditEvent.objects.filter(action="worker.selftest", object_id=token).exists():
        AuditEvent.objects.create(action="worker.selftest", object_id=token, actor_name="worker")
    return token
