"""The demo forum's house style (CICA), taken from the corpus circular SWG/OI/1262: its
letterhead, courtesy formulas, place and date, and addressee block in English, Russian and
Kazakh. These are data the secretariat edits on the templates page, not code; they are loaded by
the demo (and the tests) only when the forum has no template of that kind and language yet."""

from __future__ import annotations

from django.db import transaction

from secretariat.communications.models import NoteKind, NoteTemplate, Series

LETTERHEAD = {
    "en": (
        '<p lang="en">Secretariat of the Conference on Interaction<br>'
        "and Confidence Building Measures in Asia</p>"
        '<p lang="ru">Секретариат Совещания по взаимодействию<br>и мерам доверия в Азии</p>'
    ),
    "ru": (
        '<p lang="en">Secretariat of the Conference on Interaction<br>'
        "and Confidence Building Measures in Asia</p>"
        '<p lang="ru">Секретариат Совещания по взаимодействию<br>и мерам доверия в Азии</p>'
    ),
    "kk": (
        '<p lang="kk">Азиядағы өзара іс-қимыл және<br>сенім шаралары кеңесінің Хатшылығы</p>'
        '<p lang="ru">Секретариат Совещания по взаимодействию<br>и мерам доверия в Азии</p>'
    ),
}
PLACE = {"en": "Astana", "ru": "город Астана", "kk": "Астана қаласы"}

_BODY_PARTS = (
    "{% if items %}<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}\n"
    "{% for paragraph in more %}<p>{{ paragraph }}</p>\n{% endfor %}"
)

_REFERENCE = {
    "en": '<p class="reference">№ {{ reference|default:"…" }}</p>\n'
    '{% if corrects %}<p class="reference">Corrects note № {{ corrects }}</p>{% endif %}\n',
    "ru": '<p class="reference">№ {{ reference|default:"…" }}</p>\n'
    '{% if corrects %}<p class="reference">Исправляет ноту № {{ corrects }}</p>{% endif %}\n',
    "kk": '<p class="reference">№ {{ reference|default:"…" }}</p>\n'
    '{% if corrects %}<p class="reference">№ {{ corrects }} нотаны түзетеді</p>{% endif %}\n',
}
_ENCLOSURE = {
    "en": '{% if enclosure_pages %}<p class="enclosure">Enclosure:<br>as stated,<br>'
    "on {{ enclosure_pages }} p.</p>{% endif %}\n",
    "ru": '{% if enclosure_pages %}<p class="enclosure">Приложение:<br>упомянутое,<br>'
    "на {{ enclosure_pages }} л.</p>{% endif %}\n",
    "kk": '{% if enclosure_pages %}<p class="enclosure">Қосымша:<br>аталған,<br>'
    "{{ enclosure_pages }} п.</p>{% endif %}\n",
}
_DATE = {
    "en": '<p>{{ place }}, {{ date|date:"j F Y" }}</p>\n',
    "ru": '<p>{{ place }}, {{ date|date:"j E Y" }} г.</p>\n',
    "kk": '<p>{{ place }}, {{ date|date:"Y" }} жылғы {{ date|date:"j" }} '
    '{{ date|date:"F"|lower }}</p>\n',
}

# (opening formula, closing formula, addressee block) per kind and language.
_MEMBERS = {
    "en": (
        "The Secretariat of the Conference on Interaction and Confidence Building Measures in "
        "Asia (CICA) presents its compliments to the CICA Member States and has the honour to",
        "The Secretariat avails itself of this opportunity to renew to the CICA Member States "
        "the assurances of its highest consideration.",
        "Member States<br>of the Conference on Interaction<br>and Confidence Building Measures"
        "<br>in Asia",
    ),
    "ru": (
        "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА) "
        "свидетельствует свое уважение государствам-членам СВМДА и имеет честь",
        "Секретариат пользуется случаем, чтобы возобновить государствам-членам СВМДА уверения "
        "в своем самом высоком уважении.",
        "Государства-члены<br>Совещания по взаимодействию и<br>мерам доверия в Азии",
    ),
    "kk": (
        "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (Азия Кеңесінің) Хатшылығы "
        "Азия Кеңесінің мүше мемлекеттеріне өзінің зор ілтипатын білдіреді және",
        "Хатшылық осы мүмкіндікті пайдалана отырып, Азия Кеңесінің мүше мемлекеттеріне "
        "өзінің зор ілтипатын тағы да растайды.",
        "Азиядағы өзара іс-қимыл және<br>сенім шаралары кеңесінің<br>мүше мемлекеттері",
    ),
}
# Names come in the nominative: the formulas are built so that they read correctly with it
# (Russian and Kazakh decline nouns; the forum may rewrite these on the templates page).
_TO_DELEGATIONS = {
    "en": (
        "The Secretariat of the Conference on Interaction and Confidence Building Measures in "
        "Asia (CICA) presents its compliments to {{ addressee }} and has the honour to",
        "The Secretariat avails itself of this opportunity to renew to {{ addressee }} the "
        "assurances of its highest consideration.",
        "{{ addressee }}",
    ),
    "ru": (
        "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА) "
        "свидетельствует свое уважение адресатам настоящей ноты ({{ addressee }}) и имеет честь",
        "Секретариат пользуется случаем, чтобы возобновить адресатам настоящей ноты уверения "
        "в своем самом высоком уважении.",
        "{{ addressee }}",
    ),
    "kk": (
        "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (Азия Кеңесінің) Хатшылығы "
        "осы нотаның адресаттарына ({{ addressee }}) өзінің зор ілтипатын білдіреді және",
        "Хатшылық осы мүмкіндікті пайдалана отырып, осы нотаның адресаттарына өзінің зор "
        "ілтипатын тағы да растайды.",
        "{{ addressee }}",
    ),
}
_TO_BODY = {
    "en": (
        "The Secretariat of the Conference on Interaction and Confidence Building Measures in "
        "Asia (CICA) presents its compliments to the Member States of the {{ addressee }} and "
        "has the honour to",
        "The Secretariat avails itself of this opportunity to renew to the Member States of "
        "the {{ addressee }} the assurances of its highest consideration.",
        "Member States<br>of the {{ addressee }}",
    ),
    "ru": (
        "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА) "
        "свидетельствует свое уважение государствам — членам органа «{{ addressee }}» и имеет "
        "честь",
        "Секретариат пользуется случаем, чтобы возобновить государствам — членам органа "
        "«{{ addressee }}» уверения в своем самом высоком уважении.",
        "Государства — члены органа<br>«{{ addressee }}»",
    ),
    "kk": (
        "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (Азия Кеңесінің) Хатшылығы "
        "«{{ addressee }}» мүше мемлекеттеріне өзінің зор ілтипатын білдіреді және",
        "Хатшылық осы мүмкіндікті пайдалана отырып, «{{ addressee }}» мүше мемлекеттеріне "
        "өзінің зор ілтипатын тағы да растайды.",
        "«{{ addressee }}»<br>мүше мемлекеттері",
    ),
}
_PRESS = {
    "en": "Press release",
    "ru": "Пресс-релиз",
    "kk": "Баспасөз релизі",
}


def _note_template(language: str, opening: str, closing: str, addressee: str) -> str:
    return (
        _REFERENCE[language]
        + f"<p>{opening} {{{{ opening }}}}</p>\n"
        + _BODY_PARTS
        + "\n"
        + _ENCLOSURE[language]
        + f"<p>{closing}</p>\n"
        + _DATE[language]
        + f'<p class="addressee">{addressee}</p>\n'
    )


def _press_template(language: str) -> str:
    return (
        f'<p class="reference"><strong>{_PRESS[language]}</strong> № '
        '{{ reference|default:"…" }}</p>\n'
        + _DATE[language]
        + "<h2>{{ subject }}</h2>\n<p>{{ opening }}</p>\n"
        + _BODY_PARTS
        + "\n"
    )


def default_templates() -> dict[tuple[str, str], str]:
    out = {}
    for language in ("en", "ru", "kk"):
        out[(NoteKind.CIRCULAR.value, language)] = _note_template(language, *_MEMBERS[language])
        out[(NoteKind.TO_DELEGATIONS.value, language)] = _note_template(
            language, *_TO_DELEGATIONS[language]
        )
        out[(NoteKind.TO_BODY.value, language)] = _note_template(language, *_TO_BODY[language])
        out[(NoteKind.PRESS_RELEASE.value, language)] = _press_template(language)
    return out


SERIES = [
    # code, purpose, format, yearly reset
    ("SWG/OI", "Special Working Group: outgoing information", "{series}/{number}", False),
    ("SOC/OI", "Senior Officials Committee: outgoing information", "{series}/{number}", False),
    ("NV", "Notes verbales", "{series}/{year}/{number}", True),
    ("PR", "Press releases", "{series}/{year}/{number}", True),
]


@transaction.atomic
def seed_house_style() -> int:
    """Create the missing templates and series; returns how many rows were created."""
    created = 0
    if NoteTemplate.objects.exists() and Series.objects.exists():
        return 0  # the forum's register (or the secretariat) gave its own
    for (kind, language), body in default_templates().items():
        _obj, new = NoteTemplate.objects.get_or_create(
            kind=kind,
            language=language,
            defaults={"body": body, "letterhead": LETTERHEAD[language], "place": PLACE[language]},
        )
        created += new
    for code, title, fmt, reset in SERIES:
        _series, new = Series.objects.get_or_create(
            code=code, defaults={"title": title, "format": fmt, "yearly_reset": reset}
        )
        created += new
    # The corpus circular is SWG/OI/1262: the paper register continues from there.
    Series.objects.filter(code="SWG/OI", notes__isnull=True, start_at=1).update(start_at=1262)
    return created
