"""Issue 10, item 4: the dashboard's blocks and the library's list are cached fragments, keyed
by the content counter (`core.changes`) and the reader's access scope. A change shows at once;
a reader never gets HTML cached for a reader with other rights; readers of the same scope
share the library's entry (the second costs fewer queries)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts.access import scope_key
from secretariat.accounts.models import Body
from secretariat.core import changes
from secretariat.documents.models import Document

SECRET = "Zeta secretariat memo"
ICT = "Omega working group paper"


def queries(client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_change_shows_at_once_on_both_pages(forum, client_for, add_document) -> None:
    ind = client_for("ind")
    add_document("1. First text.\n", title="Alpha statement")
    for path in ("/", "/documents/"):
        page, first = queries(ind, path)
        assert "Alpha statement" in page
        again, second = queries(ind, path)
        assert again.count("Alpha statement") == page.count("Alpha statement")
        assert second < first, (path, first, second)  # the fragment came from the cache

    before = changes.stamp()
    document = add_document("1. Second text.\n", title="Beta statement")
    assert changes.stamp() != before
    for path in ("/", "/documents/"):
        assert "Beta statement" in ind.get(path).content.decode(), path

    document = Document.objects.get(pk=document.pk)
    document.title = "Delta statement"  # as the admin saves it
    document.save()
    for path in ("/", "/documents/"):
        page = ind.get(path).content.decode()
        assert "Delta statement" in page and "Beta statement" not in page, path


def test_readers_with_other_rights_never_share_html(forum, client_for, add_document) -> None:
    add_document("1. Secret.\n", title=SECRET, access_level="secretariat")
    add_document("1. ICT.\n", title=ICT, access_level="body", body=Body.objects.get(code="ICT-WG"))
    add_document("1. Open.\n", title="Members note", access_level="members")
    # The most entitled reader fills the cache first; the others must still not see more.
    seen = {}
    for username in ("secretariat", "chn", "ind", "isr"):
        client = client_for(username)
        seen[username] = {p: client.get(p).content.decode() for p in ("/", "/documents/")}
    for path in ("/", "/documents/"):
        assert SECRET in seen["secretariat"][path] and ICT in seen["secretariat"][path]
        for username in ("chn", "ind", "isr"):
            assert SECRET not in seen[username][path], (username, path)
        for username in ("ind", "isr"):
            assert ICT not in seen[username][path], (username, path)
    assert ICT in seen["chn"]["/documents/"]
    assert len({scope_key(forum[u]) for u in ("secretariat", "chn", "ind")}) == 3


def test_readers_of_one_scope_share_the_library(forum, client_for, add_document) -> None:
    add_document("1. Text.\n", title="Gamma statement")
    same = [u for u in ("ind", "isr") if scope_key(forum[u]) == scope_key(forum["ind"])]
    assert len(same) >= 2, "the demo has two delegates of one scope"
    one, other = client_for(same[0]), client_for(same[1])  # a login changes no fragment
    _, first = queries(one, "/documents/?status=adopted")
    page, second = queries(other, "/documents/?status=adopted")
    assert "Gamma statement" in page and second < first
    # Another query is another entry.
    withdrawn, _ = queries(other, "/documents/?status=withdrawn")
    assert "Gamma statement" not in withdrawn


def test_a_bulk_update_that_narrows_access_shows_at_once(forum, client_for, add_document) -> None:
    """`QuerySet.update` sends no signal; the fragments must still not show the title a moment
    longer to a reader who lost the right to see it."""
    document = add_document("1. Text.\n", title="Narrowed statement", access_level="members")
    ind = client_for("ind")
    for path in ("/", "/documents/"):
        assert "Narrowed statement" in ind.get(path).content.decode(), path  # now cached
    Document.objects.filter(pk=document.pk).update(access_level="secretariat")
    for path in ("/", "/documents/"):
        assert "Narrowed statement" not in ind.get(path).content.decode(), path
