"""Convening a meeting through the communications app.

The secretariat drafts the convening note verbale from the texts below (English, Russian and
Kazakh, one edition each: the meeting's title, dates and times in its own zone, venue or online
link, agenda link and registration deadline). The draft is a note to the members of the
meeting's body, linked to the meeting at once; the secretariat reviews, approves and issues it
on the notes pages like any other note. Issuing it (the `note_issued` signal, inside the issuing
transaction) convenes the meeting, and the note's own emails go to the body's distribution list
through the outbox. Convening also schedules the registration reminder pass.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template import Context, Engine
from django.utils import formats, translation
from django.utils.translation import gettext as _

from secretariat.accounts.models import AccessLevel, User
from secretariat.communications import actions as notes
from secretariat.communications.models import Note, NoteKind, Series
from secretariat.communications.register_sections import register_series
from secretariat.core import audit
from secretariat.meetings.models import Meeting
from secretariat.outbox.api import absolute_url

# The officer's text of each edition: its first paragraph continues the template's opening
# formula ("... has the honour to"), the following ones are paragraphs of the note.
SUBJECTS = {
    "en": "Convening of the {{ title }}",
    "ru": "О созыве: {{ title }}",
    "kk": "Шақыру туралы: {{ title }}",
}
TEXTS = {
    "en": (
        "inform them that the {{ title }} will be held from {{ starts }} to {{ ends }}"
        "{% if venue %} in {{ venue }}{% endif %}{% if online_link %} and online "
        "({{ online_link }}){% endif %}.\n\n"
        "The provisional agenda and the documents of the meeting are available at "
        "{{ agenda_url }}.\n\n"
        "{% if deadline %}The delegations are kindly requested to register their participants "
        "and to submit their accreditation notes by {{ deadline }}.{% endif %}"
    ),
    "ru": (
        "сообщить, что {{ title }} состоится с {{ starts }} по {{ ends }}"
        "{% if venue %} ({{ venue }}){% endif %}{% if online_link %}, а также в режиме "
        "онлайн ({{ online_link }}){% endif %}.\n\n"
        "Предварительная повестка дня и документы заседания размещены по адресу "
        "{{ agenda_url }}.\n\n"
        "{% if deadline %}Делегации просят зарегистрировать своих участников и представить "
        "ноты об аккредитации до {{ deadline }}.{% endif %}"
    ),
    "kk": (
        "{{ title }} {{ starts }} бастап {{ ends }} дейін{% if venue %} ({{ venue }}){% endif %}"
        "{% if online_link %}, сондай-ақ онлайн форматта ({{ online_link }}){% endif %} "
        "өтетінін хабарлайды.\n\n"
        "Кездесудің алдын ала күн тәртібі мен құжаттары мына мекенжайда орналастырылған: "
        "{{ agenda_url }}.\n\n"
        "{% if deadline %}Делегациялардан өз қатысушыларын тіркеп, аккредиттеу ноталарын "
        "{{ deadline }} дейін ұсынуларын сұраймыз.{% endif %}"
    ),
}
# Dates in each language's own style (Russian: the month in the genitive; Kazakh: the year
# first, "2030 жылғы 3 маусым", as core/formats/kk writes DATE_FORMAT).
DATE_FORMATS = {"en": "j F Y, H:i", "ru": "j E Y, H:i", "kk": "Y жылғы j E, H:i"}
LANGUAGES = ("en", "ru", "kk")

_engine = Engine(autoescape=False)


class ConveningError(ValueError):
    """A convening refused for a reason the user can read."""


def _when(moment: datetime | None, zone: ZoneInfo, language: str) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{formats.date_format(local, DATE_FORMATS[language])} ({zone.key})"


def edition_texts(meeting: Meeting) -> list[notes.EditionText]:
    """The convening note's editions, filled in from the meeting (pure: no writes)."""
    zone = ZoneInfo(meeting.time_zone)
    out = []
    for language in LANGUAGES:
        with translation.override(language):
            context = Context(
                {
                    "title": meeting.title,
                    "starts": _when(meeting.starts_at, zone, language),
                    "ends": _when(meeting.ends_at, zone, language),
                    "venue": meeting.venue,
                    "online_link": meeting.online_link,
                    "agenda_url": absolute_url(meeting.get_absolute_url()),
                    "deadline": _when(meeting.registration_deadline, zone, language),
                }
            )
            subject = _engine.from_string(SUBJECTS[language]).render(context).strip()
            text = _engine.from_string(TEXTS[language]).render(context).strip()
        out.append(notes.EditionText(language, subject[:300], text))
    return out


def default_series(meeting: Meeting) -> Series | None:
    """Among the forum register's series: the body's own (`SWG/OI`, `SOC/OI`, `ASEM/SOM`) if
    it has one, else the general `NV`, else the first."""
    code = meeting.body.code if meeting.body is not None else ""
    series = register_series()
    return (
        series.filter(code__in=[f"{code}/OI", f"ASEM/{code}"]).first()
        or series.filter(code="NV").first()
        or series.first()
    )


def do_draft_convening_note(meeting: Meeting, *, series: Series, actor: User | None) -> Note:
    """A draft note verbale to the members of the meeting's body, linked to the meeting. A
    meeting convened (or whose convening draft is not yet issued) gets no second draft."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.PLANNED:
            raise ConveningError(_("Only a planned meeting can be convened."))
        if meeting.body is None:
            raise ConveningError(_("The meeting has no body to convene."))
        if meeting.access_level == AccessLevel.SECRETARIAT:
            # a note to the body would tell its members of a meeting they may not see
            raise ConveningError(_("A meeting seen by the secretariat only is not convened."))
        if meeting.convening_note_id is not None:
            raise ConveningError(_("The meeting already has a convening note."))
        note = notes.do_create_note(
            kind=NoteKind.TO_BODY,
            series=series,
            editions=edition_texts(meeting),
            body=meeting.body,
            actor=actor,
        )
        meeting.convening_note = note
        meeting.save(update_fields=["convening_note", "updated_at"])
        audit.record("meeting.convening_draft", actor=actor, obj=meeting, note=note.pk)
    return note


def on_note_issued(sender: Any, *, note_id: int, actor: Any = None, **kwargs: Any) -> None:
    """Inside the issuing transaction: the meeting this note convenes is convened."""
    from secretariat.meetings.actions import do_link_convening_note

    note = Note.objects.get(pk=note_id)
    for meeting in Meeting.objects.filter(convening_note_id=note_id, status=Meeting.Status.PLANNED):
        do_link_convening_note(meeting, note, actor=actor)
