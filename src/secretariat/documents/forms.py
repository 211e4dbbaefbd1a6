from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel, Body
from secretariat.core.uploads import UploadField
from secretariat.documents.models import DELEGATION_TYPES, LANGUAGES, DocumentType, Status


class VersionForm(forms.Form):
    file = UploadField(label=_("File (PDF, Word .docx or text)"))
    comment = forms.CharField(label=_("Why a new version"), max_length=500)


class DocumentForm(forms.Form):
    file = UploadField(label=_("File (PDF, Word .docx or text)"))
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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        """The access levels and bodies offered are those `user` can read: nobody registers
        a document they could not then read (the chair, a secretariat-only one)."""
        super().__init__(*args, **kwargs)
        self.user = user
        level = self.fields["access_level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = access.levels_readable_by(user)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = access.bodies_readable_by(user)
        self.for_delegation = not (
            access.is_secretariat(user) or access.is_steering(user)
        ) and access.submits_for_delegation(user)
        if self.for_delegation:
            # The delegation's own paper: a draft, to a body it sits in (the action refuses
            # anything else whoever calls it).
            doc_type = self.fields["doc_type"]
            status = self.fields["status"]
            assert isinstance(doc_type, forms.ChoiceField)
            assert isinstance(status, forms.ChoiceField)
            doc_type.choices = [(t.value, t.label) for t in DELEGATION_TYPES]
            doc_type.initial = DocumentType.NON_PAPER
            status.choices = [(Status.DRAFT.value, Status.DRAFT.label)]
            level.choices = [
                (v, label)
                for v, label in level.choices
                if v in (AccessLevel.BODY, AccessLevel.MEMBERS)
            ]
            level.initial = AccessLevel.BODY
            body.required = True
            body.help_text = _("Your delegation submits it to a body it sits in.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level, body = data.get("access_level"), data.get("body")
        if level == AccessLevel.BODY and not body:
            self.add_error("body", _("Choose the body that may see the document."))
        elif level and not access.can_see_level(self.user, level, body.pk if body else None):
            self.add_error("access_level", _("You could not read the document yourself."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
