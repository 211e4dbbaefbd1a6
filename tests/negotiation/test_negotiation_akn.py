"""AKN 3.0 of a negotiation revision: valid against the official OASIS schema, brackets as
nested `inline name="bracket"`, positions as `inline name="position"` pointing at a
TLCOrganization, and the machine-readable record in `proprietary`."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from lxml import etree

from secretariat.archive.akn import NS, validation_errors
from secretariat.negotiation import engine
from secretariat.negotiation.akn import SECRETARIAT_NS, revision_akn

A = f"{{{NS}}}"
S = f"{{{SECRETARIAT_NS}}}"


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def test_small_revision_brackets_and_positions(small) -> None:
    revision = small.revisions.get(number=1)
    xml = revision_akn(revision)
    assert validation_errors(xml) == []
    root = etree.fromstring(xml)
    doc = root.find(f"{A}doc")
    assert doc.get("name") == "negotiationRevision"
    expr = doc.find(f"{A}meta/{A}identification/{A}FRBRExpression")
    assert expr.find(f"{A}FRBRuri").get("value").endswith(f"/neg{small.pk}/eng@rev1")
    assert expr.find(f"{A}FRBRversionNumber").get("value") == "1"

    pp2 = doc.find(f"{A}preamble/{A}p[@eId='preamble__p_2']")
    assert _text(pp2) == (
        "PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);"
    )
    (bracket,) = pp2.findall(f"{A}inline[@name='bracket']")
    assert _text(bracket) == "[and to its purposes]"
    positions = pp2.findall(f"{A}inline[@name='position']")
    assert [(p.get("refersTo"), p.get("class"), p.text) for p in positions] == [
        ("#del-chn", "support", "(+CHN)"),
        ("#del-ind", "oppose", "(-IND)"),
    ]
    orgs = {o.get("eId"): o.get("showAs") for o in doc.iter(f"{A}TLCOrganization")}
    assert orgs["del-chn"] == "CHN" and orgs["del-ind"] == "IND"
    record = [
        (p.get("delegation"), p.get("stance"), p.get("target")) for p in doc.iter(f"{S}position")
    ]
    assert record == [
        ("CHN", "support", f"#{bracket.get('eId')}"),
        ("IND", "oppose", f"#{bracket.get('eId')}"),
    ]
    op1 = doc.find(f"{A}mainBody/{A}paragraph[@eId='para_1']")
    assert op1.find(f"{A}num").text == "OP1."


def test_podium_draft_validates_and_keeps_every_bracket_and_position(astana) -> None:
    """The Astana draft: nested brackets, labels inside brackets, alternatives, notes."""
    revision = astana.revisions.order_by("number").last()
    xml = revision_akn(revision)
    assert validation_errors(xml) == []
    root = etree.fromstring(xml)
    draft = engine.draft_of(revision)
    n_brackets = sum(1 for p in draft.paragraphs for n in p.walk() if isinstance(n, engine.Bracket))
    assert len(root.findall(f".//{A}inline[@name='bracket']")) == n_brackets
    n_positions = sum(len(p.positions) for p in draft.paragraphs) + sum(
        len(b.positions) for p in draft.paragraphs for b in p.brackets
    )
    assert len(list(root.iter(f"{S}position"))) >= n_positions > 0
    # PP4's nested bracket sits inside its outer bracket, with ISR's objection after it.
    pp4 = root.find(f".//{A}p[@eId='preamble__p_4']")
    outer = pp4.find(f"{A}inline[@name='bracket']")
    inner = outer.find(f"{A}inline[@name='bracket']")
    assert _text(inner).startswith("[, and contributing to the realization")
    assert inner.getnext().get("refersTo") == "#del-isr"
    # The label written inside the bracket stays inside it.
    pp5e = root.find(f".//{A}p[@eId='preamble__p_5e']")
    assert _text(pp5e.find(f"{A}inline[@name='bracket']")).startswith("[PP5e. The situation")
    eids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(eids) == len(set(eids))


def test_command_prints_and_validates(small) -> None:
    out = StringIO()
    call_command("negotiation", "akn", str(small.pk), "--revision", "1", "--validate", stdout=out)
    assert out.getvalue().encode() == revision_akn(small.revisions.get(number=1))
