"""Issue 9 leftovers, item 4: what the no-500 sweep found on PostgreSQL, each pinned. A NUL
in a list's or a search's text parameter (PostgreSQL refuses NUL in text: a DataError, so a
500) and a page number past any offset the database takes now answer the page, matching
nothing where nothing can match (a NUL is dropped)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/documents/?organization=CI%00CA",
        "/documents/?body=SWG%00&status=a%00b&language=%00",
        "/archive/?q=terror%00ism",
        "/archive/?q=terrorism&organization=%00",
        "/archive/?q=terrorism&page=999999999999999999999999999999",
        "/archive/?q=terrorism&page=-1",
        "/audit/?actor=a%00b&action=%00&object_type=x%00",
        "/documents/?page=99999999999999999999999",
    ],
)
def test_a_nul_or_a_huge_number_in_a_get_parameter_is_no_500(forum, client_for, add_document, path):
    add_document("1. Combating terrorism together.", title="Terrorism", organization="CICA")
    r = client_for("secretariat").get(path)
    assert r.status_code == 200, path


def test_a_nul_in_a_filter_is_dropped_and_the_filter_still_applies(forum, client_for, add_document):
    add_document("1. Combating terrorism together.", title="Terrorism paper", organization="CICA")
    client = client_for("ind")
    assert "Terrorism paper" in client.get("/documents/?organization=CI%00CA").content.decode()
    assert "Terrorism paper" not in client.get("/documents/?organization=OS%00CE").content.decode()
