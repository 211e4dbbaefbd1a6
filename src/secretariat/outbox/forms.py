from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.outbox.models import OutboundEmail


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any")), *OutboundEmail.Status.choices],
    )


class RetryForm(forms.Form):
    """Retrying takes no input; the form still guards the POST like every other."""


class UnsubscribeForm(forms.Form):
    """RFC 8058: a mail client's one-click POST carries `List-Unsubscribe=One-Click`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["List-Unsubscribe"] = forms.CharField(required=False, max_length=40)
