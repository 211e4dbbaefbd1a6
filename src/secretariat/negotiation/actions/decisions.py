"""Decisions on a text: agreed ad ref, sent to another body, adopted (and filed in the library)."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts import access as policy
from secretariat.accounts.models import AccessLevel, Body, Forum, User
from secretariat.core import audit
from secretariat.documents import actions as documents
from secretariat.documents.models import DocumentType, Status
from secretariat.negotiation import engine
from secretariat.negotiation.actions.common import (
    ActionError,
    body_of,
    bump_version,
    latest_issued,
    locked,
    others,
    require_all_agreed,
    require_open,
    working_revision,
)
from secretariat.negotiation.actions.revisions import current_issued
from secretariat.negotiation.models import Decision, Negotiation, Revision, Statement
from secretariat.notifications.actions import notify

State = Negotiation.State
DECIDABLE = (State.NEGOTIATING, State.AGREED_AD_REF)


class StatementInput(TypedDict):
    """A reservation or explanation of position given with an adoption."""

    kind: str
    delegation_code: str
    paragraph_key: str
    text: str


def decision_basis(
    negotiation: Negotiation,
    *,
    states: tuple[str, ...] | None,
    refusal: str,
    issue_note: str,
    actor: User | None,
) -> tuple[Negotiation, Revision]:
    """The shared start of every decision, inside the caller's transaction: lock the text,
    check its state (`states` None: still under negotiation), require every paragraph agreed,
    and return the issued revision equal to the working text (issuing it if needed)."""
    negotiation = locked(negotiation)
    if states is None:
        require_open(negotiation)
    elif negotiation.state not in states:
        raise ActionError(refusal, status=409)
    require_all_agreed(working_revision(negotiation))
    return negotiation, current_issued(negotiation, actor, issue_note)


def set_state(negotiation: Negotiation, state: str, actor: User | None, **detail: Any) -> None:
    old = negotiation.state
    negotiation.state = state
    negotiation.save(update_fields=["state", "changed_at"])
    bump_version(negotiation)
    audit.record("negotiation.state", actor=actor, obj=negotiation, old=old, new=state, **detail)


def do_record_agreed_ad_ref(
    negotiation: Negotiation, *, actor: User | None, note: str = ""
) -> Decision:
    with transaction.atomic():
        negotiation, revision = decision_basis(
            negotiation, states=None, refusal="", issue_note=_("as agreed ad ref"), actor=actor
        )
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.AGREED_AD_REF,
            revision=revision,
            body=body_of(negotiation),
            recorded_by=actor,
            note=note,
        )
        set_state(negotiation, State.AGREED_AD_REF, actor, decision=decision.pk)
    return decision


def do_forward(
    negotiation: Negotiation, *, to_body: Body, actor: User | None, note: str = ""
) -> Decision:
    """Send a text agreed ad ref to the next body, where negotiation continues on it."""
    with transaction.atomic():
        negotiation = locked(negotiation)
        if negotiation.state != State.AGREED_AD_REF:
            raise ActionError(
                _("Only a text agreed ad ref can be sent to another body."), status=409
            )
        if to_body.pk == negotiation.body_id:
            raise ActionError(_("The text is already in that body."))
        from_body = body_of(negotiation)
        revision = latest_issued(negotiation)
        assert revision is not None  # agreed ad ref always issued one
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.FORWARDED,
            revision=revision,
            body=from_body,
            to_body=to_body,
            recorded_by=actor,
            note=note,
        )
        negotiation.body = to_body
        negotiation.state = State.NEGOTIATING
        negotiation.save(update_fields=["body", "state", "changed_at"])
        bump_version(negotiation)  # the podium shows the state: it must see the change
        audit.record(
            "negotiation.forward",
            actor=actor,
            obj=negotiation,
            old=from_body.code,
            new=to_body.code,
        )
        notify(
            others(negotiation, actor),
            "negotiation.forward",
            params={"title": negotiation.title, "from": from_body.code, "to": to_body.code},
            url=negotiation.get_absolute_url(),
            target=negotiation,
        )
    return decision


def do_adopt_by_consensus(
    negotiation: Negotiation,
    *,
    actor: User | None,
    statements: list[StatementInput] | None = None,
    note: str = "",
    library_access: str | None = None,
) -> Decision:
    """Record adoption at a meeting, with reservations and explanations of position. The text
    is filed in the library with the negotiation's access unless `library_access` names
    another level (a wider one is audited as such)."""
    with transaction.atomic():
        negotiation, revision = decision_basis(
            negotiation,
            states=DECIDABLE,
            refusal=_("The text cannot be adopted now."),
            issue_note=_("as adopted"),
            actor=actor,
        )
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.ADOPTED_BY_CONSENSUS,
            revision=revision,
            body=body_of(negotiation),
            recorded_by=actor,
            note=note,
        )
        members = set(body_of(negotiation).members_on().values_list("code", flat=True))
        for s in statements or []:
            if not s.get("text", "").strip():
                continue
            if s.get("kind") and s["kind"] not in Statement.Kind.values:
                raise ActionError(_("Unknown kind of statement."))
            if s["delegation_code"] not in members:
                raise ActionError(
                    _("%(code)s is not a delegation of this body.")
                    % {"code": s["delegation_code"][:16]}
                )
            Statement.objects.create(
                decision=decision,
                kind=s.get("kind") or Statement.Kind.EXPLANATION,
                delegation_code=s["delegation_code"],
                paragraph_key=s.get("paragraph_key", ""),
                text=s["text"].strip(),
            )
        adopt(negotiation, decision, actor, library_access=library_access)
        notify(
            others(negotiation, actor),
            "negotiation.adopted",
            params={"title": negotiation.title},
            url=negotiation.get_absolute_url(),
            key=f"neg-adopted-{decision.pk}",
            target=negotiation,
        )
    return decision


def adopt(
    negotiation: Negotiation,
    decision: Decision,
    actor: User | None,
    *,
    library_access: str | None = None,
) -> None:
    set_state(negotiation, State.ADOPTED, actor, decision=decision.pk, kind=decision.kind)
    decision.filed_document_id = file_in_library(
        negotiation, decision, actor, access_level=library_access
    )
    decision.save(update_fields=["filed_document_id"])


# From the widest audience to the narrowest.
_BREADTH = [AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.BODY, AccessLevel.SECRETARIAT]


def is_wider(level: str, than: str) -> bool:
    """Does `level` let more people read than `than`?"""
    return _BREADTH.index(AccessLevel(level)) < _BREADTH.index(AccessLevel(than))


def file_in_library(
    negotiation: Negotiation,
    decision: Decision,
    actor: User | None,
    *,
    access_level: str | None = None,
) -> int:
    """File the adopted text in the library as adopted, with the decisions that led to it.

    The text keeps the negotiation's access (and body) unless `access_level` chooses another;
    a wider one is an explicit choice, audited as `negotiation.file_wider`. A level the actor
    could not then read is refused."""
    body = body_of(negotiation)
    level = access_level or negotiation.access_level
    if level not in AccessLevel.values:
        raise ActionError(_("Unknown access level."))
    if actor is not None and not policy.can_see_level(actor, level, body.pk):
        raise ActionError(_("You could not read the filed text at that access level."))
    history = [f"{negotiation.title}", ""]
    text = engine.agreed_text_of(decision.revision.notation)
    for d in negotiation.decisions.select_related("body", "revision").order_by("at", "id"):
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
        access_level=level,
        body=body,
        day=timezone.localdate(),
        comment="\n".join(history)[:500],
        actor=actor,
    )
    if is_wider(level, negotiation.access_level):
        audit.record(
            "negotiation.file_wider",
            actor=actor,
            obj=negotiation,
            old=negotiation.access_level,
            new=level,
            document=document.pk,
        )
    return document.pk
