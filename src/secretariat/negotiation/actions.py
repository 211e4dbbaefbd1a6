"""Every change to a negotiation is one of these functions: atomic, audited, notifying and
enqueueing its background work in the same transaction. Views, commands, tasks and tests
call them; nothing else saves these models.

`code` arguments are the delegation a user acts for; callers take it from `access.acting_code`
(never from the request), so a delegate acts for their own delegation only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import AccessLevel, Body, Role, User
from secretariat.core import audit
from secretariat.negotiation import compiling, engine
from secretariat.negotiation.models import (
    Amendment,
    Comment,
    Decision,
    Negotiation,
    Position,
    Revision,
    SilenceProcedure,
    Statement,
)
from secretariat.notifications.actions import notify

log = logging.getLogger(__name__)


class ActionError(Exception):
    """A refused change; `status` is the HTTP status a view answers with."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class FrozenRevision(ActionError):
    status = 409


@dataclass
class Conflict:
    """A write based on a text that changed meanwhile: both sides, and where the user's input
    was kept."""

    mine: str
    theirs: str
    kept: Amendment | None = None


# --- reading the state ------------------------------------------------------------------------


def working_revision(negotiation: Negotiation) -> Revision:
    return negotiation.revisions.get(frozen=False)


def latest_issued(negotiation: Negotiation) -> Revision | None:
    return negotiation.revisions.filter(frozen=True).order_by("-number").first()


def participants(negotiation: Negotiation) -> QuerySet[User]:
    """Everyone who takes part: the body's delegations, the Chairmanship, the secretariat."""
    members = negotiation.body.members.all() if negotiation.body_id else []
    return User.objects.filter(is_active=True).filter(
        Q(delegation__in=members, role__in=[Role.DELEGATE, Role.CONTACT_POINT, Role.COORDINATOR])
        | Q(role__in=[Role.CHAIR, Role.SECRETARIAT])
    )


def delegation_users(negotiation: Negotiation, codes: set[str]) -> QuerySet[User]:
    qs = participants(negotiation)
    chair = negotiation.chair_code in codes
    return qs.filter(Q(delegation__code__in=codes) | (Q(role=Role.CHAIR) if chair else Q(pk=None)))


def _structure(text: str) -> dict[str, Any]:
    return engine.structure(engine.parse_text(text))


def _set_working_text(negotiation: Negotiation, revision: Revision, text: str) -> None:
    revision.notation = text
    revision.parsed = _structure(text)
    revision.save(update_fields=["notation", "parsed"])
    Negotiation.objects.filter(pk=negotiation.pk).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    negotiation.refresh_from_db(fields=["version", "changed_at"])


def _locked(negotiation: Negotiation) -> Negotiation:
    return Negotiation.objects.select_for_update().get(pk=negotiation.pk)


def _require_open(negotiation: Negotiation) -> None:
    if negotiation.state != Negotiation.State.NEGOTIATING:
        raise ActionError(
            _("The text is %(state)s: it cannot be changed now.")
            % {"state": negotiation.get_state_display()},
            status=409,
        )


# --- starting -----------------------------------------------------------------------------


def do_import_negotiation(
    *,
    title: str,
    body: Body,
    text: str,
    actor: Any,
    chair_code: str = "CHAIR",
    source_name: str = "",
    source_document_id: int | None = None,
) -> Negotiation:
    """Start a negotiation from a draft in bracket notation. Everything in it (brackets,
    positions, notes) is read by the engine; what it could not read is kept as diagnostics
    beside the lines, never repaired nor refused."""
    draft = engine.parse_text(text)
    notation = engine.render_notation(draft)
    diagnostics = [
        {"line": d.line, "column": d.column, "severity": d.severity, "message": d.message}
        for d in draft.diagnostics
    ]
    now = timezone.now()
    with transaction.atomic():
        negotiation = Negotiation.objects.create(
            title=title[:300],
            body=body,
            access_level=AccessLevel.BODY,
            chair_code=chair_code,
            created_by=actor,
            source_name=source_name[:300],
            source_text=text,
            diagnostics=diagnostics,
            source_document_id=source_document_id,
        )
        parsed = engine.structure(draft)
        Revision.objects.create(
            negotiation=negotiation,
            number=1,
            notation=notation,
            parsed=parsed,
            frozen=True,
            issued_at=now,
            issued_by=actor,
            note=_("as imported"),
        )
        Revision.objects.create(negotiation=negotiation, number=2, notation=notation, parsed=parsed)
        audit.record(
            "negotiation.import",
            actor=actor,
            obj=negotiation,
            body=body.code,
            source=source_name,
            diagnostics=len(diagnostics),
            new=engine.summary(parsed),
        )
        notify(
            participants(negotiation).exclude(pk=getattr(actor, "pk", None)),
            "negotiation.revision",
            _("New negotiation in %(body)s: %(title)s") % {"body": body.code, "title": title},
            negotiation.get_absolute_url(),
        )
    return negotiation


def unknown_codes(negotiation: Negotiation) -> list[str]:
    """Codes in the working text that the forum's register does not know."""
    working = working_revision(negotiation)
    return sorted({c for p in working.parsed.get("paragraphs", []) for c in p.get("unknown", [])})


def do_map_code(negotiation: Negotiation, *, alias: str, delegation: Any, actor: Any) -> None:
    """Record an unknown code of a draft as another spelling of a delegation (in the forum's
    register), then read the working text again with it. Issued revisions stay as issued."""
    from secretariat.accounts.models import Delegation, DelegationAlias

    alias = alias.strip().upper()
    if not alias or alias not in unknown_codes(negotiation):
        raise ActionError(_("“%(code)s” is not an unknown code of this text.") % {"code": alias})
    if Delegation.objects.filter(code=alias).exists():
        raise ActionError(_("“%(code)s” is already a delegation's code.") % {"code": alias})
    with transaction.atomic():
        negotiation = _locked(negotiation)
        DelegationAlias.objects.get_or_create(alias=alias, defaults={"delegation": delegation})
        working = Revision.objects.select_for_update().get(negotiation=negotiation, frozen=False)
        _set_working_text(negotiation, working, working.notation)
        audit.record(
            "negotiation.code.map",
            actor=actor,
            obj=negotiation,
            old=alias,
            new=delegation.code,
        )


# --- amendments -----------------------------------------------------------------------------


def _paragraph(revision: Revision, key: str) -> dict[str, Any]:
    for p in revision.parsed.get("paragraphs", []):
        if p["key"] == key:
            return p
    raise ActionError(
        _("There is no paragraph %(key)s in the current text.") % {"key": key}, status=404
    )


def _span_from_anchor(current: str, anchor: str) -> tuple[int, int]:
    anchor = anchor.strip()
    if not anchor:
        raise ActionError(_("Select the words the amendment is about."))
    first = current.find(anchor)
    if first < 0:
        raise ActionError(_("The words “%(words)s” are not in the paragraph.") % {"words": anchor})
    if current.find(anchor, first + 1) >= 0:
        raise ActionError(
            _(
                "The words “%(words)s” occur more than once in the paragraph: "
                "select a longer passage."
            )
            % {"words": anchor}
        )
    return first, first + len(anchor)


def do_propose_amendment(
    negotiation: Negotiation,
    *,
    paragraph_key: str,
    kind: str,
    text: str,
    code: str,
    actor: Any,
    seen: str | None = None,
    start: int | None = None,
    end: int | None = None,
    anchor: str = "",
    new_label: str = "",
    explanation: str = "",
    version: int | None = None,
) -> tuple[Amendment, Conflict | None]:
    """Propose to insert, delete or replace words of a paragraph, or a new or alternative
    paragraph after it. `seen` is the paragraph as the proposer saw it: if it changed
    meanwhile the proposal is kept as a draft and a Conflict is returned with both texts."""
    if kind not in Amendment.Kind.values:
        raise ActionError(_("Unknown kind of amendment."))
    if kind != Amendment.Kind.DELETE and not text.strip():
        raise ActionError(_("Write the proposed text."))
    with transaction.atomic():
        negotiation = _locked(negotiation)
        _require_open(negotiation)
        working = working_revision(negotiation)
        current = _paragraph(working, paragraph_key)["notation"]
        base = current if seen is None else seen.replace("\r\n", "\n")
        conflict = None
        status = Amendment.Status.PROPOSED
        if base != current:
            status = Amendment.Status.DRAFT
            conflict = Conflict(mine=text, theirs=current)
        if kind in (Amendment.Kind.NEW_PARAGRAPH, Amendment.Kind.ALTERNATIVE):
            start = end = 0
        elif start is None or end is None:
            start, end = _span_from_anchor(base, anchor or "")
            if kind == Amendment.Kind.INSERT:
                start = end  # insert after the anchor words
        if not (0 <= start <= end <= len(base)):
            raise ActionError(_("The selected span is outside the paragraph."))
        if kind in (Amendment.Kind.DELETE, Amendment.Kind.REPLACE) and start == end:
            raise ActionError(_("Select the words to delete or replace."))
        label = _paragraph(working, paragraph_key)["label"] or ""
        amendment = Amendment.objects.create(
            negotiation=negotiation,
            paragraph_key=paragraph_key,
            paragraph_label=label,
            kind=kind,
            start=start,
            end=end,
            base_text=base,
            base_version=version if version is not None else negotiation.version,
            text=text,
            new_label=new_label[:32],
            delegation_code=code,
            explanation=explanation,
            status=status,
            created_by=actor,
        )
        audit.record(
            "negotiation.amendment.propose",
            actor=actor,
            obj=negotiation,
            amendment=amendment.pk,
            code=code,
            kind=kind,
            paragraph=paragraph_key,
            status=status,
            new={"original": amendment.original, "text": text},
        )
        if conflict is not None:
            conflict.kept = amendment
        else:
            _notify_amendment(negotiation, amendment, actor)
    return amendment, conflict


def _notify_amendment(negotiation: Negotiation, amendment: Amendment, actor: Any) -> None:
    """Tell the delegations holding a position on that paragraph (in the text or stated)."""
    working = working_revision(negotiation)
    holders: set[str] = set()
    try:
        p = _paragraph(working, amendment.paragraph_key)
        holders |= {pos["delegation"] for pos in p["positions"]}
        for b in p["brackets"]:
            holders |= {pos["delegation"] for pos in b["positions"]}
    except ActionError:
        pass
    holders |= set(
        negotiation.positions.filter(
            paragraph_key=amendment.paragraph_key,
            superseded_by__isnull=True,
            withdrawn_at__isnull=True,
        ).values_list("delegation_code", flat=True)
    )
    holders.discard(amendment.delegation_code)
    if not holders:
        return
    users = delegation_users(negotiation, holders).exclude(pk=getattr(actor, "pk", None))
    notify(
        users,
        "negotiation.amendment",
        _("%(code)s proposes an amendment to %(label)s of “%(title)s”")
        % {
            "code": amendment.delegation_code,
            "label": amendment.paragraph_label or amendment.paragraph_key,
            "title": negotiation.title,
        },
        negotiation.get_absolute_url() + f"#para-{amendment.paragraph_key}",
    )


def do_resubmit_amendment(amendment: Amendment, *, actor: Any) -> Amendment:
    """Put a draft (kept after a conflict) forward again, placed in the paragraph as it is
    now; refused if its words cannot be found there any more."""
    with transaction.atomic():
        negotiation = _locked(amendment.negotiation)
        _require_open(negotiation)
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.status != Amendment.Status.DRAFT:
            raise ActionError(_("Only a draft can be submitted."), status=409)
        current = _paragraph(working_revision(negotiation), amendment.paragraph_key)["notation"]
        spec = _spec(amendment, [])
        where = (
            compiling.locate(spec, current)
            if amendment.kind not in (Amendment.Kind.NEW_PARAGRAPH, Amendment.Kind.ALTERNATIVE)
            else (0, 0)
        )
        if where is None:
            raise ActionError(
                _(
                    "The words this amendment changes are no longer in the "
                    "paragraph: propose it again on the current text."
                ),
                status=409,
            )
        old = amendment.status
        amendment.start, amendment.end = where
        amendment.base_text = current
        amendment.base_version = negotiation.version
        amendment.status = Amendment.Status.PROPOSED
        amendment.save()
        audit.record(
            "negotiation.amendment.resubmit",
            actor=actor,
            obj=negotiation,
            amendment=amendment.pk,
            old=old,
            new=amendment.status,
        )
        _notify_amendment(negotiation, amendment, actor)
    return amendment


def do_withdraw_amendment(amendment: Amendment, *, code: str, actor: Any) -> Amendment:
    if amendment.delegation_code != code:
        raise ActionError(_("Only the delegation that proposed it can withdraw it."), status=403)
    with transaction.atomic():
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.status not in (Amendment.Status.PROPOSED, Amendment.Status.DRAFT):
            raise ActionError(_("This amendment is no longer pending."), status=409)
        old = amendment.status
        amendment.status = Amendment.Status.WITHDRAWN
        amendment.save(update_fields=["status", "updated_at"])
        audit.record(
            "negotiation.amendment.withdraw",
            actor=actor,
            obj=amendment.negotiation,
            amendment=amendment.pk,
            old=old,
            new=amendment.status,
        )
    return amendment


# --- positions and comments -------------------------------------------------------------------


def _target_text(negotiation: Negotiation, kind: str, key: str) -> tuple[str, str]:
    """(paragraph key, text) of a target in the working text; ActionError if it is not there."""
    working = working_revision(negotiation)
    if kind == Position.Target.AMENDMENT:
        amendment = negotiation.amendments.filter(pk=int(key) if key.isdigit() else 0).first()
        if amendment is None or amendment.status != Amendment.Status.PROPOSED:
            raise ActionError(_("This amendment is not open for positions."), status=409)
        return amendment.paragraph_key, amendment.text or amendment.original
    for p in working.parsed.get("paragraphs", []):
        if kind == Position.Target.PARAGRAPH and p["key"] == key:
            return key, p["text"]
        if kind == Position.Target.BRACKET:
            for b in p["brackets"]:
                if b["id"] == key:
                    return p["key"], b["text"]
    raise ActionError(_("This passage is no longer in the current text."), status=409)


def do_state_position(
    negotiation: Negotiation,
    *,
    target_kind: str,
    target_key: str,
    stance: str,
    code: str,
    actor: Any,
    qualifier: str = "",
    explanation: str = "",
    seen: str | None = None,
) -> tuple[Position, Conflict | None]:
    """Support or oppose a paragraph, a bracket or an amendment; a later stance of the same
    delegation on the same target supersedes the earlier one (which stays in the history)."""
    if stance not in Position.Stance.values or target_kind not in Position.Target.values:
        raise ActionError(_("Unknown position."))
    with transaction.atomic():
        negotiation = _locked(negotiation)
        _require_open(negotiation)
        paragraph_key, text = _target_text(negotiation, target_kind, target_key)
        if seen is not None and " ".join(seen.split()) != " ".join(text.split()):
            return Position(
                delegation_code=code, stance=stance, qualifier=qualifier, explanation=explanation
            ), Conflict(mine=seen, theirs=text)
        previous = negotiation.positions.filter(
            target_kind=target_kind,
            target_key=target_key,
            delegation_code=code,
            superseded_by__isnull=True,
            withdrawn_at__isnull=True,
        ).first()
        position = Position.objects.create(
            negotiation=negotiation,
            target_kind=target_kind,
            target_key=target_key,
            paragraph_key=paragraph_key,
            target_text=text[:2000],
            delegation_code=code,
            stance=stance,
            qualifier=qualifier[:120],
            explanation=explanation,
            base_version=negotiation.version,
            created_by=actor,
        )
        if previous is not None:
            previous.superseded_by = position
            previous.save(update_fields=["superseded_by"])
        audit.record(
            "negotiation.position",
            actor=actor,
            obj=negotiation,
            code=code,
            target=f"{target_kind}:{target_key}",
            old=str(previous) if previous else None,
            new=str(position),
        )
    return position, None


def do_withdraw_position(position: Position, *, code: str, actor: Any) -> Position:
    if position.delegation_code != code:
        raise ActionError(_("Only the delegation that stated it can withdraw it."), status=403)
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        if not position.is_current:
            raise ActionError(_("This position is no longer current."), status=409)
        position.withdrawn_at = timezone.now()
        position.save(update_fields=["withdrawn_at"])
        audit.record(
            "negotiation.position.withdraw",
            actor=actor,
            obj=position.negotiation,
            code=code,
            old=str(position),
            new=None,
        )
    return position


def do_comment(
    negotiation: Negotiation,
    *,
    paragraph_key: str,
    text: str,
    actor: Any,
    code: str = "",
    parent: Comment | None = None,
) -> Comment:
    if not text.strip():
        raise ActionError(_("Write a comment."))
    if parent is not None and parent.negotiation_id != negotiation.pk:
        raise ActionError(_("Unknown comment."), status=404)
    with transaction.atomic():
        comment = Comment.objects.create(
            negotiation=negotiation,
            paragraph_key=paragraph_key,
            parent=parent,
            author=actor,
            delegation_code=code,
            text=text.strip(),
        )
        audit.record(
            "negotiation.comment",
            actor=actor,
            obj=negotiation,
            comment=comment.pk,
            paragraph=paragraph_key,
        )
    return comment


# --- the chair's live edits of the working text --------------------------------------------


def _editable(negotiation: Negotiation, revision: Revision) -> Revision:
    if revision.negotiation_id != negotiation.pk:
        raise ActionError(_("Unknown revision."), status=404)
    if revision.frozen:
        raise FrozenRevision(
            _("Rev. %(number)d was issued and is frozen: it cannot be changed.")
            % {"number": revision.number}
        )
    return Revision.objects.select_for_update().get(pk=revision.pk)


def do_resolve_bracket(
    negotiation: Negotiation,
    revision: Revision,
    *,
    bracket_id: str,
    keep: bool,
    actor: Any,
) -> Revision:
    """Lift a bracket in the working text, keeping its proposal (keep) or the original words."""
    with transaction.atomic():
        negotiation = _locked(negotiation)
        revision = _editable(negotiation, revision)
        _require_open(negotiation)
        old = revision.notation
        try:
            text, key = compiling.resolve_bracket(old, bracket_id, keep=keep)
        except compiling.CompileError as exc:
            raise ActionError(str(exc), status=409) from None
        _set_working_text(negotiation, revision, text)
        audit.record(
            "negotiation.bracket.resolve",
            actor=actor,
            obj=negotiation,
            bracket=bracket_id,
            keep=keep,
            paragraph=key,
            old=compiling.paragraph_notation(old, key),
            new=compiling.paragraph_notation(text, key),
            version=negotiation.version,
        )
    return revision


def do_edit_paragraph(
    negotiation: Negotiation,
    revision: Revision,
    *,
    key: str,
    notation: str,
    seen: str,
    actor: Any,
    code: str = "",
) -> tuple[Revision, Conflict | None]:
    """Rewrite one paragraph of the working text. If it changed since the editor loaded it,
    nothing is overwritten: the edit is kept as a draft amendment and both texts returned."""
    with transaction.atomic():
        negotiation = _locked(negotiation)
        revision = _editable(negotiation, revision)
        _require_open(negotiation)
        current = compiling.paragraph_notation(revision.notation, key)
        if current is None:
            raise ActionError(
                _("There is no paragraph %(key)s in the current text.") % {"key": key}, status=404
            )
        seen = seen.replace("\r\n", "\n").strip()
        notation = notation.replace("\r\n", "\n").strip()
        if seen != current.strip():
            kept = Amendment.objects.create(
                negotiation=negotiation,
                paragraph_key=key,
                paragraph_label=_paragraph(revision, key)["label"] or "",
                kind=Amendment.Kind.REPLACE,
                start=0,
                end=len(seen),
                base_text=seen,
                base_version=negotiation.version,
                text=notation,
                delegation_code=code or negotiation.chair_code,
                status=Amendment.Status.DRAFT,
                created_by=actor,
                explanation=_("Kept from an edit that met a newer version of the paragraph."),
            )
            audit.record(
                "negotiation.paragraph.conflict",
                actor=actor,
                obj=negotiation,
                paragraph=key,
                amendment=kept.pk,
            )
            return revision, Conflict(mine=notation, theirs=current, kept=kept)
        if notation == current.strip():
            return revision, None  # a no-op edit creates nothing
        text = compiling.replace_paragraph(revision.notation, key, notation)
        _set_working_text(negotiation, revision, text)
        audit.record(
            "negotiation.paragraph.edit",
            actor=actor,
            obj=negotiation,
            paragraph=key,
            old=current,
            new=notation,
            version=negotiation.version,
        )
    return revision, None


# --- revisions --------------------------------------------------------------------------------


def _spec(amendment: Amendment, positions: list[Position]) -> compiling.AmendmentSpec:
    return compiling.AmendmentSpec(
        id=amendment.pk,
        paragraph_key=amendment.paragraph_key,
        kind=amendment.kind,
        start=amendment.start,
        end=amendment.end,
        base_text=amendment.base_text,
        text=amendment.text,
        code=amendment.delegation_code,
        new_label=amendment.new_label,
        positions=[_pspec(p) for p in positions],
    )


def _pspec(p: Position) -> compiling.PositionSpec:
    return compiling.PositionSpec(
        p.target_kind, p.target_key, p.paragraph_key, p.delegation_code, p.stance, p.qualifier
    )


@dataclass
class CompileReport:
    revision: Revision
    applied: list[int]
    skipped: dict[int, str]


def do_compile_revision(
    negotiation: Negotiation,
    *,
    actor: Any,
    amendment_ids: list[int] | None = None,
    note: str = "",
) -> CompileReport:
    """Issue the next revision: the working text, the chosen proposed amendments (all by
    default) bracketed with their supporters and opponents, and the stances stated since the
    last revision. The issued revision is frozen; a new working draft starts from it."""
    with transaction.atomic():
        negotiation = _locked(negotiation)
        _require_open(negotiation)
        working = Revision.objects.select_for_update().get(negotiation=negotiation, frozen=False)
        pending = negotiation.amendments.filter(status=Amendment.Status.PROPOSED)
        if amendment_ids is not None:
            pending = pending.filter(pk__in=amendment_ids)
        pending = list(pending)
        current = list(
            negotiation.positions.filter(superseded_by__isnull=True, withdrawn_at__isnull=True)
        )
        by_amendment: dict[str, list[Position]] = {}
        for p in current:
            if p.target_kind == Position.Target.AMENDMENT:
                by_amendment.setdefault(p.target_key, []).append(p)
        text_positions = [
            p
            for p in current
            if p.target_kind != Position.Target.AMENDMENT and p.compiled_in is None
        ]
        result = compiling.compile_text(
            working.notation,
            [_pspec(p) for p in text_positions],
            [_spec(a, by_amendment.get(str(a.pk), [])) for a in pending],
        )
        old = latest_issued(negotiation)
        if old is not None and result.notation == old.notation:
            raise ActionError(
                _("Nothing changed since Rev. %(number)d: no revision was issued.")
                % {"number": old.number},
                status=409,
            )
        issued = _issue(
            negotiation,
            working,
            result.notation,
            actor,
            note
            or _("podium version as of %(when)s")
            % {"when": timezone.localtime().strftime("%d %B %Y, %H:%M")},
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
            old=engine.summary(old.parsed) if old else None,
            new=engine.summary(issued.parsed),
        )
    return CompileReport(issued, result.applied, result.skipped)


def _issue(
    negotiation: Negotiation, working: Revision, text: str, actor: Any, note: str
) -> Revision:
    working.notation = text
    working.parsed = _structure(text)
    working.frozen = True
    working.issued_at = timezone.now()
    working.issued_by = actor
    working.note = note[:300]
    working.save()
    Revision.objects.create(
        negotiation=negotiation, number=working.number + 1, notation=text, parsed=working.parsed
    )
    Negotiation.objects.filter(pk=negotiation.pk).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    negotiation.refresh_from_db(fields=["version", "changed_at"])
    notify(
        participants(negotiation).exclude(pk=getattr(actor, "pk", None)),
        "negotiation.revision",
        _("Rev. %(number)d of “%(title)s” is out")
        % {"number": working.number, "title": negotiation.title},
        negotiation.get_absolute_url(),
        key=f"neg-rev-{working.pk}",
    )
    return working


def _current_issued(negotiation: Negotiation, actor: Any, note: str) -> Revision:
    """The issued revision that equals the working text, issuing one if they differ."""
    working = Revision.objects.select_for_update().get(negotiation=negotiation, frozen=False)
    last = latest_issued(negotiation)
    if last is not None and last.notation == working.notation:
        return last
    return _issue(negotiation, working, working.notation, actor, note)


def _require_all_agreed(revision: Revision) -> None:
    open_ = [
        p["label"] or p["key"] for p in revision.parsed.get("paragraphs", []) if not p["agreed"]
    ]
    if open_:
        raise ActionError(
            _("Not every paragraph is agreed yet (still open: %(labels)s).")
            % {"labels": ", ".join(open_[:12])},
            status=409,
        )


# --- decisions --------------------------------------------------------------------------------


def do_record_agreed_ad_ref(negotiation: Negotiation, *, actor: Any, note: str = "") -> Decision:
    with transaction.atomic():
        negotiation = _locked(negotiation)
        _require_open(negotiation)
        _require_all_agreed(working_revision(negotiation))
        revision = _current_issued(negotiation, actor, _("as agreed ad ref"))
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.AGREED_AD_REF,
            revision=revision,
            body=negotiation.body,
            recorded_by=actor,
            note=note,
        )
        _set_state(negotiation, Negotiation.State.AGREED_AD_REF, actor, decision=decision.pk)
    return decision


def do_forward(negotiation: Negotiation, *, to_body: Body, actor: Any, note: str = "") -> Decision:
    """Send a text agreed ad ref to the next body, where negotiation continues on it."""
    with transaction.atomic():
        negotiation = _locked(negotiation)
        if negotiation.state != Negotiation.State.AGREED_AD_REF:
            raise ActionError(
                _("Only a text agreed ad ref can be sent to another body."), status=409
            )
        if to_body.pk == negotiation.body_id:
            raise ActionError(_("The text is already in that body."))
        from_body = negotiation.body
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.FORWARDED,
            revision=latest_issued(negotiation),
            body=from_body,
            to_body=to_body,
            recorded_by=actor,
            note=note,
        )
        negotiation.body = to_body
        negotiation.state = Negotiation.State.NEGOTIATING
        negotiation.save(update_fields=["body", "state", "changed_at"])
        audit.record(
            "negotiation.forward",
            actor=actor,
            obj=negotiation,
            old=from_body.code,
            new=to_body.code,
        )
        notify(
            participants(negotiation).exclude(pk=getattr(actor, "pk", None)),
            "negotiation.forward",
            _("“%(title)s” was sent from %(from)s to %(to)s")
            % {"title": negotiation.title, "from": from_body.code, "to": to_body.code},
            negotiation.get_absolute_url(),
        )
    return decision


def _set_state(negotiation: Negotiation, state: str, actor: Any, **detail: Any) -> None:
    old = negotiation.state
    negotiation.state = state
    negotiation.save(update_fields=["state", "changed_at"])
    Negotiation.objects.filter(pk=negotiation.pk).update(version=F("version") + 1)
    negotiation.refresh_from_db(fields=["version"])
    audit.record(
        "negotiation.state",
        actor=actor,
        obj=negotiation,
        old=old,
        new=state,
        **detail,
    )


def do_open_silence(
    negotiation: Negotiation,
    *,
    deadline: datetime,
    time_zone: str = "UTC",
    actor: Any,
    allow_past: bool = False,
) -> SilenceProcedure:
    """Circulate the agreed text under silence until `deadline`; the worker adopts it then
    unless a delegation breaks silence first. `allow_past` exists for tests only."""
    from secretariat.negotiation.tasks import end_silence_procedure

    if timezone.is_naive(deadline):
        raise ActionError(_("The deadline needs a time zone."))
    if deadline <= timezone.now() and not allow_past:
        raise ActionError(_("The deadline must be in the future."))
    with transaction.atomic():
        negotiation = _locked(negotiation)
        if negotiation.state not in (
            Negotiation.State.NEGOTIATING,
            Negotiation.State.AGREED_AD_REF,
        ):
            raise ActionError(_("A silence procedure cannot be opened now."), status=409)
        _require_all_agreed(working_revision(negotiation))
        revision = _current_issued(negotiation, actor, _("text under silence procedure"))
        silence = SilenceProcedure.objects.create(
            negotiation=negotiation,
            revision=revision,
            deadline=deadline,
            time_zone=time_zone,
            opened_by=actor,
        )
        _set_state(
            negotiation,
            Negotiation.State.SILENCE,
            actor,
            silence=silence.pk,
            deadline=deadline.isoformat(),
        )
        end_silence_procedure.using(run_after=deadline).enqueue(silence.pk)
        local = timezone.localtime(deadline, _zone(time_zone))
        notify(
            participants(negotiation),
            "negotiation.silence",
            _("Silence procedure on “%(title)s” until %(deadline)s")
            % {"title": negotiation.title, "deadline": f"{local:%d %B %Y, %H:%M} ({time_zone})"},
            negotiation.get_absolute_url(),
            key=f"neg-silence-open-{silence.pk}",
        )
    return silence


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:
        return timezone.get_default_timezone()


def do_break_silence(
    silence: SilenceProcedure,
    *,
    reason: str,
    code: str,
    actor: Any,
) -> SilenceProcedure:
    """A delegation objects before the deadline: the text returns to negotiation."""
    if not reason.strip():
        raise ActionError(_("Breaking silence needs a written reason."))
    with transaction.atomic():
        negotiation = _locked(silence.negotiation)
        silence = SilenceProcedure.objects.select_for_update().get(pk=silence.pk)
        if silence.state != SilenceProcedure.State.OPEN:
            raise ActionError(_("This silence procedure is no longer open."), status=409)
        if timezone.now() >= silence.deadline:
            raise ActionError(
                _("The deadline has passed: silence can no longer be broken."), status=409
            )
        silence.state = SilenceProcedure.State.BROKEN
        silence.broken_by = actor
        silence.broken_code = code
        silence.broken_at = timezone.now()
        silence.reason = reason.strip()
        silence.save()
        _set_state(
            negotiation,
            Negotiation.State.NEGOTIATING,
            actor,
            silence=silence.pk,
            broken_by=code,
            reason=silence.reason,
        )
        notify(
            participants(negotiation),
            "negotiation.silence",
            _("%(code)s broke silence on “%(title)s”: %(reason)s")
            % {"code": code, "title": negotiation.title, "reason": silence.reason[:200]},
            negotiation.get_absolute_url(),
            key=f"neg-silence-broken-{silence.pk}",
        )
    return silence


def do_end_silence(silence_id: int) -> bool:
    """Run by the worker at the deadline: adopt the text if silence held. Idempotent: an
    ended, broken or not yet due procedure is left alone. Returns whether it adopted."""
    with transaction.atomic():
        silence = (
            SilenceProcedure.objects.select_for_update()
            .filter(pk=silence_id)
            .select_related("negotiation")
            .first()
        )
        if silence is None or silence.state != SilenceProcedure.State.OPEN:
            return False
        if silence.deadline > timezone.now():
            return False
        negotiation = _locked(silence.negotiation)
        silence.state = SilenceProcedure.State.ENDED
        silence.save(update_fields=["state"])
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.ADOPTED_BY_SILENCE,
            revision=silence.revision,
            body=negotiation.body,
            note=_("No delegation broke silence before the deadline."),
        )
        _adopt(negotiation, decision, None)
        notify(
            participants(negotiation),
            "negotiation.silence",
            _("Silence ended: “%(title)s” is adopted") % {"title": negotiation.title},
            negotiation.get_absolute_url(),
            key=f"neg-silence-ended-{silence.pk}",
        )
    return True


def do_adopt_by_consensus(
    negotiation: Negotiation,
    *,
    actor: Any,
    statements: list[dict[str, str]] | None = None,
    note: str = "",
) -> Decision:
    """Record adoption at a meeting, with reservations and explanations of position (each a
    dict: kind, delegation_code, paragraph_key, text)."""
    with transaction.atomic():
        negotiation = _locked(negotiation)
        if negotiation.state not in (
            Negotiation.State.NEGOTIATING,
            Negotiation.State.AGREED_AD_REF,
        ):
            raise ActionError(_("The text cannot be adopted now."), status=409)
        _require_all_agreed(working_revision(negotiation))
        revision = _current_issued(negotiation, actor, _("as adopted"))
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.ADOPTED_BY_CONSENSUS,
            revision=revision,
            body=negotiation.body,
            recorded_by=actor,
            note=note,
        )
        for s in statements or []:
            if not s.get("text", "").strip():
                continue
            Statement.objects.create(
                decision=decision,
                kind=s.get("kind") or Statement.Kind.EXPLANATION,
                delegation_code=s["delegation_code"],
                paragraph_key=s.get("paragraph_key", ""),
                text=s["text"].strip(),
            )
        _adopt(negotiation, decision, actor)
        notify(
            participants(negotiation).exclude(pk=getattr(actor, "pk", None)),
            "negotiation.adopted",
            _("“%(title)s” was adopted by consensus") % {"title": negotiation.title},
            negotiation.get_absolute_url(),
            key=f"neg-adopted-{decision.pk}",
        )
    return decision


def _adopt(negotiation: Negotiation, decision: Decision, actor: Any) -> None:
    _set_state(
        negotiation, Negotiation.State.ADOPTED, actor, decision=decision.pk, kind=decision.kind
    )
    document_id = file_in_library(negotiation, decision, actor)
    if document_id is not None:
        decision.filed_document_id = document_id
        decision.save(update_fields=["filed_document_id"])


def file_in_library(negotiation: Negotiation, decision: Decision, actor: Any) -> int | None:
    """File the adopted text in the library as adopted, when the library app is installed;
    without it the adopted text stays here with its history, and nothing else happens."""
    if not apps.is_installed("secretariat.documents"):
        return None
    from secretariat.accounts.models import Forum
    from secretariat.documents import actions as documents
    from secretariat.documents.models import DocumentType, Status

    history = [f"{negotiation.title}", ""]
    text = engine.agreed_text_of(decision.revision.notation)
    for d in negotiation.decisions.order_by("at", "id"):
        history.append(f"- {d.get_kind_display()} ({d.body.code}), Rev. {d.revision.number}")
    history.append(f"History: {negotiation.get_absolute_url()}revisions/")
    filename = f"negotiation-{negotiation.pk}-rev{decision.revision.number}.txt"
    forum = Forum.current()
    upload = documents.read_upload(text.encode("utf-8"), filename)
    document = documents.do_create_document(
        upload,
        title=negotiation.title,
        organization=forum.short_name if forum else "",
        doc_type=DocumentType.STATEMENT,
        status=Status.ADOPTED,
        access_level=AccessLevel.MEMBERS,
        body=negotiation.body,
        day=timezone.localdate(),
        comment="\n".join(history)[:500],
        actor=actor,
    )
    return document.pk


# --- test helper ------------------------------------------------------------------------------


def shift_deadline_for_tests(silence: SilenceProcedure, delta: timedelta) -> None:
    """Tests move a deadline instead of waiting for it (never called by the product)."""
    SilenceProcedure.objects.filter(pk=silence.pk).update(deadline=F("deadline") + delta)
