"""The demo's notes: SWG/OI/1262, the 2022 circular, issued in English, Russian and Kazakh with
the circular's drafts as its enclosure, receipts from some delegations; and an incoming note.
Idempotent: nothing is added when the circular is there already."""

from __future__ import annotations

from datetime import date
from typing import TextIO

from secretariat.accounts.models import Delegation, User
from secretariat.communications import actions, seed
from secretariat.communications.models import IncomingNote, Note, NoteKind, Series
from secretariat.documents.models import Document

SUBJECT = {
    "en": "SWG recommendations and draft documents for the Sixth CICA Summit",
    "ru": "Рекомендации СРГ и проекты документов к Шестому саммиту СВМДА",
    "kk": "АЖТ ұсыныстары және Азия Кеңесінің Алтыншы саммитіне арналған құжаттар жобалары",
}
TEXT = {
    "en": """forward the following documents resulting from the Special Working Group (SWG) meeting on 28-29 September and 4 October 2022:

- Recommendations of the SWG;
- Draft CICA Leaders' Statement on Cooperation in the Field of Security of and in the Use of ICTs as agreed by the SWG (Revision 3);
- Draft Concept Paper on Human Dimension as agreed by the SWG;
- Podium version of the draft Astana Statement on CICA Transformation;
- Podium version of the draft CICA Plan of Action on the Implementation of the United Nations Global Counter-Terrorism Strategy (Revision 6);
- Podium version of the draft Concept Paper and Plan of Implementation of the CICA CBMs "Security of and in the use of ICTs" for 2022-2023.""",  # noqa: E501
    "ru": """препроводить следующие документы по итогам заседания Специальной рабочей группы (СРГ) 28-29 сентября и 4 октября 2022 года:

- Рекомендации СРГ;
- Проект Заявления лидеров СВМДА о сотрудничестве в сфере безопасности ИКТ и их использования, согласованный СРГ (Ревизия 3);
- Проект Концепции по человеческому измерению, согласованный СРГ;
- Подиумная версия проекта Астанинского заявления о трансформации СВМДА;
- Подиумная версия проекта Плана действий СВМДА по реализации Глобальной контртеррористической стратегии Организации Объединенных Наций (Ревизия 6);
- Подиумная версия проекта Концепции и плана реализации МД СВМДА «Безопасность ИКТ и их использования» на 2022-2023 гг.""",  # noqa: E501
    "kk": """2022 жылғы 28-29 қыркүйектегі және 4 қазандағы Арнаулы жұмыс тобы (АЖТ) отырысының қорытындысы бойынша келесі құжаттарды жолдауды өзіне мәртебе санайды:

- АЖТ ұсыныстары;
- АЖТ келісілген Ақпараттық-коммуникациялық технологияларды (АКТ) пайдалану қауіпсіздігі және АКТ қауіпсіздігі саласындағы ынтымақтастық туралы Азия Кеңесі Мемлекет басшылары мәлімдемесінің жобасы (3-ревизия);
- АЖТ келісілген Адами өлшем тұжырымдамасының жобасы;
- Азия Кеңесінің трансформациясы туралы Астана мәлімдемесі жобасының подиум нұсқасы;
- БҰҰ-ның терроризмге қарсы жаһандық стратегиясын іске асыру жөніндегі Азия Кеңесі іс-қимыл жоспары жобасының подиум нұсқасы (6-ревизия);
- 2022-2023 жылдарға арналған «АКТ пайдалану қауіпсіздігі және АКТ қауіпсіздігі» атты Азия Кеңесінің сенім шарасын іске асыру жөніндегі тұжырымдамасы мен жоспар жобасының подиум нұсқасы.""",  # noqa: E501
}
INCOMING_TEXT = """The Embassy of the Republic of India presents its compliments to the Secretariat of the Conference on Interaction and Confidence Building Measures in Asia and, with reference to the Secretariat's note No. SWG/OI/1262, has the honour to inform that the Indian side has no further comments on the draft CICA Leaders' Statement on Cooperation in the Field of Security of and in the Use of ICTs.

The Embassy avails itself of this opportunity to renew to the Secretariat the assurances of its highest consideration.
"""  # noqa: E501


def load_demo(stdout: TextIO) -> None:
    seed.seed_house_style()
    secretariat = User.objects.filter(username="secretariat").first()
    if not Note.objects.filter(reference="SWG/OI/1262").exists():
        _issue_circular(secretariat, stdout)
    india = Delegation.objects.filter(code="IND").first()
    if india is not None and not IncomingNote.objects.filter(sender=india).exists():
        circular = Document.objects.filter(symbol="SWG/OI/1262").first()
        actions.do_register_incoming(
            data=INCOMING_TEXT.encode(),
            filename="india-note-2022-10-07.txt",
            sender=india,
            sender_reference="AST/POL/112/2022",
            received_on=date(2022, 10, 7),
            subject="Comments on the draft Leaders' Statement on ICTs",
            concerns=circular,
            actor=secretariat,
        )
        stdout.write("  notes: registered an incoming note from IND\n")


def _issue_circular(secretariat: User | None, stdout: TextIO) -> None:
    series = Series.objects.get(code="SWG/OI")
    if series.counters.exists() or series.notes.exists():
        return  # the series has moved on: do not give 1262 to something else
    note = actions.do_create_note(
        kind=NoteKind.CIRCULAR,
        series=series,
        editions=[actions.EditionText(lang, SUBJECT[lang], TEXT[lang]) for lang in TEXT],
        actor=secretariat,
    )
    drafts = Document.objects.filter(symbol="SWG/OI/1262").first()
    if drafts is not None and drafts.current_version is not None:
        actions.do_add_enclosure(note, drafts.current_version, actor=secretariat)
    actions.do_approve_note(note, actor=None)
    note = actions.do_issue_note(note, actor=secretariat, day=date(2022, 10, 4))
    for username in ("chn", "rus"):
        user = User.objects.filter(username=username).first()
        if user is not None:
            actions.record_opened(note, user)
    chn = User.objects.filter(username="chn").first()
    if chn is not None:
        actions.do_acknowledge_note(note, actor=chn)
    stdout.write(f"  notes: issued {note.reference} to {note.recipients.count()} member states\n")
