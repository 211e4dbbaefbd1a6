"""Fixtures for the finder engine tests (pure Python + numpy, no Django)."""

from __future__ import annotations

import os
import sys

import pytest

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "src"))
if SRC not in sys.path:  # the finder needs no Django settings, only the package on the path
    sys.path.insert(0, SRC)


@pytest.fixture
def index_dir(tmp_path):
    return str(tmp_path / "finder-index")


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """The repo-wide autouse fixture needs pytest-django's `settings`; the finder has no
    Django, so it is overridden here (these tests also run with `-p no:django`)."""


@pytest.fixture(autouse=True)
def finder_index() -> None:
    """The root conftest's per-test finder index needs Django settings; not here."""
