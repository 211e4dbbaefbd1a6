"""At the HTTP level: who sees what, who acts for whom, frozen revisions, conflicts, pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretariat.negotiation import actions, engine
from secretariat.negotiation.models import Amendment, Position

TEXTS = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"

pytestmark = pytest.mark.django_db

CONCEPT = (
    "- e) Improving cooperation to respond to the criminal use of ICTs [based on an "
    "internationally agreed legal framework] (-ISR) [~~in accordance with~~] (-ISR) [taking "
    "into account] (+ISR) the CICA Catalogue of CBMs] (+CHAIR) (+RUS).\n"
)


def _para(neg, key):
    draft = engine.draft_of(actions.working_revision(neg))
    return engine.render_paragraph_notation(draft.paragraph(key))


def test_a_delegate_acts_for_their_own_delegation_only(small, client_for):
    ind = client_for("ind")
    r = ind.post(
        f"/negotiations/{small.pk}/p/PP1/amend/",
        {
            "kind": "insert",
            "anchor": "require",
            "text": "much",
            "delegation": "CHN",
            "seen": _para(small, "PP1"),
        },
    )
    assert r.status_code == 302
    assert Amendment.objects.get().delegation_code == "IND"  # the forged field is ignored
    r = ind.post(
        f"/negotiations/{small.pk}/position/",
        {
            "target_kind": "bracket",
            "target_key": "PP2-b1",
            "stance": "oppose",
            "paragraph": "PP2",
            "delegation_code": "CHN",
        },
    )
    assert r.status_code == 302
    assert Position.objects.get().delegation_code == "IND"


def test_a_delegate_cannot_withdraw_another_delegations_amendment(small, forum, client_for):
    amendment, _c = actions.do_propose_amendment(
        small,
        paragraph_key="PP1",
        kind="insert",
        anchor="require",
        text="much",
        code="CHN",
        actor=forum["chn"],
    )
    r = client_for("ind").post(f"/negotiations/{small.pk}/amendments/{amendment.pk}/withdraw/")
    assert r.status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED


def test_only_the_proposing_delegation_resubmits_its_draft_amendment(small, forum, client_for):
    amendment, _c = actions.do_propose_amendment(
        small,
        paragraph_key="PP1",
        kind="insert",
        anchor="require",
        text="much",
        code="CHN",
        actor=forum["chn"],
    )
    Amendment.objects.filter(pk=amendment.pk).update(status=Amendment.Status.DRAFT)
    url = f"/negotiations/{small.pk}/amendments/{amendment.pk}/resubmit/"
    assert client_for("ind").post(url).status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.DRAFT
    r = client_for("chn").post(url, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "Amendment submitted." in r.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED
    assert (
        client_for("chn").post(f"/negotiations/{small.pk}/amendments/999999/resubmit/").status_code
        == 404
    )


def test_outsiders_get_404_on_a_negotiation_of_a_body_they_are_not_in(
    start_negotiation, client_for
):
    neg = start_negotiation(CONCEPT, body="ICT-WG")
    isr = client_for("isr")
    for url in (
        "",
        "podium/",
        "podium/text/",
        "podium/version/",
        "revisions/",
        "revisions/1.txt",
        "dashboard/",
        "decisions/",
    ):
        assert isr.get(f"/negotiations/{neg.pk}/{url}").status_code == 404, url
    assert (
        isr.post(
            f"/negotiations/{neg.pk}/position/",
            {"target_kind": "paragraph", "target_key": "e", "stance": "oppose"},
        ).status_code
        == 404
    )
    assert neg.title not in isr.get("/negotiations/").content.decode()
    assert client_for("rus").get(f"/negotiations/{neg.pk}/").status_code == 200


def test_an_observer_cannot_act(small, client_for, forum):
    forum["observer"]  # observers read public content only: the body's text is not theirs
    obs = client_for("observer")
    assert (
        obs.post(
            f"/negotiations/{small.pk}/p/PP1/amend/",
            {"kind": "insert", "anchor": "require", "text": "x"},
        ).status_code
        == 404
    )
    assert not Amendment.objects.exists()


def test_nobody_changes_a_frozen_revision(small, client_for):
    # The steering users reach the action, which refuses (409); a delegate may not steer (403).
    for who, status in (("chair", 409), ("secretariat", 409), ("ind", 403)):
        c = client_for(who)
        r = c.post(
            f"/negotiations/{small.pk}/rev/1/resolve/",
            {"bracket": "PP2-b1", "keep": "1", "paragraph": "PP2"},
        )
        assert r.status_code == status, who
        r = c.post(
            f"/negotiations/{small.pk}/rev/1/p/PP1/edit/",
            {"notation": "PP1. Changed.", "seen": _para(small, "PP1")},
        )
        assert r.status_code == status, who
    assert small.revisions.get(number=1).notation == small.revisions.get(number=2).notation
    # ...while the working draft is the chair's to edit.
    r = client_for("chair").post(
        f"/negotiations/{small.pk}/rev/2/resolve/",
        {"bracket": "PP2-b1", "keep": "1", "paragraph": "PP2"},
    )
    # Without JavaScript too, the answer is the paragraph with the resolve's Undo button.
    assert r.status_code == 200 and "data-undo" in r.content.decode()
    assert "[" not in _para(small, "PP2")


def test_a_delegate_cannot_edit_the_working_text(small, client_for):
    r = client_for("ind").post(
        f"/negotiations/{small.pk}/rev/2/p/PP1/edit/",
        {"notation": "PP1. Mine.", "seen": _para(small, "PP1")},
    )
    assert r.status_code == 403


def test_a_stale_write_shows_both_versions_and_keeps_the_input(small, client_for):
    seen = _para(small, "PP1")
    chair = client_for("chair")
    assert (
        chair.post(
            f"/negotiations/{small.pk}/rev/2/p/PP1/edit/",
            {"notation": seen.replace("rapid", "swift"), "seen": seen},
        ).status_code
        == 302
    )
    r = client_for("chn").post(
        f"/negotiations/{small.pk}/p/PP1/amend/",
        {"kind": "replace", "anchor": "stronger", "text": "closer", "seen": seen},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert "modified in the meantime" in body
    assert "closer" in body and "swift" in body
    assert Amendment.objects.get().status == Amendment.Status.DRAFT


def test_the_workspace_shows_status_brackets_and_holders(astana, client_for):
    body = client_for("ind").get(f"/negotiations/{astana.pk}/").content.decode()
    assert 'id="para-PP5b"' in body
    assert "neg-chip-disputed" in body and "neg-chip-agreed" in body
    assert "Propose an amendment as IND" in body
    assert "Agreed language" in body


def test_the_agreed_language_panel_answers_with_an_empty_archive(astana, client_for):
    r = client_for("ind").get(f"/negotiations/{astana.pk}/p/PP4/agreed-language/")
    assert r.status_code == 200
    assert "No close adopted wording found in the archive." in r.content.decode()
    assert (
        client_for("ind").get(f"/negotiations/{astana.pk}/p/NOPE/agreed-language/").status_code
        == 404
    )


def test_agreed_language_can_be_proposed_in_one_click(astana, client_for, monkeypatch):
    from secretariat.archive import finding

    hit = {
        "document": "Almaty Summit Declaration",
        "symbol": None,
        "date": "2006-06-17",
        "paragraph": 4,
        "score": 0.91,
        "text": "Remaining convinced that multilateral cooperation is essential.",
        "diff": [{"op": "equal", "query": "Remaining", "text": "Remaining"}],
        "url": "/documents/1/#p4",
    }
    monkeypatch.setattr(finding, "closest_language", lambda user, text, k=1: [hit])
    ind = client_for("ind")
    panel = ind.get(f"/negotiations/{astana.pk}/p/PP4/agreed-language/").content.decode()
    assert "Almaty Summit Declaration" in panel and "Propose this wording as IND" in panel
    r = ind.post(
        f"/negotiations/{astana.pk}/p/PP4/amend/",
        {"kind": "alternative", "text": hit["text"], "seen": _para(astana, "PP4")},
    )
    assert r.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.kind == "alternative" and amendment.delegation_code == "IND"


def test_malformed_draft_is_imported_with_its_diagnostics_beside_the_lines(client_for):

    text = (TEXTS / "concept-paper-ict.txt").read_text()
    r = client_for("secretariat").post(
        "/negotiations/import/",
        {
            "title": "Concept paper ICT",
            "body": _body_id("ICT-WG"),
            "text": text,
            "chair_code": "CHAIR",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/source/")
    page = client_for("secretariat").get(r["Location"]).content.decode()
    assert "without a matching" in page
    assert 'class="neg-has-diagnostic"' in page
    line = next(i for i, s in enumerate(text.split("\n"), 1) if "CICA Catalogue of CBMs]" in s)
    assert f'id="line-{line}" value="{line}" class="neg-has-diagnostic"' in page


def _body_id(code: str) -> int:
    from secretariat.accounts.models import Body

    return Body.objects.get(code=code).pk


def test_pages_render(astana, forum, client_for):
    a, _c = actions.do_propose_amendment(
        astana,
        paragraph_key="PP1",
        kind="insert",
        anchor="require",
        text="much",
        code="CHN",
        actor=forum["chn"],
    )
    actions.do_compile_revision(astana, actor=forum["chair"])
    c = client_for("chair")
    base = f"/negotiations/{astana.pk}/"
    for url in (
        "",
        "revisions/",
        "revisions/2/",
        "compare/?a=1&b=2",
        "sheet/",
        f"sheet/?id={a.pk}",
        "dashboard/",
        "decisions/",
        "compile/",
        "podium/",
        "podium/version/",
        "p/PP1/",
        "source/",
    ):
        r = c.get(base + url)
        assert r.status_code == 200, url
    assert c.get(base + "revisions/2.txt").content.decode().count("(+CHN)") >= 1
    docx = c.get(base + "revisions/2.docx")
    assert docx.content[:2] == b"PK"
    assert "<svg" in c.get(base + "dashboard/").content.decode()
    assert c.get("/negotiations/").status_code == 200
    v = c.get(base + "podium/version/").json()["version"]
    assert c.get(base + f"podium/text/?since={v}").status_code == 204
    assert c.get(base + "podium/text/?since=0").status_code == 200


def test_silence_over_http(small, forum, client_for):
    chair = client_for("chair")
    chair.post(
        f"/negotiations/{small.pk}/rev/2/resolve/",
        {"bracket": "PP2-b1", "keep": "1", "paragraph": "PP2"},
    )
    r = chair.post(
        f"/negotiations/{small.pk}/decisions/silence/",
        {"date": "2099-10-12", "time": "18:00", "time_zone": "Asia/Almaty"},
    )
    assert r.status_code == 302
    silence = small.silences.get()
    assert silence.deadline.isoformat() == "2099-10-12T13:00:00+00:00"
    url = f"/negotiations/{small.pk}/decisions/silence/{silence.pk}/break/"
    assert client_for("isr").post(url, {"reason": ""}).status_code == 400
    assert client_for("observer").post(url, {"reason": "x"}).status_code == 404
    assert client_for("isr").post(url, {"reason": "OP1 is premature"}).status_code == 302
    silence.refresh_from_db()
    assert silence.state == "broken" and silence.broken_code == "ISR"


def test_dashboard_block_lists_visible_negotiations(small, forum):
    from secretariat.negotiation.dashboard import whats_new

    assert whats_new(forum["ind"])[0]["items"][0]["text"] == small.title
    assert whats_new(forum["observer"])[0]["items"] == []


def test_unknown_codes_are_shown_and_the_secretariat_maps_them(start_negotiation, client_for):
    from secretariat.accounts.models import Delegation

    neg = start_negotiation("PP1. Text [more words] (+XYZ) (-IND);\n")
    assert actions.unknown_codes(neg) == ["XYZ"]
    page = client_for("secretariat").get(f"/negotiations/{neg.pk}/source/").content.decode()
    assert "<code>XYZ</code>" in page
    assert "unknown delegation code" in page
    r = client_for("ind").post(
        f"/negotiations/{neg.pk}/source/map-code/",
        {"alias": "XYZ", "delegation": Delegation.objects.get(code="CHN").pk},
    )
    assert r.status_code == 403
    client_for("secretariat").post(
        f"/negotiations/{neg.pk}/source/map-code/",
        {"alias": "XYZ", "delegation": Delegation.objects.get(code="CHN").pk},
    )
    assert actions.unknown_codes(neg) == []
    bracket = engine.draft_of(actions.working_revision(neg)).paragraphs[0].brackets[0]
    assert [(p.delegation, p.stance, p.qualifier) for p in bracket.positions] == [
        ("CHN", "support", None),
        ("IND", "oppose", None),
    ]


def test_importing_the_astana_podium_version_through_the_form_shows_the_engines_counts(
    client_for,
):
    text = (TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8")
    draft = engine.parse(text)
    with (TEXTS / "astana-statement-podium.txt").open("rb") as fh:
        r = client_for("secretariat").post(
            "/negotiations/import/",
            {"title": "Astana", "body": _body_id("SWG"), "chair_code": "CHAIR", "file": fh},
        )
    assert r.status_code == 302
    page = client_for("ind").get(r["Location"]).content.decode()
    text = engine.negotiable(draft)  # the two title lines are headings, not paragraphs
    agreed = sum(p.agreed for p in text)
    brackets = sum(len(p.brackets) for p in text)
    assert (
        f'<strong data-count="agreed">{agreed}</strong> of '
        f'<span data-count="paragraphs">{len(text)}</span> paragraphs agreed'
    ) in page
    assert f'<strong data-count="brackets">{brackets}</strong> open brackets' in page


def test_comments_are_threaded_and_positions_can_be_withdrawn(small, client_for):
    ind, chn = client_for("ind"), client_for("chn")
    ind.post(f"/negotiations/{small.pk}/p/PP2/comment/", {"text": "Why this wording?"})
    parent = small.comments.get()
    chn.post(f"/negotiations/{small.pk}/p/PP2/comment/", {"text": "Charter.", "parent": parent.pk})
    assert parent.replies.get().delegation_code == "CHN"
    assert (
        client_for("observer")
        .post(f"/negotiations/{small.pk}/p/PP2/comment/", {"text": "x"})
        .status_code
        == 404
    )
    ind.post(
        f"/negotiations/{small.pk}/position/",
        {"target_kind": "paragraph", "target_key": "PP2", "stance": "oppose", "paragraph": "PP2"},
    )
    position = Position.objects.get()
    assert (
        chn.post(f"/negotiations/{small.pk}/positions/{position.pk}/withdraw/").status_code == 403
    )
    ind.post(f"/negotiations/{small.pk}/positions/{position.pk}/withdraw/")
    position.refresh_from_db()
    assert position.withdrawn_at is not None


def test_a_negotiation_starts_from_a_library_document(forum, client_for):
    pytest.importorskip("secretariat.documents.actions")
    from django.apps import apps

    if not apps.is_installed("secretariat.documents"):
        pytest.skip("the library is not installed")
    from secretariat.documents import actions as documents

    text = (TEXTS / "plan-of-action.txt").read_text(encoding="utf-8")
    upload = documents.read_upload(text.encode(), "plan-of-action.txt")
    document = documents.do_create_document(
        upload, title="Draft Plan of Action", organization="CICA", actor=forum["secretariat"]
    )
    r = client_for("secretariat").post(
        "/negotiations/import/",
        {"title": "", "body": _body_id("SWG"), "chair_code": "CHAIR", "document": document.pk},
    )
    assert r.status_code == 302
    from secretariat.negotiation.models import Negotiation

    neg = Negotiation.objects.get(source_document_id=document.pk)
    assert neg.title == "Draft Plan of Action"
    draft = engine.draft_of(actions.working_revision(neg))
    assert engine.summary(draft).objections.get("IRAN") == 2


def test_the_workspace_query_count_does_not_grow_with_amendments(
    astana, forum, client_for, django_assert_max_num_queries
):
    for key in ("PP1", "PP2", "PP3", "OP1", "OP2"):
        amendment, _c = actions.do_propose_amendment(
            astana,
            paragraph_key=key,
            kind="new_paragraph",
            text="More words.",
            code="CHN",
            actor=forum["chn"],
        )
        actions.do_state_position(
            astana,
            target_kind="amendment",
            target_key=str(amendment.pk),
            stance="oppose",
            code="IND",
            actor=forum["ind"],
        )
        actions.do_comment(astana, paragraph_key=key, text="Why?", actor=forum["rus"])
    ind = client_for("ind")
    # +1: the forum's register, read once per request (who holds the secretariat's powers)
    with django_assert_max_num_queries(25):
        assert ind.get(f"/negotiations/{astana.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("page", "limit"),
    [
        # Pages of one negotiation: +1 each for who holds the chairmanship now (the programme's
        # terms) and the second-factor device django-otp loads for a verified session.
        # Each counts one query for the header's unread count to check its notifications'
        # targets (one per kind of target) are still visible.
        # Each also reads the forum's register once (who holds the secretariat's powers, who
        # presides: memoised for the request).
        ("/negotiations/", 9),
        ("{base}", 23),  # +1 the board's threads
        ("{base}revisions/", 14),
        ("{base}decisions/", 20),  # 17 + chair verdict + 2nd factor + the register
        ("{base}dashboard/", 15),
        ("{base}sheet/", 14),
        ("{base}compare/", 16),
    ],
)
def test_list_pages_dashboard_and_workspace_have_bounded_queries(
    page, limit, small, start_negotiation, forum, client_for, django_assert_max_num_queries
):
    """Many negotiations, revisions, amendments, stances, comments and decisions: the query
    count of each page stays the same as with one of each."""
    for n in range(3):
        start_negotiation(SMALL_AGREED, title=f"Other text {n}")
    for n in range(3):
        amendment, _c = actions.do_propose_amendment(
            small,
            paragraph_key="PP1",
            kind="new_paragraph",
            text=f"More words {n}.",
            code="CHN",
            actor=forum["chn"],
        )
        actions.do_state_position(
            small,
            target_kind="amendment",
            target_key=str(amendment.pk),
            stance="oppose",
            code="IND",
            actor=forum["ind"],
        )
        actions.do_comment(small, paragraph_key="PP1", text="Why?", actor=forum["rus"])
        actions.do_compile_revision(small, actor=forum["chair"])
    working = actions.working_revision(small)
    draft = engine.draft_of(working)
    for p in draft.paragraphs:
        for b in p.brackets:
            actions.do_resolve_bracket(
                small,
                actions.working_revision(small),
                bracket_id=b.id,
                keep=True,
                actor=forum["chair"],
            )
    actions.do_record_agreed_ad_ref(small, actor=forum["chair"])
    url = page.format(base=f"/negotiations/{small.pk}/")
    chair = client_for("chair")
    with django_assert_max_num_queries(limit):
        assert chair.get(url).status_code == 200


SMALL_AGREED = "PP1. Recognizing the need for cooperation;\n\nOP1. We launch the process.\n"


def test_the_chairs_dashboard_speaks_the_readers_language(astana, client_for):
    chair = client_for("chair")
    url = f"/negotiations/{astana.pk}/dashboard/"
    english = chair.get(url).content.decode()
    assert '<th scope="row">Preamble</th>' in english and "Rev. 1" in english
    chair.cookies["django_language"] = "ru"
    russian = chair.get(url).content.decode()
    assert '<th scope="row">Преамбула</th>' in russian
    assert '<th scope="row">Постановляющая часть</th>' in russian
    assert "Открытые скобки по редакциям: Ред. 1:" in russian and ">рабочий</text>" in russian
