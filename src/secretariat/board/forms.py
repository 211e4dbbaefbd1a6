from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from secretariat.board.attachments import Upload, clean_upload
from secretariat.board.models import Board
from secretariat.core.contentlang import ContentSelect, mark_content_fields, with_names
from secretariat.core.limits import MAX_ID

MAX_POST = 50_000


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValidationError(_("The text contains a character that cannot be stored."))
    return value


class _Clean(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_content_fields(self, "subject", "text", "quote")  # a post's own words

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("The text contains a character that cannot be stored."))
        return data


class PostForm(_Clean):
    text = forms.CharField(
        label=with_names(_("Message (%(markdown)s)"), markdown="Markdown"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mention a delegation with @CODE or a user with @username."),
    )
    quoted = forms.IntegerField(
        max_value=MAX_ID, required=False, widget=forms.HiddenInput, min_value=1
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=with_names(
            _("PDF, %(word)s (.docx) or UTF-8 text, checked like the library's files."), word="Word"
        ),
    )

    def clean_attachment(self) -> Upload | None:
        return clean_upload(self.cleaned_data.get("attachment"))


class ThreadForm(_Clean):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=with_names(_("Message (%(markdown)s)"), markdown="Markdown"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Mention a delegation with @CODE or a user with @username."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=with_names(
            _("PDF, %(word)s (.docx) or UTF-8 text, checked like the library's files."), word="Word"
        ),
    )

    def clean_attachment(self) -> Upload | None:
        return clean_upload(self.cleaned_data.get("attachment"))


class ReasonForm(_Clean):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ThreadStateForm(_Clean):
    pinned = forms.BooleanField(label=_("Pinned"), required=False)
    locked = forms.BooleanField(label=_("Locked"), required=False)


class MoveForm(_Clean):
    to = forms.ModelChoiceField(
        label=_("Move to"), queryset=Board.objects.none(), widget=ContentSelect
    )

    def __init__(self, *args: Any, boards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = boards


class PassageForm(_Clean):
    quote = forms.CharField(
        label=_("The words you comment on"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select words in the paragraph, or copy them here."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=with_names(_("Message (%(markdown)s)"), markdown="Markdown"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
