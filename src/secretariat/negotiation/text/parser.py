"""Read a draft in bracket notation into a :class:`Draft`. Never raises.

One regex pass finds the special tokens of a paragraph (brackets, parentheses, italic and
struck runs, option labels); the gaps between them are plain text.
"""

from __future__ import annotations

import bisect
import gc
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import dialects
from .labels import Label, match_label
from .model import (
    HEADING,
    INTERNAL,
    LEAD_IN,
    OPPOSE,
    PLAIN,
    SUPPORT,
    Attribution,
    Bracket,
    Diagnostic,
    Draft,
    Marker,
    Node,
    Note,
    Option,
    OptionLabel,
    OptionSep,
    Paragraph,
    Placeholder,
    Position,
    Span,
    StatusTag,
    Stray,
    Text,
)
from .pdfclean import Line, clean_lines, source_lines
from .register import Register, as_register
from .textutil import norm, text_of

_LATIN = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)"
# ``Option 1``, ``Option I``, ``Option ii``, ``Option (a)``, ``Option (b)(i)``, ``Option 1 bis.``,
# ``Option5 bis``, ``Option 2 alt.``, ``Option 1 (chapeau)``, ``Option I (paragraphs 21-23)``.
_OPTION_LABEL = (
    r"Option(?:\s+|(?=\d))"
    r"(?P<oid>\d+|[IVX]{1,5}|[ivx]{1,4}|[A-Z]|\([A-Za-z0-9]{1,4}\)(?:\([ivx]{1,4}\))?)"
    rf"(?P<olatin>\s?{_LATIN}(?![a-z]))?\.?(?P<oalt>\s+alt\.?)?"
    r"(?:\s*\([^()\[\]\n]{1,80}\))?"
)
_OPTION_TOKEN = re.sub(r"\(\?P<\w+>", "(?:", _OPTION_LABEL)  # no groups: ``split`` keeps groups

# Every alternative starts with a literal character, which lets ``re`` skip plain text fast;
# the kind of token is then told from its first characters.
TOKEN = re.compile(
    r"\[(?:\s*Agreed(?:\s+ad\s+ref)?\s*\])?"  # ``[`` or the status tag ``[Agreed ad ref]``
    r"|\]"
    r"|\([^()\[\]\n]*\)"  # a marker, a note or prose
    r"|\*(?:\*|(?![\s*])[^*\[\]\n]*?(?<![\s*])\*)"  # ``**`` (bold, kept) or ``*new*``
    r"|~~(?![\s~])[^~\[\]\n]*?(?<![\s~])~~"  # ``~~deleted~~``
    r"|\{[^{}\[\]\n]*\}"  # ``{Placeholder ...}``
    rf"|{_OPTION_TOKEN}\s*:?"  # without a colon only when it stands alone on its line
    r"|Alt\.?\s?\d*\s*:"
)
_TOKEN_SPLIT = re.compile(f"({TOKEN.pattern})")  # TOKEN has no group of its own
_MARKER_ITEM = r"\s*([+-])\s*([A-Z][A-Z0-9]*)((?:\s+[^()\[\],;+\-\s][^()\[\],;]*)?)\s*"
MARKER = re.compile(rf"\({_MARKER_ITEM}(?:[,;]?{_MARKER_ITEM})*\)")
_MARKER_LIKE = re.compile(r"\(\s*[+-]\s*(?:[A-Za-z][^()]*)?\)")  # ``(+)``, ``(-ish)``: typos
_MARKER_ONE = re.compile(_MARKER_ITEM)
NOTE = re.compile(r"\(\s*([A-Z][A-Za-z0-9]*(?:\s*,\s*[A-Z][A-Za-z0-9]*)*)(\s*:.*|\s+.*|)\)$")
_GAP = re.compile(r"[\s,]*")
_SLASH = re.compile(r"\s+/\s+")
_TERMINAL_TAIL = re.compile(r"(?:\s*\([^()]*\)|[\s,*\]\"”’'])+$")
_BLOCK_BRACKET_START = re.compile(r"^[\[{]")
# A line ending a sentence or a clause (then maybe quotes and closing brackets).
_PREV_ENDS = re.compile(r"(?:[,;.:][\"”’]?|[\"”’])\]*\s*$")
MAX_DEPTH = 50  # real drafts nest three or four levels; this keeps every walk shallow
_OPTION_START = re.compile(rf"\[?\s*(?:{_OPTION_TOKEN}\s*(?::|$)|Alt\.?\s?\d*\s*:)")
_OPTION_ANY = re.compile(rf"(?<!\w)(?:{_OPTION_TOKEN}|Alt\.?\s?\d*)\s*:")
_LOWER = re.compile(r"^[a-zа-яё]")
_OPTION_NEXT = re.compile(rf"[\s\].,;]*(?:{_OPTION_TOKEN}|Alt\.?\s?\d*)\s*:")  # ``;] Option 2:``
_OPTION_NAME = re.compile(_OPTION_LABEL)
# A line that starts an option block: ``Option 2: ...``, ``[Option 1: ...``, ``Option I`` alone.
_OPTION_LINE = re.compile(rf"\[?\s*{_OPTION_LABEL}\s*(?::|$)")
_ENDS_WITH_OPTION = re.compile(rf"(?:^|\s|\[){_OPTION_LABEL}\s*:?\s*$")
# What may come before the option label that opens a block (after the paragraph label).
_LEADING_OPTION = re.compile(rf"(?P<bracket>[\s\[]*)(?:{_OPTION_LABEL}\s*(?::|$))")
# Words a bracket may follow and still open a block: brackets, or an option label.
_BLOCK_LEAD = re.compile(rf"[\s\[]*(?:{_OPTION_LABEL}\s*:?[\s\[]*)?")
# After its label, an option that heads the paragraphs below it says nothing or only which.
_HEADS_BLOCK = re.compile(r"[\s\[\]]*(?:\((?:paragraphs?|paras?\.?)\b[^()]*\)[\s\]]*:?[\s\]]*)?")
_SHORT_BRACE = re.compile(r"\{[^{}]{1,40}\}")
_CAPS_HEADING = re.compile(r"(?:[IVX]+\.|[A-Z]\.)?[\sA-Z\-–,()]+")


def option_name(raw: str) -> str:
    """``Option 1 bis.:`` -> ``Option 1bis``; ``Option I (paragraphs 2-3):`` -> ``Option I``.

    A number of three digits or more is a PDF footnote glued on (``Option 167``: option 1,
    footnotes 6 and 7): no draft has a hundred options.
    """
    m = _OPTION_NAME.match(raw)
    if m is None:
        return raw.rstrip(": ").strip()
    oid = m.group("oid")
    if oid.isdigit() and len(oid) >= 3:
        oid = oid[0]
    latin = (m.group("olatin") or "").strip()
    alt = " alt." if m.group("oalt") else ""
    return f"Option {oid}{latin}{alt}"


def option_family(raw: str) -> str:
    """The numbering style of an option label: siblings share it, nested sets differ."""
    m = _OPTION_NAME.match(raw)
    if m is None:
        return "alt"
    oid = m.group("oid")
    if oid.isdigit():
        return "1"
    if oid[0] == "(":
        return "(a)"
    if oid[0] in "IVX":
        return "I"
    if oid[0] in "ivx":
        return "i"
    return "A"


@dataclass(slots=True)
class Block:
    text: str
    offsets: list[int]  # start offset of each source piece in ``text``
    places: list[tuple[int, int]]  # (line, column 0-based) of each piece
    label: Label | None = None  # the label at the start (merging only appends text)

    def where(self, offset: int) -> tuple[int, int]:
        offsets = self.offsets
        if len(offsets) == 1:  # a one-line block, the usual case: no search
            line, col = self.places[0]
            return line, col + (offset - offsets[0]) + 1
        i = bisect.bisect_right(offsets, offset) - 1
        i = i if i > 0 else 0
        line, col = self.places[i]
        return line, col + (offset - offsets[i]) + 1


@dataclass(slots=True)
class _OpenOption:
    """An option whose label heads the paragraphs below it (``Option I:`` then ``1.``, ``2.``)."""

    family: str  # numbering style (see ``option_family``): a sibling closes the block
    para: int  # index of the paragraph with the label
    label: OptionLabel
    last: int = -1  # index of the last paragraph of the block


@dataclass
class _Context:
    register: Register
    dialect: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    origins: dict[str, Bracket] = field(default_factory=dict)
    first_para: dict[str, int] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    keys: dict[str, int] = field(default_factory=dict)
    optioned: set[int] = field(default_factory=set)  # id() of paragraphs with option labels
    open_options: list[_OpenOption] = field(default_factory=list)  # nested, outer first
    option_blocks: list[_OpenOption] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)  # bracket id -> open option blocks
    bracket_option: dict[str, str] = field(default_factory=dict)  # ``[Option 1: ...``: family
    # Brackets carried on trial: opened mid-paragraph, kept open into the next block only
    # because that block goes on with no label (a line cut before a ``[``).
    soft: set[str] = field(default_factory=set)
    simple_markers: dict[str, tuple[str, str, str | None] | bool] = field(default_factory=dict)

    def report(self, block: Block, offset: int, severity: str, message: str) -> None:
        line, col = block.where(offset)
        self.diagnostics.append(Diagnostic(line, col, severity, message))


def parse(
    text: str,
    *,
    register: Register | Mapping[str, str] | None = None,
    dialect: str | None = None,
) -> Draft:
    """Parse a draft; malformed input gives diagnostics and a best-effort structure."""
    try:
        with _gc_paused():
            return _parse_text(text, register, dialect)
    except Exception as exc:  # a bug must not take the caller down: report it instead
        draft = Draft()
        # Its own severity: a fault of the engine, not of the draft; tests assert none occurs.
        draft.diagnostics.append(Diagnostic(1, 1, INTERNAL, f"internal parser error: {exc!r}"))
        return draft


_gc_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while a parse runs, then put it back as it was.

    A parse allocates ~10^5 small objects that all live on, so the collector's passes are
    pure cost. Measured on the 1000-paragraph bench draft, best of 15 interleaved runs on a
    shared machine: 71-100 ms paused against 99-126 ms running (``gc.freeze()`` gained
    nothing consistent); on the 210 KB Paris text no difference. The GC switch is
    process-wide: the first parse in records the state and the last one out restores it,
    so concurrent parses in threads never leave it off, and a caller that had switched it
    off keeps it off.
    """
    global _gc_users, _gc_was_enabled
    with _gc_lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_was_enabled:
                gc.enable()


def _parse_text(
    text: str, register: Register | Mapping[str, str] | None, dialect: str | None
) -> Draft:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if dialect not in dialects.DIALECTS:
        dialect = dialects.detect(text[:100_000])  # the opening pages are enough to tell
    reg = as_register(register)
    if dialect == dialects.UN:
        reg = reg.merged(dialects.un_register())
        lines = clean_lines(text)
    else:
        lines = source_lines(text)
    ctx = _Context(reg, dialect)
    draft = Draft(dialect=dialect)
    carry: list[Bracket] = []
    for block in _merge_continued(_blocks(lines, dialect == dialects.UN)):
        index = len(draft.paragraphs)
        carry = _enter_block(ctx, block, index, carry)
        para, carry = _parse_block(ctx, block, index, carry)
        draft.paragraphs.append(para)
        _open_option_block(ctx, block, para, index)
    for origin in carry:
        ctx.diagnostics.append(
            Diagnostic(origin.line, origin.column, "error", "'[' is never closed")
        )
    for ob in ctx.open_options:
        ob.last = len(draft.paragraphs) - 1
    _finish(draft, ctx)
    draft.spans = ctx.spans
    draft.diagnostics = sorted(ctx.diagnostics, key=lambda d: (d.line, d.column))
    return draft


# -- blocks -------------------------------------------------------------------------------


def _starts_block(line: str, label: Label | None, prev: str, un: bool = False) -> bool:
    if label is not None or line.startswith("- "):
        return True
    if _OPTION_LINE.match(line):  # ``Option 2: ...`` starts a block of its own
        return True
    if _ENDS_WITH_OPTION.search(prev):  # ``13. Option 1:`` then its words on the next line
        return False
    if line.startswith("[") and _is_caps_heading(prev):  # ``A. DRAFT AGREEMENT`` / ``[The ...``
        return True
    if un and prev.rstrip(" ]").endswith(","):
        return False  # UN texts wrap lines before a ``[`` in mid-sentence
    if un and _SHORT_BRACE.fullmatch(line):
        return True  # ``{Unilateral measures}``: a heading
    return bool(_BLOCK_BRACKET_START.match(line) and _PREV_ENDS.search(prev))


def _blocks(lines: list[Line], un: bool = False) -> list[Block]:
    blocks: list[Block] = []
    # The lines of each block, joined once at the end: ``+=`` per line is quadratic.
    pieces: list[list[str]] = []
    parts: list[str] = []
    size = 0  # len("".join(parts))
    cur: Block | None = None
    prev = ""
    glue = False
    for ln in lines:
        if not ln.text:
            cur, prev = None, ""
            continue
        label = match_label(ln.text)
        if cur is None or (not glue and _starts_block(ln.text, label, prev, un)):
            cur = Block(ln.text, [0], [(ln.no, ln.col)], label)
            blocks.append(cur)
            parts, size = [ln.text], len(ln.text)
            pieces.append(parts)
        else:
            sep = "" if glue else " "
            cur.offsets.append(size + len(sep))
            cur.places.append((ln.no, ln.col))
            parts.append(sep + ln.text)
            size += len(sep) + len(ln.text)
        prev, glue = ln.text, ln.glue
    for block, parts in zip(blocks, pieces, strict=True):
        if len(parts) > 1:
            block.text = "".join(parts)
    return blocks


def _ends_with_colon(text: str) -> bool:
    return text.rstrip(" \t]").endswith(":")


def _ends_sentence(text: str) -> bool:
    tail = _TERMINAL_TAIL.sub("", text)
    return tail.endswith((".", ";", ":", "!", "?"))


def _merge_continued(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break: no terminal punctuation, next block starts lowercase.

    ``Option 2: ...`` after a paragraph that has ``Option 1: ...`` is that paragraph's too.
    """
    out: list[Block] = []
    for b in blocks:
        if out and (
            (_LOWER.match(b.text) and b.label is None and not _ends_sentence(out[-1].text))
            or (b.label is None and _joins_options(out[-1].text, b.text))
        ):
            last = out[-1]
            shift = len(last.text) + 1
            last.offsets.extend(o + shift for o in b.offsets)
            last.places.extend(b.places)
            last.text += " " + b.text
        else:
            out.append(b)
    return out


def _joins_options(prev: str, text: str) -> bool:
    """``Option 2: ...`` after ``Option 1: ...`` (same numbering) or after a lead-in ``...:``."""
    start = _OPTION_START.match(text)
    if start is None:
        return False
    labels = list(_OPTION_ANY.finditer(prev))
    if labels:
        return option_family(labels[-1].group().lstrip()) == option_family(
            start.group().lstrip("[ \t")
        )
    # A lead-in takes its options, but a label alone heads the paragraphs below it instead.
    return prev.endswith(":") and not _ENDS_WITH_OPTION.search(text)


# -- option blocks -------------------------------------------------------------------------


def _is_boundary(block: Block) -> bool:
    """An article, a chapter heading in capitals or a short ``{Timing}`` heading: no option
    block and no bracket of a UN text goes on past one."""
    if block.label is not None:
        return block.label.label.startswith("Article")
    text = block.text.strip()
    if _SHORT_BRACE.fullmatch(text):
        return True
    return _is_caps_heading(text)


def _is_caps_heading(text: str) -> bool:
    # The regex fails at the first small letter: cheap on ordinary paragraphs.
    return _CAPS_HEADING.fullmatch(text) is not None and sum(map(str.isupper, text)) >= 4


def _enter_block(ctx: _Context, block: Block, index: int, carry: list[Bracket]) -> list[Bracket]:
    """Close the option blocks (and the brackets inside them) that this paragraph ends."""
    body = block.text[block.label.end :] if block.label is not None else block.text
    lead = _LEADING_OPTION.match(body)
    family = option_family(body[lead.end("bracket") :]) if lead is not None else None
    stack = ctx.open_options
    boundary = _is_boundary(block)
    if boundary:
        cut = 0
    elif family is not None:
        # A sibling closes its elder and whatever was nested in it; another style nests.
        cut = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].family == family), -1)
        cut = len(stack) if cut < 0 else cut
    else:
        cut = len(stack)
    for ob in stack[cut:]:
        ob.last = index - 1
    del stack[cut:]
    if not carry:
        return carry
    for i, origin in enumerate(carry):
        if origin.id in ctx.soft and (block.label is not None or lead or boundary):
            for lost in carry[i:]:
                ctx.diagnostics.append(
                    Diagnostic(lost.line, lost.column, "error", "'[' not closed")
                )
            carry = carry[:i]
            break
    own = lead is not None and "[" in lead.group("bracket")  # ``[Option 2: ...``
    for i, origin in enumerate(carry):
        bid = origin.id
        if (
            boundary
            or ctx.depth.get(bid, 0) > cut
            # ``[Option 1: ...`` then ``[Option 2: ...``: each option has its own bracket.
            or (own and ctx.bracket_option.get(bid) == family and ctx.depth.get(bid, 0) >= cut)
        ):
            for lost in carry[i:]:
                ctx.diagnostics.append(
                    Diagnostic(lost.line, lost.column, "error", "'[' is never closed")
                )
            return carry[:i]
    return carry


def _open_option_block(ctx: _Context, block: Block, para: Paragraph, index: int) -> None:
    """A paragraph whose last option has no words of its own heads the paragraphs below."""
    if id(para) not in ctx.optioned:
        return
    last: OptionLabel | None = None
    for node in para.walk():
        if isinstance(node, OptionLabel):
            last = node
    if last is None or not last.raw.startswith("Option"):
        return
    rest = block.text[block.text.rfind(last.raw) + len(last.raw) :]
    if _HEADS_BLOCK.fullmatch(rest) or rest.rstrip(" ]").endswith(":"):
        ob = _OpenOption(option_family(last.raw), index, last)
        ctx.open_options.append(ob)
        ctx.option_blocks.append(ob)


def _alone_on_line(block: Block, text: str, at: int, end: int, start: int) -> bool:
    """A label without a colon counts only on a line of its own: ``Option II``."""
    offsets = block.offsets
    i = bisect.bisect_right(offsets, at) - 1
    line_start = max(offsets[i] if i >= 0 else 0, start)
    line_end = offsets[i + 1] if i + 1 < len(offsets) else len(text)
    return not text[line_start:at].strip(" [") and not text[end:line_end].strip()


# -- one paragraph ------------------------------------------------------------------------


_NON_WORD = re.compile(r"[^\w]+")


def _key(ctx: _Context, label: str | None, index: int) -> str:
    base = _NON_WORD.sub("-", label).strip("-") if label else f"p{index + 1}"
    base = base or f"p{index + 1}"
    n = ctx.keys.get(base, 0) + 1
    ctx.keys[base] = n
    return base if n == 1 else f"{base}~{n}"


class _Builder:
    # Slots and cached bound methods: this runs for every token of every paragraph.
    __slots__ = (
        "block",
        "count",
        "ctx",
        "excess",
        "index",
        "key",
        "last_closed",
        "nodes",
        "opened",
        "para",
        "resolve",
        "stack",
        "un",
    )  # fmt: skip

    def __init__(self, ctx: _Context, block: Block, para: Paragraph, key: str, index: int):
        self.ctx, self.block, self.para, self.key, self.index = ctx, block, para, key, index
        self.stack: list[Bracket] = []
        self.nodes: list[Node] = para.content  # where new nodes go: the innermost bracket
        self.count = 0
        self.last_closed: Bracket | None = None
        self.excess = 0  # ``[`` beyond MAX_DEPTH, read as text
        self.opened: dict[str, int] = {}  # bracket id -> offset of its ``[`` in the block
        reg = ctx.register
        # ``resolve`` is a dict lookup: skip the method call unless a subclass changed it.
        plain = type(reg).resolve is Register.resolve
        self.resolve = reg.aliases.get if plain else reg.resolve
        self.un = ctx.dialect == dialects.UN

    def open(self, offset: int, *, label_inside: bool = False) -> Bracket:
        self.count += 1
        line, col = self.block.where(offset)
        stack = self.stack
        bid = f"{self.key}-b{self.count}"
        # All fields positional, lists given: quicker than keywords and default factories.
        b = Bracket(bid, stack[-1].id if stack else None, [], [], [], line, col, True, True)
        b.label_inside = label_inside
        self.nodes.append(b)
        stack.append(b)
        self.nodes = b.children
        ctx = self.ctx
        ctx.origins[bid] = b
        ctx.first_para[bid] = self.index
        if self.un:
            self.opened[bid] = offset
            ctx.depth[bid] = len(ctx.open_options)
        return b

    def continue_(self, origin: Bracket) -> None:
        seg = Bracket(origin.id, origin.parent, opens=False, line=origin.line, column=origin.column)
        self.nodes.append(seg)
        self.stack.append(seg)
        self.nodes = seg.children

    def stray(self, offset: int, raw: str) -> None:
        self.nodes.append(Stray(raw))
        self.ctx.report(self.block, offset, "error", "']' without a matching '['")
        self.last_closed = None

    def close(self, offset: int, raw: str) -> None:
        stack = self.stack
        if not stack:
            self.stray(offset, raw)
            return
        b = stack.pop()
        self.nodes = stack[-1].children if stack else self.para.content
        if not b.opens:
            first = self.ctx.first_para.get(b.id, self.index)
            self.ctx.spans.append(Span(b.id, first, self.index))
        for n in b.children:  # empty unless it holds words, a bracket or a placeholder
            if n.text.strip() if type(n) is Text else isinstance(n, Bracket | Placeholder):
                break
        else:
            self.ctx.report(self.block, offset, "warning", "empty bracket")
        if self.un:
            _un_bracket(self.ctx, self.block, offset, b)
        self.last_closed = b

    def text(self, s: str) -> None:
        if not s:
            return
        nodes = self.nodes
        if nodes:
            last = nodes[-1]
            if type(last) is Text and last.style == "plain":
                last.text += s
                return
        nodes.append(Text(s))

    def paren(self, offset: int, raw: str, gap: str) -> bool:
        """A marker or a note; False when the parenthesis is prose (``(SWG)``, ``(1)``)."""
        if MARKER.fullmatch(raw):
            self.markers(offset, raw, gap, _MARKER_ONE.findall(raw[1:-1]))
            return True
        if _MARKER_LIKE.fullmatch(raw):
            self.ctx.report(self.block, offset, "warning", f"malformed position marker {raw!r}")
            return False
        return self.note(raw, gap)

    def markers(self, offset: int, raw: str, gap: str, items: list[tuple[str, str, str]]) -> None:
        """``(+CHN)``, ``(+IRAN with reservation)``, ``(+CHN, -IND)``: to a bracket or in place."""
        positions = []
        resolve = self.resolve
        for i, (sign, code, qual) in enumerate(items):
            canonical = resolve(code)
            if canonical is None:
                self.ctx.report(self.block, offset, "warning", f"unknown delegation code {code!r}")
            positions.append(
                Position(
                    canonical or code,
                    SUPPORT if sign == "+" else OPPOSE,
                    qual.strip() or None,
                    raw if i == 0 else "",
                    "",
                    canonical is not None,
                )
            )
        target = self.last_closed
        # Only spaces and commas between ``]`` and the marker: it belongs to that bracket.
        if target is not None and (not gap or gap.isspace() or _GAP.fullmatch(gap)):
            positions[0].lead = gap
            target.positions.extend(positions)
            if not target.opens:  # closes a bracket opened in an earlier paragraph
                self.ctx.origins[target.id].positions.extend(positions)
        else:
            nodes = self.nodes
            if not gap.strip() and not nodes and not self.stack:
                self.ctx.report(self.block, offset, "warning", "position marker before any text")
            self.text(gap)
            self.last_closed = None
            nodes.extend([Marker(p) for p in positions])

    def note(self, raw: str, gap: str) -> bool:
        m = NOTE.match(raw)
        if m is None:
            return False
        codes = [c.strip() for c in m.group(1).split(",")]
        resolved = [self.resolve(c) for c in codes]
        if any(r is None for r in resolved):
            return False
        rest = m.group(2).strip()
        rest = rest[1:].strip() if rest.startswith(":") else rest
        self.text(gap)
        self.last_closed = None
        self.nodes.append(Note([r for r in resolved if r], rest, raw=raw))
        return True


def _simple_marker(
    raw: str, resolve: Callable[[str], str | None]
) -> tuple[str, str, str | None] | bool:
    """``(+CHN)`` -> (code, stance, canonical code or None); False for any other parenthesis."""
    code = raw[2:-1]
    if raw[1] in "+-" and code.isalnum() and code.isupper() and code[0].isalpha():
        return code, SUPPORT if raw[1] == "+" else OPPOSE, resolve(code)
    return False


def _parse_block(
    ctx: _Context, block: Block, index: int, carry: list[Bracket]
) -> tuple[Paragraph, list[Bracket]]:
    text = block.text
    para = Paragraph(line=block.places[0][0])
    lab = block.label
    start = 0
    if lab is not None:
        para.label, para.kind, para.alternative_of = lab.label, lab.kind, lab.alternative_of
        para.label_raw = lab.raw
        start = lab.end
    para.key = _key(ctx, para.label, index)
    b = _Builder(ctx, block, para, para.key, index)
    for origin in carry:
        b.continue_(origin)
    if lab is not None and lab.inside_bracket:
        b.open(0, label_inside=True)
    # Gaps and tokens alternate: [gap, token, gap, ..., token, gap]. Splitting is cheaper than
    # match objects; offsets are summed from the lengths. ``pos``: start of the unread text.
    pieces = _TOKEN_SPLIT.split(text[start:] if start else text)
    pos = end = start
    resolve = b.resolve
    simple_markers = ctx.simple_markers
    for k in range(1, len(pieces), 2):
        raw = pieces[k]
        first = raw[0]
        gap_start = end  # the end of the previous token
        at = end + len(pieces[k - 1])
        end = at + len(raw)
        if first == "(":
            # A draft repeats a few dozen markers thousands of times: read each spelling once.
            simple = simple_markers.get(raw)
            if simple is None:
                simple = simple_markers[raw] = _simple_marker(raw, resolve)
            if isinstance(simple, tuple):  # the common ``(+CHN)``
                code, stance, canonical = simple
                gap = pieces[k - 1] if pos == gap_start else text[pos:at]
                target = b.last_closed
                if target is not None and canonical is not None and (not gap or gap.isspace()):
                    # Fast path of ``markers``: a known code right after ``]``.
                    p = Position(canonical, stance, None, raw, gap)
                    target.positions.append(p)
                    if not target.opens:  # closes a bracket opened in an earlier paragraph
                        ctx.origins[target.id].positions.append(p)
                else:
                    b.markers(at, raw, gap, [(raw[1], code, "")])
                pos = end
            elif b.paren(at, raw, text[pos:at]):
                pos = end
            continue  # prose: stays in the gap, read as text
        if (first == "O" or first == "A") and at and text[at - 1].isalnum():
            continue  # ``NATOption``: not a word of its own
        if first == "O" and raw[-1] != ":" and not _alone_on_line(block, text, at, end, start):
            continue  # ``see Option 1 above``: a reference, not a label
        if at > pos:
            gap = pieces[k - 1] if pos == gap_start else text[pos:at]
            nodes = b.nodes  # ``b.text(gap)``, inlined: the gap before most tokens
            last = nodes[-1] if nodes else None
            if type(last) is Text and last.style == "plain":
                last.text += gap
            else:
                nodes.append(Text(gap))
            if b.last_closed is not None and not gap.isspace():
                b.last_closed = None
        pos = end
        if raw == "[":
            if len(b.stack) + len(carry) >= MAX_DEPTH or b.excess:
                # Deeper than any real draft: keep the sign as text so writers stay flat.
                if not b.excess:
                    ctx.report(block, at, "error", "brackets nested too deeply")
                b.excess += 1
                b.text("[")
            else:
                b.open(at)
            b.last_closed = None
        elif first == "]":
            if b.excess:
                b.excess -= 1
                b.text("]")
            elif (
                b.stack
                and not b.stack[-1].opens
                and b.stack[-1].id not in ctx.bracket_option
                and _OPTION_NEXT.match(text, end) is not None
            ):
                # ``22. Option 1: ... Agreement;] Option 2: ...``: a ``]`` that ends one
                # option of a paragraph cannot close a section opened paragraphs above.
                b.stray(at, "]")
            else:
                b.close(at, "]")
        else:
            b.last_closed = None
            if first == "[":
                b.nodes.append(StatusTag(raw, "agreed ad ref"))
                para.status = "agreed ad ref"
            elif raw == "**":
                b.text(raw)
            elif first == "*":
                b.nodes.append(Text(raw[1:-1], "new"))
            elif first == "~":
                b.nodes.append(Text(raw[2:-2], "deleted"))
            elif first == "{":
                b.nodes.append(Placeholder(raw))
            else:
                name = option_name(raw) if first == "O" else raw.rstrip(": ").strip()
                if (
                    b.stack
                    and b.stack[-1].opens
                    and not any(type(n) is not Text or n.text.strip() for n in b.stack[-1].children)
                ):
                    ctx.bracket_option[b.stack[-1].id] = option_family(raw)  # ``[Option 1:``
                b.nodes.append(OptionLabel(raw, name))
                ctx.optioned.add(id(para))
    b.text(text[pos:])
    new_carry: list[Bracket] = []
    if b.stack:
        if ctx.dialect == dialects.UN:
            # A bracketed section goes on over the next paragraphs: a bracket carried in, or
            # one opened at the start of the paragraph (after its labels) or before a list
            # (the paragraph ends with ``:``). Any other ``[`` is the source's own slip.
            lead_in = _ends_with_colon(text)
            soft = ctx.soft
            for k, seg in enumerate(b.stack):
                seg.closes = False
                opened = b.opened.get(seg.id)  # None: carried in from an earlier paragraph
                if len(new_carry) == k and (
                    (opened is None and seg.id not in soft)
                    or lead_in
                    or (opened is not None and opened <= start)  # ``[1. ...``: label inside
                    or (
                        opened is not None
                        and _BLOCK_LEAD.fullmatch(text, start, opened) is not None
                    )
                ):
                    soft.discard(seg.id)
                    new_carry.append(ctx.origins[seg.id])
                elif len(new_carry) == k and opened is not None:
                    soft.add(seg.id)  # on trial: the next block may close it
                    new_carry.append(ctx.origins[seg.id])
                else:
                    ctx.diagnostics.append(
                        Diagnostic(seg.line, seg.column, "error", "'[' not closed")
                    )
            new_carry = new_carry[:MAX_DEPTH]
        else:
            for seg in b.stack:
                seg.closes = False
                ctx.diagnostics.append(Diagnostic(seg.line, seg.column, "error", "'[' not closed"))
    return para, new_carry


# -- UN conventions inside a bracket -------------------------------------------------------


def _un_bracket(ctx: _Context, block: Block, offset: int, b: Bracket) -> None:
    """Split ``a / b`` alternatives and read ``- US; G77 delete`` attributions."""
    children: list[Node] = []
    for node in b.children:
        if (
            isinstance(node, Text)
            and node.style == "plain"
            and "/" in node.text  # cheap test first
            and _SLASH.search(node.text)
        ):
            last = 0
            for m in _SLASH.finditer(node.text):
                if m.start() > last:
                    children.append(Text(node.text[last : m.start()]))
                children.append(OptionSep(m.group()))
                last = m.end()
            if last < len(node.text):
                children.append(Text(node.text[last:]))
        else:
            children.append(node)
    # Attribution at the end of each option (or of the whole bracket).
    out: list[Node] = []
    segments: list[list[Node]] = [[]]
    for node in children:
        if isinstance(node, OptionSep):
            segments.append([])
        segments[-1].append(node)
    for seg in segments:
        tail = seg[-1] if seg else None
        if isinstance(tail, Text) and tail.style == "plain":
            # An attribution has a dash: skip the regex, which tries every position, without one.
            found = dialects.ATTRIBUTION.search(tail.text) if "-" in tail.text else None
            # An attribution follows the words it is about: ``[- US]`` alone is not one.
            if found is not None and (tail.text[: found.start()].strip() or len(seg) > 1):
                unknown: list[str] = []
                positions = dialects.parse_attribution(found.group("body"), ctx.register, unknown)
                for name in unknown:
                    ctx.report(block, offset, "warning", f"unknown delegation or group {name!r}")
                before = tail.text[: found.start()]
                seg[-1:] = ([Text(before)] if before else []) + [
                    Attribution(tail.text[found.start() :], positions)
                ]
        out.extend(seg)
    b.children = out


# -- derived facts -------------------------------------------------------------------------


def _options(nodes: list[Node], by_label: dict[int, Option]) -> list[Option]:
    """Options of a container: split at ``/`` separators or ``Option N:`` labels.

    ``by_label`` gets each labelled option under ``id()`` of its label node.
    """
    has_sep = any(isinstance(n, OptionSep) for n in nodes)
    has_label = any(isinstance(n, OptionLabel) for n in nodes)
    if not has_sep and not has_label:
        return []
    options: list[Option] = []
    cur: list[Node] = []
    label: OptionLabel | None = None
    started = has_sep  # with labels, words before the first label belong to no option

    def flush() -> None:
        if started:
            positions = [p for n in cur if isinstance(n, Attribution) for p in n.positions]
            option = Option(norm(text_of(cur)), positions, label.name if label else None)
            options.append(option)
            if label is not None:
                by_label[id(label)] = option

    for n in nodes:
        if isinstance(n, OptionSep | OptionLabel):
            flush()
            cur = []
            started = True
            label = n if isinstance(n, OptionLabel) else None
        else:
            cur.append(n)
    flush()
    return options


def _option_nodes(nodes: list[Node]) -> list[Node]:
    """The paragraph's nodes with brackets carried in from earlier paragraphs opened up."""
    if not nodes or type(nodes[0]) is not Bracket or nodes[0].opens:
        return nodes  # a carried bracket is always the first node
    out: list[Node] = []
    for n in nodes:
        if type(n) is Bracket and not n.opens:
            out.extend(_option_nodes(n.children))
        else:
            out.append(n)
    return out


@dataclass(slots=True)
class _Facts:
    """What one walk over a paragraph's content collects."""

    para: Paragraph
    rich: bool  # options and attributions possible (UN, or ``Option N:`` labels)
    origins: dict[str, Bracket]
    continued: dict[str, list[str]]  # text of later segments of multi-paragraph brackets
    by_label: dict[int, Option]
    brackets: list[Bracket] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _visit(nodes: list[Node], f: _Facts) -> str:
    """Collect the paragraph's facts; returns the raw words of ``nodes``."""
    parts: list[str] = []
    add = parts.append
    for n in nodes:
        if type(n) is Text:
            add(n.text)
        elif type(n) is Bracket:
            if n.opens:
                f.brackets.append(n)
                f.origins[n.id] = n
            inner = _visit(n.children, f)
            add(" ")
            add(inner)
            add(" ")
            n.text = norm(inner)
            if f.rich:
                # A bracket carried in from an earlier paragraph is transparent: the options
                # written inside it are this paragraph's (see ``_option_nodes``).
                n.options = _options(n.children, f.by_label) if n.opens else []
                if not n.options:
                    n.positions = _bracket_positions(n)
            if not n.opens:
                f.continued.setdefault(n.id, []).append(n.text)
            if n.placeholder or n.text[:11].lower() == "placeholder":
                n.placeholder = True
                f.para.placeholder = f.para.placeholder or n.text
        elif type(n) is Marker:
            f.positions.append(n.position)
            add(" ")
        elif type(n) is Note:
            f.notes.append(n)
            add(" ")
        else:
            if type(n) is Placeholder:
                f.para.placeholder = f.para.placeholder or n.raw.strip("{} ")
            add(text_of([n]))
    return "".join(parts)


def _finish(draft: Draft, ctx: _Context) -> None:
    origins: dict[str, Bracket] = {}
    continued: dict[str, list[str]] = {}
    by_label: dict[int, Option] = {}
    for para in draft.paragraphs:
        rich = draft.dialect != dialects.CICA or id(para) in ctx.optioned
        f = _Facts(para, rich, origins, continued, by_label)
        para.text = norm(_visit(para.content, f))
        para.brackets, para.positions, para.notes = f.brackets, f.positions, f.notes
        para.options = _options(_option_nodes(para.content), by_label) if rich else []
        in_bracket = Bracket in map(type, para.content)  # ``any(type(n) is Bracket ...)``
        if para.label is None and not in_bracket and not f.positions and not f.notes:
            para.kind = _block_kind(para.text) or para.kind
        pending = (
            in_bracket
            or f.notes
            or para.options  # options: still a choice
            or any(p.stance == OPPOSE for p in f.positions)
        )
        para.agreed = para.status is not None or not pending
    for bid, texts in continued.items():
        if bid in origins:
            origins[bid].text = norm(" ".join([origins[bid].text, *texts]))
    for ob in ctx.option_blocks:
        option = by_label.get(id(ob.label))
        if option is None or ob.last <= ob.para:
            continue
        option.paragraphs = list(range(ob.para + 1, ob.last + 1))
        for i in option.paragraphs:  # words of an option not chosen yet are not agreed
            para = draft.paragraphs[i]
            para.agreed = para.agreed and para.status is not None


def _bracket_positions(b: Bracket) -> list[Position]:
    attributed = [p for n in b.children if isinstance(n, Attribution) for p in n.positions]
    seen = {id(p) for p in attributed}
    return attributed + [p for p in b.positions if id(p) not in seen]


_HEADING_WORDS = 30


def _block_kind(text: str) -> str | None:
    bare = text.strip("* ").strip()
    if not bare:
        return PLAIN
    if bare.endswith(":"):
        return LEAD_IN
    if text.startswith("**"):
        return HEADING
    if bare.endswith((".", ";", ",")) or len(bare.split()) > _HEADING_WORDS:
        return None
    if bare[0].isupper() or bare[0].isdigit() or text.startswith("**"):
        return HEADING
    return None
