"""DOCX writer and reader (python-docx): italic = new, struck = deleted, notation in runs."""

from __future__ import annotations

import io

from docx import Document
from hypothesis import HealthCheck, given, settings

from secretariat.negotiation.text import (
    draft_to_json,
    parse,
    read_docx,
    render_notation,
    write_docx,
)
from secretariat.negotiation.text.testing import draft_text


def test_corpus_docx_round_trip(corpus_draft):
    data = write_docx(corpus_draft)
    again = read_docx(data)
    assert draft_to_json(again)["paragraphs"] == draft_to_json(corpus_draft)["paragraphs"]
    assert render_notation(again) == render_notation(corpus_draft)
    # model -> DOCX -> model -> DOCX is stable too.
    assert (
        draft_to_json(read_docx(write_docx(again)))["paragraphs"]
        == draft_to_json(again)["paragraphs"]
    )


def test_revision_docx_round_trip_from_a_file(rev2_text, tmp_path):
    draft = parse(rev2_text)
    path = tmp_path / "rev2.docx"
    path.write_bytes(write_docx(draft))
    assert draft_to_json(read_docx(path))["paragraphs"] == draft_to_json(draft)["paragraphs"]


def test_docx_formatting_of_new_and_deleted_text():
    draft = parse("PP1. Keep *added* and [~~gone~~] (-ISR) words.")
    doc = Document(io.BytesIO(write_docx(draft)))
    runs = [(r.text, bool(r.italic), bool(r.font.strike)) for r in doc.paragraphs[0].runs]
    assert ("added", True, False) in runs
    assert ("gone", False, True) in runs
    assert "".join(r[0] for r in runs) == "PP1. Keep added and [gone] (-ISR) words."


def test_docx_written_by_hand_is_read_like_text():
    doc = Document()
    p = doc.add_paragraph("PP7. We [welcome")
    p.add_run(" the new").italic = True
    p.add_run("] (+CHN) (-IND) the ")
    p.add_run("old").font.strike = True
    p.add_run(" plan. (IND: keep original)")
    doc.add_paragraph("OP1. Agreed text.")
    buf = io.BytesIO()
    doc.save(buf)
    draft = read_docx(buf.getvalue())
    pp7, op1 = draft.paragraphs
    assert pp7.label == "PP7"
    (b,) = pp7.brackets
    assert [(x.delegation, x.stance) for x in b.positions] == [
        ("CHN", "support"),
        ("IND", "oppose"),
    ]
    assert [(n.text, n.style) for n in b.children if n.style != "plain"] == [("the new", "new")]
    assert any(getattr(n, "style", "") == "deleted" and n.text == "old" for n in pp7.content)
    assert pp7.notes[0].delegations == ["IND"]
    assert op1.agreed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft_text())
def test_random_drafts_docx_round_trip(text):
    draft = parse(text)
    again = read_docx(write_docx(draft))
    assert draft_to_json(again) == draft_to_json(draft)
    assert render_notation(again) == render_notation(draft)


def test_word_tracked_changes_are_new_and_deleted_text():
    from docx.oxml import parse_xml

    doc = Document()
    p = doc.add_paragraph("OP2. We [welcome")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(
        parse_xml(
            f'<w:ins {w} w:id="1" w:author="SEC"><w:r><w:t xml:space="preserve"> warmly</w:t>'
            "</w:r></w:ins>"
        )
    )
    p._p.append(
        parse_xml(
            f'<w:del {w} w:id="2" w:author="SEC"><w:r><w:delText xml:space="preserve"> the old'
            "</w:delText></w:r></w:del>"
        )
    )
    p.add_run(" plan] (-IND).")
    buf = io.BytesIO()
    doc.save(buf)
    (op2,) = read_docx(buf.getvalue()).paragraphs
    (b,) = op2.brackets
    assert [(n.text, n.style) for n in b.children if n.style != "plain"] == [
        ("warmly", "new"),
        ("the old", "deleted"),
    ]
    assert b.text == "welcome warmly the old plan"
    assert b.positions[0].delegation == "IND"
