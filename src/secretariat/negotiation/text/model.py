"""Plain dataclasses for a parsed negotiation draft.

A paragraph's ``content`` is an ordered tree of nodes (text runs, brackets, markers, notes...)
that the notation renderer walks to give the input back; the other attributes (``brackets``,
``positions``, ``notes``) are views over that tree for callers that do not care about order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

SUPPORT = "support"
OPPOSE = "oppose"

# Diagnostic severities. ``INTERNAL``: the engine itself failed (a bug), not the draft.
ERROR = "error"
WARNING = "warning"
INTERNAL = "internal"

# Paragraph kinds.
PREAMBULAR = "preambular"
OPERATIVE = "operative"
ITEM = "item"
PLAIN = "plain"
HEADING = "heading"
LEAD_IN = "lead_in"


@dataclass(slots=True)
class Position:
    """A delegation's stance on a bracket, an option or a paragraph."""

    delegation: str
    stance: str  # SUPPORT | OPPOSE
    qualifier: str | None = None
    # Source spelling: None -> render canonically, "" -> written inside the previous raw.
    raw: str | None = None
    lead: str = " "  # separator written before the marker (spaces, commas)
    known: bool = True


@dataclass(slots=True)
class Text:
    text: str
    style: str = "plain"  # plain | new | deleted


@dataclass(slots=True)
class Marker:
    """A paragraph-level position marker, kept where it was written."""

    position: Position


@dataclass(slots=True)
class Note:
    delegations: list[str]
    text: str
    raw: str | None = None


@dataclass(slots=True)
class Attribution:
    """UN style ``- US; G77 delete`` inside a bracket: positions, no words."""

    raw: str
    positions: list[Position]


@dataclass(slots=True)
class OptionSep:
    """A ``/`` between alternatives inside a bracket."""

    raw: str = " / "


@dataclass(slots=True)
class OptionLabel:
    """``Option 1:``, ``Option (a):``, ``Alt.`` starting an option block."""

    raw: str
    name: str


@dataclass(slots=True)
class Placeholder:
    raw: str  # ``{Placeholder for preamble}``


@dataclass(slots=True)
class StatusTag:
    raw: str  # ``[Agreed ad ref]``
    status: str


@dataclass(slots=True)
class Stray:
    """A ``]`` without a partner: kept so the text renders back, ignored otherwise."""

    raw: str = "]"


@dataclass(slots=True)
class Option:
    text: str
    positions: list[Position] = field(default_factory=list)
    label: str | None = None
    # ``Option I:`` alone on its line heads the paragraphs below it, up to its sibling
    # ``Option II:``: their indexes in ``Draft.paragraphs``.
    paragraphs: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Bracket:
    id: str
    parent: str | None = None
    children: list[Node] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    line: int = 0
    column: int = 0
    opens: bool = True  # False: continues a bracket opened in an earlier paragraph
    closes: bool = True  # False: continues into the next paragraph (or never closed)
    placeholder: bool = False
    label_inside: bool = False  # ``[PP5e. ...]``: the paragraph label is written inside
    text: str = ""


Node: TypeAlias = (
    Text
    | Bracket
    | Marker
    | Note
    | Attribution
    | OptionSep
    | OptionLabel
    | Placeholder
    | StatusTag
    | Stray
)


@dataclass(slots=True)
class Paragraph:
    label: str | None = None
    kind: str = PLAIN
    alternative_of: str | None = None
    content: list[Node] = field(default_factory=list)
    label_raw: str = ""  # how the label was written, e.g. ``PP4.`` or ``- e)``
    line: int = 0
    agreed: bool = False
    status: str | None = None  # e.g. ``agreed ad ref``
    text: str = ""
    brackets: list[Bracket] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    placeholder: str | None = None
    # Stable within a draft: the label made URL-safe (``PP5e-altern``), ``p3`` when unlabelled,
    # ``~2`` on a repeated label. Bracket ids start with it (``PP4-b1``). Set by the parser.
    key: str = ""

    def walk(self) -> Iterator[Node]:
        """Every node of the content tree, depth first, in document order."""
        yield from walk(self.content)


@dataclass(slots=True)
class Diagnostic:
    line: int
    column: int
    severity: str  # ERROR | WARNING | INTERNAL
    message: str


@dataclass(slots=True)
class Span:
    """A bracket that covers several paragraphs (indexes into ``Draft.paragraphs``)."""

    bracket_id: str
    first: int
    last: int


class UnknownParagraph(KeyError):
    """``Draft.paragraph(key)`` found no paragraph with that key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(slots=True)
class Draft:
    paragraphs: list[Paragraph] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dialect: str = "cica"
    spans: list[Span] = field(default_factory=list)

    def paragraph(self, key: str) -> Paragraph:
        """The paragraph with that key; ``UnknownParagraph`` (a KeyError) if there is none."""
        for p in self.paragraphs:
            if p.key == key:
                return p
        raise UnknownParagraph(key)

    def all_brackets(self) -> Iterator[Bracket]:
        for p in self.paragraphs:
            yield from p.brackets

    def all_positions(self) -> Iterator[Position]:
        """Every position in the draft: paragraph, bracket and option level."""
        for p in self.paragraphs:
            yield from p.positions
            for o in p.options:
                yield from o.positions
            for b in p.brackets:
                yield from b.positions
                for o in b.options:
                    yield from o.positions


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        if isinstance(node, Bracket):
            yield from walk(node.children)
