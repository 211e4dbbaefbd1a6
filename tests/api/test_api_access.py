"""The API never shows more than the pages: the ICT working group's document and negotiation
are invisible to a delegate outside it (`ind`, `isr`), in every list, count, search and finder
answer; writes go through the negotiation's own rules."""

from __future__ import annotations

import json

import pytest

from secretariat.accounts.models import Body
from secretariat.core.models import AuditEvent
from secretariat.negotiation.models import Amendment, Position

ICT_TEXT = (
    "1. The members of the Working Group agreed to exchange national points of contact "
    "for incidents involving critical information infrastructure on a voluntary basis.\n"
)
ICT_QUERY = (
    "exchange national points of contact for incidents involving critical information "
    "infrastructure on a voluntary basis"
)
PUBLIC_TEXT = "1. The Conference welcomed the progress of the confidence building measures.\n"


@pytest.fixture
def ict(add_document, run_tasks, start_negotiation):
    public = add_document(PUBLIC_TEXT, title="Public text", access_level="public")
    document = add_document(
        ICT_TEXT,
        title="ICT-WG conclusions",
        status="adopted",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )
    negotiation = start_negotiation(body="ICT-WG", title="ICT concept paper")
    run_tasks()
    return {"document": document, "public": public, "negotiation": negotiation}


def _all_text(responses: list) -> str:
    return " ".join(json.dumps(r.json()) for r in responses)


@pytest.mark.parametrize("outsider", ["ind", "isr"])
def test_outsider_never_sees_the_ict_document(ict, api_as, outsider) -> None:
    doc, neg = ict["document"], ict["negotiation"]
    api = api_as(outsider)
    for path in (
        f"/documents/{doc.pk}",
        f"/documents/{doc.pk}/versions",
        f"/documents/{doc.pk}/versions/1/file",
        f"/negotiations/{neg.pk}",
        f"/negotiations/{neg.pk}/revisions/1",
        f"/negotiations/{neg.pk}/amendments",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    answers = [
        api.get("/documents"),
        api.get("/documents", body="ICT-WG"),
        api.get("/documents", status="adopted", limit=100),
        api.get("/search", q="critical information infrastructure"),
        api.get("/search", q="contact"),
        api.get("/finder", text=ICT_QUERY, include_drafts="true"),
        api.get("/negotiations"),
    ]
    assert all(r.status_code == 200 for r in answers), [r.content for r in answers]
    text = _all_text(answers)
    assert "ICT-WG conclusions" not in text and "ICT concept paper" not in text
    assert "voluntary basis" not in text and "ICT-WG" not in text
    search = answers[3].json()
    assert search["total"] == 0 and search["documents"] == 0
    assert all(not values for values in search["facets"].values())
    assert answers[5].json()["results"] == []
    # The public document is there: the lists are not simply empty.
    assert "Public text" in _all_text([answers[0]])
    # The refusals are recorded, like the pages'.
    assert AuditEvent.objects.filter(
        action="view.denied", object_id=str(doc.pk), actor__username=outsider
    ).exists()


def test_member_sees_it_and_the_read_is_audited(ict, api_as) -> None:
    doc = ict["document"]
    api = api_as("chn")
    detail = api.get(f"/documents/{doc.pk}").json()
    assert detail["title"] == "ICT-WG conclusions"
    assert detail["paragraphs"][0]["text"].startswith("The members of the Working Group")
    assert AuditEvent.objects.filter(
        action="view", object_id=str(doc.pk), actor__username="chn"
    ).exists()
    ids = [d["id"] for d in api.get("/documents").json()["items"]]
    assert doc.pk in ids
    assert api.get("/search", q="critical information infrastructure").json()["total"] == 1
    finder = api.get("/finder", text=ICT_QUERY).json()
    assert finder["results"][0]["document"] == "ICT-WG conclusions"
    file = api.get(f"/documents/{doc.pk}/versions/1/file")
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == ICT_TEXT.encode()
    assert file["X-Checksum-SHA256"] == doc.current_version.sha256


def test_cursor_pages_cover_everything_once(add_document, api_as) -> None:
    for i in range(7):
        add_document(f"1. Paragraph number {i} of a text.\n", title=f"Doc {i}", filename=f"{i}.txt")
    api = api_as("chn")
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/documents", **params).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 7 and len(set(seen)) == 7 and seen == sorted(seen, reverse=True)
    bad = api.get("/documents", cursor="not-a-cursor")
    assert bad.status_code == 400 and bad.json()["detail"] == "The cursor is not valid."
    # A cursor of another list is refused too (it is signed with its kind).
    assert (
        api.get("/search", q="paragraph", cursor=cursor or page["next_cursor"] or "x").status_code
        == 400
    )


def test_amendment_create_and_withdraw_and_position(start_negotiation, api_as) -> None:
    negotiation = start_negotiation()  # SWG: all members
    chn = api_as("chn", "write")
    created = chn.post(
        f"/negotiations/{negotiation.pk}/amendments",
        {"paragraph_key": "OP1", "kind": "replace", "anchor": "launch", "text": "open"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["delegation"] == "CHN" and body["status"] == "proposed"
    amendment = Amendment.objects.get(pk=body["id"])
    assert amendment.text == "open"
    # Another delegation cannot withdraw it; CHN can.
    ind = api_as("ind", "write")
    refused = ind.post(f"/negotiations/{negotiation.pk}/amendments/{amendment.pk}/withdraw")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    done = chn.post(f"/negotiations/{negotiation.pk}/amendments/{amendment.pk}/withdraw")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    again = chn.post(f"/negotiations/{negotiation.pk}/amendments/{amendment.pk}/withdraw")
    assert again.status_code == 409
    # A read token cannot propose.
    read = api_as("chn", "read").post(
        f"/negotiations/{negotiation.pk}/amendments",
        {"paragraph_key": "OP1", "kind": "delete", "anchor": "hereby"},
    )
    assert read.status_code == 403
    assert Amendment.objects.count() == 1
    # Positions: IND objects to PP1 for itself.
    stated = ind.post(
        f"/negotiations/{negotiation.pk}/positions",
        {"target_kind": "paragraph", "target_key": "PP1", "stance": "oppose"},
    )
    assert stated.status_code == 201, stated.content
    assert Position.objects.get(pk=stated.json()["id"]).delegation_code == "IND"
    revision = chn.get(f"/negotiations/{negotiation.pk}/revisions/1").json()
    pp2 = next(p for p in revision["paragraphs"] if p["key"] == "PP2")
    assert pp2["status"] == "disputed"
    stated_in_text = pp2["positions"] + [p for b in pp2["brackets"] for p in b["positions"]]
    assert {(p["delegation"], p["stance"]) for p in stated_in_text} == {
        ("CHN", "support"),
        ("IND", "oppose"),
    }
    assert pp2["brackets"][0]["text"] == "and to its purposes"


def test_outsider_cannot_write_into_the_ict_negotiation(ict, api_as) -> None:
    neg = ict["negotiation"]
    response = api_as("ind", "write").post(
        f"/negotiations/{neg.pk}/amendments",
        {"paragraph_key": "OP1", "kind": "delete", "anchor": "hereby"},
    )
    assert response.status_code == 404
    assert not Amendment.objects.exists()


def test_invalid_input_is_a_problem_not_a_500(start_negotiation, api_as) -> None:
    negotiation = start_negotiation()
    chn = api_as("chn", "write")
    for payload in (
        {"paragraph_key": "OP1", "kind": "nonsense", "text": "x"},
        {"paragraph_key": "NOPE", "kind": "replace", "anchor": "x", "text": "y"},
        {"paragraph_key": "OP1\x00", "kind": "replace", "text": "y"},
        {"paragraph_key": "OP1", "kind": "replace", "anchor": "not in the text", "text": "y"},
    ):
        response = chn.post(f"/negotiations/{negotiation.pk}/amendments", payload)
        assert 400 <= response.status_code < 500, (payload, response.content)
        assert response["Content-Type"] == "application/problem+json"
    assert chn.get("/documents", year="0").status_code == 200
    too_large = chn.get("/negotiations/99999999999999999999")  # past a 64-bit key
    assert too_large.status_code == 422
    assert too_large["Content-Type"] == "application/problem+json"
    assert chn.get("/negotiations/0").status_code == 422


def test_the_api_search_does_not_search_other_apps_it_does_not_answer_with(
    ict, api_as, monkeypatch
) -> None:
    """The board's posts and the meetings found by the same words are for the search page;
    the API's answer has no place for them, so they are not looked for (nor paid for)."""
    from secretariat.core import providers

    asked = []
    real = providers.provider_modules

    def counting(name):
        asked.append(name)
        return real(name)

    monkeypatch.setattr("secretariat.documents.search.provider_modules", counting)
    answer = api_as("chn").get("/search", q="critical information infrastructure").json()
    assert answer["total"] == 1
    assert "library_search" not in asked
