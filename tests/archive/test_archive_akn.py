"""Akoma Ntoso 3.0 export of the adopted corpus declarations (well-formed, FRBR, eIds).

Not validated against the official OASIS XSD: it could not be fetched from this machine (see
`secretariat.archive.akn`); these tests check what can be checked without it."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from lxml import etree

from secretariat.archive.akn import NS, eid_of, to_akn
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
        call_command("archive", "akn", str(document.pk), stdout=out)
        xml = out.getvalue().encode("utf-8")
        assert xml == to_akn(document)
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
