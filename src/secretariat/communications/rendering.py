"""Rendering notes: the forum's templates (from the database) to HTML editions, and to PDF.

The templates use Django template syntax with this small set of variables (documented on the
templates editor page too):

    reference        the note's reference, e.g. "SWG/OI/1262" ("" in a preview of a draft)
    subject          the subject line of this edition
    opening          the first paragraph of the officer's text (it continues the opening
                     formula: "... has the honour to {{ opening }}")
    more             the following paragraphs (a list of strings)
    items            lines of the text that start with "- " (a list), for enumerations
    addressee        who the note is addressed to, in this language (a delegation, a body,
                     or the member states)
    recipients       the names of the addressed delegations (a list)
    enclosures       the enclosed documents (a list of objects with title, symbol, pages)
    enclosure_pages  the number of pages of all enclosures together (0 without enclosures)
    place            the place of issue (from the template)
    date             the date of issue (a date: use the `date` filter, e.g. "j E Y")
    corrects         the reference of the note this one corrects ("" if none)
    forum            the forum's short name

The PDF is made with WeasyPrint using only the fonts shipped in `communications/fonts/`; any
URL that is not one of those files is refused, so nothing is fetched at run time.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation
from django.utils.html import escape

from secretariat.accounts.models import Body, Delegation, Forum

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

TEMPLATE_VARIABLES = (
    "reference",
    "subject",
    "opening",
    "more",
    "items",
    "addressee",
    "recipients",
    "enclosures",
    "enclosure_pages",
    "place",
    "date",
    "corrects",
    "forum",
)

# A plain engine: no loaders, no custom tags, autoescape on; templates cannot include files.
ENGINE = Engine(
    loaders=[("django.template.loaders.locmem.Loader", {})],
    libraries={},
    builtins=["django.template.defaulttags", "django.template.defaultfilters"],
    autoescape=True,
)


class TemplateProblem(ValueError):
    """A template the secretariat wrote does not render; the message says why."""


@dataclass(frozen=True)
class EnclosureInfo:
    title: str
    symbol: str
    pages: int


@dataclass(frozen=True)
class EditionInput:
    """Everything one language edition is rendered from."""

    language: str
    subject: str
    text: str
    reference: str
    addressee: str
    recipients: tuple[str, ...]
    enclosures: tuple[EnclosureInfo, ...]
    day: date
    corrects: str = ""
    place: str = ""
    letterhead: str = ""
    template: str = ""


@dataclass
class RenderedEdition:
    language: str
    html: str
    letterhead: str = ""
    notes: list[str] = field(default_factory=list)


def split_text(text: str) -> tuple[str, list[str], list[str]]:
    """(opening, more paragraphs, "- " items) of the officer's text."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    items: list[str] = []
    paragraphs: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and all(line.startswith(("- ", "• ")) for line in lines):
            items.extend(line[2:].strip() for line in lines)
        else:
            paragraphs.append(" ".join(lines))
    opening = paragraphs[0] if paragraphs else ""
    return opening, paragraphs[1:], items


def check_template(source: str) -> None:
    """Refuse a template that does not compile (shown to the secretariat on the editor)."""
    try:
        ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(str(exc)) from exc


def render_edition(data: EditionInput) -> RenderedEdition:
    opening, more, items = split_text(data.text)
    total = sum(e.pages for e in data.enclosures)
    context = {
        "reference": data.reference,
        "subject": data.subject,
        "opening": opening,
        "more": more,
        "items": items,
        "addressee": data.addressee,
        "recipients": list(data.recipients),
        "enclosures": list(data.enclosures),
        "enclosure_pages": total,
        "place": data.place,
        "date": data.day,
        "corrects": data.corrects,
        "forum": getattr(Forum.current(), "short_name", ""),
    }
    with translation.override(data.language):
        try:
            html = ENGINE.from_string(data.template).render(Context(context))
            letterhead = ENGINE.from_string(data.letterhead).render(Context(context))
        except TemplateSyntaxError as exc:
            raise TemplateProblem(str(exc)) from exc
    return RenderedEdition(data.language, html, letterhead)


def name_in(obj: Delegation | Body, language: str) -> str:
    if isinstance(obj, Delegation):
        return obj.name_in(language)
    if language == "ru" and obj.name_ru:
        return obj.name_ru
    if language == "kk" and obj.name_kk:
        return obj.name_kk
    return obj.name_en


# --- PDF ------------------------------------------------------------------------------------
def _font_faces() -> str:
    faces = [
        ("Note Serif", "DejaVuSerif.ttf", "normal", "normal"),
        ("Note Serif", "DejaVuSerif-Bold.ttf", "bold", "normal"),
        ("Note Serif", "DejaVuSerif-Italic.ttf", "normal", "italic"),
        ("Note Sans", "DejaVuSans.ttf", "normal", "normal"),
    ]
    return "\n".join(
        f"@font-face {{ font-family: '{family}'; src: url('{(FONTS_DIR / name).as_uri()}'); "
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, name, weight, style in faces
    )


PDF_CSS = """
@page { size: A4; margin: 22mm 20mm 22mm 25mm;
        @bottom-center { content: counter(page); font: 9pt 'Note Sans'; color: #555; } }
body { font-family: 'Note Serif'; font-size: 12pt; line-height: 1.45; color: #000; }
.edition { page-break-before: always; }
.edition:first-child { page-break-before: auto; }
.letterhead { text-align: center; font-family: 'Note Serif'; font-weight: bold;
              text-transform: uppercase; margin-bottom: 10mm; }
.letterhead p { margin: 0 0 3mm 0; }
.reference { margin: 0 0 6mm 0; }
p { text-align: justify; margin: 0 0 4mm 0; }
ul { margin: 0 0 4mm 0; }
.enclosure { font-style: italic; }
.addressee { font-weight: bold; text-transform: uppercase; margin-top: 12mm; }
.seal { height: 30mm; width: 60mm; margin: 6mm 0 0 auto; }
.enclosure-text { white-space: pre-wrap; font-size: 11pt; text-align: left; }
"""


def _local_font(url: str) -> bytes:
    """The bytes of a shipped font file for its file:// URL; anything else is refused."""
    prefix = FONTS_DIR.as_uri() + "/"
    if url.startswith(prefix):
        name = url[len(prefix) :]
        path = FONTS_DIR / name
        if "/" not in name and name.endswith(".ttf") and path.is_file():
            return path.read_bytes()
    raise ValueError(f"Refused to fetch {url!r}: notes are rendered from local files only.")


def refuse_remote(url: str) -> bytes:
    """What the PDF renderer may read: the shipped fonts, nothing else (raises ValueError)."""
    return _local_font(url)


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            return URLFetcherResponse(url, _local_font(url), {"Content-Type": "font/ttf"})

    return LocalFontsOnly(allowed_protocols=("file",))


def _html_document(body: str, language: str) -> str:
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<style>{_font_faces()}\n{PDF_CSS}</style></head><body>{body}</body></html>"
    )


def pdf_from_html(body: str, language: str = "en") -> bytes:
    from weasyprint import HTML

    document = HTML(string=_html_document(body, language), url_fetcher=_fetcher())
    return bytes(document.write_pdf())


def note_pdf(editions: list[RenderedEdition]) -> bytes:
    """The editions one after another, each on its own pages with the letterhead; room for the
    seal and initials after the text (notes verbales are unsigned)."""
    parts = []
    for edition in editions:
        parts.append(
            f'<section class="edition" lang="{escape(edition.language)}">'
            f'<div class="letterhead">{edition.letterhead}</div>{edition.html}'
            f'<div class="seal"></div></section>'
        )
    return pdf_from_html("".join(parts), editions[0].language if editions else "en")


def count_pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def text_pages(text: str) -> int:
    """Pages a text or Word enclosure takes: rendered on A4 in the note's typeface."""
    body = f'<div class="enclosure-text">{escape(text)}</div>'
    return max(1, count_pdf_pages(pdf_from_html(body)))
