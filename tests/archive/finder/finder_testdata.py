"""Test data helpers for the finder tests (a plain module: a unique name, so it can never be
confused with another directory's conftest)."""

from __future__ import annotations

import os
import re

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "src"))
CORPUS = os.path.join(SRC, "secretariat", "demo", "corpus")


def corpus_paragraphs(name: str, min_words: int = 8) -> list[str]:
    """Non-empty lines of a demo corpus file with list markers ("- 7.") stripped."""
    with open(os.path.join(CORPUS, name), encoding="utf-8") as fh:
        lines = [re.sub(r"^[-\u2022\s]*\d*\.?\s*", "", ln).strip() for ln in fh]
    return [ln for ln in lines if len(ln.split()) >= min_words]
