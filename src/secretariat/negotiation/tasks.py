"""Background work of negotiations; each task is idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def end_silence_procedure(silence_id: int) -> bool:
    """At the deadline: adopt the text unless silence was broken (or it already ended)."""
    from secretariat.negotiation.actions import do_end_silence

    return do_end_silence(silence_id)


@task()
def import_negotiation(job_id: int) -> str:
    """Import a long draft (`actions.do_queue_import`); safe to run twice."""
    from secretariat.negotiation.actions.importing import run_import_job

    return str(run_import_job(job_id).state)
