"""Hypothesis strategies for well-formed drafts in CICA notation (test helper; needs hypothesis).

Every draft generated here must read back exactly: labels, nested brackets with markers
right after them, paragraph-level markers, notes, new and deleted runs, bracketed paragraphs.
"""

from __future__ import annotations

from hypothesis import strategies as st

CODES = ["CHN", "IND", "RUS", "ISR", "IRAN", "CHAIR", "PAL", "TUR"]
word = st.text(alphabet="abcdefghijklmnoprstuvw", min_size=1, max_size=8)
words = st.lists(word, min_size=1, max_size=5).map(" ".join)
marker = st.builds(
    lambda sign, code, qual: f"({sign}{code}{' ' + qual if qual else ''})",
    st.sampled_from("+-"),
    st.sampled_from(CODES),
    st.one_of(st.none(), st.just("with reservation")),
)
markers = st.lists(marker, max_size=3).flatmap(
    lambda ms: st.lists(st.sampled_from([" ", ", "]), min_size=len(ms), max_size=len(ms)).map(
        lambda seps: "".join(s + m for s, m in zip(seps, ms, strict=True))
    )
)
note = st.builds(
    lambda codes, text: f"({', '.join(codes)}: {text})",
    st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True),
    words,
)


def _bracket(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda body, ms: f"[{body}]{ms}", inner, markers)


content = st.recursive(
    words,
    lambda inner: st.lists(
        st.one_of(
            words,
            _bracket(inner),
            words.map(lambda w: f"*{w}*"),
            words.map(lambda w: f"~~{w}~~"),
        ),
        min_size=1,
        max_size=4,
    ).map(lambda parts: " ".join(parts) + " " + "tail"),
    max_leaves=8,
)
element = st.one_of(
    content,
    st.builds(lambda w, m: f"{w} {m}", words, marker),  # paragraph-level marker
    st.builds(lambda w, n: f"{w} {n}", words, note),
)


@st.composite
def paragraph(draw: st.DrawFn, n: int) -> str:
    label = draw(st.sampled_from([f"PP{n}.", f"OP{n}.", f"{n}.", f"({n})", "- a)", ""]))
    body = "Start " + " ".join(draw(st.lists(element, min_size=1, max_size=4)))
    end = draw(st.sampled_from([".", ";"]))
    text = f"{label} {body}{end}".strip()
    if label and draw(st.booleans()):
        text = f"[{text}]{draw(markers)}"  # the whole paragraph bracketed, label inside
    return text


@st.composite
def draft_text(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=1, max_value=5))
    return "\n\n".join(draw(paragraph(i + 1)) for i in range(n)) + "\n"


# -- UN style ------------------------------------------------------------------------------

UN_NAMES = ["US", "EU", "G77", "Canada", "Japan", "AOSIS"]
attribution = st.builds(
    lambda groups: " - " + "; ".join(groups),
    st.lists(
        st.builds(
            lambda names, verb: ", ".join(names) + verb,
            st.lists(st.sampled_from(UN_NAMES), min_size=1, max_size=3, unique=True),
            st.sampled_from(["", " delete", " retain"]),
        ),
        min_size=1,
        max_size=2,
    ),
)
un_alternative = st.builds(lambda w, a: w + (a or ""), words, st.one_of(st.none(), attribution))
un_bracket = st.lists(un_alternative, min_size=1, max_size=3).map(lambda o: f"[{' / '.join(o)}]")
un_content = st.lists(st.one_of(words, un_bracket), min_size=1, max_size=5).map(" ".join)


@st.composite
def un_paragraph(draw: st.DrawFn, n: int) -> str:
    label = draw(st.sampled_from([f"{n}.", f"Pp{n}", f"{n} bis.", f"{n}ter."]))
    if draw(st.booleans()):
        options = draw(st.lists(un_content, min_size=2, max_size=3))
        body = " ".join(f"Option {i + 1}: Start {o}." for i, o in enumerate(options))
    else:
        body = f"Start {draw(un_content)}."
    tag = draw(st.sampled_from(["", " [Agreed ad ref]"]))
    return f"{label} {body}{tag}"


@st.composite
def un_draft_text(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=1, max_value=4))
    return "\n\n".join(draw(un_paragraph(i + 1)) for i in range(n)) + "\n"
