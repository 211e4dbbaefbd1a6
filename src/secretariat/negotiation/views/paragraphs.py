"""Work on a paragraph of the working text: amendments, positions, comments, the chair's edits
and the agreed-language panel. Each answers htmx with the paragraph again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.archive import finding
from secretariat.negotiation import access, actions, editions, engine
from secretariat.negotiation.forms import (
    AmendmentForm,
    CommentForm,
    EditParagraphForm,
    PositionForm,
    ResolveBracketForm,
    UndoResolveForm,
)
from secretariat.negotiation.models import Amendment, Position, Revision
from secretariat.negotiation.views.common import (
    base_context,
    paragraph_change,
    paragraph_response,
    revision_of,
)

log = logging.getLogger(__name__)


def paragraph(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One paragraph as a fragment (htmx refreshes it often: audited once an hour)."""
    negotiation = access.get_negotiation_for_poll(request, pk)
    request.META["HTTP_HX_REQUEST"] = "true"
    return paragraph_response(request, negotiation, key)


@require_POST
def propose_amendment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)  # a posted "delegation" is never read
    form = AmendmentForm(request.POST)
    proposed: list[Amendment] = []

    def act() -> actions.Conflict | None:
        data = form.cleaned_data
        amendment, conflict = actions.do_propose_amendment(
            negotiation,
            paragraph_key=key,
            kind=data["kind"],
            text=data["text"],
            code=code,
            actor=access.user_of(request),
            seen=form.seen_text,
            start=data["start"],
            end=data["end"],
            anchor=data["anchor"],
            new_label=data["new_label"],
            explanation=data["explanation"],
            version=data["version"],
        )
        proposed.append(amendment)
        return conflict

    return paragraph_change(
        request,
        negotiation,
        key,
        form,
        act,
        lambda: _("Amendment A%(id)d proposed.") % {"id": proposed[0].pk},
    )


@require_POST
def state_position(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    form = PositionForm(request.POST, revision=actions.working_revision(negotiation))

    def act() -> actions.Conflict | None:
        data = form.cleaned_data
        return actions.do_state_position(
            negotiation,
            target_kind=data["target_kind"],
            target_key=data["target_key"],
            stance=data["stance"],
            code=code,
            actor=access.user_of(request),
            qualifier=data["qualifier"],
            explanation=data["explanation"],
            seen=form.seen_text,
        )[1]

    key = str(request.POST.get("paragraph", ""))[:64]
    return paragraph_change(request, negotiation, key, form, act, _("Position recorded."))


def _own_item_change(
    request: HttpRequest,
    pk: int,
    model: type[Position] | type[Amendment],
    item_id: int,
    do: Callable[..., object],
    message: str,
) -> HttpResponse:
    """A delegation's act on one of its own positions or amendments (withdraw, resubmit): the
    negotiation written to, the acting code required, the item of this negotiation, and the
    item's paragraph answered again."""
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    item = get_object_or_404(model, pk=item_id, negotiation=negotiation)
    assert isinstance(item, Position | Amendment)

    def act() -> None:
        do(item, code=code, actor=access.user_of(request))

    return paragraph_change(request, negotiation, item.paragraph_key, None, act, message)


@require_POST
def withdraw_position(request: HttpRequest, pk: int, position_id: int) -> HttpResponse:
    return _own_item_change(
        request,
        pk,
        Position,
        position_id,
        actions.do_withdraw_position,
        _("Position withdrawn."),
    )


@require_POST
def withdraw_amendment(request: HttpRequest, pk: int, amendment_id: int) -> HttpResponse:
    return _own_item_change(
        request,
        pk,
        Amendment,
        amendment_id,
        actions.do_withdraw_amendment,
        _("Amendment withdrawn."),
    )


@require_POST
def resubmit_amendment(request: HttpRequest, pk: int, amendment_id: int) -> HttpResponse:
    return _own_item_change(
        request,
        pk,
        Amendment,
        amendment_id,
        actions.do_resubmit_amendment,
        _("Amendment submitted."),
    )


@require_POST
def comment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    if not access.can_comment(request.user, negotiation):
        raise PermissionDenied
    data = request.POST.copy()
    data["paragraph"] = key
    form = CommentForm(data, revision=actions.working_revision(negotiation))

    def act() -> None:
        parent_id = form.cleaned_data["parent"]
        actions.do_comment(
            negotiation,
            paragraph_key=key,
            text=form.cleaned_data["text"],
            actor=access.user_of(request),
            code=access.acting_code(request.user, negotiation) or "",
            parent=negotiation.comments.filter(pk=parent_id).first() if parent_id else None,
        )

    return paragraph_change(request, negotiation, key, form, act, _("Comment posted."))


@require_POST
def edit_paragraph(request: HttpRequest, pk: int, number: int, key: str) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    revision = revision_of(negotiation, number)
    form = EditParagraphForm(request.POST)
    if form.is_valid() and form.cleaned_data["preview"]:
        # Nothing is saved: the chair sees what the notation parses to, then confirms.
        preview = edit_preview(
            revision, key, form.cleaned_data["notation"], form.cleaned_data["seen"]
        )
        return paragraph_response(request, negotiation, key, extra={"edit_preview": preview})

    def act() -> actions.Conflict | None:
        return actions.do_edit_paragraph(
            negotiation,
            revision,
            key=key,
            notation=form.cleaned_data["notation"],
            seen=form.cleaned_data["seen"],
            actor=access.user_of(request),
            code=access.acting_code(request.user, negotiation) or "",
        )[1]

    return paragraph_change(request, negotiation, key, form, act, _("Paragraph updated."))


@dataclass
class EditPreview:
    """What the chair's notation will parse to, shown before it is saved."""

    notation: str
    seen: str
    html: str
    paragraphs: int
    brackets: int
    positions: int
    added_brackets: int  # brackets more than the paragraph has now
    diagnostics: list[engine.Diagnostic]


def edit_preview(revision: Revision, key: str, notation: str, seen: str) -> EditPreview:
    register = engine.forum_register()
    draft = engine.parse_text(notation.replace("\r\n", "\n").strip(), register)
    try:
        before = len(engine.draft_of(revision, register).paragraph(key).brackets)
    except engine.UnknownParagraph:
        before = 0
    brackets = sum(len(p.brackets) for p in draft.paragraphs)
    return EditPreview(
        notation=notation,
        seen=seen,
        html="".join(engine.render_paragraph_html(p, register) for p in draft.paragraphs),
        paragraphs=len(draft.paragraphs),
        brackets=brackets,
        positions=sum(1 for _p in draft.all_positions()),
        added_brackets=max(0, brackets - before),
        diagnostics=draft.diagnostics,
    )


@require_POST
def resolve_bracket(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    revision = revision_of(negotiation, number)
    form = ResolveBracketForm(request.POST, revision=revision)
    undo: list[int] = []

    def act() -> None:
        keep = form.cleaned_data["keep"] == "1"
        _revision, event = actions.resolve_bracket_undoable(
            negotiation,
            revision,
            bracket_id=form.cleaned_data["bracket"],
            keep=keep,
            actor=access.user_of(request),
        )
        undo.append(event)

    def done() -> str:
        if form.cleaned_data["keep"] == "1":
            return _("Bracket resolved: its words are kept.")
        return _("Bracket resolved: its words are dropped.")

    key = str(request.POST.get("paragraph", ""))[:64]
    return paragraph_change(
        request, negotiation, key, form, act, done, extra=lambda: {"undo_event": undo[0]}
    )


@require_POST
def undo_resolve(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Put back the paragraph as it was before a resolve (a new state of the working draft)."""
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    revision = revision_of(negotiation, number)
    form = UndoResolveForm(request.POST)

    def act() -> None:
        actions.do_undo_resolve(
            negotiation,
            revision,
            event_id=form.cleaned_data["event"],
            actor=access.user_of(request),
        )

    key = str(request.POST.get("paragraph", ""))[:64]
    return paragraph_change(
        request, negotiation, key, form, act, _("Undone: the bracket is back as it was.")
    )


def agreed_language(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The closest adopted wording from the archive for one paragraph."""
    negotiation = access.get_negotiation_for(request, pk)
    working = actions.working_revision(negotiation)
    try:
        para = engine.draft_of(working).paragraph(key)
    except engine.UnknownParagraph:
        raise Http404 from None
    hits: list[dict[str, Any]] = []
    failed = False
    try:
        hits = finding.closest_language(request.user, para.text, k=1)
    except Exception:  # the finder's index may be missing or rebuilding: say so
        log.exception("agreed-language finder")
        failed = True
    for hit in hits:  # the precedent in the archive's other language editions
        if hit.get("document_id") and hit.get("paragraph"):
            hit["editions"] = editions.aligned_in_editions(
                request.user, hit["document_id"], hit["paragraph"]
            )
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "failed": failed,
            "hits": hits,
            "p": para,
            "notation": engine.render_paragraph_notation(para),
            "working": working,
        }
    )
    return render(request, "negotiation/_agreed.html", ctx)
