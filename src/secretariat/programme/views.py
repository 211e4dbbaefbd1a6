"""Thin views: access helper first, then the form, one action, a redirect or a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts import access as policy
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.core.feeds import LanguageAtomFeed
from secretariat.documents.actions import read_upload
from secretariat.documents.files import FileRejected
from secretariat.programme import access, actions, handover, overview
from secretariat.programme.forms import (
    CycleForm,
    EmptyForm,
    GuidanceForm,
    HandoverForm,
    InitiativeEditForm,
    InitiativeForm,
    JoinForm,
    LeaveForm,
    MandateForm,
    MilestoneForm,
    ProgrammeForm,
    ReportForm,
    RevisionForm,
    areas_text,
)
from secretariat.programme.models import (
    Initiative,
    Publication,
    ReportingCycle,
    TermRole,
    WorkProgramme,
)
from secretariat.programme.terms import current_term
from secretariat.programme.wording import current_wording


def overview_page(request: AuthedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = overview.overview(request.user, today)
    programme = WorkProgramme.objects.select_related("current__adopted_by").first()
    areas = (
        programme.current.areas.filter(parent__isnull=True).prefetch_related("clusters")
        if programme is not None and programme.current is not None
        else []
    )
    return render(
        request,
        "programme/overview.html",
        {
            "rows": rows,
            "due": overview.due_soon(rows, today),
            "overdue": [r for r in rows if r.overdue_since is not None],
            "programme": programme,
            "areas": areas,
            "today": today,
            "can_manage": access.can_manage(request.user),
        },
    )


def initiative_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _initiative_page(request, access.get_initiative_for(request, pk))


def _initiative_page(
    request: AuthedHttpRequest,
    initiative: Initiative,
    *,
    cycle_form: CycleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The initiative's page; an invalid cycle form comes back bound (status 400)."""
    cycle = ReportingCycle.objects.filter(initiative=initiative).first()
    wording = current_wording()
    return render(
        request,
        "programme/initiative.html",
        {
            "initiative": initiative,
            "participations": [
                (p, wording.role(p)) for p in initiative.participations.select_related("delegation")
            ],
            "milestones": initiative.milestones.all(),
            "reports": access.visible_reports(request.user).filter(initiative=initiative),
            "cycle": cycle,
            "can_report": access.can_report(request.user, initiative),
            "can_manage": access.can_manage(request.user),
            "report_form": ReportForm(),
            "cycle_form": cycle_form
            or CycleForm(
                initial={"every_months": 6, "remind_days": 14}
                if cycle is None
                else {
                    "start_on": cycle.start_on,
                    "every_months": cycle.every_months,
                    "remind_days": cycle.remind_days,
                }
            ),
        },
        status=status,
    )


@require_POST
def upload_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    # 404 for outsiders here; the right to report is the action's to check.
    initiative = access.get_initiative_for(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("The report was not uploaded: check the form."))
        return redirect("programme:initiative", pk=initiative.pk)
    data = form.cleaned_data
    try:
        upload = read_upload(data["file"].read(), data["file"].name)
    except FileRejected as exc:
        messages.error(request, str(exc))
        return redirect("programme:initiative", pk=initiative.pk)
    actions.do_submit_report(
        initiative,
        upload,
        cycle=data["cycle"] - 1,
        results=data["results"],
        access_level=data["access_level"],
        actor=request.user,
    )
    messages.success(request, _("The report was uploaded."))
    return redirect("programme:initiative", pk=initiative.pk)


@require_POST
def set_cycle(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    access.require_manager(request)
    initiative = access.get_initiative_for(request, pk)
    form = CycleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reporting cycle was not saved: check the form."))
        return _initiative_page(request, initiative, cycle_form=form, status=400)
    actions.do_set_reporting_cycle(initiative, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The reporting cycle was saved."))
    return redirect("programme:initiative", pk=initiative.pk)


@require_POST
def propose_publication(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for(request, pk)
    if (
        not access.can_propose_publication(request.user, report)
        or not EmptyForm(request.POST).is_valid()
    ):
        raise PermissionDenied
    actions.do_propose_publication(report, actor=request.user)
    return redirect("programme:initiative", pk=report.initiative_id)


@require_POST
def publish_results(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for(request, pk)
    access.require_manager(request)
    if report.publication != Publication.PROPOSED or not EmptyForm(request.POST).is_valid():
        raise PermissionDenied
    actions.do_publish_results(report, actor=request.user)
    return redirect("programme:initiative", pk=report.initiative_id)


def mandates_page(request: AuthedHttpRequest) -> HttpResponse:
    mandates = access.visible_mandates(request.user).prefetch_related("guidance")
    return render(
        request,
        "programme/mandates.html",
        {"mandates": mandates, "can_manage": access.can_manage(request.user)},
    )


def handover_page(request: AuthedHttpRequest) -> HttpResponse:
    """The incoming holder (and the secretariat) see what the outgoing holder left open."""
    term = current_term(TermRole.CHAIRMANSHIP)
    if term is None:
        raise Http404
    if not (access.can_manage(request.user) or term.holders.filter(pk=request.user.pk).exists()):
        raise PermissionDenied
    items = handover.open_items(term, request.user)
    return render(request, "programme/handover.html", {"term": term, "items": items})


@login_not_required
def public_results(request: HttpRequest) -> HttpResponse:
    return render(
        request, "programme/public_results.html", {"reports": access.published_results()[:100]}
    )


@login_not_required
def public_results_feed(request: HttpRequest) -> HttpResponse:
    feed = LanguageAtomFeed(
        title=_("Published results of initiatives"),
        link=request.build_absolute_uri(reverse("programme:public-results")),
        description=_("Results of initiatives published by the secretariat."),
        language=get_language(),
        feed_url=request.build_absolute_uri(reverse("programme:public-feed")),
    )
    for report in access.published_results()[:50]:
        feed.add_item(
            title=report.initiative.title,
            link=request.build_absolute_uri(reverse("programme:public-results"))
            + f"#result-{report.pk}",
            description=report.results,
            pubdate=report.published_at,
            unique_id=f"programme-result-{report.pk}",
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml")


# --- the secretariat's pages: create and change the programme --------------------------------
def _form_page(
    request: AuthedHttpRequest,
    form: Any,
    *,
    heading: str,
    submit: str,
    back: str,
    intro: str = "",
    quoted: str = "",
) -> HttpResponse:
    """One form on a page: blank on a GET; a POST reaches it only when it was refused, and
    comes back with status 400 and the form kept. `quoted` (the programme's title, say)
    follows the heading, marked with its own language."""
    return render(
        request,
        "programme/form.html",
        {
            "form": form,
            "heading": heading,
            "quoted": quoted,
            "submit": submit,
            "back": back,
            "intro": intro,
        },
        status=400 if request.method == "POST" else 200,
    )


def programme_new(request: AuthedHttpRequest) -> HttpResponse:
    access.require_manager(request)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_create_programme(
            data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            areas=data["areas"],
            adopted_by=data["adopted_by"],
            adopted_on=data["adopted_on"],
            actor=request.user,
        )
        messages.success(request, _("The work programme was created."))
        return redirect("programme:overview")
    return _form_page(
        request,
        form,
        heading=_("New work programme"),
        submit=_("Create"),
        back=reverse("programme:overview"),
    )


def programme_revise(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A new adopted version of the programme (the earlier versions are kept)."""
    access.require_manager(request)
    programme = get_object_or_404(WorkProgramme.objects.select_related("current"), pk=pk)
    if request.method == "POST":
        form = RevisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            actions.do_adopt_programme(
                programme,
                data["areas"],
                adopted_by=data["adopted_by"],
                adopted_on=data["adopted_on"],
                actor=request.user,
            )
            messages.success(request, _("The new version of the programme was recorded."))
            return redirect("programme:overview")
    else:
        current = programme.current
        areas = (
            current.areas.filter(parent__isnull=True).prefetch_related("clusters")
            if current is not None
            else []
        )
        form = RevisionForm(
            initial={
                "areas": areas_text(areas),
                "adopted_by": current.adopted_by.code if current else None,
            }
        )
    return _form_page(
        request,
        form,
        heading=_("Revise the programme"),
        quoted=programme.title,
        submit=_("Record the new version"),
        back=reverse("programme:overview"),
    )


def initiative_new(request: AuthedHttpRequest) -> HttpResponse:
    access.require_manager(request)
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        initiative = actions.do_create_initiative(
            data["title"],
            area=data["area"],
            leads=[data["lead"], *[d for d in data["co_leads"] if d != data["lead"]]],
            joined_on=data["joined_on"],
            status=data["status"],
            access_level=data["access_level"],
            body=data["body"],
            actor=request.user,
        )
        messages.success(request, _("The initiative was created."))
        return redirect("programme:manage", pk=initiative.pk)
    return _form_page(
        request,
        form,
        heading=_("New initiative"),
        submit=_("Create"),
        back=reverse("programme:overview"),
    )


def _manage_page(
    request: AuthedHttpRequest, initiative: Initiative, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    """The initiative's management page; `bound` replaces the blank form of its kind."""
    forms_ = {
        "edit_form": InitiativeEditForm(
            prefix="edit",
            initial={
                "title": initiative.title,
                "area": initiative.area_id,
                "status": initiative.status,
            },
        ),
        "join_form": JoinForm(initiative=initiative, prefix="join"),
        "leave_form": LeaveForm(initiative=initiative, prefix="leave"),
        "milestone_form": MilestoneForm(prefix="milestone"),
    }
    if bound is not None:
        names: dict[type, str] = {
            InitiativeEditForm: "edit_form",
            JoinForm: "join_form",
            LeaveForm: "leave_form",
            MilestoneForm: "milestone_form",
        }
        key = names[type(bound)]
        forms_[key] = bound
    wording = current_wording()
    return render(
        request,
        "programme/manage.html",
        {
            "initiative": initiative,
            "participations": [
                (p, wording.role(p)) for p in initiative.participations.select_related("delegation")
            ],
            "milestones": initiative.milestones.all(),
            **forms_,
        },
        status=status,
    )


def _managed_initiative(request: AuthedHttpRequest, pk: int) -> Initiative:
    access.require_manager(request)
    return access.get_initiative_for(request, pk)


def _manage_change(
    request: AuthedHttpRequest,
    initiative: Initiative,
    form: Any,
    act: Callable[[dict[str, Any]], object],
    message: str,
) -> HttpResponse:
    """One of the management page's forms posted: refused with the page again (400, the
    form kept), or `act(cleaned_data)` done and the page shown again with `message`."""
    if not form.is_valid():
        return _manage_page(request, initiative, bound=form, status=400)
    act(form.cleaned_data)
    messages.success(request, message)
    return redirect("programme:manage", pk=initiative.pk)


def initiative_manage(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    initiative = _managed_initiative(request, pk)
    if request.method != "POST":
        return _manage_page(request, initiative)
    return _manage_change(
        request,
        initiative,
        InitiativeEditForm(request.POST, prefix="edit"),
        lambda data: actions.do_update_initiative(initiative, actor=request.user, **data),
        _("The initiative was saved."),
    )


@require_POST
def initiative_join(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    initiative = _managed_initiative(request, pk)
    return _manage_change(
        request,
        initiative,
        JoinForm(request.POST, initiative=initiative, prefix="join"),
        lambda data: actions.do_join_initiative(
            initiative, data["delegation"], data["role"], on=data["on"], actor=request.user
        ),
        _("The delegation joined the initiative."),
    )


@require_POST
def initiative_leave(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    initiative = _managed_initiative(request, pk)
    return _manage_change(
        request,
        initiative,
        LeaveForm(request.POST, initiative=initiative, prefix="leave"),
        lambda data: actions.do_leave_initiative(
            data["participation"], on=data["on"], actor=request.user
        ),
        _("The delegation left the initiative."),
    )


@require_POST
def initiative_milestone(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    initiative = _managed_initiative(request, pk)
    return _manage_change(
        request,
        initiative,
        MilestoneForm(request.POST, prefix="milestone"),
        lambda data: actions.do_add_milestone(
            initiative, data["title"], data["due_on"], actor=request.user
        ),
        _("The milestone was added."),
    )


def mandate_new(request: AuthedHttpRequest) -> HttpResponse:
    access.require_manager(request)
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_create_mandate(
            data["task"],
            given_by=data["given_by"],
            given_on=data["given_on"],
            assignee=data["assignee"],
            assignee_body=data["assignee_body"],
            assignee_delegation=data["assignee_delegation"],
            due_on=data["due_on"],
            due_meeting_of=data["due_meeting_of"],
            access_level=data["access_level"],
            actor=request.user,
        )
        messages.success(request, _("The mandate was recorded."))
        return redirect("programme:mandates")
    return _form_page(
        request,
        form,
        heading=_("New mandate"),
        submit=_("Record the mandate"),
        back=reverse("programme:mandates"),
    )


def mandate_guidance(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    access.require_manager(request)
    mandate = policy.get_object_for(request, access.visible_mandates(request.user), pk=pk)
    form = GuidanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_record_guidance(
            form.cleaned_data["text"],
            mandate=mandate,
            close=form.cleaned_data["close"],
            actor=request.user,
        )
        messages.success(request, _("The guidance was recorded."))
        return redirect("programme:mandates")
    return _form_page(
        request,
        form,
        heading=_("Guidance on a mandate"),
        intro=mandate.task,
        submit=_("Record the guidance"),
        back=reverse("programme:mandates"),
    )


def handover_new(request: AuthedHttpRequest) -> HttpResponse:
    """Record a handover: the incoming term starts, the outgoing one ends, at that moment."""
    access.require_manager(request)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_handover(
                data["delegation"],
                list(data["holders"]),
                at=data["at"],
                role=data["role"],
                planned_end=data["planned_end"],
                elected_by=data["elected_by"],
                actor=request.user,
            )
        except ValueError:
            form.add_error("at", _("A handover cannot precede the outgoing term's start."))
        else:
            messages.success(request, _("The handover was recorded."))
            return redirect("programme:overview")
    return _form_page(
        request,
        form,
        heading=_("Record a handover"),
        submit=_("Record the handover"),
        back=reverse("programme:overview"),
    )
