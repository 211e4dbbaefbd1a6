"""DOCX in and out (python-docx): italic runs are new text, struck runs deleted text.

The notation itself (brackets, markers, notes) is written as ordinary characters and read
back exactly as in a text file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from .model import HEADING, Draft, Text
from .register import Register
from .render_notation import render_paragraph_notation

_NEW, _DEL, _END = "\x01", "\x02", "\x03"
_SEGMENT = re.compile(f"([{_NEW}{_DEL}])(.*?){_END}", re.DOTALL)
_DIALECT_TAG = "secretariat-negotiation-text:"


def _fmt(n: Text) -> str:
    if n.style == "new":
        return f"{_NEW}{n.text}{_END}"
    if n.style == "deleted":
        return f"{_DEL}{n.text}{_END}"
    return n.text


def write_docx(draft: Draft) -> bytes:
    """A Word document: one paragraph per block, new text italic, deleted text struck."""
    from docx import Document  # imported late: only the DOCX path needs python-docx

    doc = Document()
    doc.core_properties.category = _DIALECT_TAG + draft.dialect
    for p in draft.paragraphs:
        para = doc.add_paragraph()
        if p.kind == HEADING:
            para.style = doc.styles["Heading 2"]
        rendered = render_paragraph_notation(p, _fmt)
        pos = 0
        for m in _SEGMENT.finditer(rendered):
            if m.start() > pos:
                para.add_run(rendered[pos : m.start()])
            run = para.add_run(m.group(2))
            if m.group(1) == _NEW:
                run.italic = True
            else:
                run.font.strike = True
            pos = m.end()
        if pos < len(rendered):
            para.add_run(rendered[pos:])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_to_notation(data: bytes | str | Path) -> tuple[str, str | None]:
    """The notation text of a DOCX and the dialect recorded by :func:`write_docx`, if any."""
    from docx import Document

    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else str(data)
    doc = Document(source)
    category = doc.core_properties.category or ""
    dialect = category[len(_DIALECT_TAG) :] if category.startswith(_DIALECT_TAG) else None
    blocks = []
    for para in doc.paragraphs:
        parts: list[str] = []
        style, buf = "plain", list[str]()
        runs = list(_runs(para))
        for text, st in [*runs, ("", "end")]:
            if st != style:
                parts.append(_wrap("".join(buf), style))
                style, buf = st, []
            buf.append(text)
        blocks.append("".join(parts))
    return "\n\n".join(b for b in blocks if b.strip()) + "\n", dialect


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _runs(para: object) -> Iterator[tuple[str, str]]:
    """(text, style) of a paragraph's runs, Word's tracked changes included.

    python-docx's ``paragraph.runs`` skips runs inside ``w:ins``/``w:del``: a tracked insertion
    is new text and a tracked deletion is deleted text, like italic and struck runs.
    """
    from docx.text.run import Run

    def walk(el: object, tracked: str | None) -> Iterator[tuple[str, str]]:
        for child in el.iterchildren():  # type: ignore[attr-defined]
            tag = child.tag
            if tag == f"{_W}r":
                if tracked == "deleted":
                    text = "".join(t.text or "" for t in child.iter(f"{_W}delText"))
                    yield text, "deleted"
                else:
                    run = Run(child, para)  # type: ignore[arg-type]
                    yield run.text, tracked or _run_style(run)
            elif tag == f"{_W}ins":
                yield from walk(child, "new")
            elif tag == f"{_W}del":
                yield from walk(child, "deleted")
            elif tag in (f"{_W}hyperlink", f"{_W}smartTag", f"{_W}sdt", f"{_W}sdtContent"):
                yield from walk(child, tracked)

    yield from walk(para._p, None)  # type: ignore[attr-defined]


def _run_style(run: object) -> str:
    font = run.font  # type: ignore[attr-defined]
    if font.strike or font.double_strike:
        return "deleted"
    if run.italic:  # type: ignore[attr-defined]
        return "new"
    return "plain"


def _wrap(text: str, style: str) -> str:
    if not text.strip() or style == "plain":
        return text
    # Keep the spaces outside the markup so the italic/struck run reads as notation.
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    mark = "*" if style == "new" else "~~"
    return f"{lead}{mark}{text.strip()}{mark}{trail}"


def read_docx(
    data: bytes | str | Path,
    *,
    register: Register | Mapping[str, str] | None = None,
    dialect: str | None = None,
) -> Draft:
    from .parser import parse

    text, recorded = docx_to_notation(data)
    return parse(text, register=register, dialect=dialect or recorded)
