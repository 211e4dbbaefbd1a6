from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel, Body
from secretariat.core.contentlang import mark_content_fields


class NoticeForm(forms.Form):
    """A notice; its audience is offered (and checked) among those its poster can read, so
    nobody posts or moves a notice where they could not read it themselves."""

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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        level = self.fields["access_level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = access.levels_readable_by(user)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = access.bodies_readable_by(user)
        mark_content_fields(self, "title", "text")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level, body = data.get("access_level"), data.get("body")
        if level == AccessLevel.BODY and not body:
            self.add_error("body", _("Choose the body that may read this notice."))
        elif level and not access.can_see_level(self.user, level, body.pk if body else None):
            self.add_error("access_level", _("You could not read the notice yourself."))
        return data
