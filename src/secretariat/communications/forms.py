"""Forms for every POST of the notes pages (Django's CharField refuses NUL bytes already)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import Body, Delegation
from secretariat.communications.actions import ActionError, EditionText, find_delegations
from secretariat.communications.models import (
    LANGUAGE_CODES,
    Note,
    NoteKind,
    OutcomeStatement,
    Series,
)
from secretariat.communications.register_sections import register_series
from secretariat.core.contentlang import with_names
from secretariat.core.limits import MAX_ID

TEXT_MAX = 20_000


class ComposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.all(),
        widget=forms.Select(attrs={"translate": "no"}),  # register codes (NV, SWG/OI)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The forum register's series (every series where it names none).
        self.fields["series"].queryset = register_series()  # type: ignore[attr-defined]

    body = forms.ModelChoiceField(
        label=_("Body (for a note to a body)"), queryset=Body.objects.all(), required=False
    )
    to_codes = forms.CharField(
        label=_("Delegation codes (for a note to chosen delegations)"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas, e.g. IND, CHN"),
    )
    corrects = forms.CharField(
        label=_("Corrects the note with reference"), max_length=80, required=False
    )
    release_at = forms.DateTimeField(
        label=_("Release on the public portal at (press releases)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=300, required=False)
    text_en = forms.CharField(
        label=_("Text (English)"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    subject_ru = forms.CharField(label=_("Subject (Russian)"), max_length=300, required=False)
    text_ru = forms.CharField(
        label=_("Text (Russian)"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    subject_kk = forms.CharField(label=_("Subject (Kazakh)"), max_length=300, required=False)
    text_kk = forms.CharField(
        label=_("Text (Kazakh)"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        editions = []
        for code in LANGUAGE_CODES:
            subject = (data.get(f"subject_{code}") or "").strip()
            text = (data.get(f"text_{code}") or "").strip()
            if subject and text:
                editions.append(EditionText(code, subject, text))
            elif subject or text:
                self.add_error(
                    f"text_{code}" if subject else f"subject_{code}",
                    _("An edition needs both a subject and a text."),
                )
        if not editions and not self.errors:
            raise forms.ValidationError(_("Write the note in at least one language."))
        data["editions"] = editions
        kind = data.get("kind")
        data["delegations"] = []
        if kind == NoteKind.TO_DELEGATIONS:
            try:
                data["delegations"] = find_delegations(
                    (data.get("to_codes") or "").replace(";", ",").split(",")
                )
            except ActionError as exc:
                self.add_error("to_codes", exc.message)
        if kind == NoteKind.TO_BODY and not data.get("body"):
            self.add_error("body", _("Choose the body the note is addressed to."))
        reference = (data.get("corrects") or "").strip()
        data["corrected_note"] = None
        if reference:
            corrected = Note.objects.filter(reference=reference, status=Note.Status.ISSUED).first()
            if corrected is None:
                self.add_error("corrects", _("No issued note has this reference."))
            data["corrected_note"] = corrected
        return data


class EncloseForm(forms.Form):
    document = forms.IntegerField(
        max_value=MAX_ID, label=_("Document number in the library"), min_value=1
    )
    version = forms.IntegerField(
        max_value=MAX_ID, label=_("Version (empty: the current one)"), min_value=1, required=False
    )


class EmptyForm(forms.Form):
    """A POST with nothing to say but the CSRF token (approve, issue, acknowledge...)."""


class RemoveEnclosureForm(forms.Form):
    enclosure = forms.IntegerField(max_value=MAX_ID, min_value=1)


class TemplateForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    letterhead = forms.CharField(
        label=_("Letterhead"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    body = forms.CharField(label=_("Template"), max_length=TEXT_MAX, widget=forms.Textarea)

    def __init__(self, *args: Any, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if language:  # the template's text is written in the note's language
            for name in ("place", "letterhead", "body"):
                self.fields[name].widget.attrs["lang"] = language


class IncomingForm(forms.Form):
    file = forms.FileField(label=with_names(_("File (PDF, %(word)s .docx or text)"), word="Word"))
    sender = forms.ModelChoiceField(
        label=_("From (delegation)"), queryset=Delegation.objects.in_register()
    )
    sender_reference = forms.CharField(label=_("Their reference"), max_length=80, required=False)
    received_on = forms.DateField(
        label=_("Received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    concerns_negotiation = forms.IntegerField(
        max_value=MAX_ID, label=_("Concerns negotiation number"), min_value=1, required=False
    )
    concerns_document = forms.IntegerField(
        max_value=MAX_ID, label=_("Concerns library document number"), min_value=1, required=False
    )


class RegisterFilterForm(forms.Form):
    """The register's filters (GET): invalid values are ignored, never an error page."""

    DIRECTIONS = [("out", _("Outgoing")), ("in", _("Incoming"))]
    direction = forms.ChoiceField(choices=DIRECTIONS, required=False)
    q = forms.CharField(max_length=200, required=False)
    series = forms.CharField(max_length=32, required=False)
    year = forms.IntegerField(min_value=1900, max_value=9999, required=False)
    body = forms.CharField(max_length=32, required=False)
    status = forms.ChoiceField(choices=[("", ""), *Note.Status.choices], required=False)


class StatementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeStatement.Kind.choices)
    text = forms.CharField(label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea)


class DocumentReleaseForm(forms.Form):
    document = forms.IntegerField(
        max_value=MAX_ID, label=_("Document number in the library"), min_value=1
    )
    release_at = forms.DateTimeField(
        label=_("Release on the public portal at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
