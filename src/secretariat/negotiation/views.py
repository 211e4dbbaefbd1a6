"""Thin views: access first, then one action, then a redirect or a fragment for htmx."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.models import Body, Delegation
from secretariat.negotiation import actions, engine, workspace
from secretariat.negotiation.access import (
    acting_code,
    can_steer,
    get_negotiation_for,
    require_code,
    require_steer,
    visible_negotiations,
)
from secretariat.negotiation.models import (
    Amendment,
    Negotiation,
    Position,
    Revision,
    SilenceProcedure,
)

log = logging.getLogger(__name__)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _base_context(request: HttpRequest, negotiation: Negotiation) -> dict[str, Any]:
    return {
        "negotiation": negotiation,
        "code": acting_code(request.user, negotiation),
        "steer": can_steer(request.user, negotiation),
        "open_silence": negotiation.silences.filter(state=SilenceProcedure.State.OPEN).first(),
    }


def negotiation_list(request: HttpRequest) -> HttpResponse:
    negotiations = visible_negotiations(request.user)
    can_import = request.user.is_secretariat or request.user.role == "chair"
    return render(
        request, "negotiation/list.html", {"negotiations": negotiations, "can_import": can_import}
    )


def _read_upload(request: HttpRequest) -> tuple[str, str]:
    upload = request.FILES.get("file")
    if upload is None:
        return request.POST.get("text", ""), ""
    data = upload.read()
    if upload.name.lower().endswith(".docx"):
        return engine.docx_to_notation(data), upload.name
    try:
        return data.decode("utf-8-sig"), upload.name
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), upload.name


def _library_documents(request: HttpRequest) -> list[Any]:
    if not apps.is_installed("secretariat.documents"):
        return []
    from secretariat.accounts.access import visible
    from secretariat.documents.models import Document

    return list(visible(request.user, Document.objects.exclude(current_version=None))[:200])


def negotiation_import(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_secretariat or request.user.role == "chair"):
        raise PermissionDenied
    bodies = Body.objects.all()
    documents = _library_documents(request)
    error = ""
    if request.method == "POST":
        body = Body.objects.filter(pk=request.POST.get("body") or 0).first()
        title = request.POST.get("title", "").strip()
        text, source = _read_upload(request)
        document_id = None
        if not text.strip() and request.POST.get("document"):
            doc = next((d for d in documents if str(d.pk) == request.POST["document"]), None)
            if doc is not None:
                text, source, document_id = doc.current_version.text, str(doc), doc.pk
                title = title or doc.title
        if body is None or not title or not text.strip():
            error = _("Give a title, a body and a text (typed, uploaded or from the library).")
        else:
            negotiation = actions.do_import_negotiation(
                title=title,
                body=body,
                text=text,
                actor=request.user,
                source_name=source,
                chair_code=request.POST.get("chair_code", "").strip().upper() or "CHAIR",
                source_document_id=document_id,
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
    return render(
        request,
        "negotiation/import.html",
        {
            "bodies": bodies,
            "documents": documents,
            "error": error,
            "documents_available": apps.is_installed("secretariat.documents"),
        },
        status=400 if error else 200,
    )


def negotiation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    working = actions.working_revision(negotiation)
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "working": working,
            "issued": actions.latest_issued(negotiation),
            "paragraphs": workspace.paragraph_views(negotiation, working),
            "summary": engine.summary(working.parsed),
            "pending": negotiation.amendments.filter(status=Amendment.Status.PROPOSED).count(),
        }
    )
    return render(request, "negotiation/detail.html", ctx)


def source(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as imported, each line numbered, the engine's diagnostics beside their line."""
    negotiation = get_negotiation_for(request, pk)
    by_line: dict[int, list[dict[str, Any]]] = {}
    for d in negotiation.diagnostics:
        by_line.setdefault(d["line"], []).append(d)
    lines = [
        {"number": i, "text": line, "diagnostics": by_line.get(i, [])}
        for i, line in enumerate(negotiation.source_text.split("\n"), start=1)
    ]
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "lines": lines,
            "diagnostics": negotiation.diagnostics,
            "unknown": actions.unknown_codes(negotiation),
            "delegations": Delegation.objects.all(),
        }
    )
    return render(request, "negotiation/source.html", ctx)


@require_POST
def map_code(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    if not request.user.is_secretariat:
        raise PermissionDenied
    delegation = get_object_or_404(Delegation, pk=_int(request.POST.get("delegation")) or 0)
    try:
        actions.do_map_code(
            negotiation,
            alias=request.POST.get("alias", ""),
            delegation=delegation,
            actor=request.user,
        )
    except actions.ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Code mapped; the working text was read again."))
    return redirect("negotiation:source", pk=pk)


def _paragraph_response(
    request: HttpRequest,
    negotiation: Negotiation,
    key: str,
    *,
    status: int = 200,
    error: str = "",
    conflict: Any = None,
    note: str = "",
) -> HttpResponse:
    """htmx: the paragraph again (with the outcome); plain form posts: back to the page."""
    if not _is_htmx(request) and not error and conflict is None:
        if note:
            messages.success(request, note)
        return HttpResponseRedirect(negotiation.get_absolute_url() + f"#para-{key}")
    negotiation.refresh_from_db()
    working = actions.working_revision(negotiation)
    views = workspace.paragraph_views(negotiation, working, only=key)
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "p": views[0] if views else None,
            "working": working,
            "error": error,
            "conflict": conflict,
            "note": note,
            "key": key,
        }
    )
    template = "negotiation/_paragraph.html" if _is_htmx(request) else "negotiation/problem.html"
    return render(request, template, ctx, status=status)


def paragraph(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    request.META["HTTP_HX_REQUEST"] = "true"
    return _paragraph_response(request, negotiation, key)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@require_POST
def propose_amendment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    code = require_code(request, negotiation)  # a posted "delegation" field is never read
    post = request.POST
    try:
        amendment, conflict = actions.do_propose_amendment(
            negotiation,
            paragraph_key=key,
            kind=post.get("kind", ""),
            text=post.get("text", ""),
            code=code,
            actor=request.user,
            seen=post.get("seen"),
            start=_int(post.get("start")),
            end=_int(post.get("end")),
            anchor=post.get("anchor", ""),
            new_label=post.get("new_label", ""),
            explanation=post.get("explanation", ""),
            version=_int(post.get("version")),
        )
    except actions.ActionError as exc:
        return _paragraph_response(request, negotiation, key, status=exc.status, error=exc.message)
    if conflict is not None:
        return _paragraph_response(request, negotiation, key, status=409, conflict=conflict)
    return _paragraph_response(
        request, negotiation, key, note=_("Amendment A%(id)d proposed.") % {"id": amendment.pk}
    )


@require_POST
def state_position(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    code = require_code(request, negotiation)
    post = request.POST
    key = post.get("paragraph", "")
    try:
        _position, conflict = actions.do_state_position(
            negotiation,
            target_kind=post.get("target_kind", ""),
            target_key=post.get("target_key", ""),
            stance=post.get("stance", ""),
            code=code,
            actor=request.user,
            qualifier=post.get("qualifier", "").strip(),
            explanation=post.get("explanation", ""),
            seen=post.get("seen"),
        )
    except actions.ActionError as exc:
        return _paragraph_response(request, negotiation, key, status=exc.status, error=exc.message)
    if conflict is not None:
        return _paragraph_response(request, negotiation, key, status=409, conflict=conflict)
    return _paragraph_response(request, negotiation, key, note=_("Position recorded."))


@require_POST
def withdraw_position(request: HttpRequest, pk: int, position_id: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    code = require_code(request, negotiation)
    position = get_object_or_404(Position, pk=position_id, negotiation=negotiation)
    try:
        actions.do_withdraw_position(position, code=code, actor=request.user)
    except actions.ActionError as exc:
        return _paragraph_response(
            request, negotiation, position.paragraph_key, status=exc.status, error=exc.message
        )
    return _paragraph_response(
        request, negotiation, position.paragraph_key, note=_("Position withdrawn.")
    )


@require_POST
def withdraw_amendment(request: HttpRequest, pk: int, amendment_id: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    code = require_code(request, negotiation)
    amendment = get_object_or_404(Amendment, pk=amendment_id, negotiation=negotiation)
    try:
        actions.do_withdraw_amendment(amendment, code=code, actor=request.user)
    except actions.ActionError as exc:
        return _paragraph_response(
            request, negotiation, amendment.paragraph_key, status=exc.status, error=exc.message
        )
    return _paragraph_response(
        request, negotiation, amendment.paragraph_key, note=_("Amendment withdrawn.")
    )


@require_POST
def resubmit_amendment(request: HttpRequest, pk: int, amendment_id: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    code = require_code(request, negotiation)
    amendment = get_object_or_404(Amendment, pk=amendment_id, negotiation=negotiation)
    if amendment.delegation_code != code:
        raise PermissionDenied
    try:
        actions.do_resubmit_amendment(amendment, actor=request.user)
    except actions.ActionError as exc:
        return _paragraph_response(
            request, negotiation, amendment.paragraph_key, status=exc.status, error=exc.message
        )
    return _paragraph_response(
        request, negotiation, amendment.paragraph_key, note=_("Amendment submitted.")
    )


@require_POST
def comment(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    if request.user.role == "observer":
        raise PermissionDenied
    parent = None
    if request.POST.get("parent"):
        parent = negotiation.comments.filter(pk=_int(request.POST["parent"]) or 0).first()
    try:
        actions.do_comment(
            negotiation,
            paragraph_key=key,
            text=request.POST.get("text", ""),
            actor=request.user,
            code=acting_code(request.user, negotiation) or "",
            parent=parent,
        )
    except actions.ActionError as exc:
        return _paragraph_response(request, negotiation, key, status=exc.status, error=exc.message)
    return _paragraph_response(request, negotiation, key, note=_("Comment posted."))


def _revision(negotiation: Negotiation, number: int) -> Revision:
    return get_object_or_404(Revision, negotiation=negotiation, number=number)


@require_POST
def edit_paragraph(request: HttpRequest, pk: int, number: int, key: str) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    revision = _revision(negotiation, number)
    try:
        _rev, conflict = actions.do_edit_paragraph(
            negotiation,
            revision,
            key=key,
            notation=request.POST.get("notation", ""),
            seen=request.POST.get("seen", ""),
            actor=request.user,
            code=acting_code(request.user, negotiation) or "",
        )
    except actions.ActionError as exc:
        return _paragraph_response(request, negotiation, key, status=exc.status, error=exc.message)
    if conflict is not None:
        return _paragraph_response(request, negotiation, key, status=409, conflict=conflict)
    return _paragraph_response(request, negotiation, key, note=_("Paragraph updated."))


@require_POST
def resolve_bracket(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    revision = _revision(negotiation, number)
    key = request.POST.get("paragraph", "")
    try:
        actions.do_resolve_bracket(
            negotiation,
            revision,
            bracket_id=request.POST.get("bracket", ""),
            keep=request.POST.get("keep") == "1",
            actor=request.user,
        )
    except actions.ActionError as exc:
        return _paragraph_response(request, negotiation, key, status=exc.status, error=exc.message)
    return _paragraph_response(request, negotiation, key, note=_("Bracket resolved."))


def compile_revision(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    pending = negotiation.amendments.filter(status=Amendment.Status.PROPOSED)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("amendment") if i.isdigit()]
        try:
            report = actions.do_compile_revision(
                negotiation,
                actor=request.user,
                amendment_ids=ids,
                note=request.POST.get("note", "").strip(),
            )
        except actions.ActionError as exc:
            messages.error(request, exc.message)
            return redirect("negotiation:compile", pk=pk)
        messages.success(
            request,
            _("Rev. %(n)d issued with %(a)d amendment(s).")
            % {"n": report.revision.number, "a": len(report.applied)},
        )
        for amendment_id, why in report.skipped.items():
            messages.warning(
                request, _("A%(id)d was not compiled: %(why)s") % {"id": amendment_id, "why": why}
            )
        return redirect("negotiation:revision", pk=pk, number=report.revision.number)
    ctx = _base_context(request, negotiation)
    ctx["pending"] = pending
    return render(request, "negotiation/compile.html", ctx)


def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    ctx = _base_context(request, negotiation)
    ctx["revisions"] = negotiation.revisions.order_by("-number")
    ctx["decisions"] = negotiation.decisions.select_related("body", "to_body", "revision")
    return render(request, "negotiation/revisions.html", ctx)


def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    revision = _revision(negotiation, number)
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "revision": revision,
            "summary": engine.summary(revision.parsed),
            "html": engine.render_html(
                engine.parse_text(revision.notation), engine.forum_register()
            ),
        }
    )
    return render(request, "negotiation/revision.html", ctx)


def _filename(negotiation: Negotiation, revision: Revision, ext: str) -> str:
    return f"negotiation-{negotiation.pk}-rev{revision.number}.{ext}"


def revision_text(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    revision = _revision(negotiation, number)
    response = HttpResponse(revision.notation, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(negotiation, revision, "txt")}"'
    )
    return response


def revision_docx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    revision = _revision(negotiation, number)
    data = engine.write_docx(engine.parse_text(revision.notation))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(negotiation, revision, "docx")}"'
    )
    return response


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two revisions side by side, paired and classified by the engine's compare."""
    negotiation = get_negotiation_for(request, pk)
    revisions = list(negotiation.revisions.order_by("number"))
    numbers = [r.number for r in revisions]
    a = _int(request.GET.get("a")) or (numbers[-2] if len(numbers) > 1 else numbers[0])
    b = _int(request.GET.get("b")) or numbers[-1]
    old, new = _revision(negotiation, a), _revision(negotiation, b)
    old_draft, new_draft = engine.parse_text(old.notation), engine.parse_text(new.notation)
    cmp = engine.compare(old_draft, new_draft)
    register = engine.forum_register()
    changed_only = request.GET.get("changed") == "1"
    rows = []
    for change in cmp.paragraphs:
        if changed_only and change.status == "unchanged":
            continue
        rows.append(
            {
                "change": change,
                "old": workspace.render_paragraph_html(
                    old_draft.paragraphs[change.old_index], register
                )
                if change.old_index is not None
                else "",
                "new": workspace.render_paragraph_html(
                    new_draft.paragraphs[change.new_index], register
                )
                if change.new_index is not None
                else "",
            }
        )
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "revisions": revisions,
            "old": old,
            "new": new,
            "rows": rows,
            "cmp": cmp,
            "counts": cmp.summary(),
            "changed_only": changed_only,
        }
    )
    return render(request, "negotiation/compare.html", ctx)


def amendment_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Two columns, present text and proposed text, for the chosen amendments (default: all
    pending ones)."""
    negotiation = get_negotiation_for(request, pk)
    qs = negotiation.amendments.exclude(status=Amendment.Status.WITHDRAWN)
    ids = [int(i) for i in request.GET.getlist("id") if i.isdigit()]
    qs = qs.filter(pk__in=ids) if ids else qs.filter(status=Amendment.Status.PROPOSED)
    rows = []
    for a in qs.order_by("paragraph_key", "created_at"):
        spec = actions._spec(a, [])
        proposed = (
            _("(new paragraph after %(label)s) %(text)s")
            % {"label": a.paragraph_label, "text": (a.new_label + " " + a.text).strip()}
            if a.kind in (Amendment.Kind.NEW_PARAGRAPH, Amendment.Kind.ALTERNATIVE)
            else _apply_one(spec)
        )
        rows.append({"amendment": a, "present": a.base_text, "proposed": proposed})
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "rows": rows,
            "all": negotiation.amendments.exclude(status=Amendment.Status.WITHDRAWN).order_by(
                "created_at"
            ),
        }
    )
    return render(request, "negotiation/sheet.html", ctx)


def _apply_one(spec: Any) -> str:
    base = spec.base_text
    if spec.kind == "insert":
        return base[: spec.start] + " " + spec.text + " " + base[spec.end :]
    if spec.kind == "delete":
        return base[: spec.start] + base[spec.end :]
    return base[: spec.start] + spec.text + base[spec.end :]


def chair_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    ctx = _base_context(request, negotiation)
    ctx.update(workspace.dashboard_figures(negotiation))
    return render(request, "negotiation/dashboard.html", ctx)


def agreed_language(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The closest adopted wording from the archive, if the archive's finder has landed."""
    negotiation = get_negotiation_for(request, pk)
    working = actions.working_revision(negotiation)
    para = next((p for p in working.parsed["paragraphs"] if p["key"] == key), None)
    if para is None:
        raise Http404
    try:
        from secretariat.archive.finding import closest_language
    except ImportError:
        closest_language = None
    hits: list[dict[str, Any]] = []
    failed = False
    if closest_language is not None:
        try:
            hits = closest_language(request.user, para["text"], k=1)
        except Exception:  # the finder's index may be missing or rebuilding: say so
            log.exception("agreed-language finder")
            failed = True
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "available": closest_language is not None,
            "failed": failed,
            "hits": hits,
            "p": para,
            "working": working,
        }
    )
    return render(request, "negotiation/_agreed.html", ctx)


# --- decisions --------------------------------------------------------------------------------


def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    working = actions.working_revision(negotiation)
    ctx = _base_context(request, negotiation)
    ctx.update(
        {
            "decisions": negotiation.decisions.select_related(
                "body", "to_body", "revision"
            ).prefetch_related("statements"),
            "silences": negotiation.silences.select_related("revision"),
            "all_agreed": all(p["agreed"] for p in working.parsed["paragraphs"]),
            "bodies": Body.objects.exclude(pk=negotiation.body_id),
            "next_body": negotiation.body.reports_to if negotiation.body_id else None,
            "members": negotiation.body.members.all() if negotiation.body_id else [],
            "paragraph_keys": [p["key"] for p in working.parsed["paragraphs"] if p["label"]],
        }
    )
    return render(request, "negotiation/decisions.html", ctx)


def _decided(request: HttpRequest, negotiation: Negotiation, fn: Any, ok: str) -> HttpResponse:
    try:
        fn()
    except actions.ActionError as exc:
        messages.error(request, exc.message)
        return render(
            request,
            "negotiation/problem.html",
            {**_base_context(request, negotiation), "error": exc.message},
            status=exc.status,
        )
    messages.success(request, ok)
    return redirect("negotiation:decisions", pk=negotiation.pk)


@require_POST
def decide_ad_ref(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    return _decided(
        request,
        negotiation,
        lambda: actions.do_record_agreed_ad_ref(
            negotiation, actor=request.user, note=request.POST.get("note", "")
        ),
        _("Recorded as agreed ad ref."),
    )


@require_POST
def decide_forward(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    to_body = get_object_or_404(Body, pk=_int(request.POST.get("to_body")) or 0)
    return _decided(
        request,
        negotiation,
        lambda: actions.do_forward(
            negotiation, to_body=to_body, actor=request.user, note=request.POST.get("note", "")
        ),
        _("Sent to %(body)s.") % {"body": to_body.code},
    )


def parse_deadline(day: str, time: str, zone: str) -> datetime:
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise actions.ActionError(_("Unknown time zone “%(zone)s”.") % {"zone": zone}) from None
    try:
        naive = datetime.fromisoformat(f"{day}T{time or '00:00'}")
    except ValueError:
        raise actions.ActionError(_("Give the deadline as a date and a time.")) from None
    return naive.replace(tzinfo=tz)


@require_POST
def open_silence(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    post = request.POST

    def act() -> None:
        deadline = parse_deadline(
            post.get("date", ""), post.get("time", ""), post.get("time_zone", "UTC")
        )
        actions.do_open_silence(
            negotiation,
            deadline=deadline,
            time_zone=post.get("time_zone", "UTC"),
            actor=request.user,
        )

    return _decided(request, negotiation, act, _("Silence procedure opened."))


@require_POST
def break_silence(request: HttpRequest, pk: int, silence_id: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    code = require_code(request, negotiation)
    silence = get_object_or_404(SilenceProcedure, pk=silence_id, negotiation=negotiation)
    return _decided(
        request,
        negotiation,
        lambda: actions.do_break_silence(
            silence, reason=request.POST.get("reason", ""), code=code, actor=request.user
        ),
        _("You broke silence; the text returns to negotiation."),
    )


@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk, write=True)
    require_steer(request, negotiation)
    post = request.POST
    statements = [
        {"kind": k, "delegation_code": c, "paragraph_key": p, "text": t}
        for k, c, p, t in zip(
            post.getlist("s_kind"),
            post.getlist("s_code"),
            post.getlist("s_paragraph"),
            post.getlist("s_text"),
            strict=False,
        )
        if t.strip() and c
    ]
    return _decided(
        request,
        negotiation,
        lambda: actions.do_adopt_by_consensus(
            negotiation, actor=request.user, statements=statements, note=post.get("note", "")
        ),
        _("Adopted by consensus."),
    )


def detail_url(negotiation: Negotiation) -> str:
    return reverse("negotiation:detail", args=[negotiation.pk])
