"""The workspace's paragraphs are cached per state of the negotiation and kind of viewer: every
change shows at once for everyone, viewers with different rights or languages never get each
other's block, and the one per-viewer value (the CSRF token) is never shared. A busy paragraph
is collapsed on the whole page and its items come on demand (htmx, or its own page)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from secretariat.accounts.models import Role, User
from secretariat.negotiation import actions, engine, workspace
from secretariat.negotiation.models import Comment, Negotiation
from secretariat.negotiation.views.negotiations import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db


def _page(client: Client, negotiation: Negotiation) -> str:
    response = client.get(f"/negotiations/{negotiation.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert CSRF_PLACEHOLDER not in body
    return body


def _tokens_out(body: str) -> str:
    """The page without its CSRF tokens (masked afresh for each form and answer)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", body)


def _amend(negotiation: Negotiation, forum: dict, text: str, key: str = "PP1") -> object:
    amendment, conflict = actions.do_propose_amendment(
        negotiation,
        paragraph_key=key,
        kind="new_paragraph",
        text=text,
        code="CHN",
        actor=forum["chn"],
    )
    assert conflict is None
    return amendment


def test_the_cache_is_used_and_every_change_shows_at_once_for_everyone(
    small, forum, client_for
) -> None:
    ind, chn = client_for("ind"), client_for("chn")
    actions.do_comment(small, paragraph_key="PP1", text="First words.", actor=forum["rus"])
    _page(ind, small)
    _page(chn, small)
    # A row changed behind the actions' back (no row added, withdrawn or superseded) is not
    # seen: the paragraph comes from the cache ...
    Comment.objects.filter(negotiation=small).update(text="Unseen words.")
    assert "Unseen words." not in _page(ind, small)
    # ... and each change through the actions is seen at once by every viewer.
    amendment = _amend(small, forum, "We welcome the progress of the working group.")
    for client in (ind, chn):
        assert "We welcome the progress of the working group." in _page(client, small)
    actions.do_state_position(
        small,
        target_kind="amendment",
        target_key=str(amendment.pk),
        stance="oppose",
        qualifier="pending consultations with the capital",
        code="IND",
        actor=forum["ind"],
    )
    assert "pending consultations with the capital" in _page(chn, small)
    actions.do_comment(
        small, paragraph_key="OP1", text="A comment from Moscow.", actor=forum["rus"]
    )
    for client in (ind, chn):
        assert "A comment from Moscow." in _page(client, small)
    actions.do_withdraw_amendment(amendment, code="CHN", actor=forum["chn"])
    assert "We welcome the progress of the working group." not in _page(ind, small)
    working = actions.working_revision(small)
    seen = engine.render_paragraph_notation(engine.draft_of(working).paragraph("OP1"))
    _revision, conflict = actions.do_edit_paragraph(
        small,
        working,
        key="OP1",
        notation="OP1. We hereby launch the negotiations process with resolve.",
        seen=seen,
        actor=forum["chair"],
    )
    assert conflict is None
    assert "with resolve" in _page(chn, small)
    actions.do_compile_revision(small, actor=forum["chair"])
    body = _page(ind, small)
    assert "with resolve" in body
    assert f"Working draft (becomes Rev. {working.number + 1} when issued)" in body


def test_a_change_beside_one_paragraph_leaves_the_others_cached(small, forum, client_for):
    ind = client_for("ind")
    for key in ("PP1", "OP1"):
        actions.do_comment(
            small, paragraph_key=key, text=f"Old words on {key}.", actor=forum["rus"]
        )
    _page(ind, small)
    Comment.objects.filter(negotiation=small).update(text="Hidden words.")
    actions.do_comment(small, paragraph_key="OP1", text="New words on OP1.", actor=forum["chn"])
    body = _page(ind, small)
    assert "New words on OP1." in body
    para = {m.group(1): m.start() for m in re.finditer(r'<article[^>]* id="para-([^"]+)"', body)}
    op1 = body[para["OP1"] :]
    pp1 = body[para["PP1"] : para["PP2"]]
    assert "Hidden words." in op1  # rendered again: read afresh
    assert "Old words on PP1." in pp1 and "Hidden words." not in pp1  # still the cached one


def test_viewers_with_different_rights_never_get_each_others_block(
    small, forum, client_for
) -> None:
    chair, ind, chn = (client_for(n) for n in ("chair", "ind", "chn"))
    steering = _page(chair, small)  # the chair's block is cached first
    assert "Edit the working text of this paragraph (chair)" in steering
    as_ind = _page(ind, small)
    assert "Support as IND" in as_ind
    assert "Edit the working text" not in as_ind and "as CHAIR" not in as_ind
    as_chn = _page(chn, small)
    assert "Support as CHN" in as_chn and "as IND" not in as_chn
    again = _page(chair, small)  # from the cache: the same page, with a new token
    assert _tokens_out(again) == _tokens_out(steering)


def test_the_csrf_token_is_each_viewers_own(small, forum, client_for) -> None:
    """Two delegates of one delegation share the cached block; each gets a working form."""
    colleague = User.objects.create_user(
        username="ind2", password="x", role=Role.DELEGATE, delegation=forum["ind"].delegation
    )
    client_for("ind").get(f"/negotiations/{small.pk}/")  # fills the cache
    small.refresh_from_db()
    rights = dict(code="IND", steer=False, can_comment=True, can_map_codes=False)
    tally = workspace.tallies(small, {"PP1"})["PP1"]
    with translation.override("en"):
        key = workspace.fragment_key(small, actions.working_revision(small), "PP1", tally, **rights)
    assert cache.get(key) is not None
    second = Client(enforce_csrf_checks=True)
    second.force_login(colleague)
    body = _page(second, small)
    form = body[body.index(f'action="/negotiations/{small.pk}/p/PP1/comment/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    answer = second.post(
        f"/negotiations/{small.pk}/p/PP1/comment/",
        {"csrfmiddlewaretoken": token.group(1), "text": "Posted with my own token."},
    )
    assert answer.status_code == 302
    assert "Posted with my own token." in _page(second, small)


def test_a_russian_viewer_gets_the_russian_block(small, forum, client_for) -> None:
    english = _page(client_for("chn"), small)
    with translation.override("ru"):
        propose_ru = translation.gettext("Propose an amendment as %(code)s") % {"code": "RUS"}
        comment_ru = translation.gettext("Post comment")
    assert propose_ru != "Propose an amendment as RUS"
    rus = client_for("rus")
    rus.cookies["django_language"] = "ru"
    russian = _page(rus, small)
    assert propose_ru in russian and comment_ru in russian
    assert "Post comment" not in russian
    english_again = _page(client_for("ind"), small)
    assert "Post comment" in english and "Post comment" in english_again
    assert comment_ru not in english_again


def test_a_busy_paragraph_is_collapsed_and_its_items_come_on_demand(
    small, forum, client_for
) -> None:
    for n in range(workspace.COLLAPSE_OVER + 1):
        _amend(small, forum, f"Proposal number {n} of the delegation.")
    _amend(small, forum, "A quiet proposal on the second paragraph.", key="PP2")
    ind = client_for("ind")
    body = _page(ind, small)
    assert "Proposal number 3 of the delegation." not in body  # PP1 is collapsed
    assert "7 pending amendments</summary>" in body  # no empty count after it
    assert f'href="/negotiations/{small.pk}/p/PP1/activity/"' in body  # works without JS
    assert "A quiet proposal on the second paragraph." in body  # PP2 is not
    fragment = ind.get(f"/negotiations/{small.pk}/p/PP1/activity/", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text
    assert "Proposal number 3 of the delegation." in text and "Support as IND" in text
    page = ind.get(f"/negotiations/{small.pk}/p/PP1/activity/")
    assert page.status_code == 200
    full = page.content.decode()
    assert "<html" in full and "Proposal number 6 of the delegation." in full
    assert "7 pending amendments" not in full  # its own page shows everything
    assert ind.get(f"/negotiations/{small.pk}/p/NOPE/activity/").status_code == 404


def test_the_items_of_a_paragraph_are_refused_to_outsiders(
    small, start_negotiation, client_for
) -> None:
    other = start_negotiation(small.source_text, body="ICT-WG")
    assert client_for("isr").get(f"/negotiations/{other.pk}/p/PP1/activity/").status_code == 404
    assert client_for("chn").get(f"/negotiations/{other.pk}/p/PP1/activity/").status_code == 200


def test_the_page_does_not_grow_with_a_busy_paragraph_and_a_hit_skips_the_work(
    small, forum, client_for
) -> None:
    ind = client_for("ind")
    _amend(small, forum, "An open proposal.", key="PP2")  # PP2 stays open: its rows are read
    for n in range(10):
        _amend(small, forum, f"Proposal {n:03d} of the delegation.")
    # The token differs per answer; its length does not.
    few = len(_page(ind, small))
    for n in range(10, 40):
        _amend(small, forum, f"Proposal {n:03d} of the delegation.")
    from django.db import connection

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        many = len(_page(ind, small))
    assert few == many
    with CaptureQueriesContext(connection) as warm:
        assert len(_page(ind, small)) == many
    assert len(warm) < len(cold)

    def rows_loaded(ctx: CaptureQueriesContext) -> bool:  # whole amendments, not tallies
        return any('"negotiation_amendment"."base_text"' in q["sql"] for q in ctx.captured_queries)

    assert rows_loaded(cold) and not rows_loaded(warm)
