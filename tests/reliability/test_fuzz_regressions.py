"""Inputs found by `benchmarks/fuzz.py`, replayed on every run.

`tests/data/fuzz/parse/` holds inputs for the notation parser, `tests/data/fuzz/files/` for the
library's file readers: crashes (each marked xfail(strict=True) below with its reason until the
owner of the code fixes it) and inputs the fuzzer kept because they reached new code. Each must
go through the same checks as in the fuzzer: the parser reports no internal error and renders;
a file is read or rejected with FileRejected, never another exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secretariat.documents.files import FileRejected, extract_text, sniff
from secretariat.negotiation.text import parse, render_html, render_notation

DATA = Path(__file__).resolve().parents[1] / "data" / "fuzz"

# Crashes not fixed yet: file name -> reason (the code is not ours to change here).
KNOWN_CRASHES: dict[str, str] = {}


def inputs(target: str) -> list:
    paths = sorted((DATA / target).glob("*"))
    return [
        pytest.param(
            p,
            id=p.name[:16],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_CRASHES[p.name])]
            if p.name in KNOWN_CRASHES
            else [],
        )
        for p in paths
        if p.is_file()
    ]


@pytest.mark.parametrize("path", inputs("parse"))
def test_the_parser_reads_every_fuzzed_input(path: Path) -> None:
    draft = parse(path.read_bytes().decode("utf-8", "replace"))
    internal = [d.message for d in draft.diagnostics if "internal parser error" in d.message]
    assert internal == []
    assert isinstance(render_notation(draft), str)
    assert isinstance(render_html(draft), str)


@pytest.mark.parametrize("path", inputs("files"))
def test_the_file_readers_read_or_reject_every_fuzzed_input(path: Path) -> None:
    data = path.read_bytes()
    try:
        text = extract_text(sniff(data).kind, data)
    except FileRejected as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)
