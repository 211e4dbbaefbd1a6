"""Starting a negotiation from a draft, and teaching the register the draft's unknown codes."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import AccessLevel, Body, Delegation, DelegationAlias, User
from secretariat.accounts.register import presiding_code
from secretariat.core import audit
from secretariat.core.priority import batch_priority
from secretariat.negotiation import engine
from secretariat.negotiation.actions.common import (
    ActionError,
    locked,
    others,
    set_working_text,
    working_revision,
)
from secretariat.negotiation.models import ImportJob, Negotiation, Revision
from secretariat.notifications.actions import notify


@dataclass(frozen=True)
class PreparedImport:
    """A draft read and structured, before anything is written (no transaction held)."""

    notation: str
    parsed: Any
    diagnostics: list[dict[str, Any]]
    summary: dict[str, Any]


def prepare_import(text: str) -> PreparedImport:
    """Read a draft: the slow part of an import, done outside any transaction."""
    draft = engine.parse_text(text)
    return PreparedImport(
        notation=engine.render_notation(draft),
        parsed=engine.structure(draft),
        diagnostics=[
            {"line": d.line, "column": d.column, "severity": d.severity, "message": d.message}
            for d in draft.diagnostics
        ],
        summary=engine.summary(draft).as_json(),
    )


def runs_as_task(text: str) -> bool:
    """A draft past NEGOTIATION_IMPORT_TASK_BYTES is imported by the worker, not the request."""
    return len(text.encode()) > int(settings.NEGOTIATION_IMPORT_TASK_BYTES)


def _chair_code(code: str | None) -> str:
    """The code the presiding side speaks under: given, or the forum register's."""
    code = code or presiding_code()
    if not code:
        raise ActionError(_("The forum's register names no code for the presiding side."))
    return code


def do_import_negotiation(
    *,
    title: str,
    body: Body,
    text: str,
    actor: User | None,
    chair_code: str | None = None,
    source_name: str = "",
    source_document_id: int | None = None,
    prepared: PreparedImport | None = None,
) -> Negotiation:
    """Start a negotiation from a draft in bracket notation. Everything in it (brackets,
    positions, notes) is read by the engine; what it could not read is kept as diagnostics
    beside the lines, never repaired nor refused.

    The draft is read before any transaction opens (`prepare_import`); its rows are then
    written as a pending negotiation in a few short transactions (`write_pending`), and made
    visible in one last short one (`publish`), so no transaction holds the write lock for
    long. A failure removes the pending rows; a dead process leaves them invisible, for
    `discard_abandoned_imports` to remove."""
    chair_code = _chair_code(chair_code)
    if prepared is None:
        prepared = prepare_import(text)
    discard_abandoned_imports()
    negotiation = write_pending(
        owner=f"run:{uuid.uuid4().hex}",  # this run's own
        title=title,
        body=body,
        text=text,
        actor=actor,
        chair_code=chair_code,
        source_name=source_name,
        source_document_id=source_document_id,
        prepared=prepared,
    )
    owner = negotiation.pending
    try:
        with transaction.atomic():
            publish(negotiation, actor=actor, prepared=prepared)
    except BaseException:
        discard_pending(owner)
        raise
    return negotiation


# The working revision an import writes is the issued Rev. 1's text; its structure record
# (`Revision.parsed`, written, never read back) refers to Rev. 1's rather than being a second
# copy of it (about three times the draft's size), until the working text first changes.
SAME_AS_FIRST = {"same_as_revision": 1}


def write_pending(
    *,
    owner: str,
    title: str,
    body: Body,
    text: str,
    actor: User | None,
    chair_code: str,
    source_name: str,
    source_document_id: int | None,
    prepared: PreparedImport,
) -> Negotiation:
    """Write an imported negotiation as a pending row (invisible: `Negotiation.objects` hides
    it) in several transactions, each writing one of the import's large values: the draft,
    Rev. 1's text, Rev. 1's structure (serialised before the transaction), the working
    revision's text. Between them the write lock is free for everyone else. Each is bounded
    by the import size limit (NEGOTIATION_IMPORT_MAX_BYTES), the structure being about three
    times the draft."""
    now = timezone.now()
    structure = json.dumps(prepared.parsed, cls=DjangoJSONEncoder)
    with transaction.atomic():
        negotiation = Negotiation.with_pending.create(
            title=title[:300],
            body=body,
            access_level=AccessLevel.BODY,
            chair_code=chair_code,
            created_by=actor,
            source_name=source_name[:300],
            source_text=text,
            diagnostics=prepared.diagnostics,
            source_document_id=source_document_id,
            pending=owner,
        )
    with transaction.atomic():
        first = Revision.objects.create(
            negotiation=negotiation,
            number=1,
            notation=prepared.notation,
            parsed={},
            frozen=True,
            issued_at=now,
            issued_by=actor,
            note=_("as imported"),
            summary=prepared.summary,
        )
    _write_structure(first.pk, structure)
    del structure
    with transaction.atomic():
        Revision.objects.create(
            negotiation=negotiation,
            number=2,
            notation=prepared.notation,
            parsed=SAME_AS_FIRST,
            summary=prepared.summary,
        )
    return negotiation


def _write_structure(revision_id: int, structure: str) -> None:
    """Store a structure serialised beforehand, so the transaction only writes it."""
    table = Revision._meta.db_table
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET parsed = %s{cast} WHERE id = %s",  # noqa: S608 - our table
            [structure, revision_id],
        )


def publish(negotiation: Negotiation, *, actor: User | None, prepared: PreparedImport) -> None:
    """Make a pending negotiation visible, with its audit row and notifications. The caller
    holds the transaction (the worker's also claims its job in it)."""
    Negotiation.with_pending.filter(pk=negotiation.pk).update(pending="")
    negotiation.pending = ""
    assert negotiation.body is not None
    audit.record(
        "negotiation.import",
        actor=actor,
        obj=negotiation,
        body=negotiation.body.code,
        source=negotiation.source_name,
        diagnostics=len(prepared.diagnostics),
        new=prepared.summary,
    )
    notify(
        others(negotiation, actor),
        "negotiation.revision",
        params={"body": negotiation.body.code, "title": negotiation.title},
        url=negotiation.get_absolute_url(),
        target=negotiation,
    )


def discard_pending(owner: str) -> int:
    """Remove the pending negotiations `owner` wrote (their revisions with them), one per
    transaction; never a visible negotiation. Returns how many were removed."""
    removed = 0
    rows = Negotiation.with_pending.filter(pending=owner).exclude(pending="")
    for pk in list(rows.values_list("pk", flat=True)):
        with transaction.atomic():
            if Negotiation.with_pending.filter(pk=pk, pending=owner).delete()[0]:
                removed += 1
    return removed


ABANDONED_AFTER = timedelta(hours=1)


def discard_abandoned_imports() -> int:
    """Remove what dead imports left: pending rows of a job no longer running (done, failed or
    gone) and pending rows of a request older than an hour. Run before every import."""
    owners = set(Negotiation.with_pending.exclude(pending="").values_list("pending", flat=True))
    if not owners:
        return 0
    live_jobs = {
        f"job:{pk}"
        for pk in ImportJob.objects.filter(state__in=UNFINISHED).values_list("pk", flat=True)
    }
    old = timezone.now() - ABANDONED_AFTER
    stale_runs = set(
        Negotiation.with_pending.filter(pending__startswith="run:", created_at__lt=old).values_list(
            "pending", flat=True
        )
    )
    abandoned = {o for o in owners if o.startswith("job:") and o not in live_jobs} | stale_runs
    return sum(discard_pending(owner) for owner in sorted(abandoned))


def do_queue_import(
    *,
    title: str,
    body: Body,
    text: str,
    actor: User,
    chair_code: str | None = None,
    source_name: str = "",
    source_document_id: int | None = None,
) -> ImportJob:
    """Hand a long draft to the worker; the job's page shows its progress."""
    from secretariat.negotiation.tasks import import_negotiation

    chair_code = _chair_code(chair_code)
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor,
            title=title[:300],
            body=body,
            chair_code=chair_code,
            source_name=source_name[:300],
            source_document_id=source_document_id,
            text=text,
            size=len(text.encode()),
        )
        audit.record(
            "negotiation.import.queued",
            actor=actor,
            obj=job,
            body=body.code,
            source=source_name,
            size=job.size,
        )
        import_negotiation.enqueue(job.pk)  # a row of the task queue, in this transaction
    return job


def _advance(job_id: int, frm: str, to: str) -> bool:
    """Move a job on, only from the state it is expected in (two runs never both proceed)."""
    return bool(ImportJob.objects.filter(pk=job_id, state=frm).update(state=to))


UNFINISHED = (ImportJob.State.QUEUED, ImportJob.State.READING, ImportJob.State.WRITING)


def run_import_job(job_id: int) -> ImportJob:
    """The worker's side of `do_queue_import`; safe to run again after a kill at any point.

    A job DONE or FAILED is left as it is. A job found READING or WRITING was left so by a
    run that died (the task queue runs one task once at a time; the reaper hands a dead
    worker's task to another worker): it is read again from the start. The negotiation is
    written as a pending row owned by the job ("job:<id>", invisible) in several short
    transactions; what a dead run left of it is removed first. The last transaction claims
    the job with a conditional update (only a job still unfinished and without a
    negotiation), makes the negotiation visible and marks the job DONE: a second run, if one
    ever overlapped, waits for the first there and then publishes nothing (its pending rows
    are removed). A job whose draft cannot be imported ends FAILED with the reason."""
    job = ImportJob.objects.select_related("body", "created_by").get(pk=job_id)
    if job.state not in UNFINISHED:
        return job
    owner = f"job:{job_id}"
    if job.state != ImportJob.State.QUEUED:
        audit.record("negotiation.import.resumed", actor=job.created_by, obj=job, state=job.state)
        discard_pending(owner)
    discard_abandoned_imports()
    ImportJob.objects.filter(pk=job_id, state__in=UNFINISHED).update(state=ImportJob.State.READING)
    with batch_priority():  # the pages of the web processes on the same cores come first
        _run(job, owner)
    return ImportJob.objects.get(pk=job_id)


def _run(job: ImportJob, owner: str) -> None:
    job_id = job.pk
    try:
        prepared = prepare_import(job.text)
        _advance(job_id, ImportJob.State.READING, ImportJob.State.WRITING)
        negotiation = write_pending(
            owner=owner,
            title=job.title,
            body=job.body,
            text=job.text,
            actor=job.created_by,
            chair_code=job.chair_code,
            source_name=job.source_name,
            source_document_id=job.source_document_id,
            prepared=prepared,
        )
        with transaction.atomic():
            claimed = ImportJob.objects.filter(
                pk=job_id, state__in=UNFINISHED, negotiation=None
            ).update(state=ImportJob.State.WRITING)
            if claimed:
                publish(negotiation, actor=job.created_by, prepared=prepared)
                ImportJob.objects.filter(pk=job_id).update(
                    state=ImportJob.State.DONE, negotiation=negotiation, finished_at=timezone.now()
                )
        discard_pending(owner)  # an overlapping run's rows, or ours if another run finished
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id, state__in=UNFINISHED).update(
            state=ImportJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        audit.record("negotiation.import.failed", actor=job.created_by, obj=job, error=str(exc))
        discard_pending(owner)


def unknown_codes(negotiation: Negotiation) -> list[str]:
    """Codes in the working text that the forum's register does not know."""
    draft = engine.draft_of(working_revision(negotiation))
    return sorted({c for p in draft.paragraphs for c in engine.unknown_codes(p)})


def do_map_code(
    negotiation: Negotiation, *, alias: str, delegation: Delegation, actor: User | None
) -> None:
    """Record an unknown code of a draft as another spelling of a delegation (in the forum's
    register), then read the working text again with it. Issued revisions stay as issued."""
    alias = alias.strip().upper()
    if not alias or alias not in unknown_codes(negotiation):
        raise ActionError(_("“%(code)s” is not an unknown code of this text.") % {"code": alias})
    if Delegation.objects.filter(code=alias).exists():
        raise ActionError(_("“%(code)s” is already a delegation's code.") % {"code": alias})
    with transaction.atomic():
        negotiation = locked(negotiation)
        DelegationAlias.objects.get_or_create(alias=alias, defaults={"delegation": delegation})
        working = Revision.objects.select_for_update().get(negotiation=negotiation, frozen=False)
        set_working_text(negotiation, working, working.notation)
        audit.record(
            "negotiation.code.map",
            actor=actor,
            obj=negotiation,
            old=alias,
            new=delegation.code,
        )
