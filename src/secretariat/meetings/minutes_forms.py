"""Forms of the minutes and outcome pages (lengths and ranges the database accepts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import Body
from secretariat.core.contentlang import ContentSelect
from secretariat.documents.models import Document
from secretariat.meetings.forms import TEXT_MAX, _local
from secretariat.meetings.models import Tasking
from secretariat.negotiation.models import Decision

DAY_MIN = date(1900, 1, 1)
DAY_MAX = date(2200, 12, 31)


class NegotiationDecisionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.negotiation.title} — {obj.get_kind_display()} ({obj.body.code})"


def _in_range(value: date | None) -> date | None:
    if value is not None and not DAY_MIN <= value <= DAY_MAX:
        raise forms.ValidationError(_("Give a date between 1900 and 2200."))
    return value


class RecordForm(forms.Form):
    text = forms.CharField(label=_("Summary record"), max_length=TEXT_MAX, widget=forms.Textarea)


class CirculateForm(forms.Form):
    comments_due = forms.DateTimeField(
        label=_("Comments due by (the meeting's local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_comments_due(self) -> Any:
        value = self.cleaned_data.get("comments_due")
        if value is None:
            return None
        if not DAY_MIN.year <= value.year <= DAY_MAX.year:
            raise forms.ValidationError(_("Give a date between 1900 and 2200."))
        return _local(value, self.zone)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=TEXT_MAX, widget=forms.Textarea)


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text of the decision"), max_length=TEXT_MAX, widget=forms.Textarea, required=False
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    negotiation_decision = NegotiationDecisionField(
        label=_("Adopted text or ad ref agreement"),
        queryset=Decision.objects.none(),
        required=False,
        widget=ContentSelect,
    )
    outcome_document = forms.ModelChoiceField(
        label=_("Outcome document"),
        queryset=Document.objects.none(),
        required=False,
        widget=ContentSelect,
    )
    task_assignee = forms.ChoiceField(
        label=_("Tasks: who"),
        choices=[("", "—"), *Tasking.Assignee.choices],
        required=False,
    )
    task_body = forms.ModelChoiceField(
        label=_("Tasked body"), queryset=Body.objects.all(), required=False
    )
    task_what = forms.CharField(
        label=_("Tasks: what"), max_length=2000, required=False, widget=forms.Textarea
    )
    task_due_on = forms.DateField(
        label=_("Due by (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    task_due_meeting_of = forms.ModelChoiceField(
        label=_("or due by the next meeting of"), queryset=Body.objects.all(), required=False
    )

    def __init__(
        self,
        *args: Any,
        decisions: QuerySet[Decision],
        documents: QuerySet[Document],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["negotiation_decision"].queryset = decisions  # type: ignore[attr-defined]
        self.fields["outcome_document"].queryset = documents  # type: ignore[attr-defined]

    def clean_decided_on(self) -> date | None:
        return _in_range(self.cleaned_data.get("decided_on"))

    def clean_task_due_on(self) -> date | None:
        return _in_range(self.cleaned_data.get("task_due_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("task_what"):
            if not data.get("task_assignee"):
                self.add_error("task_assignee", _("Say who is tasked."))
            if not data.get("task_due_on") and not data.get("task_due_meeting_of"):
                self.add_error(
                    "task_due_on", _("A task is due by a date or by a body's next meeting.")
                )
            if data.get("task_assignee") == "body" and not data.get("task_body"):
                self.add_error("task_body", _("Say which body is tasked."))
        return data


class LinkForm(forms.Form):
    """Link an adopted text or an outcome document to a recorded decision."""

    decision = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    negotiation_decision = NegotiationDecisionField(
        label=_("Adopted text or ad ref agreement"),
        queryset=Decision.objects.none(),
        required=False,
        widget=ContentSelect,
    )
    outcome_document = forms.ModelChoiceField(
        label=_("Outcome document"),
        queryset=Document.objects.none(),
        required=False,
        widget=ContentSelect,
    )

    def __init__(
        self,
        *args: Any,
        decisions: QuerySet[Decision],
        documents: QuerySet[Document],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["negotiation_decision"].queryset = decisions  # type: ignore[attr-defined]
        self.fields["outcome_document"].queryset = documents  # type: ignore[attr-defined]


class TaskingActionForm(forms.Form):
    tasking = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    action = forms.ChoiceField(choices=[("confirm", "confirm"), ("dismiss", "dismiss")])
