"""Text from PDFs and web pages is messy; the library cleans it without inventing words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from secretariat.documents.textnorm import detect_date, guess_title, paragraphs, split_label

CORPUS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "demo" / "corpus"

WRAPPED = """\
2. Developments in the international situation since the Copenhagen Summit (September
2002) have demonstrated the persistence of the major challenges facing the
international community. Against the backdrop of the stepping up of trade
liberalisation movements and growing globalisation, we are witnessing a pro-
cess whereby the world is becoming more open, more inter-linked and more integrated
with the development of new information and communication technologies.

12

3. In the face of these challenges, the international community needs more than ever
before to define responses together. This calls for dialogue among cultures and the
AsiaEurope partnership, and for the Asia-
Europe Meeting to act.
"""


def test_wrapped_lines_are_rejoined_into_numbered_paragraphs() -> None:
    paras = paragraphs(WRAPPED)
    assert [p.label for p in paras] == ["2", "3"]
    assert paras[0].text.startswith(
        "Developments in the international situation since the "
        "Copenhagen Summit (September 2002) have demonstrated"
    )
    assert "\n" not in paras[0].text


def test_line_end_hyphenation_is_undone_only_before_lower_case() -> None:
    first, second = paragraphs(WRAPPED)
    assert "a process whereby" in first.text
    assert "pro- cess" not in first.text
    # A capital after the hyphen is a real compound: kept.
    assert "the Asia-Europe Meeting" in second.text


def test_glued_words_are_kept_not_invented() -> None:
    second = paragraphs(WRAPPED)[1]
    assert "AsiaEurope partnership" in second.text
    assert "Asia Europe partnership" not in second.text


def test_page_numbers_are_dropped() -> None:
    text = " ".join(p.text for p in paragraphs(WRAPPED))
    assert " 12 " not in f" {text} "
    pdf = "Pp1 Being Parties to the Convention,\n\n1 of 46\n\nPp2 In pursuit of the objective,\n"
    assert [(p.label, p.text) for p in paragraphs(pdf)] == [
        ("Pp1", "Being Parties to the Convention,"),
        ("Pp2", "In pursuit of the objective,"),
    ]


def test_paragraph_numbering_is_recognised() -> None:
    assert split_label("- 7.Our cooperation will build upon") == (
        "7",
        "Our cooperation will build upon",
    )
    assert split_label("PP5b Guided by the understanding") == (
        "PP5b",
        "Guided by the understanding",
    )
    assert split_label("(a) to promote dialogue") == ("a", "to promote dialogue")
    assert split_label("13. Pillar items") == ("13", "Pillar items")
    assert split_label("Terrorism can not be") == ("", "Terrorism can not be")


def test_stray_symbols_are_removed() -> None:
    paras = paragraphs('under agenda item "Globalization™ and agreed the following:')
    assert paras[0].text == 'under agenda item "Globalization and agreed the following:'


def test_real_pdf_text_of_the_helsinki_declaration() -> None:
    raw = (CORPUS / "asem-2006-helsinki-declaration-future.txt").read_text()
    paras = paragraphs(raw)
    texts = [p.text for p in paras]
    assert texts[0] == "Helsinki Declaration on the Future of ASEM"
    four = next(p for p in paras if p.label == "4")
    assert four.text.startswith("We underline that ASEM will build on its strengths")
    assert four.text.endswith(
        "through constructive policy dialogues and actionoriented programmes."
    )
    assert "  " not in four.text


def test_dates_written_in_the_text_are_found() -> None:
    def found(name: str) -> date | None:
        return detect_date((CORPUS / name).read_text())

    assert found("asem-2002-copenhagen-declaration-terrorism.txt") == date(2002, 9, 24)
    assert found("asem-2004-hanoi-declaration-cultures.txt") == date(2004, 10, 9)
    # "1011 September" is "10-11 September" with the dash lost by the PDF.
    assert found("asem-2006-helsinki-declaration-future.txt") == date(2006, 9, 11)
    # No date in the heading: the signature line "Almaty, June 17, 2006".
    assert found("cica-2006-almaty-summit-declaration.txt") == date(2006, 6, 17)
    assert found("cica-2022-swg-circular-drafts.txt") == date(2022, 10, 4)


def test_no_date_is_guessed_when_none_is_clearly_there() -> None:
    assert detect_date("We decide to hold the 3rd Summit in 2010.\n\nMore text.") is None
    assert detect_date("Астана, 4 октября 2022 г.") == date(2022, 10, 4)


def test_title_prefers_the_heading_naming_the_text() -> None:
    raw = (CORPUS / "asem-2002-copenhagen-declaration-terrorism.txt").read_text()
    assert guess_title(raw) == "Declaration on Cooperation against International Terrorism"
