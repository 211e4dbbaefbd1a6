from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel, Body


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    access_level = forms.ChoiceField(
        label=_("Who may read it"), choices=AccessLevel.choices, initial=AccessLevel.MEMBERS
    )
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.all(),
        required=False,
        help_text=_("Required when only one body may read it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("access_level") == AccessLevel.BODY and not data.get("body"):
            self.add_error("body", _("Choose the body that may read this notice."))
        return data
