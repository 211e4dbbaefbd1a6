"""Positions (a delegation supports or opposes a passage) and the comment threads."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.negotiation import engine
from secretariat.negotiation.actions.common import (
    ActionError,
    Conflict,
    locked,
    require_negotiable,
    require_open,
    working_revision,
)
from secretariat.negotiation.models import Amendment, Comment, Negotiation, Position


def _target_text(negotiation: Negotiation, kind: str, key: str) -> tuple[str, str]:
    """(paragraph key, text) of a target in the working text; ActionError if it is not there."""
    if kind == Position.Target.AMENDMENT:
        amendment = negotiation.amendments.filter(pk=int(key) if key.isdigit() else 0).first()
        if amendment is None or amendment.status != Amendment.Status.PROPOSED:
            raise ActionError(_("This amendment is not open for positions."), status=409)
        return amendment.paragraph_key, amendment.text or amendment.original
    revision = working_revision(negotiation)
    for p in engine.draft_of(revision).paragraphs:
        if kind == Position.Target.PARAGRAPH and p.key == key:
            require_negotiable(revision, key)
            return key, p.text
        if kind == Position.Target.BRACKET:
            for b in p.brackets:
                if b.id == key:
                    require_negotiable(revision, p.key)
                    return p.key, b.text
    raise ActionError(_("This passage is no longer in the current text."), status=409)


def do_state_position(
    negotiation: Negotiation,
    *,
    target_kind: str,
    target_key: str,
    stance: str,
    code: str,
    actor: User | None,
    qualifier: str = "",
    explanation: str = "",
    seen: str | None = None,
) -> tuple[Position, Conflict | None]:
    """Support or oppose a paragraph, a bracket or an amendment; a later stance of the same
    delegation on the same target supersedes the earlier one (which stays in the history)."""
    if stance not in Position.Stance.values or target_kind not in Position.Target.values:
        raise ActionError(_("Unknown position."))
    with transaction.atomic():
        negotiation = locked(negotiation)
        require_open(negotiation)
        paragraph_key, text = _target_text(negotiation, target_kind, target_key)
        if seen is not None and " ".join(seen.split()) != " ".join(text.split()):
            unsaved = Position(
                delegation_code=code, stance=stance, qualifier=qualifier, explanation=explanation
            )
            return unsaved, Conflict(mine=seen, theirs=text)
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


def do_withdraw_position(position: Position, *, code: str, actor: User | None) -> Position:
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
    actor: User | None,
    code: str = "",
    parent: Comment | None = None,
) -> Comment:
    if not text.strip():
        raise ActionError(_("Write a comment."))
    if parent is not None and parent.negotiation_id != negotiation.pk:
        raise ActionError(_("Unknown comment."), status=404)
    require_negotiable(working_revision(negotiation), paragraph_key)
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
