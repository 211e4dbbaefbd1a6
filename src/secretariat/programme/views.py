"""Thin views: access helper first, then the form, one action, a redirect or a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.http import AuthedHttpRequest
from secretariat.documents.actions import read_upload
from secretariat.documents.files import FileRejected
from secretariat.programme import access, actions, handover, overview
from secretariat.programme.forms import CycleForm, EmptyForm, ReportForm
from secretariat.programme.models import Publication, ReportingCycle, TermRole, WorkProgramme
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
        },
    )


def initiative_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    initiative = access.get_initiative_for(request, pk)
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
            "cycle_form": CycleForm(
                initial={"every_months": 6, "remind_days": 14}
                if cycle is None
                else {
                    "start_on": cycle.start_on,
                    "every_months": cycle.every_months,
                    "remind_days": cycle.remind_days,
                }
            ),
        },
    )


@require_POST
def upload_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    initiative = access.get_initiative_for(request, pk, report=True)
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
    if form.is_valid():
        actions.do_set_reporting_cycle(initiative, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The reporting cycle was saved."))
    else:
        messages.error(request, _("The reporting cycle was not saved: check the form."))
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
    return render(request, "programme/mandates.html", {"mandates": mandates})


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
    feed = Atom1Feed(
        title=_("Published results of initiatives"),
        link=request.build_absolute_uri(reverse("programme:public-results")),
        description=_("Results of initiatives published by the secretariat."),
        language="en",
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
