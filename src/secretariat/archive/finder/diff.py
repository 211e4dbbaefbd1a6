"""Word-level diff between a query and a found paragraph, for display."""

from __future__ import annotations

from difflib import SequenceMatcher

from .normalise import tokens_with_surface

_OPS = {"equal": "equal", "insert": "insert", "delete": "delete", "replace": "replace"}


def diff_words(query: str, text: str) -> list[dict[str, str]]:
    """Ops turning the query's words into the paragraph's words.

    Each op is {"op": "equal"|"insert"|"delete"|"replace", "query": words, "text": words}
    (words joined by single spaces). Words are compared after normalisation, so spelling
    variants (civilisation/civilization) and "can not"/"cannot" are "equal"; the op still
    shows each side's own spelling. Joining all "query" parts gives the query's words and
    joining all "text" parts gives the paragraph's words.
    """
    qa = tokens_with_surface(query)
    ta = tokens_with_surface(text)
    sm = SequenceMatcher(None, [n for n, _ in qa], [n for n, _ in ta], autojunk=False)
    ops: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        ops.append(
            {
                "op": _OPS[tag],
                "query": " ".join(s for _, s in qa[i1:i2]),
                "text": " ".join(s for _, s in ta[j1:j2]),
            }
        )
    return ops
