"""Forms for every POST of the meetings pages (Django's CharField refuses NUL bytes already)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel, Body, Delegation
from secretariat.communications.models import Series
from secretariat.communications.register_sections import register_series
from secretariat.core.contentlang import ContentSelect
from secretariat.documents.models import Document
from secretariat.meetings.actions import MeetingFields, ParticipantFields
from secretariat.meetings.models import (
    AgendaEdition,
    AgendaItem,
    ItemDocument,
    Meeting,
    Precedence,
    Statement,
)
from secretariat.negotiation.models import Negotiation

TEXT_MAX = 20_000
FILE_MAX = 20 * 1024 * 1024


def _zone_choices() -> list[tuple[str, str]]:
    from secretariat.accounts.profile import time_zone_choices

    return time_zone_choices()


def _local(value: datetime, zone_name: str) -> datetime:
    """A datetime typed in the form is a wall-clock time in the meeting's zone."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return naive.replace(tzinfo=ZoneInfo(zone_name))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.all())
    access_level = forms.ChoiceField(
        label=_("Who may see it"),
        choices=[
            (AccessLevel.BODY, AccessLevel.BODY.label),
            (AccessLevel.MEMBERS, AccessLevel.MEMBERS.label),
            (AccessLevel.SECRETARIAT, AccessLevel.SECRETARIAT.label),
        ],
        initial=AccessLevel.BODY,
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_zone_choices,
        initial="Asia/Almaty",
        # Zone identifiers are codes, not words of the page's language.
        widget=forms.Select(attrs={"translate": "no"}),
    )
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    parent = forms.ModelChoiceField(
        label=_("In the margins of (preparatory or side meeting)"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=ContentSelect,  # meeting titles, each in its own language
    )
    is_urgent = forms.BooleanField(label=_("Urgent consultation"), required=False)
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline (local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    requires_credentials = forms.BooleanField(
        label=_("Formal credentials required"), required=False
    )
    precedence = forms.ChoiceField(
        label=_("Order of precedence"), choices=Precedence.choices, initial=Precedence.LOT
    )
    lot_start = forms.ModelChoiceField(
        label=_("Member drawn by lot"),
        queryset=Delegation.objects.none(),
        required=False,
    )
    host = forms.ModelChoiceField(
        label=_("Host country"),
        queryset=Delegation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lot_start", "host"):  # the members of today, not of the form's import
            self.fields[name].queryset = Delegation.objects.members_on()  # type: ignore[attr-defined]
        if parents is not None:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        if zone := self.initial.get("time_zone"):  # a legacy alias stored stays choosable
            from secretariat.accounts.profile import time_zone_choices

            self.fields["time_zone"].choices = time_zone_choices(str(zone))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone")
        if not zone:
            return data
        for name in ("starts_at", "ends_at", "registration_deadline"):
            if data.get(name) is not None:
                data[name] = _local(data[name], zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("A meeting cannot end before it starts."))
        if data.get("access_level") == AccessLevel.BODY and not data.get("body"):
            self.add_error("body", _("Choose the body."))
        return data

    def fields_value(self) -> MeetingFields:
        d = self.cleaned_data
        return MeetingFields(
            title=d["title"],
            body=d["body"],
            access_level=d["access_level"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            time_zone=d["time_zone"],
            venue=d["venue"],
            online_link=d["online_link"],
            parent=d["parent"],
            is_urgent=d["is_urgent"],
            registration_deadline=d["registration_deadline"],
            requires_credentials=d["requires_credentials"],
            precedence=d["precedence"],
            lot_start=d["lot_start"],
            host=d["host"],
        )

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        zone = ZoneInfo(meeting.time_zone)

        def local(v: datetime | None) -> str:
            return v.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if v else ""

        return {
            "title": meeting.title,
            "body": meeting.body_id,
            "access_level": meeting.access_level,
            "starts_at": local(meeting.starts_at),
            "ends_at": local(meeting.ends_at),
            "time_zone": meeting.time_zone,
            "venue": meeting.venue,
            "online_link": meeting.online_link,
            "parent": meeting.parent_id,
            "is_urgent": meeting.is_urgent,
            "registration_deadline": local(meeting.registration_deadline),
            "requires_credentials": meeting.requires_credentials,
            "precedence": meeting.precedence,
            "lot_start": meeting.lot_start_id,
            "host": meeting.host_id,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Meeting.Status.choices)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    annotation = forms.CharField(
        label=_("Annotation"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.REGULAR
    )
    parent = forms.ModelChoiceField(
        label=_("Sub-item of"),
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=ContentSelect,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = meeting.items.filter(parent=None)  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class PublishForm(forms.Form):
    kind = forms.ChoiceField(label=_("Publish as"), choices=AgendaEdition.Kind.choices)


class AttachDocumentForm(forms.Form):
    document: forms.ModelChoiceField[Document] = forms.ModelChoiceField(
        label=_("Document"), queryset=Document.objects.none(), widget=ContentSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ItemDocument.Status.choices, initial=ItemDocument.Status.OFFICIAL
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]


class LinkNegotiationForm(forms.Form):
    negotiation: forms.ModelChoiceField[Negotiation] = forms.ModelChoiceField(
        label=_("Negotiation"), queryset=Negotiation.objects.none(), widget=ContentSelect
    )

    def __init__(self, *args: Any, negotiations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["negotiation"].queryset = negotiations  # type: ignore[attr-defined]


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    honorific = forms.CharField(label=_("Title (H.E., Mr, Ms, Dr)"), max_length=40, required=False)
    function = forms.CharField(label=_("Function"), max_length=300, required=False)
    rank = forms.IntegerField(
        label=_("Rank in the delegation (1 = highest)"), min_value=1, max_value=99, initial=10
    )
    is_head = forms.BooleanField(label=_("Head of delegation"), required=False)
    arrives_on = forms.DateField(
        label=_("Arrives"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    departs_on = forms.DateField(
        label=_("Departs"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        a, d = data.get("arrives_on"), data.get("departs_on")
        if a and d and d < a:
            self.add_error("departs_on", _("Departure cannot be before arrival."))
        return data

    def fields_value(self) -> ParticipantFields:
        d = self.cleaned_data
        return ParticipantFields(
            name=d["name"],
            honorific=d["honorific"],
            function=d["function"],
            rank=d["rank"],
            is_head=d["is_head"],
            arrives_on=d["arrives_on"],
            departs_on=d["departs_on"],
        )


class AccreditationForm(forms.Form):
    note = forms.FileField(label=_("Accreditation note verbale"), required=False)
    credentials = forms.FileField(
        label=_(
            "Formal credentials (signed by the Head of State or Government or the Minister "
            "for Foreign Affairs)"
        ),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("note", "credentials"):
            f = data.get(name)
            if f is not None and f.size > FILE_MAX:
                self.add_error(name, _("The file is too large."))
        if not data.get("note") and not data.get("credentials") and not self.errors:
            raise forms.ValidationError(_("Choose a file."))
        return data


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea)
    audience = forms.ChoiceField(
        label=_("Published to"),
        choices=Statement.Audience.choices,
        initial=Statement.Audience.PARTICIPANTS,
    )


class ConveningNoteForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the convening note"), max_length=80)


class ConveneForm(forms.Form):
    """Draft the convening note verbale in a register (series) of the secretariat's choice."""

    series = forms.ModelChoiceField(
        label=_("Register"),
        queryset=Series.objects.order_by("code"),
        to_field_name="code",
        widget=forms.Select(attrs={"translate": "no"}),  # register codes (NV, SWG/OI)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = register_series()  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    """A POST with no fields (approve, record originals, ask for the floor): CSRF only."""


class SpeakerForm(forms.Form):
    speaker = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    action = forms.ChoiceField(choices=[("call", "call"), ("up", "up"), ("down", "down")])


class SpeakingTimeForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes per speaker"), min_value=1, max_value=60)
