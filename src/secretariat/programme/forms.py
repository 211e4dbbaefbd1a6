"""One form per POST of the programme pages (Django's CharField refuses NUL bytes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel, Body, Delegation, User
from secretariat.core.contentlang import ContentSelect, mark_content_fields, with_names
from secretariat.programme.actions import AreaSpec
from secretariat.programme.models import (
    Area,
    Assignee,
    Initiative,
    InitiativeStatus,
    ParticipantRole,
    Participation,
    TermRole,
)


class ReportForm(forms.Form):
    file = forms.FileField(label=with_names(_("Report (PDF, %(word)s .docx or text)"), word="Word"))
    cycle = forms.IntegerField(label=_("Reporting period"), min_value=1, max_value=200)
    results = forms.CharField(
        label=_("Results (for publication if approved)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    access_level = forms.ChoiceField(
        label=_("Access"),
        choices=[
            (AccessLevel.MEMBERS, AccessLevel.MEMBERS.label),
            *[
                (c, n)
                for c, n in AccessLevel.choices
                if c not in (AccessLevel.MEMBERS, AccessLevel.PUBLIC)
            ],
        ],
        initial=AccessLevel.MEMBERS,
    )


class CycleForm(forms.Form):
    start_on = forms.DateField(
        label=_("First report due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    every_months = forms.IntegerField(label=_("Every (months)"), min_value=1, max_value=60)
    remind_days = forms.IntegerField(label=_("Remind (days before)"), min_value=0, max_value=365)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start_on")
        if start is not None and not (2000 <= start.year <= 2100):
            self.add_error("start_on", _("Give a date between 2000 and 2100."))
        return data


class EmptyForm(forms.Form):
    """A POST that carries nothing but its CSRF token (publish, propose)."""


# --- the pages that create and change the programme (the secretariat's) ---------------------
def _in_range(form: forms.Form, name: str, value: Any) -> None:
    """Dates the forum can mean: years 2000-2100 (a year 0 or 27513 is a 400, not a 500)."""
    if value is not None and not (2000 <= value.year <= 2100):
        form.add_error(name, _("Give a date between 2000 and 2100."))


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class DatedForm(forms.Form):
    """Checks every DateField and DateTimeField of the form against the forum's range."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                _in_range(self, name, data.get(name))
        return data


AREAS_HELP = _(
    "One area per line: code | title | activities. A cluster's code starts with its area's "
    "code and a dot (1.2 is a cluster of area 1)."
)


def parse_areas(text: str) -> list[AreaSpec]:
    """`code | title | activities` lines into areas and their clusters; ValidationError on a
    malformed line (the message names the line)."""
    areas: list[AreaSpec] = []
    clusters: dict[str, list[AreaSpec]] = {}
    seen: set[str] = set()
    order: list[str] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) < 2 or len(parts) > 3 or not parts[0] or not parts[1]:
            raise forms.ValidationError(
                _("Line %(n)s: write code | title | activities.") % {"n": n}
            )
        code, title = parts[0], parts[1]
        activities = parts[2] if len(parts) == 3 else ""
        if len(code) > 32 or len(title) > 300 or len(activities) > 5000:
            raise forms.ValidationError(_("Line %(n)s is too long.") % {"n": n})
        if code in seen:
            raise forms.ValidationError(_("Line %(n)s: the code is used twice.") % {"n": n})
        seen.add(code)
        parent = code.rsplit(".", 1)[0] if "." in code else None
        spec = AreaSpec(code, title, activities)
        if parent is None:
            areas.append(spec)
            order.append(code)
        elif parent in order:
            clusters.setdefault(parent, []).append(spec)
        else:
            raise forms.ValidationError(
                _("Line %(n)s: no area %(code)s above this cluster.") % {"n": n, "code": parent}
            )
    if not areas:
        raise forms.ValidationError(_("Give at least one area."))
    return [AreaSpec(a.code, a.title, a.activities, tuple(clusters.get(a.code, ()))) for a in areas]


def areas_text(areas: Any) -> str:
    """The current version's areas as the form's text (to revise them)."""
    lines = []
    for area in areas:
        lines.append(f"{area.code} | {area.title} | {area.activities}".rstrip(" |"))
        for cluster in area.clusters.all():
            lines.append(f"{cluster.code} | {cluster.title} | {cluster.activities}".rstrip(" |"))
    return "\n".join(lines)


class RevisionForm(DatedForm):
    """A new version of the programme: its areas, the adopting body and the date."""

    areas = forms.CharField(
        label=_("Priority areas and clusters"),
        help_text=AREAS_HELP,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    adopted_by = forms.ModelChoiceField(
        label=_("Adopted by"), queryset=Body.objects.order_by("code"), to_field_name="code"
    )
    adopted_on = _date(_("Adopted on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_content_fields(self, "areas", "title")  # the programme's words, in their language

    def clean_areas(self) -> list[AreaSpec]:
        return parse_areas(self.cleaned_data["areas"])


class ProgrammeForm(RevisionForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    period_start = _date(_("From"))
    period_end = _date(_("To"))
    field_order = ["title", "period_start", "period_end", "areas", "adopted_by", "adopted_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start is not None and end is not None and end <= start:
            self.add_error("period_end", _("The period ends after it starts."))
        return data


def _areas() -> Any:
    from secretariat.programme.models import Area, WorkProgramme

    current = WorkProgramme.objects.exclude(current=None).values_list("current", flat=True)
    return Area.objects.filter(version__in=list(current)).order_by("version", "order", "code")


def _delegations() -> Any:
    return Delegation.objects.in_register().order_by("code")


class InitiativeEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, widget=ContentSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()  # type: ignore[attr-defined]


class InitiativeForm(InitiativeEditForm, DatedForm):
    lead = forms.ModelChoiceField(
        label=_("Lead country"), queryset=Delegation.objects.none(), to_field_name="code"
    )
    co_leads = forms.ModelMultipleChoiceField(
        label=_("Co-leads"),
        queryset=Delegation.objects.none(),
        to_field_name="code",
        required=False,
    )
    joined_on = _date(_("Since"))
    access_level = forms.ChoiceField(
        label=_("Access"),
        choices=[(c, n) for c, n in AccessLevel.choices],
        initial=AccessLevel.MEMBERS,
    )
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.order_by("code"),
        to_field_name="code",
        required=False,
        help_text=_("Required when access is limited to a body."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _delegations()  # type: ignore[attr-defined]
        self.fields["co_leads"].queryset = _delegations()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lead, co_leads = data.get("lead"), data.get("co_leads") or []
        if lead is not None and lead in co_leads:
            self.add_error("co_leads", _("The lead country is not also a co-lead."))
        if data.get("access_level") == AccessLevel.BODY and data.get("body") is None:
            self.add_error("body", _("Choose the body."))
        return data


class JoinForm(DatedForm):
    delegation = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Delegation.objects.none(), to_field_name="code"
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    on = _date(_("Joins on"))

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["delegation"].queryset = _delegations()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        delegation = data.get("delegation")
        if (
            delegation is not None
            and self.initiative.participations.filter(
                delegation=delegation, left_on__isnull=True
            ).exists()
        ):
            self.add_error("delegation", _("This delegation already takes part."))
        return data


class LeaveForm(DatedForm):
    participation = forms.ModelChoiceField(
        label=_("Delegation"), queryset=Participation.objects.none()
    )
    on = _date(_("Leaves on"))

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participation"]
        field.queryset = initiative.participations.filter(  # type: ignore[attr-defined]
            left_on__isnull=True
        ).select_related("delegation")
        field.label_from_instance = lambda p: f"{p.delegation.name} ({p.get_role_display()})"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        participation, on = data.get("participation"), data.get("on")
        if participation is not None and on is not None and on < participation.joined_on:
            self.add_error("on", _("A delegation leaves after it joined."))
        return data


class MilestoneForm(DatedForm):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_on = _date(_("Due on"))


class MandateForm(DatedForm):
    task = forms.CharField(
        label=_("Task"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    given_by = forms.ModelChoiceField(
        label=_("Given by"), queryset=Body.objects.order_by("code"), to_field_name="code"
    )
    given_on = _date(_("Given on"))
    assignee = forms.ChoiceField(label=_("Tasked"), choices=Assignee.choices)
    assignee_body = forms.ModelChoiceField(
        label=_("Tasked body"),
        queryset=Body.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    assignee_delegation = forms.ModelChoiceField(
        label=_("Tasked country"),
        queryset=Delegation.objects.none(),
        to_field_name="code",
        required=False,
    )
    due_on = _date(_("Due on"), required=False)
    due_meeting_of = forms.ModelChoiceField(
        label=_("Or due by the next meeting of"),
        queryset=Body.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    access_level = forms.ChoiceField(
        label=_("Access"),
        choices=[(c, n) for c, n in AccessLevel.choices if c != AccessLevel.PUBLIC],
        initial=AccessLevel.MEMBERS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee_delegation"].queryset = _delegations()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("due_on") is None and data.get("due_meeting_of") is None:
            self.add_error("due_on", _("Give a date or the body whose next meeting it is due by."))
        assignee = data.get("assignee")
        if assignee == Assignee.BODY and data.get("assignee_body") is None:
            self.add_error("assignee_body", _("Choose the body tasked."))
        if assignee in (Assignee.LEAD_COUNTRY, Assignee.COORDINATOR) and not data.get(
            "assignee_delegation"
        ):
            self.add_error("assignee_delegation", _("Choose the country tasked."))
        given, due = data.get("given_on"), data.get("due_on")
        if given is not None and due is not None and due < given:
            self.add_error("due_on", _("A mandate is due after it is given."))
        return data


class GuidanceForm(forms.Form):
    text = forms.CharField(
        label=_("Guidance"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    close = forms.BooleanField(label=_("Close the mandate"), required=False)


class HandoverForm(DatedForm):
    role = forms.ChoiceField(label=_("Role"), choices=TermRole.choices)
    delegation = forms.ModelChoiceField(
        label=_("Incoming holder"), queryset=Delegation.objects.none(), to_field_name="code"
    )
    holders = forms.ModelMultipleChoiceField(
        label=_("Users who act for it"),
        queryset=User.objects.none(),
        to_field_name="username",
        required=False,
    )
    at = forms.DateTimeField(
        label=_("Handed over at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    planned_end = _date(_("Planned end (a reminder, not a switch)"), required=False)
    elected_by = forms.CharField(label=_("Elected by"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = _delegations()  # type: ignore[attr-defined]
        self.fields["holders"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, delegation__isnull=False
        ).order_by("username")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        delegation = data.get("delegation")
        for user in data.get("holders") or []:
            if delegation is not None and user.delegation_id != delegation.pk:
                self.add_error("holders", _("Holders are users of the incoming delegation."))
                break
        at, end = data.get("at"), data.get("planned_end")
        if at is not None and end is not None and end < at.date():
            self.add_error("planned_end", _("The planned end comes after the handover."))
        return data
