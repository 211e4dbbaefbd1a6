"""One form per POST of the negotiation pages. Django's CharField refuses NUL bytes; lengths
follow the model fields, so no input reaches the database to be refused there (a 500).
Forms only check the shape of the input; the actions decide whether the change is allowed.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from itertools import zip_longest
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from secretariat.accounts import access as policy
from secretariat.accounts.models import AccessLevel, Body, Delegation, DelegationAlias, Role, User
from secretariat.accounts.register import presiding_code
from secretariat.core.contentlang import ContentSelect
from secretariat.core.limits import MAX_ID
from secretariat.core.uploads import UploadField, UploadRefused, check_zip, read_limited
from secretariat.negotiation import engine
from secretariat.negotiation.actions import StatementInput
from secretariat.negotiation.models import (
    EDITION_LANGUAGES,
    Amendment,
    Negotiation,
    Position,
    Revision,
    Statement,
)

# Long free text (a paragraph, a proposal, an explanation): generous, but bounded.
TEXT_MAX = 20_000
DRAFT_MAX = 2_000_000  # a whole draft, typed or uploaded
KEY_MAX = Amendment._meta.get_field("paragraph_key").max_length or 64


def _max(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


class KeyField(forms.CharField):
    """A paragraph key of the revision the form is about (checked by `PerRevisionForm`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", KEY_MAX)
        super().__init__(**kwargs)


class PerRevisionForm(forms.Form):
    """A form whose `KeyField`s must name paragraphs of `revision` (blank ones may be blank)."""

    def __init__(self, *args: Any, revision: Revision | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys: set[str] | None = None
        if revision is not None:
            self.keys = {p.key for p in engine.draft_of(revision).paragraphs}

    def check_key(self, key: str) -> str:
        if key and self.keys is not None and key not in self.keys:
            raise forms.ValidationError(
                _("There is no paragraph %(key)s in the current text."), params={"key": key}
            )
        return key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, field in self.fields.items():
            if isinstance(field, KeyField) and name in cleaned:
                try:
                    self.check_key(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


def _optional_seen(form: forms.Form, name: str = "seen") -> str | None:
    """`seen` absent means "not checked" (a command, an old page); present means compare."""
    return form.cleaned_data.get(name) if name in form.data else None


class ImportForm(forms.Form):
    title = forms.CharField(max_length=_max(Negotiation, "title"), required=False)
    body = forms.ModelChoiceField(queryset=Body.objects.all())
    chair_code = forms.CharField(max_length=_max(Negotiation, "chair_code"), required=False)
    text = forms.CharField(max_length=DRAFT_MAX, required=False, strip=False)
    file = UploadField(required=False)
    document = forms.IntegerField(max_value=MAX_ID, required=False, min_value=1)

    def __init__(self, *args: Any, documents: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = {d.pk: d for d in documents or []}
        self.source_name = ""
        self.document_id: int | None = None

    def clean_chair_code(self) -> str:
        """Only the Chairmanship's code (or an alias of it): the chair never speaks as a
        member state. Blank is the Chairmanship's own code."""
        code = (self.cleaned_data.get("chair_code") or "").strip().upper()
        chairs = Delegation.objects.filter(kind=Delegation.Kind.CHAIRMANSHIP)
        if not code:
            return presiding_code() or str(chairs.values_list("code", flat=True).first() or "")
        if (
            chairs.filter(code=code).exists()
            or DelegationAlias.objects.filter(alias=code, delegation__in=chairs).exists()
        ):
            return code
        raise forms.ValidationError(
            _("“%(code)s” is not the Chairmanship's code."), params={"code": code}
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text: str = cleaned.get("text") or ""
        upload: UploadedFile[bytes] | None = cleaned.get("file")
        if upload is not None:
            text, self.source_name = _read_upload(upload), upload.name or ""
        title: str = (cleaned.get("title") or "").strip()
        if not text.strip() and cleaned.get("document"):
            doc = self.documents.get(cleaned["document"])
            if doc is not None:
                text, self.source_name, self.document_id = (
                    doc.current_version.text,
                    str(doc),
                    doc.pk,
                )
                title = title or doc.title[: _max(Negotiation, "title")]
        if "\x00" in text:
            raise forms.ValidationError(_("The text contains a NUL character."))
        if not title or not text.strip():
            raise forms.ValidationError(
                _("Give a title, a body and a text (typed, uploaded or from the library).")
            )
        cleaned["title"], cleaned["text"] = title, text
        cleaned["chair_code"] = (
            cleaned.get("chair_code") or ""
        ).strip().upper() or presiding_code()
        return cleaned


def _read_upload(upload: UploadedFile[bytes]) -> str:
    """The notation text of an uploaded draft: a Word document (checked as an archive before
    anything is unpacked) or a text file (UTF-8, else Windows-1251); anything else, or a file
    past NEGOTIATION_IMPORT_MAX_BYTES, is refused with a message, never a 500."""
    limit = min(int(settings.NEGOTIATION_IMPORT_MAX_BYTES), int(settings.UPLOAD_MAX_BYTES))
    try:
        data = read_limited(upload, limit)
    except UploadRefused as exc:
        raise forms.ValidationError(str(exc)) from None
    if not data:
        raise forms.ValidationError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04") or (upload.name or "").lower().endswith(".docx"):
        return _read_docx(data)
    return _read_text(data)


def _read_docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)  # a zip bomb is refused by its directory, before unpacking
            if "word/document.xml" not in archive.namelist():
                raise forms.ValidationError(_("This archive is not a Word document (.docx)."))
        return engine.docx_to_notation(data)
    except UploadRefused as exc:
        raise forms.ValidationError(str(exc)) from None
    except forms.ValidationError:
        raise
    except Exception:  # a broken DOCX of any kind (zip, XML, parts): refused, never a 500
        raise forms.ValidationError(_("The Word document could not be read.")) from None


# Control characters a text draft never holds (tab, line and page breaks are fine): single
# bytes below 0x80, the same in UTF-8 and Windows-1251, so they are counted in the bytes.
_CONTROL_BYTES = bytes(c for c in range(32) if chr(c) not in "\t\n\r\f\v") + b"\x7f"


def _read_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
    # One C pass over the bytes (29 passes of str.count held the web process's GIL for
    # 1.9 s on a 20 MB draft, stalling every other request of that process).
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if "\x00" in text or ("\ufffd" in text and controls) or controls > len(text) // 1000:
        raise forms.ValidationError(
            _("This file is not text: upload a Word document (.docx) or a text file.")
        )
    return text


class MapCodeForm(forms.Form):
    alias = forms.CharField(max_length=_max(DelegationAlias, "alias"))
    delegation = forms.ModelChoiceField(queryset=Delegation.objects.all())


class AmendmentForm(PerRevisionForm):
    kind = forms.ChoiceField(choices=Amendment.Kind.choices)
    text = forms.CharField(max_length=TEXT_MAX, required=False)
    seen = forms.CharField(max_length=TEXT_MAX, required=False, strip=False)
    start = forms.IntegerField(max_value=MAX_ID, required=False, min_value=0)
    end = forms.IntegerField(max_value=MAX_ID, required=False, min_value=0)
    anchor = forms.CharField(max_length=TEXT_MAX, required=False)
    new_label = forms.CharField(max_length=_max(Amendment, "new_label"), required=False)
    explanation = forms.CharField(max_length=TEXT_MAX, required=False)
    version = forms.IntegerField(max_value=MAX_ID, required=False, min_value=0)

    @property
    def seen_text(self) -> str | None:
        return _optional_seen(self)


class PositionForm(PerRevisionForm):
    target_kind = forms.ChoiceField(choices=Position.Target.choices)
    target_key = forms.CharField(max_length=_max(Position, "target_key"))
    stance = forms.ChoiceField(choices=Position.Stance.choices)
    qualifier = forms.CharField(max_length=_max(Position, "qualifier"), required=False)
    explanation = forms.CharField(max_length=TEXT_MAX, required=False)
    seen = forms.CharField(max_length=TEXT_MAX, required=False, strip=False)
    paragraph = KeyField(required=False)  # the paragraph to show again

    @property
    def seen_text(self) -> str | None:
        return _optional_seen(self)


class CommentForm(PerRevisionForm):
    text = forms.CharField(max_length=TEXT_MAX)
    parent = forms.IntegerField(max_value=MAX_ID, required=False, min_value=1)
    paragraph = KeyField()  # the paragraph of the address, which must be in the text


class EditParagraphForm(forms.Form):
    notation = forms.CharField(max_length=TEXT_MAX, required=False, strip=False)
    seen = forms.CharField(max_length=TEXT_MAX, required=False, strip=False)
    # The chair's box takes raw notation (a typed ``[`` opens a bracket): ``preview`` shows
    # what it parses to, and the save comes from the preview's confirm button.
    preview = forms.BooleanField(required=False)


class UndoResolveForm(forms.Form):
    event = forms.IntegerField(min_value=1, max_value=2**62)
    paragraph = KeyField(required=False)


class ResolveBracketForm(PerRevisionForm):
    bracket = forms.CharField(max_length=KEY_MAX)
    keep = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)
    paragraph = KeyField(required=False)


class CompileForm(forms.Form):
    amendment = forms.TypedMultipleChoiceField(coerce=int, required=False)
    note = forms.CharField(max_length=_max(Revision, "note"), required=False)
    # Issuing freezes the revision: the first post shows what it would contain, the second
    # (``confirm``) issues it if the text is still the one previewed (``version``).
    confirm = forms.BooleanField(required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**62)

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pending = negotiation.amendments.filter(status=Amendment.Status.PROPOSED)
        field = self.fields["amendment"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(str(pk), str(pk)) for pk in pending.values_list("pk", flat=True)]


class DecisionNoteForm(forms.Form):
    note = forms.CharField(max_length=TEXT_MAX, required=False)


class ForwardForm(DecisionNoteForm):
    to_body = forms.ModelChoiceField(queryset=Body.objects.all())


class SilenceForm(forms.Form):
    date = forms.DateField()
    time = forms.TimeField(required=False)
    time_zone = forms.CharField(max_length=64, required=False)

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data.get("time_zone") or "UTC"
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(
                _("Unknown time zone “%(zone)s”."), params={"zone": zone}
            ) from None
        return zone

    def deadline(self) -> datetime:
        """The deadline as an aware datetime in the chosen zone (after `is_valid`)."""
        day, time = self.cleaned_data["date"], self.cleaned_data.get("time")
        naive = datetime.combine(day, time) if time else datetime.combine(day, datetime.min.time())
        return naive.replace(tzinfo=ZoneInfo(self.cleaned_data["time_zone"]))


class BreakSilenceForm(forms.Form):
    reason = forms.CharField(max_length=TEXT_MAX)


class AdoptForm(PerRevisionForm):
    """The note, and up to a few statements posted as parallel lists (s_kind, s_code,
    s_paragraph, s_text); rows without a delegation or a text are left out."""

    note = forms.CharField(max_length=TEXT_MAX, required=False)
    # Blank: the negotiation's own access; another level is an explicit (audited) choice.
    library_access = forms.ChoiceField(choices=AccessLevel.choices, required=False)

    def statements(self) -> list[StatementInput]:
        data = self.data
        if not isinstance(data, QueryDict):
            return []
        # zip_longest: a row missing one of its lists (no paragraph) is still read, not lost.
        rows = zip_longest(
            data.getlist("s_kind"),
            data.getlist("s_code"),
            data.getlist("s_paragraph"),
            data.getlist("s_text"),
            fillvalue="",
        )
        out: list[StatementInput] = []
        for kind, code, key, text in rows:
            if not text.strip() or not code:
                continue
            if kind not in Statement.Kind.values:
                raise forms.ValidationError(_("Unknown kind of statement."))
            if len(code) > _max(Statement, "delegation_code") or len(text) > TEXT_MAX:
                raise forms.ValidationError(_("A statement is too long."))
            if "\x00" in code + key + text:
                raise forms.ValidationError(_("The text contains a NUL character."))
            out.append(
                StatementInput(
                    kind=kind, delegation_code=code, paragraph_key=self.check_key(key), text=text
                )
            )
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            cleaned["statements"] = self.statements()
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class EditionUploadForm(forms.Form):
    """A whole language edition: typed notation, or a text or DOCX file (read by the engine,
    like an imported draft)."""

    language = forms.ChoiceField(choices=EDITION_LANGUAGES)
    text = forms.CharField(max_length=DRAFT_MAX, required=False, strip=False)
    file = UploadField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text: str = cleaned.get("text") or ""
        upload: UploadedFile[bytes] | None = cleaned.get("file")
        if upload is not None:
            text = _read_upload(upload)
        if "\x00" in text:
            raise forms.ValidationError(_("The text contains a NUL character."))
        if not text.strip():
            raise forms.ValidationError(_("Type the edition's text or upload its file."))
        cleaned["text"] = text
        return cleaned


class EditionParagraphForm(forms.Form):
    notation = forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea)


class TranslatorAssignmentForm(forms.Form):
    """A manager's assignment: a secretariat officer, a language, a negotiation or none
    (forum-wide)."""

    translator = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Translator"))
    language = forms.ChoiceField(choices=EDITION_LANGUAGES, label=_("Language"))
    negotiation = forms.ModelChoiceField(
        queryset=Negotiation.objects.none(),
        required=False,
        label=_("Negotiation"),
        empty_label=_("All negotiations (forum-wide)"),
        widget=ContentSelect,  # negotiation titles, each in its own language
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translator = self.fields["translator"]
        assert isinstance(translator, forms.ModelChoiceField)
        translator.queryset = User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        negotiation = self.fields["negotiation"]
        assert isinstance(negotiation, forms.ModelChoiceField)
        negotiation.queryset = policy.visible(user, Negotiation.objects.order_by("title"))
