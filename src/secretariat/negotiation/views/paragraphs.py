"""Work on a paragraph of the working text: amendments, positions, comments, the chair's edits
and the agreed-language panel. Each answers htmx with the paragraph again."""

from __future__ import annotations

import logging
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
)
from secretariat.negotiation.models import Amendment, Position
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


@require_POST
def withdraw_position(request: HttpRequest, pk: int, position_id: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    position = get_object_or_404(Position, pk=position_id, negotiation=negotiation)

    def act() -> None:
        actions.do_withdraw_position(position, code=code, actor=access.user_of(request))

    key = position.paragraph_key
    return paragraph_change(request, negotiation, key, None, act, _("Position withdrawn."))


@require_POST
def withdraw_amendment(request: HttpRequest, pk: int, amendment_id: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    amendment = get_object_or_404(Amendment, pk=amendment_id, negotiation=negotiation)

    def act() -> None:
        actions.do_withdraw_amendment(amendment, code=code, actor=access.user_of(request))

    key = amendment.paragraph_key
    return paragraph_change(request, negotiation, key, None, act, _("Amendment withdrawn."))


@require_POST
def resubmit_amendment(request: HttpRequest, pk: int, amendment_id: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    amendment = get_object_or_404(Amendment, pk=amendment_id, negotiation=negotiation)

    def act() -> None:
        actions.do_resubmit_amendment(amendment, code=code, actor=access.user_of(request))

    key = amendment.paragraph_key
    return paragraph_change(request, negotiation, key, None, act, _("Amendment submitted."))


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


@require_POST
def resolve_bracket(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    revision = revision_of(negotiation, number)
    form = ResolveBracketForm(request.POST, revision=revision)

    def act() -> None:
        actions.do_resolve_bracket(
            negotiation,
            revision,
            bracket_id=form.cleaned_data["bracket"],
            keep=form.cleaned_data["keep"] == "1",
            actor=access.user_of(request),
        )

    key = str(request.POST.get("paragraph", ""))[:64]
    return paragraph_change(request, negotiation, key, form, act, _("Bracket resolved."))


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
