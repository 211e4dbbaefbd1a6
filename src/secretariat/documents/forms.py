from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel, Body
from secretariat.documents.models import LANGUAGES, DocumentType, Status


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, Word .docx or text)"))
    comment = forms.CharField(label=_("Why a new version"), max_length=500)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, Word .docx or text)"))
    title = forms.CharField(label=_("Title"), max_length=400)
    symbol = forms.CharField(label=_("Symbol"), max_length=80, required=False)
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.CharField(label=_("Organization"), max_length=40)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    access_level = forms.ChoiceField(
        label=_("Access"), choices=AccessLevel.choices, initial=AccessLevel.MEMBERS
    )
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.all(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("access_level") == AccessLevel.BODY and not data.get("body"):
            self.add_error("body", _("Choose the body that may see the document."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
