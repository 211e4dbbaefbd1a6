"""The chair's live edits of the working text: lifting a bracket, rewriting a paragraph."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.core.models import AuditEvent
from secretariat.negotiation import compiling, engine
from secretariat.negotiation.actions.common import (
    ActionError,
    Conflict,
    FrozenRevision,
    locked,
    paragraph_of,
    require_negotiable,
    require_open,
    set_working_text,
)
from secretariat.negotiation.models import Amendment, Negotiation, Revision


def editable(negotiation: Negotiation, revision: Revision) -> Revision:
    """The revision locked for a change; issued revisions are frozen and refused."""
    if revision.negotiation_id != negotiation.pk:
        raise ActionError(_("Unknown revision."), status=404)
    if revision.frozen:
        raise FrozenRevision(
            _("Rev. %(number)d was issued and is frozen: it cannot be changed.")
            % {"number": revision.number}
        )
    return Revision.objects.select_for_update().get(pk=revision.pk)


RESOLVE = "negotiation.bracket.resolve"
RESOLVE_UNDO = "negotiation.bracket.resolve.undo"


def do_resolve_bracket(
    negotiation: Negotiation,
    revision: Revision,
    *,
    bracket_id: str,
    keep: bool,
    actor: User | None,
) -> Revision:
    """Lift a bracket in the working text, keeping its proposal (keep) or the original words."""
    return resolve_bracket_undoable(
        negotiation, revision, bracket_id=bracket_id, keep=keep, actor=actor
    )[0]


def resolve_bracket_undoable(
    negotiation: Negotiation,
    revision: Revision,
    *,
    bracket_id: str,
    keep: bool,
    actor: User | None,
) -> tuple[Revision, int]:
    """``do_resolve_bracket``, also returning the id of its audit row: the token that
    ``do_undo_resolve`` takes. The row keeps the paragraph before and after, so every state of
    the working draft a resolve passed through stays on record."""
    with transaction.atomic():
        negotiation = locked(negotiation)
        revision = editable(negotiation, revision)
        require_open(negotiation)
        old = revision.notation
        try:
            text, key = compiling.resolve_bracket(old, bracket_id, keep=keep)
        except compiling.CompileError as exc:
            if bracket_id in {p.key for p in engine.draft_of(revision).paragraphs}:
                require_negotiable(revision, bracket_id)  # a heading's key posted as the target
            raise ActionError(str(exc), status=409) from None
        require_negotiable(revision, key)
        set_working_text(negotiation, revision, text)
        event = audit.record(
            RESOLVE,
            actor=actor,
            obj=negotiation,
            bracket=bracket_id,
            keep=keep,
            paragraph=key,
            old=compiling.paragraph_notation(old, key),
            new=compiling.paragraph_notation(text, key),
            version=negotiation.version,
        )
    return revision, event.pk


def do_undo_resolve(
    negotiation: Negotiation,
    revision: Revision,
    *,
    event_id: int,
    actor: User | None,
) -> str:
    """Put back the paragraph a resolve changed (the state before it, from its audit row), as a
    new state of the working draft, audited in turn. Refused once the paragraph changed since
    (another edit, or the undo done already): nothing is overwritten. Returns its key."""
    with transaction.atomic():
        negotiation = locked(negotiation)
        revision = editable(negotiation, revision)
        require_open(negotiation)
        event = AuditEvent.objects.filter(
            pk=event_id,
            action=RESOLVE,
            object_type=negotiation._meta.label_lower,
            object_id=str(negotiation.pk),
        ).first()
        if event is None:
            raise ActionError(_("There is no such resolve to undo."), status=404)
        key, before, after = (event.detail.get(k) for k in ("paragraph", "old", "new"))
        if not isinstance(key, str) or not isinstance(before, str) or not isinstance(after, str):
            raise ActionError(_("This resolve cannot be undone."), status=409)
        current = compiling.paragraph_notation(revision.notation, key)
        if current is None or current.strip() != after.strip():
            raise ActionError(
                _(
                    "The paragraph has changed since the bracket was resolved: "
                    "nothing was undone. Edit the paragraph instead."
                ),
                status=409,
            )
        text = compiling.replace_paragraph(revision.notation, key, before)
        set_working_text(negotiation, revision, text)
        audit.record(
            RESOLVE_UNDO,
            actor=actor,
            obj=negotiation,
            undoes=event.pk,
            bracket=event.detail.get("bracket"),
            paragraph=key,
            old=after,
            new=before,
            version=negotiation.version,
        )
    return key


def do_edit_paragraph(
    negotiation: Negotiation,
    revision: Revision,
    *,
    key: str,
    notation: str,
    seen: str,
    actor: User | None,
    code: str = "",
) -> tuple[Revision, Conflict | None]:
    """Rewrite one paragraph of the working text. If it changed since the editor loaded it,
    nothing is overwritten: the edit is kept as a draft amendment and both texts returned."""
    with transaction.atomic():
        negotiation = locked(negotiation)
        revision = editable(negotiation, revision)
        require_open(negotiation)
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
                paragraph_label=paragraph_of(revision, key).label or "",
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
        set_working_text(negotiation, revision, text)
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
