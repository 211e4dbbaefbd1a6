from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FinderForm(forms.Form):
    """The finder's question (Django's CharField already refuses NUL characters)."""

    text = forms.CharField(label=_("Paste a paragraph"), max_length=20_000, strip=True)
    include_drafts = forms.BooleanField(
        label=_("Include drafts and texts under negotiation"), required=False
    )
