"""Language editions of a negotiation's text, read against the source: aligned paragraph by
paragraph (the engine's `align`), lagging translations and bracket parity.

The source is the latest issued revision (the text delegations hold); an edition paragraph
records the revision number it translates and the source text it translated, so when the
source paragraph reads differently now the edition lags: "translates Rev.N, source is
Rev.M", with the source's word diff. Plain functions: the views, the demo and the tests
call them; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from secretariat.accounts import access as policy
from secretariat.documents.models import Document
from secretariat.documents.models import Paragraph as LibraryParagraph
from secretariat.negotiation import engine
from secretariat.negotiation.models import (
    Edition,
    EditionParagraph,
    EditionParagraphVersion,
    Negotiation,
    Revision,
)


def source_revision(negotiation: Negotiation) -> Revision | None:
    return Revision.objects.filter(negotiation=negotiation, frozen=True).order_by("-number").first()


@dataclass
class EditionDraft:
    """An edition parsed: each parsed paragraph knows the stored row it came from."""

    draft: engine.Draft
    rows: list[EditionParagraph]  # one per parsed paragraph (a row may give several)


def edition_draft(edition: Edition, rows: list[EditionParagraph] | None = None) -> EditionDraft:
    if rows is None:
        rows = list(edition.paragraphs.order_by("number"))
    register = engine.forum_register()
    draft = engine.Draft()
    owners: list[EditionParagraph] = []
    for row in rows:
        for p in engine.parse(row.notation, register=register).paragraphs:
            draft.paragraphs.append(p)
            owners.append(row)
    return EditionDraft(draft, owners)


def notation_of(paragraphs: list[engine.Paragraph]) -> str:
    return "\n\n".join(engine.render_paragraph_notation(p) for p in paragraphs)


@dataclass
class Lag:
    translates: int
    source: int
    diff: list[tuple[str, str]]


@dataclass
class Rendering:
    """What an edition's cells are rendered with: the forum's register and the delegations'
    names in the reader's language (the chips' and notes' labels), read once per page."""

    register: engine.Register
    names: dict[str, str]

    @classmethod
    def read(cls) -> Rendering:
        return cls(engine.forum_register(), engine.delegation_names())

    def labels(self, language: str) -> engine.Labels:
        # The cell is written in its edition's language: a part written in another (a
        # label, qualifier or note left in English) is marked with its own.
        return engine.html_labels(self.names, language=language)


@dataclass
class Cell:
    """One edition's side of a row."""

    language: str
    paragraphs: list[engine.Paragraph] = field(default_factory=list)
    rows: list[EditionParagraph] = field(default_factory=list)
    label: str | None = None
    confidence: float | None = None
    lag: Lag | None = None
    parity: list[engine.ParityIssue] = field(default_factory=list)
    missing: bool = False  # the source paragraph has no partner in this edition
    # How the page renders it (`side_by_side` reads the register and the names once for all
    # cells); without them, read here.
    render: Rendering | None = field(default=None, repr=False, compare=False)

    @property
    def html(self) -> SafeString:
        render = self.render or Rendering.read()
        labels = render.labels(self.language)
        # The engine's renderer escapes the text; it is the one the workspace shows.
        return mark_safe(
            "".join(
                engine.render_paragraph_html(p, render.register, labels) for p in self.paragraphs
            )
        )

    @property
    def parity_messages(self) -> list[str]:
        return [describe_parity(i.kind, i.params) for i in self.parity]

    @property
    def flagged(self) -> bool:
        return bool(self.lag or self.parity or self.missing)


@dataclass
class Row:
    source: list[engine.Paragraph]
    source_indexes: list[int]
    cells: list[Cell]

    @property
    def label(self) -> str | None:
        return self.source[0].label if self.source else None

    @property
    def source_html(self) -> SafeString:
        register = engine.forum_register()
        return mark_safe("".join(engine.render_paragraph_html(p, register) for p in self.source))


@dataclass
class SideBySide:
    revision: Revision | None
    editions: list[Edition]
    rows: list[Row]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for k, ed in enumerate(self.editions):
            cells = [r.cells[k] for r in self.rows]
            out[ed.language] = {
                "lagging": sum(1 for c in cells if c.lag),
                "parity": sum(1 for c in cells if c.parity),
                "missing": sum(1 for c in cells if c.missing),
                "unpaired": sum(1 for r in self.rows if not r.source and r.cells[k].paragraphs),
            }
        return out


def describe_parity(kind: str, params: dict[str, Any]) -> str:
    """A parity issue in the reader's language (stored as kind + params)."""
    if kind == "bracket_count":
        return ngettext(
            "%(edition)d bracket where the source has %(source)d",
            "%(edition)d brackets where the source has %(source)d",
            params["edition"],
        ) % {"edition": params["edition"], "source": params["source"]}
    if kind == "nesting":
        return gettext("Brackets nested differently from the source")
    missing = ", ".join(params.get("missing", [])) or "—"
    extra = ", ".join(params.get("extra", [])) or "—"
    return gettext("Positions differ from the source: missing %(missing)s, extra %(extra)s") % {
        "missing": missing,
        "extra": extra,
    }


def lag_of(rows: list[EditionParagraph], current: str, number: int) -> Lag | None:
    """The edition lags when the source it translated differs from the source now."""
    if not rows:
        return None
    translated = "\n\n".join(dict.fromkeys(r.source_notation for r in rows))
    if " ".join(translated.split()) == " ".join(current.split()):
        return None
    oldest = min(r.source_revision for r in rows)
    return Lag(oldest, number, engine.word_diff(translated, current))


def side_by_side(negotiation: Negotiation, editions: list[Edition]) -> SideBySide:
    """Rows of the source against up to three editions: paragraph against paragraph."""
    revision = source_revision(negotiation)
    if revision is None:
        return SideBySide(None, editions, [])
    source = engine.draft_of(revision)
    render = Rendering.read()
    rows = [Row([p], [i], []) for i, p in enumerate(source.paragraphs)]
    extra: list[Row] = []
    for k, edition in enumerate(editions):
        ed = edition_draft(edition)
        alignment = engine.align(source, ed.draft)
        for row in rows:
            row.cells.append(Cell(edition.language, missing=True))
        for row in extra:
            row.cells.append(Cell(edition.language))
        for pair in alignment.pairs:
            paras = [ed.draft.paragraphs[j] for j in pair.b]
            owner_rows = list(dict.fromkeys(ed.rows[j] for j in pair.b))
            if not pair.a:
                cell = Cell(edition.language, paras, owner_rows, pair.b_label, render=render)
                blank = [Cell(e.language) for e in editions[:k]]
                extra.append(Row([], [], [*blank, cell]))
                continue
            src = [source.paragraphs[i] for i in pair.a]
            cell = Cell(
                edition.language,
                paras,
                owner_rows,
                pair.b_label,
                pair.confidence,
                lag_of(owner_rows, notation_of(src), revision.number),
                engine.bracket_parity(src, paras),
                render=render,
            )
            rows[pair.a[0]].cells[k] = cell
            for i in pair.a[1:]:  # a merge: the cell stands beside the first source paragraph
                rows[i].cells[k] = Cell(edition.language)
    return SideBySide(revision, editions, rows + extra)


def lag_and_parity(negotiation: Negotiation, edition: Edition) -> list[dict[str, Any]]:
    """What a translator must do in one edition: each flagged paragraph as kind + params."""
    view = side_by_side(negotiation, [edition])
    out: list[dict[str, Any]] = []
    for row in view.rows:
        cell = row.cells[0]
        if not row.source:
            continue
        if cell.missing:
            out.append({"kind": "missing", "label": row.label, "source": row.source_indexes})
            continue
        if cell.lag:
            out.append(
                {
                    "kind": "lag",
                    "label": row.label,
                    "translates": cell.lag.translates,
                    "source": cell.lag.source,
                    "rows": [r.pk for r in cell.rows],
                    "diff": cell.lag.diff,
                }
            )
        for issue in cell.parity:
            params = issue.to_json()
            params["issue"] = params.pop("kind")
            out.append(
                {"kind": "parity", "label": row.label, "rows": [r.pk for r in cell.rows]} | params
            )
    return out


FLAGS_SECONDS = 24 * 3600  # the key changes with every change; this only bounds the memory


def flags_key(
    negotiation: Negotiation,
    edition: Edition,
    *,
    source_number: int | None = None,
    latest_version: int | None = None,
) -> str | None:
    """The cache key of an edition's flags: the source revision (issued revisions never
    change) and the edition's own version (its latest kept paragraph version and its last
    change), so any new revision, load or update makes a new key. None without a source. A
    caller that read `source_number` and `latest_version` for many editions at once
    (`queue_stamps`) gives them; else they are read here."""
    if source_number is None:
        revision = source_revision(negotiation)
        if revision is None:
            return None
        source_number = revision.number
    if latest_version is None:
        latest_version = (
            EditionParagraphVersion.objects.filter(edition=edition)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
    stamp = edition.updated_at.timestamp() if edition.updated_at else 0
    return f"negotiation:edition-flags:{edition.pk}:r{source_number}:v{latest_version or 0}:{stamp}"


def cached_lag_and_parity(
    negotiation: Negotiation, edition: Edition, key: str | None = None
) -> list[dict[str, Any]]:
    """`lag_and_parity`, aligned once per (source revision, edition version): the translators'
    queue asks for every edition of every negotiation on each request. `key`: `flags_key`,
    when the caller made it already."""
    key = key or flags_key(negotiation, edition)
    if key is None:
        return lag_and_parity(negotiation, edition)
    flags = cache.get(key)
    if flags is None:
        flags = lag_and_parity(negotiation, edition)
        cache.set(key, flags, FLAGS_SECONDS)
    return list(flags)


def queue_flags(negotiations: Any, language: str) -> list[dict[str, Any]]:
    """The translators' queue for one language: the flags of every `language` edition of
    `negotiations` (a queryset), each with its negotiation. Three queries however many
    negotiations (their editions, their sources' numbers, the editions' latest versions), and
    the alignment of each edition only when its flags are not cached."""
    found = list(
        Edition.objects.filter(language=language, negotiation__in=negotiations)
        .select_related("negotiation")
        .defer("negotiation__source_text", "negotiation__diagnostics")
        .order_by("-negotiation__created_at", "-negotiation__id")
    )
    if not found:
        return []
    sources = dict(
        Revision.objects.filter(negotiation__in={e.negotiation_id for e in found}, frozen=True)
        .values("negotiation")
        .annotate(n=Max("number"))
        .values_list("negotiation", "n")
    )
    latest = dict(
        EditionParagraphVersion.objects.filter(edition__in=found)
        .values("edition")
        .annotate(m=Max("pk"))
        .values_list("edition", "m")
    )
    items: list[dict[str, Any]] = []
    for edition in found:
        negotiation = edition.negotiation
        number = sources.get(negotiation.pk)
        key = (  # no issued revision: nothing to translate yet, asked as before
            flags_key(
                negotiation, edition, source_number=number, latest_version=latest.get(edition.pk, 0)
            )
            if number is not None
            else None
        )
        flags = cached_lag_and_parity(negotiation, edition, key)
        items.extend({"negotiation": negotiation, **flag} for flag in flags)
    return items


def paragraph_history(edition: Edition, number: int) -> list[EditionParagraphVersion]:
    """Every kept text of one edition paragraph, newest first (who, when, which revision)."""
    return list(
        EditionParagraphVersion.objects.filter(edition=edition, number=number)
        .select_related("made_by")
        .order_by("-made_at", "-pk")
    )


LIBRARY_ALIGN_SECONDS = 7 * 24 * 3600  # a document version's paragraphs never change


def _library_partners(version_a: int, version_b: int) -> dict[int, tuple[list[int], float]]:
    """For two document versions: each paragraph index of A -> (indexes of B, confidence),
    aligned once and cached (a version's paragraphs never change)."""
    key = f"documents:aligned:{version_a}:{version_b}"
    found = cache.get(key)
    if found is None:
        a = list(
            LibraryParagraph.objects.filter(version_id=version_a)
            .order_by("number")
            .values_list("text", flat=True)
        )
        b = list(
            LibraryParagraph.objects.filter(version_id=version_b)
            .order_by("number")
            .values_list("text", flat=True)
        )
        alignment = engine.align_texts(a, b)
        found = {i: (list(p.b), p.confidence) for p in alignment.pairs for i in p.a if p.b}
        cache.set(key, found, LIBRARY_ALIGN_SECONDS)
    return found


def aligned_in_editions(user: Any, document_id: int, number: int) -> list[dict[str, Any]]:
    """A library paragraph (e.g. a precedent the finder found, a search hit) in the document's
    other language editions the user may read: the paragraph(s) the aligner pairs with it,
    each with its language, link and confidence. Works either way (English -> Russian, Russian
    -> English or Kazakh); [] when there is no other edition or no partner. The alignment of
    two versions is computed once (cached: a version never changes)."""
    doc = Document.objects.filter(pk=document_id).first()
    if doc is None or doc.current_version_id is None or not policy.can_view(user, doc):
        return []
    others = list(
        policy.visible(
            user,
            Document.objects.filter(
                translation_key=doc.translation_key, current_version__isnull=False
            )
            .exclude(pk=doc.pk)
            .order_by("language"),
        )
    )
    if not others:
        return []
    numbers = list(
        LibraryParagraph.objects.filter(version_id=doc.current_version_id)
        .order_by("number")
        .values_list("number", flat=True)
    )
    index = next((i for i, n in enumerate(numbers) if n == number), None)
    if index is None:
        return []
    out: list[dict[str, Any]] = []
    for other in others:
        assert other.current_version_id is not None
        partner = _library_partners(doc.current_version_id, other.current_version_id).get(index)
        if partner is None:
            continue
        indexes, confidence = partner
        target = list(
            LibraryParagraph.objects.filter(version_id=other.current_version_id)
            .order_by("number")
            .values_list("number", "text")[indexes[0] : indexes[-1] + 1]
        )
        if not target:
            continue
        out.append(
            {
                "language": other.language,
                "language_name": other.get_language_display(),
                "document": other.title,
                "document_id": other.pk,
                "paragraph": target[0][0],
                "text": "\n\n".join(t for _n, t in target),
                "url": f"{other.get_absolute_url()}#p{target[0][0]}",
                "confidence": round(confidence, 2),
            }
        )
    return out
