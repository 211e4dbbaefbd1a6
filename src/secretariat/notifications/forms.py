from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from secretariat.notifications.models import Category, Mode


def _zones() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(available_timezones()) if "/" in z or z == "UTC"]


class NotificationSettingsForm(forms.Form):
    digest_hour = forms.TypedChoiceField(
        label=_("Send my daily digest at"),
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
    )
    time_zone = forms.ChoiceField(
        label=_("My time zone"), choices=_zones, widget=forms.Select(attrs={"translate": "no"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[f"mode_{value}"] = forms.ChoiceField(
                label=label, choices=Mode.choices, widget=forms.RadioSelect
            )

    def category_fields(self) -> list[forms.BoundField]:
        return [self[f"mode_{value}"] for value in Category.values]

    def modes(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"mode_{c}"] for c in Category.values}


class FollowForm(forms.Form):
    target = forms.CharField(max_length=100, validators=[RegexValidator(r"^[a-z_]+\.[a-z_]+$")])
    object_id = forms.CharField(max_length=64)
    follow = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    next = forms.CharField(max_length=500, required=False)


class MarkReadForm(forms.Form):
    # Bounded like the database's 64-bit keys: a longer number is a 400, not an overflow.
    id = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
