"""Negotiations: revisions, paragraphs with their brackets and positions, amendments (propose,
withdraw) and positions (state), through negotiation's access rules and action functions."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from secretariat.api import pagination
from secretariat.api.problems import ERRORS, Problem
from secretariat.api.v1.library import NUL_FREE, PageParams
from secretariat.core.limits import MAX_ID
from secretariat.negotiation import access, actions, engine
from secretariat.negotiation.models import (
    Amendment,
    EditionParagraph,
    Negotiation,
    Position,
    Revision,
)

ID = Path(..., ge=1, le=MAX_ID)  # a 422 problem, never a database overflow

router = Router(tags=["negotiations"])


class NegotiationOut(Schema):
    id: int
    title: str
    state: str
    body: str | None
    access_level: str
    chair_code: str
    version: int
    changed_at: datetime


class NegotiationPage(Schema):
    items: list[NegotiationOut]
    next_cursor: str | None


class RevisionOut(Schema):
    number: int
    issued: bool
    issued_at: datetime | None
    note: str


class NegotiationDetail(NegotiationOut):
    revisions: list[RevisionOut]
    acting_code: str | None


class PositionOut(Schema):
    delegation: str
    stance: str
    qualifier: str | None


class BracketOut(Schema):
    id: str
    text: str
    positions: list[PositionOut]


class ParagraphOut(Schema):
    key: str
    label: str | None
    status: str
    agreed: bool
    text: str
    notation: str
    brackets: list[BracketOut]
    positions: list[PositionOut]


class RevisionDetail(RevisionOut):
    notation: str
    paragraphs: list[ParagraphOut]


class AmendmentOut(Schema):
    id: int
    paragraph_key: str
    kind: str
    status: str
    delegation: str
    text: str
    explanation: str
    created_at: datetime


class AmendmentIn(Schema):
    paragraph_key: str = Field(..., min_length=1, max_length=64, pattern=NUL_FREE)
    kind: str = Field(..., max_length=16, pattern=NUL_FREE)
    text: str = Field("", max_length=10000, pattern=NUL_FREE)
    anchor: str = Field("", max_length=2000, pattern=NUL_FREE)
    new_label: str = Field("", max_length=32, pattern=NUL_FREE)
    explanation: str = Field("", max_length=5000, pattern=NUL_FREE)
    seen: str | None = Field(None, max_length=20000, pattern=NUL_FREE)


class AmendmentCreated(AmendmentOut):
    conflict: bool
    current_text: str | None


class PositionIn(Schema):
    target_kind: str = Field(..., max_length=12, pattern=NUL_FREE)
    target_key: str = Field(..., min_length=1, max_length=64, pattern=NUL_FREE)
    stance: str = Field(..., max_length=8, pattern=NUL_FREE)
    qualifier: str = Field("", max_length=120, pattern=NUL_FREE)
    explanation: str = Field("", max_length=5000, pattern=NUL_FREE)


class PositionRecorded(Schema):
    id: int
    target_kind: str
    target_key: str
    stance: str
    delegation: str
    conflict: bool


def _negotiation(n: Negotiation) -> NegotiationOut:
    return NegotiationOut(
        id=n.pk,
        title=n.title,
        state=n.state,
        body=n.body.code if n.body_id and n.body else None,
        access_level=n.access_level,
        chair_code=n.chair_code,
        version=n.version,
        changed_at=n.changed_at,
    )


def _revision(r: Revision) -> RevisionOut:
    return RevisionOut(number=r.number, issued=r.frozen, issued_at=r.issued_at, note=r.note)


def _positions(items: list[engine.Position]) -> list[PositionOut]:
    return [
        PositionOut(delegation=p.delegation, stance=p.stance, qualifier=p.qualifier) for p in items
    ]


def _amendment(a: Amendment) -> AmendmentOut:
    return AmendmentOut(
        id=a.pk,
        paragraph_key=a.paragraph_key,
        kind=a.kind,
        status=a.status,
        delegation=a.delegation_code,
        text=a.text,
        explanation=a.explanation,
        created_at=a.created_at,
    )


@router.get("/negotiations", response={200: NegotiationPage, ERRORS: Problem})
def list_negotiations(request: HttpRequest, page: Query[PageParams]) -> NegotiationPage:
    rows, cursor = pagination.keyset(
        access.visible_negotiations(request.user), page.cursor, page.limit, kind="negotiations"
    )
    return NegotiationPage(items=[_negotiation(n) for n in rows], next_cursor=cursor)


@router.get("/negotiations/{pk}", response={200: NegotiationDetail, ERRORS: Problem})
def negotiation_detail(request: HttpRequest, pk: int = ID) -> NegotiationDetail:
    negotiation = access.get_negotiation_for(request, pk)
    return NegotiationDetail(
        **_negotiation(negotiation).dict(),
        revisions=[_revision(r) for r in negotiation.revisions.order_by("number")],
        acting_code=access.acting_code(request.user, negotiation),
    )


@router.get(
    "/negotiations/{pk}/revisions/{number}",
    response={200: RevisionDetail, ERRORS: Problem},
)
def revision_detail(request: HttpRequest, pk: int = ID, number: int = ID) -> RevisionDetail:
    """A revision as notation and as paragraphs: each with its status, its brackets (id, text)
    and the delegations' positions on the paragraph and on each bracket."""
    negotiation = access.get_negotiation_for(request, pk)
    revision = negotiation.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    draft = engine.draft_of(revision)
    paragraphs = [
        ParagraphOut(
            key=p.key,
            label=p.label,
            status=str(engine.paragraph_status(p)),
            agreed=p.agreed,
            text=p.text,
            notation=engine.render_paragraph_notation(p),
            brackets=[
                BracketOut(id=b.id, text=b.text, positions=_positions(b.positions))
                for b in p.brackets
            ],
            positions=_positions(p.positions),
        )
        for p in draft.paragraphs
    ]
    return RevisionDetail(
        **_revision(revision).dict(), notation=revision.notation, paragraphs=paragraphs
    )


@router.get("/negotiations/{pk}/amendments", response={200: list[AmendmentOut], ERRORS: Problem})
def list_amendments(request: HttpRequest, pk: int = ID) -> list[AmendmentOut]:
    negotiation = access.get_negotiation_for(request, pk)
    return [_amendment(a) for a in negotiation.amendments.order_by("pk")]


@router.post(
    "/negotiations/{pk}/amendments",
    response={201: AmendmentCreated, ERRORS: Problem},
)
def propose_amendment(request: HttpRequest, data: AmendmentIn, pk: int = ID) -> Status:
    """Propose an amendment for the caller's delegation (never another's). `anchor` is the
    words to change; `seen` the paragraph as the caller read it: if it changed meanwhile the
    amendment is kept as a draft and `conflict` is true with the current text."""
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    amendment, conflict = actions.do_propose_amendment(
        negotiation,
        paragraph_key=data.paragraph_key,
        kind=data.kind,
        text=data.text,
        code=code,
        actor=access.user_of(request),
        seen=data.seen,
        anchor=data.anchor,
        new_label=data.new_label,
        explanation=data.explanation,
    )
    return Status(
        201,
        AmendmentCreated(
            **_amendment(amendment).dict(),
            conflict=conflict is not None,
            current_text=conflict.theirs if conflict is not None else None,
        ),
    )


@router.post(
    "/negotiations/{pk}/amendments/{amendment_id}/withdraw",
    response={200: AmendmentOut, ERRORS: Problem},
)
def withdraw_amendment(request: HttpRequest, pk: int = ID, amendment_id: int = ID) -> AmendmentOut:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    amendment = Amendment.objects.filter(pk=amendment_id, negotiation=negotiation).first()
    if amendment is None:
        raise Http404
    return _amendment(
        actions.do_withdraw_amendment(amendment, code=code, actor=access.user_of(request))
    )


@router.post("/negotiations/{pk}/positions", response={201: PositionRecorded, ERRORS: Problem})
def state_position(request: HttpRequest, data: PositionIn, pk: int = ID) -> Status:
    """Support or oppose a paragraph, a bracket or an amendment for the caller's delegation."""
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    position, conflict = actions.do_state_position(
        negotiation,
        target_kind=data.target_kind,
        target_key=data.target_key,
        stance=data.stance,
        code=code,
        actor=access.user_of(request),
        qualifier=data.qualifier,
        explanation=data.explanation,
    )
    return Status(
        201,
        PositionRecorded(
            id=position.pk,
            target_kind=position.target_kind,
            target_key=position.target_key,
            stance=position.stance,
            delegation=position.delegation_code,
            conflict=conflict is not None,
        ),
    )


class EditionParagraphOut(Schema):
    number: int
    notation: str
    source_revision: int = Field(description="the revision this paragraph translates")
    updated_at: datetime


class EditionOut(Schema):
    language: str
    updated_at: datetime
    paragraphs: list[EditionParagraphOut]


class EditionParagraphIn(Schema):
    notation: str = Field(..., min_length=1, max_length=20000, pattern=NUL_FREE)


def _edition_paragraph(row: EditionParagraph) -> EditionParagraphOut:
    return EditionParagraphOut(
        number=row.number,
        notation=row.notation,
        source_revision=row.source_revision,
        updated_at=row.updated_at,
    )


@router.get("/negotiations/{pk}/editions", response={200: list[EditionOut], ERRORS: Problem})
def list_editions(request: HttpRequest, pk: int = ID) -> list[EditionOut]:
    """The language editions of a negotiation (an edition is never wider than its source: who
    reads the negotiation reads them), each paragraph with the revision it translates."""
    negotiation = access.get_negotiation_for(request, pk)
    return [
        EditionOut(
            language=e.language,
            updated_at=e.updated_at,
            paragraphs=[_edition_paragraph(r) for r in e.paragraphs.order_by("number")],
        )
        for e in negotiation.editions.order_by("language")
    ]


@router.put(
    "/negotiations/{pk}/editions/{language}/paragraphs/{number}",
    response={200: EditionParagraphOut, ERRORS: Problem},
)
def update_edition_paragraph(
    request: HttpRequest,
    data: EditionParagraphIn,
    language: str = Path(..., max_length=8),
    pk: int = ID,
    number: int = ID,
) -> EditionParagraphOut:
    """A translator's new text of one edition paragraph (the secretariat's staff who read the
    negotiation): it now translates the latest issued revision. Audited, old and new text."""
    negotiation = access.get_negotiation_for(request, pk)
    if not access.can_translate(request.user, negotiation):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the secretariat keeps the language editions.")
    row = (
        EditionParagraph.objects.select_related("edition__negotiation")
        .filter(edition__negotiation=negotiation, edition__language=language, number=number)
        .first()
    )
    if row is None:
        raise Http404
    return _edition_paragraph(
        actions.do_update_edition_paragraph(
            row, notation=data.notation, actor=access.user_of(request)
        )
    )


__all__ = ["Position", "router"]
