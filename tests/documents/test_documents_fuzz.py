"""Outside input never breaks the library: any query searches, any text normalises, any bytes
are either read or rejected with a clear FileRejected (never another exception)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.documents import files, search, textnorm

ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(
    ['"', '"unclosed', "*", "a*", "-x", "AND OR NOT", "'; DROP", "NEAR(a b)", "ӘҚ*"]
)


@pytest.fixture
def library(forum, add_document) -> None:
    add_document("Terrorism can not be associated with any religion.\n\nМеры доверия.", "t.txt")


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=ANY_TEXT)
def test_any_query_searches_without_error(forum, library, query: str) -> None:
    result = search.search(forum["ind"], query)
    assert result.total >= len(result.hits)
    assert all(hit.score >= 0 for hit in result.hits)


@settings(max_examples=200, deadline=None)
@given(raw=ANY_TEXT)
def test_any_text_normalises_into_paragraphs(raw: str) -> None:
    paras = textnorm.paragraphs(raw)
    for para in paras:
        assert para.text.strip()
    textnorm.detect_date(raw)
    textnorm.guess_title(raw)


def _docx_like(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", payload)
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=400)
    | st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n" + b)
    | st.binary(max_size=200).map(_docx_like)
)
def test_any_bytes_are_read_or_rejected_plainly(data: bytes) -> None:
    try:
        sniffed = files.sniff(data)
        files.extract_text(sniffed.kind, data)
    except files.FileRejected as exc:
        assert str(exc)
