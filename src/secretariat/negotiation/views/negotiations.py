"""The list of negotiations, starting one from a draft, the workspace, the imported source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.access import visible
from secretariat.accounts.models import Body, Delegation
from secretariat.documents.models import Document
from secretariat.negotiation import access, actions, engine, workspace
from secretariat.negotiation.forms import ImportForm, MapCodeForm
from secretariat.negotiation.models import Amendment, Negotiation, Revision
from secretariat.negotiation.views.common import base_context, form_refusal, is_htmx, page_change


def negotiation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "negotiation/list.html",
        {
            "negotiations": access.visible_negotiations(request.user),
            "can_import": access.can_start(request.user),
        },
    )


def _library_documents(request: HttpRequest) -> list[Document]:
    qs = Document.objects.exclude(current_version=None).select_related("current_version")
    return list(visible(request.user, qs)[:200])


def negotiation_import(request: HttpRequest) -> HttpResponse:
    if not access.can_start(request.user):
        raise PermissionDenied
    documents = _library_documents(request)
    form = ImportForm(request.POST or None, request.FILES or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if actions.runs_as_task(data["text"]):
            job = actions.do_queue_import(
                title=data["title"],
                body=data["body"],
                text=data["text"],
                actor=access.user_of(request),
                source_name=form.source_name,
                chair_code=data["chair_code"],
                source_document_id=form.document_id,
            )
            return redirect(job)
        negotiation = actions.do_import_negotiation(
            title=data["title"],
            body=data["body"],
            text=data["text"],
            actor=access.user_of(request),
            source_name=form.source_name,
            chair_code=data["chair_code"],
            source_document_id=form.document_id,
        )
        if negotiation.diagnostics:
            messages.warning(
                request,
                _(
                    "The draft was imported as it is; the engine found "
                    "problems, shown beside the lines."
                ),
            )
            return redirect("negotiation:source", pk=negotiation.pk)
        return redirect(negotiation)
    error = form_refusal(form).message if form.is_bound else ""
    return render(
        request,
        "negotiation/import.html",
        {
            "form": form,
            "bodies": Body.objects.all(),
            "documents": documents,
            "error": error,
        },
        status=400 if error else 200,
    )


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A long import's progress; htmx asks again every two seconds until it has finished."""
    job = access.get_import_job_for(request, pk)
    partial = request.headers.get("HX-Request") == "true"
    template = "negotiation/_import_status.html" if partial else "negotiation/import_status.html"
    response = render(request, template, {"job": job})
    if partial and job.negotiation is not None:
        response["HX-Redirect"] = job.negotiation.get_absolute_url()
    return response


# Rendered into the cached paragraphs instead of the viewer's CSRF token, replaced by it on
# the way out: the one per-viewer value of the block must never be stored for others.
CSRF_PLACEHOLDER = "csrf-token-placeholder-9f0c"


def _paragraphs_html(
    request: HttpRequest,
    ctx: dict[str, Any],
    negotiation: Negotiation,
    working: Revision,
    register: engine.Register,
) -> SafeString:
    """The workspace's paragraphs, each from the cache when a viewer with the same rights,
    language and time zone saw it in this state (workspace.fragment_key); only the others are
    loaded and rendered, so a change to one paragraph leaves the rest cached."""
    draft = engine.draft_of(working, register)
    counted = workspace.tallies(negotiation, {p.key for p in draft.paragraphs})
    rights = {k: ctx[k] for k in ("code", "steer", "can_comment", "can_map_codes")}
    keys = {
        p.key: workspace.fragment_key(negotiation, working, p.key, counted[p.key], **rights)
        for p in draft.paragraphs
    }
    found: dict[str, str] = cache.get_many(list(keys.values()))
    missing = {p.key for p in draft.paragraphs if keys[p.key] not in found}
    if missing:
        fresh = {}
        for view in workspace.paragraph_views(
            negotiation, working, keys=missing, counted=counted, register=register
        ):
            # Without the request: nothing of the viewer but `ctx` reaches the paragraph, and
            # the context processors (the page's shell) are not run once per paragraph.
            fresh[keys[view.key]] = render_to_string(
                "negotiation/_paragraph.html",
                {**ctx, "p": view, "csrf_token": CSRF_PLACEHOLDER, "board_slot": True},
            )
        cache.set_many(fresh, workspace.FRAGMENT_SECONDS)
        found.update(fresh)
    html = "".join(
        found.get(keys[p.key], "").replace(
            f"<!--board-slot:{p.key}-->", _board_beside(request, negotiation, p.key)
        )
        for p in draft.paragraphs
    )
    token = get_token(request)
    # Rendered (and escaped) by the template engine; the token is letters and digits.
    return mark_safe(html.replace(f'value="{CSRF_PLACEHOLDER}"', f'value="{token}"'))


def _board_beside(request: HttpRequest, negotiation: Negotiation, key: str) -> str:
    """The board's part of a paragraph (its threads the reader may see, the comment link):
    per reader, so never in the cached paragraph (the tags read the board once per request).
    The request goes in the context, not as `request=`: that would run the page's context
    processors (the shell's queries) once per paragraph."""
    return render_to_string(
        "negotiation/_paragraph_board.html",
        {"negotiation": negotiation, "p": {"key": key}, "request": request},
    )


def negotiation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    working = actions.working_revision(negotiation)
    register = engine.forum_register()  # two queries: read once for the page
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "working": working,
            "issued": actions.latest_issued(negotiation),
            "summary": engine.summary(engine.draft_of(working, register)),
            "pending": negotiation.amendments.filter(status=Amendment.Status.PROPOSED).count(),
        }
    )
    ctx["paragraphs_html"] = _paragraphs_html(request, ctx, negotiation, working, register)
    return render(request, "negotiation/detail.html", ctx)


def paragraph_activity(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """What a collapsed paragraph of the workspace holds: for htmx, its amendments, positions
    and comments with their forms; without JavaScript, the paragraph's own page."""
    negotiation = access.get_negotiation_for_poll(request, pk)
    working = actions.working_revision(negotiation)
    views = workspace.paragraph_views(negotiation, working, only=key)
    if not views:
        raise Http404
    ctx = base_context(request, negotiation)
    ctx.update({"p": views[0], "working": working, "key": key})
    if is_htmx(request):
        return render(request, "negotiation/_activity.html", ctx)
    return render(request, "negotiation/paragraph.html", ctx)


@dataclass
class SourceLine:
    number: int
    text: str
    diagnostics: list[engine.Diagnostic]


def source(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as imported, each line numbered, the engine's diagnostics beside their line."""
    negotiation = access.get_negotiation_for(request, pk)
    diagnostics = [engine.Diagnostic(**d) for d in negotiation.diagnostics]
    by_line: dict[int, list[engine.Diagnostic]] = {}
    for d in diagnostics:
        by_line.setdefault(d.line, []).append(d)
    lines = [
        SourceLine(i, line, by_line.get(i, []))
        for i, line in enumerate(negotiation.source_text.split("\n"), start=1)
    ]
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "lines": lines,
            "diagnostics": diagnostics,
            "unknown": actions.unknown_codes(negotiation),
            "delegations": Delegation.objects.all(),
        }
    )
    return render(request, "negotiation/source.html", ctx)


@require_POST
def map_code(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    if not access.can_map_codes(request.user):
        raise PermissionDenied
    form = MapCodeForm(request.POST)

    def act() -> None:
        actions.do_map_code(
            negotiation,
            alias=form.cleaned_data["alias"],
            delegation=form.cleaned_data["delegation"],
            actor=access.user_of(request),
        )

    def respond(_result: None) -> HttpResponse:
        messages.success(request, _("Code mapped; the working text was read again."))
        return redirect("negotiation:source", pk=pk)

    return page_change(request, negotiation, form, act, respond)
