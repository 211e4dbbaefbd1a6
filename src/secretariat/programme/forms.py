"""One form per POST of the programme pages (Django's CharField refuses NUL bytes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import AccessLevel


class ReportForm(forms.Form):
    file = forms.FileField(label=_("Report (PDF, Word .docx or text)"))
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
