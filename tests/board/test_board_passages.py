"""Threads on a passage of a library document: shown beside the paragraph, listed on the
body's board, following the words into a new version, marked changed when they go, and never
wider than the document."""

from __future__ import annotations

import pytest

from secretariat.board.access import visible_threads
from secretariat.board.models import PassageAnchor
from secretariat.board.passages import do_open_passage_thread
from secretariat.documents import actions as library

pytestmark = pytest.mark.django_db

CBM = "The Parties reaffirm confidence-building measures in Asia."
V1 = f"Opening words of the text.\n\n{CBM}\n\nClosing words."
KEEPS = f"A new first paragraph.\n\nOpening words of the text.\n\n{CBM}\n\nClosing words."
DROPS = "Opening words of the text.\n\nThe Parties note cooperation.\n\nClosing words."


def _open(document, forum, user="ind"):
    return do_open_passage_thread(
        document,
        paragraph_number=2,
        quote="confidence-building  measures",
        subject="On CBMs",
        text="Should we say *all* CBMs?",
        actor=forum[user],
    )


def test_a_passage_thread_follows_its_words_or_is_marked_changed(
    forum, add_document, boards, client_for
) -> None:
    from secretariat.accounts.models import Body

    doc = add_document(
        V1, title="SWG draft", access_level="body", body=Body.objects.get(code="SWG")
    )
    thread = _open(doc, forum)
    assert thread.board == boards["swg"]
    page = client_for("chn").get(doc.get_absolute_url()).content.decode()
    assert "On CBMs" in page and "Comment on a passage" in page
    assert "On CBMs" in client_for("chn").get("/board/swg/").content.decode()
    # A new version that keeps the words: the anchor follows them to paragraph 3.
    library.do_add_version(
        doc, library.read_upload(KEEPS.encode(), "v2.txt"), comment="v2", actor=forum["secretariat"]
    )
    anchor = PassageAnchor.objects.get(thread=thread)
    assert (anchor.paragraph_number, anchor.changed) == (3, False)
    # One that drops them: the thread is marked "the passage has changed".
    library.do_add_version(
        doc, library.read_upload(DROPS.encode(), "v3.txt"), comment="v3", actor=forum["secretariat"]
    )
    anchor.refresh_from_db()
    assert anchor.changed
    assert (
        "the passage has changed" in client_for("chn").get(doc.get_absolute_url()).content.decode()
    )


def test_a_passage_thread_is_never_wider_than_its_document(
    forum, add_document, boards, client_for
) -> None:
    # A secretariat-only document with no body: its threads go to the forum-wide board,
    # whose audience is wider, but the thread stays as closed as the document.
    doc = add_document(V1, title="Internal", access_level="secretariat")
    thread = _open(doc, forum, user="secretariat")
    assert thread.board == boards["forum"]
    ind = client_for("ind")
    assert ind.get(thread.get_absolute_url()).status_code == 404
    assert "On CBMs" not in ind.get("/board/forum/").content.decode()
    assert not visible_threads(forum["ind"]).filter(pk=thread.pk).exists()
    assert client_for("secretariat").get(thread.get_absolute_url()).status_code == 200
    # Outsider of the document: no passage form either.
    assert ind.get(f"/board/passage/{doc.pk}/2/").status_code == 404
    # A reader (observer) of a public document may not open a thread (403).
    public = add_document(V1, title="Public", access_level="public")
    assert client_for("observer").get(f"/board/passage/{public.pk}/2/").status_code == 403


def test_words_not_in_the_paragraph_are_refused(forum, add_document, boards, client_for) -> None:
    doc = add_document(V1, title="Doc")
    r = client_for("ind").post(
        f"/board/passage/{doc.pk}/2/", {"quote": "not there", "subject": "S", "text": "T"}
    )
    assert r.status_code == 400
    assert not PassageAnchor.objects.exists()
    r = client_for("ind").post(
        f"/board/passage/{doc.pk}/2/", {"quote": "reaffirm", "subject": "S", "text": "T"}
    )
    assert r.status_code == 302
