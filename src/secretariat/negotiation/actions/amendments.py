"""Amendments: a delegation proposes to change words of a paragraph, or to add one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.negotiation import compiling, engine
from secretariat.negotiation.actions.common import (
    ActionError,
    Conflict,
    delegation_users,
    locked,
    require_negotiable,
    require_open,
    working_revision,
)
from secretariat.negotiation.models import Amendment, Negotiation, Position
from secretariat.notifications.actions import notify

WHOLE_PARAGRAPH_KINDS = (Amendment.Kind.NEW_PARAGRAPH, Amendment.Kind.ALTERNATIVE)


def amendment_spec(amendment: Amendment, positions: list[Position]) -> compiling.AmendmentSpec:
    """The amendment as the compiler takes it, with the current stances on it."""
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
        positions=[position_spec(p) for p in positions],
    )


def position_spec(p: Position) -> compiling.PositionSpec:
    return compiling.PositionSpec(
        p.target_kind, p.target_key, p.paragraph_key, p.delegation_code, p.stance, p.qualifier
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
    actor: User | None,
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
        negotiation = locked(negotiation)
        require_open(negotiation)
        paragraph = require_negotiable(working_revision(negotiation), paragraph_key)
        current = engine.render_paragraph_notation(paragraph)
        base = current if seen is None else seen.replace("\r\n", "\n")
        conflict = None
        status = Amendment.Status.PROPOSED
        if base != current:
            status = Amendment.Status.DRAFT
            conflict = Conflict(mine=text, theirs=current)
        if kind in WHOLE_PARAGRAPH_KINDS:
            start = end = 0
        elif start is None or end is None:
            start, end = _span_from_anchor(base, anchor or "")
            if kind == Amendment.Kind.INSERT:
                start = end  # insert after the anchor words
        if not (0 <= start <= end <= len(base)):
            raise ActionError(_("The selected span is outside the paragraph."))
        if kind in (Amendment.Kind.DELETE, Amendment.Kind.REPLACE) and start == end:
            raise ActionError(_("Select the words to delete or replace."))
        amendment = Amendment.objects.create(
            negotiation=negotiation,
            paragraph_key=paragraph_key,
            paragraph_label=paragraph.label or "",
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


def _notify_amendment(negotiation: Negotiation, amendment: Amendment, actor: User | None) -> None:
    """Tell the delegations holding a position on that paragraph (in the text or stated)."""
    holders: set[str] = set()
    try:
        p = engine.draft_of(working_revision(negotiation)).paragraph(amendment.paragraph_key)
    except engine.UnknownParagraph:
        pass
    else:
        holders |= {pos.delegation for pos in p.positions}
        for b in p.brackets:
            holders |= {pos.delegation for pos in b.positions}
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
    users = delegation_users(negotiation, holders)
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    notify(
        users,
        "negotiation.amendment",
        params={
            "code": amendment.delegation_code,
            "label": amendment.paragraph_label or amendment.paragraph_key,
            "title": negotiation.title,
        },
        url=negotiation.get_absolute_url() + f"#para-{amendment.paragraph_key}",
        target=negotiation,
    )


def _require_own(amendment: Amendment, code: str, message: str) -> None:
    if amendment.delegation_code != code:
        raise ActionError(message, status=403)


def do_resubmit_amendment(amendment: Amendment, *, code: str, actor: User | None) -> Amendment:
    """Put a draft (kept after a conflict) forward again, placed in the paragraph as it is
    now; refused if its words cannot be found there any more. Only the delegation that
    proposed it (`code`) may."""
    _require_own(amendment, code, _("Only the delegation that proposed it can submit it."))
    with transaction.atomic():
        negotiation = locked(amendment.negotiation)
        require_open(negotiation)
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.status != Amendment.Status.DRAFT:
            raise ActionError(_("Only a draft can be submitted."), status=409)
        current = engine.render_paragraph_notation(
            require_negotiable(working_revision(negotiation), amendment.paragraph_key)
        )
        where = (
            compiling.locate(amendment_spec(amendment, []), current)
            if amendment.kind not in WHOLE_PARAGRAPH_KINDS
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
            code=code,
            old=old,
            new=amendment.status,
        )
        _notify_amendment(negotiation, amendment, actor)
    return amendment


def do_withdraw_amendment(amendment: Amendment, *, code: str, actor: User | None) -> Amendment:
    _require_own(amendment, code, _("Only the delegation that proposed it can withdraw it."))
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
