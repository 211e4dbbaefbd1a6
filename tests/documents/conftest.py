"""Library fixtures: a finder index of the test's own, and documents made by the real actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "demo" / "corpus"


@pytest.fixture
def finder_index(settings, tmp_path) -> Iterator[Path]:
    """Each test gets an empty finder index directory (the database is rolled back; the
    index on disk must not outlive it)."""
    from secretariat.archive import finding

    settings.FINDER_INDEX_DIR = tmp_path / "finder-index"
    finding._open.clear()
    yield settings.FINDER_INDEX_DIR
    finding._open.clear()


@pytest.fixture
def add_document(forum, finder_index) -> Callable:
    """add_document("text" or b"bytes", title=..., status=..., ...) -> Document, registered by
    the secretariat through do_create_document."""
    from secretariat.documents import actions

    def add(content: str | bytes, filename: str = "doc.txt", **options) -> object:
        data = content.encode() if isinstance(content, str) else content
        upload = actions.read_upload(data, filename)
        options.setdefault("title", filename)
        options.setdefault("organization", "CICA")
        options.setdefault("status", "adopted")
        options.setdefault("access_level", "members")
        actor = options.pop("actor", forum["secretariat"])
        return actions.do_create_document(upload, actor=actor, **options)

    return add
