"""Fixtures for the negotiation text engine tests (pure Python: no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "src" / "secretariat" / "demo" / "corpus"
DATA = ROOT / "tests" / "data" / "text"


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return (CORPUS / "cica-2022-swg-circular-drafts.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_draft(corpus_text: str):
    from secretariat.negotiation.text import parse

    return parse(corpus_text)


@pytest.fixture(scope="session")
def geneva_text() -> str:
    return (CORPUS / "extra" / "unfccc_adp_geneva_negotiating_text_2015-02-12.txt").read_text(
        encoding="utf-8"
    )


@pytest.fixture(scope="session")
def paris_text() -> str:
    return (CORPUS / "extra" / "unfccc_adp_draft_agreement_2015-12-04.txt").read_text(
        encoding="utf-8"
    )


@pytest.fixture(scope="session")
def rev1_text() -> str:
    return (DATA / "astana-rev1.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def rev2_text() -> str:
    return (DATA / "astana-rev2.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """The engine has no Django: overrides the root conftest's settings-based fixture."""


@pytest.fixture(autouse=True)
def finder_index() -> None:
    """The root conftest's per-test finder index needs Django settings; not here."""
