"""Akoma Ntoso 3.0 of a negotiation revision, with its brackets and positions.

A revision is not an adopted text, so it is an AKN `<doc name="negotiationRevision">` (the
generic document type; `statement` is kept for what a body adopted, archive/akn.py). The
mapping, chosen so that the file is valid against the official schema AND still reads as the
negotiators' text in any AKN viewer:

- FRBR: the Work is the negotiation (`/akn/<org>/doc/negotiation/<started>/neg<id>`), the
  Expression is the revision in its language (`.../eng@rev<N>`, `FRBRversionNumber` N): each
  revision is a version of the same work, as AKN versions an amended act.
- Paragraphs: preambular (PP<n>) into `<preamble>` as `<p>`, the others into `<mainBody>` as
  `<paragraph>` with `<num>`, eIds by the library export's rule (`preamble__p_5b`, `para_3`).
- Brackets: `<inline name="bracket" eId="<paragraph eId>__bracket_<n>">`, nested as the
  brackets nest. `inline` with a `name` is AKN's generic inline for a span the vocabulary has
  no element for; AKN's own `<ins>`/`<del>` and the amendment elements describe changes to an
  *adopted* text, which a bracket is not (it is text not yet agreed). A bracket's alternatives
  ("[A / B]") are each an `<inline name="option">`; a bracket continued across paragraphs
  carries `class="continued"` / `class="continues"`.
- Positions: where the notation writes them ("(+CHN)", "(-IND)"), as
  `<inline name="position" refersTo="#chn" class="support|oppose" title="qualifier">` whose
  text is the notation's own; `refersTo` points to a `TLCOrganization` per delegation in
  `<references>`. `<remark>` was rejected (its `type` is a closed list of scene descriptions,
  for debates), `<authorialNote>` too (a note is a footnote, not a stance). Because an inline
  cannot say which bracket it is about, the machine-readable record of every position (who,
  stance, qualifier, target eId) is also in `<meta><proprietary>` in the product's namespace,
  which AKN reserves for exactly such data.
- Delegations' notes ("(CHN: prefers ...)") are `<authorialNote>` (a footnote by an author),
  `refersTo` the delegations; new and deleted words of a compiled revision are `<ins>`/`<del>`.

Validated against the OASIS schema (`secretariat.archive.akn.validation_errors`) in the tests.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone
from lxml import etree

from secretariat.accounts.models import Forum
from secretariat.archive.akn import LANG3, NS, close_body, eid_for
from secretariat.negotiation import engine
from secretariat.negotiation.models import Negotiation, Revision
from secretariat.negotiation.text import model

SECRETARIAT_NS = "urn:secretariat:negotiation:1"
A = f"{{{NS}}}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", text).lower()


def _e(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{A}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})


def _add_text(parent: etree._Element, text: str) -> None:
    """Append text after the last child (or into the element when it has none)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _Writer:
    def __init__(self, root_meta: etree._Element | None) -> None:
        self.codes: set[str] = set()
        self.positions: list[tuple[str, str, str, str]] = []  # code, stance, qualifier, target
        self.used: set[str] = set()
        self.notes = 0
        self.pending_label = ""  # a label written inside the paragraph's first bracket

    def unique(self, eid: str) -> str:
        candidate, n = eid, 2
        while candidate in self.used:
            candidate, n = f"{eid}_{n}", n + 1
        self.used.add(candidate)
        return candidate

    def position(self, parent: etree._Element, p: model.Position, target: str) -> None:
        code = _slug(p.delegation) or "unknown"
        self.codes.add(p.delegation)
        self.positions.append((p.delegation, p.stance, p.qualifier or "", target))
        if p.raw == "":  # written inside the previous raw text: nothing to show
            return
        from secretariat.negotiation.text.render_notation import render_position

        shown = render_position(p)
        lead = shown[: len(shown) - len(shown.lstrip())]
        _add_text(parent, lead)
        attrs = {"name": "position", "refersTo": f"#del-{code}", "class": p.stance}
        if p.qualifier:
            attrs["title"] = p.qualifier
        inline = _e(parent, "inline", **attrs)
        inline.text = shown.lstrip()

    def nodes(self, parent: etree._Element, nodes: list[model.Node], pid: str) -> None:
        for n in nodes:
            if isinstance(n, model.Text):
                if n.style == "new":
                    _e(parent, "ins").text = n.text
                elif n.style == "deleted":
                    _e(parent, "del").text = n.text
                else:
                    _add_text(parent, n.text)
            elif isinstance(n, model.Bracket):
                self.bracket(parent, n, pid)
            elif isinstance(n, model.Marker):
                self.position(parent, n.position, pid)
            elif isinstance(n, model.Note):
                self.notes += 1
                refers = " ".join(f"#del-{_slug(c)}" for c in n.delegations if _slug(c))
                for c in n.delegations:
                    if _slug(c):
                        self.codes.add(c)
                attrs = {"marker": str(self.notes), "eId": self.unique(f"{pid}__authorialNote_1")}
                if refers:
                    attrs["refersTo"] = refers
                note = _e(parent, "authorialNote", **attrs)
                _e(note, "p").text = n.text or ", ".join(n.delegations)
            elif isinstance(n, model.Attribution):
                _add_text(parent, n.raw)
                for p in n.positions:
                    self.codes.add(p.delegation)
                    self.positions.append((p.delegation, p.stance, p.qualifier or "", pid))
            elif isinstance(n, model.Placeholder):
                _e(parent, "inline", name="placeholder").text = n.raw
            elif isinstance(n, model.StatusTag):
                _e(parent, "inline", name="status", title=n.status).text = n.raw
            elif isinstance(n, model.OptionSep | model.OptionLabel | model.Stray):
                _add_text(parent, n.raw)

    def bracket(self, parent: etree._Element, b: model.Bracket, pid: str) -> None:
        eid = self.unique(f"{pid}__bracket_{_slug(b.id.rsplit('-', 1)[-1]) or 'b'}")
        attrs = {"name": "bracket", "eId": eid}
        if not b.opens or not b.closes:
            attrs["class"] = " ".join(
                c for c, on in (("continued", not b.opens), ("continues", not b.closes)) if on
            )
        inline = _e(parent, "inline", **attrs)
        if b.opens:
            inline.text = "["
        if b.label_inside and self.pending_label:
            inline.text = (inline.text or "") + self.pending_label + " "
            self.pending_label = ""
        if any(isinstance(c, model.OptionSep) for c in b.children):
            groups: list[list[model.Node]] = [[]]
            seps: list[str] = []
            for c in b.children:
                if isinstance(c, model.OptionSep):
                    groups.append([])
                    seps.append(c.raw)
                else:
                    groups[-1].append(c)
            for k, group in enumerate(groups, 1):
                option = _e(inline, "inline", name="option", eId=self.unique(f"{eid}__opt_{k}"))
                self.nodes(option, group, pid)
                if k <= len(seps):
                    _add_text(inline, seps[k - 1])
        else:
            self.nodes(inline, b.children, pid)
        if b.closes:
            _add_text(inline, "]")
            for p in b.positions:
                self.position(parent, p, eid)


def work_uri(negotiation: Negotiation, org: str) -> str:
    return (
        f"/akn/{org}/doc/negotiation/{negotiation.created_at.date().isoformat()}/"
        f"neg{negotiation.pk}"
    )


def revision_akn(revision: Revision, *, generated: date | None = None) -> bytes:
    """The AKN XML of one revision (UTF-8, with declaration)."""
    negotiation = revision.negotiation
    forum = Forum.objects.first()
    org = _slug(forum.short_name if forum else "") or "forum"
    lang = LANG3["en"]
    day = (revision.issued_at or revision.created_at).date().isoformat()
    generated = generated or timezone.localdate()
    work = work_uri(negotiation, org)
    expression = f"{work}/{lang}@rev{revision.number}"
    draft = engine.draft_of(revision)
    writer = _Writer(None)

    root = etree.Element(f"{A}akomaNtoso", nsmap={None: NS})
    doc = _e(root, "doc", name="negotiationRevision")
    meta = _e(doc, "meta")
    ident = _e(meta, "identification", source="#secretariat")
    frbr_work = _e(ident, "FRBRWork")
    _e(frbr_work, "FRBRthis", value=f"{work}/!main")
    _e(frbr_work, "FRBRuri", value=work)
    _e(frbr_work, "FRBRdate", date=negotiation.created_at.date().isoformat(), name="start")
    _e(frbr_work, "FRBRauthor", href=f"#{org}")
    _e(frbr_work, "FRBRcountry", value=org)
    frbr_expr = _e(ident, "FRBRExpression")
    _e(frbr_expr, "FRBRthis", value=f"{expression}/!main")
    _e(frbr_expr, "FRBRuri", value=expression)
    _e(frbr_expr, "FRBRdate", date=day, name="issued" if revision.frozen else "working")
    _e(frbr_expr, "FRBRauthor", href="#secretariat")
    _e(frbr_expr, "FRBRversionNumber", value=str(revision.number))
    _e(frbr_expr, "FRBRlanguage", language=lang)
    frbr_man = _e(ident, "FRBRManifestation")
    _e(frbr_man, "FRBRthis", value=f"{expression}/!main.xml")
    _e(frbr_man, "FRBRuri", value=f"{expression}.akn")
    _e(frbr_man, "FRBRdate", date=generated.isoformat(), name="generation")
    _e(frbr_man, "FRBRauthor", href="#secretariat")

    preface = _e(doc, "preface")
    _e(_e(preface, "p"), "docTitle").text = negotiation.title
    preamble_rows: list[tuple[model.Paragraph, str]] = []
    body_rows: list[tuple[model.Paragraph, str]] = []
    for number, p in enumerate(draft.paragraphs, 1):
        where, eid = eid_for(p.label or "", number)
        if p.kind == model.PREAMBULAR and where == "body":
            where = "preamble"
            eid = f"preamble__p_n{number}"
        (preamble_rows if where == "preamble" else body_rows).append((p, eid))
    if preamble_rows:
        preamble = _e(doc, "preamble")
        for p, eid in preamble_rows:
            element = _e(preamble, "p", eId=writer.unique(eid))
            writer.pending_label = _label(element, p)
            writer.nodes(element, p.content, element.get("eId", ""))
    body = _e(doc, "mainBody")
    for p, eid in body_rows:
        paragraph = _e(body, "paragraph", eId=writer.unique(eid))
        if p.label_raw or p.label:
            _e(paragraph, "num").text = (p.label_raw or p.label or "").strip()
        content_p = _e(_e(paragraph, "content"), "p")
        writer.nodes(content_p, p.content, paragraph.get("eId", ""))
    close_body(body)

    # meta, in the schema's order: identification, references, proprietary.
    refs = etree.Element(f"{A}references", source="#secretariat")
    _e(refs, "TLCOrganization", eId=org, href=f"/ontology/organization/{org}", showAs=org.upper())
    _e(
        refs,
        "TLCOrganization",
        eId="secretariat",
        href="/ontology/organization/secretariat",
        showAs="Secretariat",
    )
    for code in sorted(writer.codes):
        slug = _slug(code)
        if slug and f"del-{slug}" not in writer.used:
            writer.used.add(f"del-{slug}")
            _e(
                refs,
                "TLCOrganization",
                eId=f"del-{slug}",
                href=f"/ontology/organization/{org}/{slug}",
                showAs=code,
            )
    meta.append(refs)
    proprietary = _e(meta, "proprietary", source="#secretariat")
    record = etree.SubElement(
        proprietary, f"{{{SECRETARIAT_NS}}}positions", nsmap={"s": SECRETARIAT_NS}
    )
    for code, stance, qualifier, target in writer.positions:
        etree.SubElement(
            record,
            f"{{{SECRETARIAT_NS}}}position",
            {"delegation": code, "stance": stance, "qualifier": qualifier, "target": f"#{target}"},
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _label(element: etree._Element, p: model.Paragraph) -> str:
    """A preambular paragraph keeps its printed label as its first words (`p` has no `num`);
    returns the label when it is written inside the first bracket instead ("[PP5e. ...]")."""
    inside = bool(
        p.content and isinstance(p.content[0], model.Bracket) and p.content[0].label_inside
    )
    label = (p.label_raw or p.label or "").strip()
    if label and not inside:
        element.text = label + " "
    return label if inside else ""
