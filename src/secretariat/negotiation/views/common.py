"""What the negotiation views share: the page context, the refusal response, the paragraph
fragment that htmx swaps in after a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render

from secretariat.negotiation import access, actions, engine, workspace
from secretariat.negotiation.models import Amendment, Negotiation, Revision, SilenceProcedure

T = TypeVar("T")


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def base_context(request: HttpRequest, negotiation: Negotiation) -> dict[str, Any]:
    """What every page of a negotiation needs: who the user acts as and what they may do."""
    user = request.user
    return {
        "negotiation": negotiation,
        "code": access.acting_code(user, negotiation),
        "steer": access.can_steer(user, negotiation),
        "can_comment": access.can_comment(user, negotiation),
        "can_map_codes": access.can_map_codes(user),
        "observer": access.is_observer(user),
        "open_silence": negotiation.silences.filter(state=SilenceProcedure.State.OPEN).first(),
    }


def revision_of(negotiation: Negotiation, number: int) -> Revision:
    return get_object_or_404(Revision, negotiation=negotiation, number=number)


def form_refusal(form: forms.Form) -> actions.ActionError:
    """A form's errors as the refusal the views answer with (400, the messages joined)."""
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return actions.ActionError(" ".join(errors) or "?", status=400)


def kept_input(form: forms.Form | None) -> list[tuple[str, str]]:
    """The posted values of a refused form, shown back so nothing typed is lost."""
    if form is None or not isinstance(form.data, QueryDict):
        return []
    return [
        (name, value)
        for name, values in form.data.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
        if value
    ]


def refuse(
    request: HttpRequest,
    negotiation: Negotiation,
    error: actions.ActionError,
    *,
    key: str | None = None,
    template: str = "negotiation/problem.html",
    context: dict[str, Any] | None = None,
    form: forms.Form | None = None,
) -> HttpResponse:
    """The one answer to a refused change: its status and message, on the paragraph it was
    about (`key`: the fragment for htmx) or on the page it came from, with the form's input."""
    if key is not None:
        return paragraph_response(
            request, negotiation, key, status=error.status, error=error, form=form
        )
    ctx = base_context(request, negotiation)
    ctx.update(context or {})
    ctx["error"] = error.message
    ctx["kept"] = kept_input(form)
    return render(request, template, ctx, status=error.status)


def paragraph_response(
    request: HttpRequest,
    negotiation: Negotiation,
    key: str,
    *,
    status: int = 200,
    error: actions.ActionError | None = None,
    conflict: actions.Conflict | None = None,
    note: str = "",
    form: forms.Form | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """htmx: the paragraph again (with the outcome) and the workspace's summary, refreshed out
    of band so its counters never go stale; plain form posts: back to the page, unless there is
    more to show than a message (`extra`: an undo button, a preview)."""
    if not is_htmx(request) and error is None and conflict is None and not extra:
        if note:
            messages.success(request, note)
        return HttpResponseRedirect(negotiation.get_absolute_url() + f"#para-{key}")
    negotiation.refresh_from_db()
    working = actions.working_revision(negotiation)
    views = workspace.paragraph_views(negotiation, working, only=key)
    shown = views[0] if views else None
    if shown is not None and shown.heading and error is not None:
        shown = None  # a title or heading shows no messages: the refusal is shown on its own
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "p": shown,
            "working": working,
            "error": error.message if error else "",
            "conflict": conflict,
            "note": note,
            "key": key,
            "kept": kept_input(form) if error is not None else [],
            # The form that failed opens again with what was typed in it.
            "failed": _form_name(request) if error is not None else "",
            "posted": posted_values(form) if error is not None else {},
            **(extra or {}),
        }
    )
    if is_htmx(request):
        ctx.update(summary_context(negotiation, working))
        return render(request, "negotiation/_paragraph_change.html", ctx, status=status)
    return render(request, "negotiation/problem.html", ctx, status=status)


def _form_name(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.url_name or "" if match is not None else ""


def posted_values(form: forms.Form | None) -> dict[str, str]:
    """The first posted value of each field of a refused form, to fill it in again."""
    if form is None or not isinstance(form.data, QueryDict):
        return {}
    return {
        name: str(form.data.get(name, "")) for name in form.data if name != "csrfmiddlewaretoken"
    }


def summary_context(negotiation: Negotiation, working: Revision) -> dict[str, Any]:
    """What the workspace's summary shows: the counts of the working draft, pending amendments."""
    return {
        "summary": engine.summary(engine.draft_of(working)),
        "pending": negotiation.amendments.filter(status=Amendment.Status.PROPOSED).count(),
        "issued": actions.latest_issued(negotiation),
    }


def paragraph_change(
    request: HttpRequest,
    negotiation: Negotiation,
    key: str,
    form: forms.Form | None,
    act: Callable[[], actions.Conflict | None],
    done: str | Callable[[], str],
    extra: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A change to one paragraph: the form checked, the action run, and the paragraph shown
    again with the outcome (the note, the conflict with both texts, or the refusal)."""
    try:
        if form is not None and not form.is_valid():
            raise form_refusal(form)
        conflict = act()
    except actions.ActionError as exc:
        return refuse(request, negotiation, exc, key=key, form=form)
    if conflict is not None:
        return paragraph_response(request, negotiation, key, status=409, conflict=conflict)
    note = done if isinstance(done, str) else done()
    return paragraph_response(
        request, negotiation, key, note=note, extra=extra() if extra is not None else None
    )


def page_change(
    request: HttpRequest,
    negotiation: Negotiation,
    form: forms.Form,
    act: Callable[[], T],
    respond: Callable[[T], HttpResponse],
    *,
    template: str = "negotiation/problem.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A change posted from a page: the form checked, the action run, then `respond` with
    its result, or the refusal shown on `template` with the form's input kept."""
    try:
        if not form.is_valid():
            raise form_refusal(form)
        result = act()
    except actions.ActionError as exc:
        return refuse(
            request,
            negotiation,
            exc,
            template=template,
            context={**(context or {}), "form": form},
            form=form,
        )
    return respond(result)
