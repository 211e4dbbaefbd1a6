"""Starting a negotiation from a draft, and teaching the register the draft's unknown codes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import AccessLevel, Body, Delegation, DelegationAlias, User
from secretariat.core import audit
from secretariat.negotiation import engine
from secretariat.negotiation.actions.common import (
    ActionError,
    locked,
    others,
    set_working_text,
    working_revision,
)
from secretariat.negotiation.models import Negotiation, Revision
from secretariat.notifications.actions import notify


def do_import_negotiation(
    *,
    title: str,
    body: Body,
    text: str,
    actor: User | None,
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
            new=engine.summary(draft).as_json(),
        )
        notify(
            others(negotiation, actor),
            "negotiation.revision",
            params={"body": body.code, "title": title},
            url=negotiation.get_absolute_url(),
            target=negotiation,
        )
    return negotiation


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
