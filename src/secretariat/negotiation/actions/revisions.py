"""Issuing revisions: the working text with amendments and stances compiled in, then frozen."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.negotiation import compiling, engine
from secretariat.negotiation.actions.amendments import amendment_spec, position_spec
from secretariat.negotiation.actions.common import (
    ActionError,
    bump_version,
    latest_issued,
    locked,
    others,
    require_open,
)
from secretariat.negotiation.models import Amendment, Negotiation, Position, Revision
from secretariat.negotiation.signals import text_changed
from secretariat.notifications.actions import notify


@dataclass
class CompileReport:
    revision: Revision
    applied: list[int]
    skipped: dict[int, str]


@dataclass
class CompilePreview:
    """What ``do_compile_revision`` would issue now, computed without writing anything: shown
    to the chair before the revision is frozen (it cannot be undone)."""

    number: int  # the revision it would be
    version: int  # the negotiation's version the preview was computed on
    applied: list[int]
    skipped: dict[int, str]
    summary: engine.Summary  # of the revision it would issue
    previous: Revision | None  # the last issued revision it is compared with
    comparison: engine.Comparison  # with it (or with the working text, first time)
    old: engine.Draft
    new: engine.Draft
    unchanged: bool  # nothing would change since the last issued revision

    @property
    def counts(self) -> dict[str, int]:
        return self.comparison.summary()

    @property
    def changes(self) -> list[engine.ParagraphChange]:
        return [c for c in self.comparison.paragraphs if c.status != "unchanged"]


def _compiled(
    negotiation: Negotiation, working: Revision, amendment_ids: list[int] | None
) -> tuple[compiling.CompileResult, list[Position]]:
    pending_qs = negotiation.amendments.filter(status=Amendment.Status.PROPOSED)
    if amendment_ids is not None:
        pending_qs = pending_qs.filter(pk__in=amendment_ids)
    pending = list(pending_qs)
    current = list(
        negotiation.positions.filter(superseded_by__isnull=True, withdrawn_at__isnull=True)
    )
    by_amendment: dict[str, list[Position]] = {}
    for p in current:
        if p.target_kind == Position.Target.AMENDMENT:
            by_amendment.setdefault(p.target_key, []).append(p)
    text_positions = [
        p for p in current if p.target_kind != Position.Target.AMENDMENT and p.compiled_in is None
    ]
    result = compiling.compile_text(
        working.notation,
        [position_spec(p) for p in text_positions],
        [amendment_spec(a, by_amendment.get(str(a.pk), [])) for a in pending],
    )
    return result, text_positions


def preview_compile(
    negotiation: Negotiation, *, amendment_ids: list[int] | None = None
) -> CompilePreview:
    """The revision that would be issued with these amendments, compared with the last one
    issued: nothing is written, nothing is locked."""
    working = Revision.objects.get(negotiation=negotiation, frozen=False)
    result, _positions = _compiled(negotiation, working, amendment_ids)
    register = engine.forum_register()
    old = latest_issued(negotiation)
    old_draft = engine.draft_of(old if old is not None else working, register)
    new_draft = engine.parse_text(result.notation, register)
    return CompilePreview(
        number=working.number,
        version=negotiation.version,
        applied=result.applied,
        skipped=result.skipped,
        summary=engine.summary(new_draft),
        previous=old,
        comparison=engine.compare(old_draft, new_draft),
        old=old_draft,
        new=new_draft,
        unchanged=old is not None and result.notation == old.notation,
    )


def do_compile_revision(
    negotiation: Negotiation,
    *,
    actor: User | None,
    amendment_ids: list[int] | None = None,
    note: str = "",
) -> CompileReport:
    """Issue the next revision: the working text, the chosen proposed amendments (all by
    default) bracketed with their supporters and opponents, and the stances stated since the
    last revision. The issued revision is frozen; a new working draft starts from it."""
    with transaction.atomic():
        negotiation = locked(negotiation)
        require_open(negotiation)
        working = Revision.objects.select_for_update().get(negotiation=negotiation, frozen=False)
        result, text_positions = _compiled(negotiation, working, amendment_ids)
        old = latest_issued(negotiation)
        if old is not None and result.notation == old.notation:
            raise ActionError(
                _("Nothing changed since Rev. %(number)d: no revision was issued.")
                % {"number": old.number},
                status=409,
            )
        issued = issue(
            negotiation,
            working,
            result.notation,
            actor,
            note
            or _("podium version as of %(when)s")
            % {"when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT")},
        )
        Amendment.objects.filter(pk__in=result.applied).update(
            status=Amendment.Status.ACCEPTED, compiled_into=issued, updated_at=timezone.now()
        )
        Position.objects.filter(pk__in=[p.pk for p in text_positions]).update(
            compiled_in=issued.number
        )
        audit.record(
            "negotiation.revision.issue",
            actor=actor,
            obj=negotiation,
            number=issued.number,
            applied=result.applied,
            skipped={str(k): v for k, v in result.skipped.items()},
            old=engine.summary(engine.draft_of(old)).as_json() if old else None,
            new=engine.summary(engine.draft_of(issued)).as_json(),
        )
    return CompileReport(issued, result.applied, result.skipped)


def issue(
    negotiation: Negotiation, working: Revision, text: str, actor: User | None, note: str
) -> Revision:
    """Freeze the working revision with `text` and start the next working draft from it."""
    working.notation = text
    working.parsed = engine.structure(engine.parse_text(text))
    working.frozen = True
    working.issued_at = timezone.now()
    working.issued_by = actor
    working.note = note[:300]
    working.save()
    Revision.objects.create(
        negotiation=negotiation, number=working.number + 1, notation=text, parsed=working.parsed
    )
    bump_version(negotiation)
    text_changed.send(sender=Negotiation, negotiation_id=negotiation.pk)
    notify(
        others(negotiation, actor),
        "negotiation.revision",
        params={"number": working.number, "title": negotiation.title},
        url=negotiation.get_absolute_url(),
        key=f"neg-rev-{working.pk}",
        target=negotiation,
    )
    return working


def current_issued(negotiation: Negotiation, actor: User | None, note: str) -> Revision:
    """The issued revision that equals the working text, issuing one if they differ."""
    working = Revision.objects.select_for_update().get(negotiation=negotiation, frozen=False)
    last = latest_issued(negotiation)
    if last is not None and last.notation == working.notation:
        return last
    return issue(negotiation, working, working.notation, actor, note)
