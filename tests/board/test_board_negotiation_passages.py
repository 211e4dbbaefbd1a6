"""Threads on a passage of a negotiation paragraph: opened on the words a reader sees, shown
beside the paragraph in the workspace, listed on the body's board, following the words by
paragraph key through edits of the working text and issued revisions, marked changed when the
words go, and never wider than the negotiation."""

from __future__ import annotations

import pytest

from secretariat.board.access import visible_threads
from secretariat.board.actions import BoardError
from secretariat.board.models import PassageAnchor
from secretariat.board.passages import do_open_negotiation_thread, negotiation_paragraphs
from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TEXT = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);

OP1. We hereby launch the negotiations process.
"""


def _start(forum, body="SWG"):
    from secretariat.accounts.models import Body
    from secretariat.negotiation.actions import do_import_negotiation

    return do_import_negotiation(
        title="Draft statement", body=Body.objects.get(code=body), text=TEXT,
        actor=forum["secretariat"],
    )  # fmt: skip


def _edit(negotiation, key, change, forum):
    from secretariat.negotiation import compiling
    from secretariat.negotiation.actions import do_edit_paragraph, working_revision

    working = working_revision(negotiation)
    seen = compiling.paragraph_notation(working.notation, key)
    assert seen is not None
    _, conflict = do_edit_paragraph(
        negotiation, working, key=key, notation=change(seen), seen=seen, actor=forum["chair"]
    )
    assert conflict is None


def _open(negotiation, forum, user="ind", key="PP1", quote="require  stronger\ncooperation"):
    return do_open_negotiation_thread(
        negotiation,
        paragraph_key=key,
        quote=quote,
        subject="On stronger cooperation",
        text="Should we say *closer*?",
        actor=forum[user],
    )


def test_words_as_seen_include_brackets_and_chips(forum) -> None:
    negotiation = _start(forum)
    words = negotiation_paragraphs(negotiation)
    assert words["PP2"].startswith("PP2. Reaffirming our commitment to the UN Charter [and to")
    assert "+CHN" in words["PP2"]
    with pytest.raises(BoardError):
        _open(negotiation, forum, quote="words that are not there")
    with pytest.raises(BoardError):
        _open(negotiation, forum, key="PP9")


def test_a_negotiation_thread_follows_its_words_or_is_marked_changed(
    forum, boards, client_for
) -> None:
    from secretariat.negotiation.actions import do_compile_revision

    negotiation = _start(forum)
    thread = _open(negotiation, forum)
    assert thread.board == boards["swg"]
    anchor = PassageAnchor.objects.get(thread=thread)
    assert (anchor.paragraph_key, anchor.quote) == ("PP1", "require stronger cooperation")
    chn = client_for("chn")
    page = chn.get(negotiation.get_absolute_url()).content.decode()
    assert "On stronger cooperation" in page and "Comment on a passage" in page
    # The quoted words are the text's own, marked with their language (a Russian page reads
    # them as English), as the thread's subject is.
    assert '“<span lang="en">require stronger cooperation</span>”' in page
    board = chn.get("/board/swg/").content.decode()
    assert "On stronger cooperation" in board and "on a passage of PP1" in board
    assert "Go to the paragraph" in chn.get(thread.get_absolute_url()).content.decode()
    # The chair rewrites another part of PP1, then a revision is issued: the words stay.
    _edit(negotiation, "PP1", lambda s: s.replace("Recognizing", "Noting"), forum)
    negotiation.refresh_from_db()
    anchor.refresh_from_db()
    assert not anchor.changed and anchor.version_id_seen == negotiation.version
    do_compile_revision(negotiation, actor=forum["chair"])
    negotiation.refresh_from_db()
    anchor.refresh_from_db()
    assert not anchor.changed and anchor.version_id_seen == negotiation.version
    # An edit that drops the words: "the passage has changed", audited.
    _edit(negotiation, "PP1", lambda s: s.replace("stronger cooperation", "cooperation"), forum)
    anchor.refresh_from_db()
    assert anchor.changed
    assert AuditEvent.objects.filter(action="board.anchor.follow", object_id=str(thread.pk))
    page = chn.get(negotiation.get_absolute_url()).content.decode()
    assert "the passage has changed" in page
    # The same words elsewhere in the text do not count: the anchor keeps to its paragraph.
    _edit(negotiation, "OP1", lambda s: s + " It will require stronger cooperation.", forum)
    anchor.refresh_from_db()
    assert anchor.changed


def test_a_negotiation_thread_is_never_wider_than_the_negotiation(
    forum, boards, client_for
) -> None:
    from secretariat.negotiation.models import Negotiation

    # ICT-WG (CHN, RUS, KAZ, IRAN, THA): IND is an outsider of the negotiation and its board.
    ict = _start(forum, body="ICT-WG")
    thread = _open(ict, forum, user="chn")
    ind = client_for("ind")
    assert ind.get(thread.get_absolute_url()).status_code == 404
    assert ind.get(f"/board/passage/n/{ict.pk}/PP1/").status_code == 404
    assert not visible_threads(forum["ind"]).filter(pk=thread.pk).exists()
    assert "On stronger cooperation" not in ind.get(ict.get_absolute_url()).content.decode()
    # A negotiation narrower than its body's board: the thread stays as closed as the text.
    swg = _start(forum)
    closed = _open(swg, forum, user="secretariat")
    Negotiation.objects.filter(pk=swg.pk).update(access_level="secretariat")
    assert closed.board == boards["swg"]
    assert ind.get(closed.get_absolute_url()).status_code == 404
    assert "On stronger cooperation" not in ind.get("/board/swg/").content.decode()
    assert client_for("secretariat").get(closed.get_absolute_url()).status_code == 200
    # A reader may not open one (observers read, they do not post).
    Negotiation.objects.filter(pk=swg.pk).update(access_level="members")
    assert client_for("observer").get(f"/board/passage/n/{swg.pk}/PP1/").status_code in (403, 404)


def test_the_passage_form_opens_a_thread(forum, boards, client_for) -> None:
    negotiation = _start(forum)
    chn = client_for("chn")
    url = f"/board/passage/n/{negotiation.pk}/PP2/"
    form = chn.get(url + "?q=the+UN+Charter").content.decode()
    assert "the UN Charter" in form and "Reaffirming our commitment" in form
    assert chn.get(f"/board/passage/n/{negotiation.pk}/PP9/").status_code == 404
    bad = chn.post(url, {"quote": "not there", "subject": "S", "text": "T"})
    assert (
        bad.status_code == 400 and "These words are not in the paragraph." in bad.content.decode()
    )
    nul = chn.post(url, {"quote": "UN\x00Charter", "subject": "S", "text": "T"})
    assert nul.status_code == 400
    made = chn.post(url, {"quote": "[and to its purposes]", "subject": "Purposes", "text": "Why?"})
    assert made.status_code == 302
    anchor = PassageAnchor.objects.get(thread__subject="Purposes")
    assert (anchor.negotiation_id, anchor.paragraph_key) == (negotiation.pk, "PP2")


def test_a_new_thread_shows_at_once_in_a_cached_workspace(forum, boards, client_for) -> None:
    """The workspace's paragraphs are cached (issue 10); the board's part beside them is put in
    per reader after the cache, so a new thread shows at once."""
    negotiation = _start(forum)
    chn = client_for("chn")
    assert "On stronger cooperation" not in chn.get(negotiation.get_absolute_url()).content.decode()
    _open(negotiation, forum)  # changes no paragraph: the cached fragments stay as they are
    page = chn.get(negotiation.get_absolute_url()).content.decode()
    assert "On stronger cooperation" in page and "Comment on a passage" in page
