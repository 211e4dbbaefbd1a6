from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.throttle import is_locked_out, record_refusal
from secretariat.core.audit import client_address
from secretariat.core.limits import MAX_ID


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts. Please wait 15 minutes before trying again, or ask the "
            "secretariat to reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if is_locked_out(username, client_address(self.request)):
            record_refusal(username, self.request)
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()


def _printable(value: str) -> str:
    if any(not ch.isprintable() for ch in value):
        raise forms.ValidationError(_("Use letters and digits only."), code="invalid")
    return value


class TokenForm(forms.Form):
    """A code from an authenticator app, or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=64,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        # People copy codes as "123 456" or "abcd-efgh": the spaces and dashes are not the code.
        value = _printable(self.cleaned_data["token"])
        return "".join(ch for ch in value if ch not in " -")


class ConfirmForm(forms.Form):
    """A POST that carries nothing but the CSRF token (end my sessions, new recovery codes)."""


class EndSessionForm(forms.Form):
    session = forms.IntegerField(max_value=MAX_ID, min_value=1)


class SecurityKeyNameForm(forms.Form):
    """The name a user gives a new security key, to tell their keys apart."""

    name = forms.CharField(label=_("Name of the key"), max_length=64, strip=True)

    def clean_name(self) -> str:
        return _printable(self.cleaned_data["name"])


class ProfileForm(forms.Form):
    """One's own name, email, language and time zone (checked: lengths, no NUL, known
    language and zone)."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    language = forms.ChoiceField(label=_("Language"))
    # Zone identifiers are codes, not words of the page's language.
    time_zone = forms.ChoiceField(
        label=_("Time zone"), widget=forms.Select(attrs={"translate": "no"})
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from django.conf import settings

        from secretariat.accounts.profile import time_zone_choices

        super().__init__(*args, **kwargs)
        self.user = user  # whose profile: its address rules are checked (profile.email_refusal)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = list(settings.LANGUAGES)
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = time_zone_choices(str(self.initial.get("time_zone") or ""))

    def clean_email(self) -> str:
        from secretariat.accounts.profile import email_refusal

        address = str(self.cleaned_data.get("email") or "").strip()
        if self.user is not None:
            refusal = email_refusal(self.user, address)
            if refusal is not None:
                raise forms.ValidationError(refusal)
        return address
