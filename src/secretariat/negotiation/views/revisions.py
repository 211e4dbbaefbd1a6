"""Revisions: compiling the next one, reading, downloading and comparing them, the amendment
sheet and the chair's dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secretariat.negotiation import access, actions, engine, figures
from secretariat.negotiation.compiling import AmendmentSpec
from secretariat.negotiation.forms import CompileForm
from secretariat.negotiation.models import Amendment, Negotiation, Revision
from secretariat.negotiation.views.common import base_context, page_change, revision_of


def compile_revision(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk, write=True)
    access.require_steer(request, negotiation)
    pending = negotiation.amendments.filter(status=Amendment.Status.PROPOSED)
    form = CompileForm(request.POST or None, negotiation=negotiation)
    if request.method != "POST":
        ctx = base_context(request, negotiation)
        ctx.update({"pending": pending, "form": form})
        return render(request, "negotiation/compile.html", ctx)

    def act() -> actions.CompileReport:
        return actions.do_compile_revision(
            negotiation,
            actor=access.user_of(request),
            amendment_ids=form.cleaned_data["amendment"],
            note=form.cleaned_data["note"],
        )

    def respond(report: actions.CompileReport) -> HttpResponse:
        messages.success(
            request,
            ngettext(
                "Rev. %(n)d issued with %(a)d amendment.",
                "Rev. %(n)d issued with %(a)d amendments.",
                len(report.applied),
            )
            % {"n": report.revision.number, "a": len(report.applied)},
        )
        for amendment_id, why in report.skipped.items():
            messages.warning(
                request, _("A%(id)d was not compiled: %(why)s") % {"id": amendment_id, "why": why}
            )
        return redirect("negotiation:revision", pk=pk, number=report.revision.number)

    return page_change(
        request,
        negotiation,
        form,
        act,
        respond,
        template="negotiation/compile.html",
        context={"pending": pending},
    )


def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    ctx = base_context(request, negotiation)
    ctx["revisions"] = (
        negotiation.revisions.defer("parsed", "notation")
        .select_related("issued_by")
        .order_by("-number")
    )
    ctx["decisions"] = negotiation.decisions.select_related("body", "to_body", "revision")
    return render(request, "negotiation/revisions.html", ctx)


def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    revision = revision_of(negotiation, number)
    register = engine.forum_register()
    draft = engine.draft_of(revision, register)
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "revision": revision,
            "summary": engine.summary(draft),
            "html": engine.render_html(draft, register),
        }
    )
    return render(request, "negotiation/revision.html", ctx)


def _filename(negotiation: Negotiation, revision: Revision, ext: str) -> str:
    return f"negotiation-{negotiation.pk}-rev{revision.number}.{ext}"


def revision_text(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    revision = revision_of(negotiation, number)
    response = HttpResponse(revision.notation, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(negotiation, revision, "txt")}"'
    )
    return response


def revision_docx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    revision = revision_of(negotiation, number)
    data = engine.write_docx(engine.draft_of(revision))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(negotiation, revision, "docx")}"'
    )
    return response


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass
class CompareRow:
    change: engine.ParagraphChange
    old: str  # the paragraph's HTML in the older revision ("" if added)
    new: str


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Any two revisions side by side, paired and classified by the engine's compare."""
    negotiation = access.get_negotiation_for(request, pk)
    revisions = list(negotiation.revisions.defer("parsed").order_by("number"))
    numbers = [r.number for r in revisions]
    a = _number(request.GET.get("a")) or (numbers[-2] if len(numbers) > 1 else numbers[0])
    b = _number(request.GET.get("b")) or numbers[-1]
    old, new = revision_of(negotiation, a), revision_of(negotiation, b)
    register = engine.forum_register()
    old_draft, new_draft = engine.draft_of(old, register), engine.draft_of(new, register)
    cmp = engine.compare(old_draft, new_draft)
    changed_only = request.GET.get("changed") == "1"
    rows = [
        CompareRow(
            change,
            engine.render_paragraph_html(old_draft.paragraphs[change.old_index], register)
            if change.old_index is not None
            else "",
            engine.render_paragraph_html(new_draft.paragraphs[change.new_index], register)
            if change.new_index is not None
            else "",
        )
        for change in cmp.paragraphs
        if not (changed_only and change.status == "unchanged")
    ]
    ctx = base_context(request, negotiation)
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


@dataclass
class SheetRow:
    amendment: Amendment
    present: str
    proposed: str


def _applied(spec: AmendmentSpec) -> str:
    """The paragraph with one amendment applied, plainly (the sheet's right-hand column)."""
    base = spec.base_text
    if spec.kind == Amendment.Kind.INSERT:
        return base[: spec.start] + " " + spec.text + " " + base[spec.end :]
    if spec.kind == Amendment.Kind.DELETE:
        return base[: spec.start] + base[spec.end :]
    return base[: spec.start] + spec.text + base[spec.end :]


def amendment_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Two columns, present text and proposed text, for the chosen amendments (default: all
    pending ones)."""
    negotiation = access.get_negotiation_for(request, pk)
    qs = negotiation.amendments.exclude(status=Amendment.Status.WITHDRAWN)
    ids = [int(i) for i in request.GET.getlist("id") if i.isdigit() and len(i) <= 18]
    qs = qs.filter(pk__in=ids) if ids else qs.filter(status=Amendment.Status.PROPOSED)
    rows = []
    for a in qs.order_by("paragraph_key", "created_at"):
        proposed = (
            _("(new paragraph after %(label)s) %(text)s")
            % {"label": a.paragraph_label, "text": (a.new_label + " " + a.text).strip()}
            if a.kind in (Amendment.Kind.NEW_PARAGRAPH, Amendment.Kind.ALTERNATIVE)
            else _applied(actions.amendment_spec(a, []))
        )
        rows.append(SheetRow(a, a.base_text, proposed))
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "rows": rows,
            "all": negotiation.amendments.exclude(status=Amendment.Status.WITHDRAWN).order_by(
                "created_at"
            ),
        }
    )
    return render(request, "negotiation/sheet.html", ctx)


def chair_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    ctx = base_context(request, negotiation)
    ctx["figures"] = figures.dashboard_figures(negotiation)
    return render(request, "negotiation/dashboard.html", ctx)
