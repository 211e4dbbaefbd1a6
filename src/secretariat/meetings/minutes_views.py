"""Pages of the minutes and outcome: summary records on an item's page, the decisions of the
meeting, the outcome section of a held meeting, a body's decisions. Thin: access first, a
form, one action of `minutes`, then redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts import access as policy
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.models import AccessLevel, Body
from secretariat.documents.models import Document
from secretariat.meetings import access, hooks, minutes
from secretariat.meetings.minutes_forms import (
    CirculateForm,
    CommentForm,
    DecisionForm,
    LinkForm,
    RecordForm,
    TaskingActionForm,
)
from secretariat.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingDecision,
    SummaryRecord,
    Tasking,
)
from secretariat.negotiation.access import visible_negotiations
from secretariat.negotiation.models import Decision


def _decisions_to_link(user: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(negotiation__in=visible_negotiations(user))
        .exclude(kind=Decision.Kind.FORWARDED)
        .select_related("negotiation", "body")
        .order_by("-at")
    )


def _documents_to_link(user: Any) -> QuerySet[Document]:
    return policy.visible(user, Document.objects.all()).order_by("-date", "-id")


def _decision_form(request: AuthedHttpRequest, data: Any = None) -> DecisionForm:
    return DecisionForm(
        data,
        decisions=_decisions_to_link(request.user),
        documents=_documents_to_link(request.user),
        initial={"decided_on": timezone.localdate()},
        prefix="decision",
    )


def _link_form(request: AuthedHttpRequest, data: Any = None) -> LinkForm:
    return LinkForm(
        data,
        decisions=_decisions_to_link(request.user),
        documents=_documents_to_link(request.user),
        prefix="link",
    )


def decision_rows(request: AuthedHttpRequest, decisions: list[MeetingDecision]) -> list[Any]:
    """Each decision with the linked texts and documents the reader may see."""
    manage = access.may_manage(request.user)
    rows = []
    for decision in decisions:
        texts = minutes.visible_negotiation_decisions(request.user, decision)
        taskings = [
            t
            for t in decision.taskings.all()
            if manage
            or (
                t.status == Tasking.Status.CONFIRMED
                # a task read in an adopted text shows only to who may read that text
                and (t.negotiation_decision_id is None or t.negotiation_decision in texts)
            )
        ]
        rows.append(
            {
                "decision": decision,
                "texts": texts,
                "documents": minutes.visible_outcome_documents(request.user, decision),
                "taskings": taskings,
            }
        )
    return rows


def item_context(request: AuthedHttpRequest, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
    """What the item page shows of the minutes: the summary record as the reader may read it,
    comments, the decisions taken on the item, and the secretariat's forms."""
    user = request.user
    manage = access.may_manage(user)
    record = SummaryRecord.objects.filter(item=item).first()
    readable = minutes.may_read_record(user, record, meeting)
    context: dict[str, Any] = {
        "record": record if readable else None,
        "record_version": record.current if record is not None and readable else None,
        "record_versions": list(record.versions.order_by("-number"))
        if record is not None and manage
        else [],
        "record_comments": list(minutes.comments_for(user, record, meeting))
        if record is not None and readable
        else [],
        "item_decisions": decision_rows(
            request, [d for d in minutes.decisions_of(user, meeting) if d.item_id == item.pk]
        ),
    }
    if record is not None and minutes.may_comment(user, record, meeting):
        context["comment_form"] = CommentForm(prefix="comment")
    if manage:
        if record is None or record.status != SummaryRecord.Status.FINAL:
            current = record.current if record is not None else None
            context["record_form"] = RecordForm(
                initial={"text": current.text if current else ""}, prefix="record"
            )
            context["circulate_form"] = CirculateForm(prefix="circulate", zone=meeting.time_zone)
        context["decision_form"] = _decision_form(request)
        context["link_form"] = _link_form(request)
    return context


def meeting_context(request: AuthedHttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The meeting page's decisions and, once the meeting is held, its outcome."""
    user = request.user
    decisions = minutes.decisions_of(user, meeting)
    context: dict[str, Any] = {"meeting_decisions": decision_rows(request, decisions)}
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CLOSED):
        outcome = minutes.outcome_of(user, meeting)
        outcome["panels"] = [
            # other apps' own templates, already escaped by their render_to_string
            mark_safe(html)
            for panel in hooks.outcome_panels
            if (html := panel(meeting, user))
        ]
        context["outcome"] = outcome
    return context


def _item(request: AuthedHttpRequest, pk: int, item_pk: int, *, manage: bool) -> AgendaItem:
    meeting = access.get_meeting_for(request, pk, manage=manage)
    return access.get_item_for(request, meeting, item_pk)


def _refused(request: AuthedHttpRequest, exc: minutes.MinutesError) -> None:
    messages.error(request, str(exc))


@require_POST
def record_save(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=True)
    form = RecordForm(request.POST, prefix="record")
    if form.is_valid():
        try:
            version = minutes.do_save_record(item, form.cleaned_data["text"], actor=request.user)
            messages.success(request, _("Version %(n)s is saved.") % {"n": version.number})
        except minutes.MinutesError as exc:
            _refused(request, exc)
    else:
        messages.error(request, _("The summary record was not saved: write a text."))
    return redirect(item)


@require_POST
def record_circulate(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=True)
    record = get_object_or_404(SummaryRecord, item=item)
    form = CirculateForm(request.POST, prefix="circulate", zone=item.meeting.time_zone)
    if form.is_valid():
        try:
            minutes.do_circulate_record(
                record, form.cleaned_data["comments_due"], actor=request.user
            )
            messages.success(request, _("The summary record is circulated for comments."))
        except minutes.MinutesError as exc:
            _refused(request, exc)
    else:
        messages.error(request, _("Give a valid deadline for comments."))
    return redirect(item)


@require_POST
def record_finalise(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=True)
    record = get_object_or_404(SummaryRecord, item=item)
    try:
        minutes.do_finalise_record(record, actor=request.user)
        messages.success(request, _("The summary record is final."))
    except minutes.MinutesError as exc:
        _refused(request, exc)
    return redirect(item)


@require_POST
def record_comment(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=False)
    record = SummaryRecord.objects.filter(item=item).first()
    if record is None or not minutes.may_read_record(request.user, record, item.meeting):
        raise Http404
    delegation = minutes.participant_delegation(request.user, item.meeting)
    if delegation is None:
        raise Http404
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            minutes.do_comment(record, delegation, form.cleaned_data["text"], actor=request.user)
            messages.success(request, _("Your comment is sent to the secretariat."))
        except minutes.MinutesError as exc:
            _refused(request, exc)
    else:
        messages.error(request, _("The comment was not sent: write a text."))
    return redirect(item)


@require_POST
def decision_new(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=True)
    form = _decision_form(request, request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("The decision was not recorded: %(errors)s") % {"errors": errors})
        return redirect(item)
    d = form.cleaned_data
    taskings = []
    if d["task_what"]:
        taskings.append(
            minutes.TaskingFields(
                assignee=d["task_assignee"],
                task=d["task_what"],
                assignee_body=d["task_body"],
                due_on=d["task_due_on"],
                due_meeting_of=d["task_due_meeting_of"],
            )
        )
    try:
        minutes.do_record_decision(
            item.meeting,
            item=item,
            title=d["title"],
            text=d["text"],
            decided_on=d["decided_on"],
            negotiation_decisions=[d["negotiation_decision"]] if d["negotiation_decision"] else [],
            outcome_documents=[d["outcome_document"]] if d["outcome_document"] else [],
            taskings=taskings,
            actor=request.user,
        )
        messages.success(request, _("The decision is recorded."))
    except minutes.MinutesError as exc:
        _refused(request, exc)
    return redirect(item)


@require_POST
def decision_link(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=True)
    form = _link_form(request, request.POST)
    if form.is_valid():
        decision = get_object_or_404(
            MeetingDecision, pk=form.cleaned_data["decision"], meeting=item.meeting
        )
        if form.cleaned_data["negotiation_decision"]:
            minutes.do_link_negotiation_decision(
                decision, form.cleaned_data["negotiation_decision"], actor=request.user
            )
        if form.cleaned_data["outcome_document"]:
            minutes.do_link_outcome_document(
                decision, form.cleaned_data["outcome_document"], actor=request.user
            )
    else:
        messages.error(request, _("Choose a text or a document to link."))
    return redirect(item)


@require_POST
def tasking_action(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk, manage=True)
    form = TaskingActionForm(request.POST)
    if form.is_valid():
        tasking = get_object_or_404(
            Tasking, pk=form.cleaned_data["tasking"], decision__meeting=item.meeting
        )
        try:
            if form.cleaned_data["action"] == "confirm":
                minutes.do_confirm_tasking(tasking, actor=request.user)
                messages.success(request, _("The task is confirmed: it is now a mandate."))
            else:
                minutes.do_dismiss_tasking(tasking, actor=request.user)
        except minutes.MinutesError as exc:
            _refused(request, exc)
    return redirect(item)


def body_decisions(request: AuthedHttpRequest, code: str) -> HttpResponse:
    body = Body.objects.filter(code=code[:16]).first()
    if body is None or not policy.can_see_level(request.user, AccessLevel.BODY, body.pk):
        raise Http404
    decisions = list(minutes.body_decisions(request.user, body)[:500])
    return render(
        request,
        "meetings/body_decisions.html",
        {"body": body, "rows": decision_rows(request, decisions)},
    )
