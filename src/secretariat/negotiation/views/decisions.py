"""Decisions on the text: agreed ad ref, sent on, silence procedure (opened, broken), adopted."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.models import AccessLevel, Body
from secretariat.negotiation import access, actions, engine
from secretariat.negotiation.forms import (
    AdoptForm,
    BreakSilenceForm,
    DecisionNoteForm,
    ForwardForm,
    SilenceForm,
)
from secretariat.negotiation.models import Negotiation, SilenceProcedure
from secretariat.negotiation.views.common import base_context, page_change


def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    draft = engine.draft_of(actions.working_revision(negotiation))
    body = negotiation.body
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "decisions": negotiation.decisions.select_related(
                "body", "to_body", "revision", "recorded_by"
            ).prefetch_related("statements"),
            "silences": negotiation.silences.select_related("revision"),
            "all_agreed": all(p.agreed for p in draft.paragraphs),
            "bodies": Body.objects.exclude(pk=body.pk) if body else Body.objects.all(),
            "next_body": body.reports_to if body is not None else None,
            "members": body.members_on() if body is not None else [],
            "paragraph_keys": [p.key for p in draft.paragraphs if p.label],
            "access_levels": AccessLevel.choices,
        }
    )
    return render(request, "negotiation/decisions.html", ctx)


def _decide(
    request: HttpRequest,
    negotiation: Negotiation,
    form: forms.Form,
    act: Callable[[], object],
    done: str | Callable[[], str],
) -> HttpResponse:
    """Run a decision's action: back to the decisions with the `done` message, or the refusal
    with its status."""

    def respond(_result: object) -> HttpResponse:
        messages.success(request, done if isinstance(done, str) else done())
        return redirect("negotiation:decisions", pk=negotiation.pk)

    return page_change(request, negotiation, form, act, respond)


@require_POST
def decide_ad_ref(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    form = DecisionNoteForm(request.POST)
    return _decide(
        request,
        negotiation,
        form,
        lambda: actions.do_record_agreed_ad_ref(
            negotiation, actor=access.user_of(request), note=form.cleaned_data["note"]
        ),
        _("Recorded as agreed ad ref."),
    )


@require_POST
def decide_forward(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    form = ForwardForm(request.POST)
    return _decide(
        request,
        negotiation,
        form,
        lambda: actions.do_forward(
            negotiation,
            to_body=form.cleaned_data["to_body"],
            actor=access.user_of(request),
            note=form.cleaned_data["note"],
        ),
        lambda: _("Sent to %(body)s.") % {"body": form.cleaned_data["to_body"].code},
    )


@require_POST
def open_silence(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    form = SilenceForm(request.POST)
    return _decide(
        request,
        negotiation,
        form,
        lambda: actions.do_open_silence(
            negotiation,
            deadline=form.deadline(),
            time_zone=form.cleaned_data["time_zone"],
            actor=access.user_of(request),
        ),
        _("Silence procedure opened."),
    )


@require_POST
def break_silence(request: HttpRequest, pk: int, silence_id: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    code = access.require_code(request, negotiation)
    silence = get_object_or_404(SilenceProcedure, pk=silence_id, negotiation=negotiation)
    form = BreakSilenceForm(request.POST)
    return _decide(
        request,
        negotiation,
        form,
        lambda: actions.do_break_silence(
            silence, reason=form.cleaned_data["reason"], code=code, actor=access.user_of(request)
        ),
        _("You broke silence; the text returns to negotiation."),
    )


@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    form = AdoptForm(request.POST, revision=actions.working_revision(negotiation))
    return _decide(
        request,
        negotiation,
        form,
        lambda: actions.do_adopt_by_consensus(
            negotiation,
            actor=access.user_of(request),
            statements=form.cleaned_data["statements"],
            note=form.cleaned_data["note"],
            library_access=form.cleaned_data["library_access"] or None,
        ),
        _("Adopted by consensus."),
    )
