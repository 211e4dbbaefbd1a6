"""Issue 9, part A: the negotiation leaks and bad input found by the probe, each reproduced
at the HTTP level where a user hits it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from secretariat.core.models import AuditEvent
from secretariat.documents.models import Document
from secretariat.negotiation import actions
from secretariat.negotiation.models import Comment, Decision, Negotiation, Position, Statement

pytestmark = pytest.mark.django_db


# --- 1. an adopted text keeps the negotiation's access -------------------------------------
def _filed(negotiation: Negotiation) -> Document:
    decision = Decision.objects.get(negotiation=negotiation, filed_document_id__isnull=False)
    return Document.objects.get(pk=decision.filed_document_id)


def test_a_text_adopted_by_consensus_is_filed_with_the_negotiations_access(ict, client_for):
    chair = client_for("chair")
    r = chair.post(f"/negotiations/{ict.pk}/decisions/adopt/", {"note": "Adopted."})
    assert r.status_code == 302
    document = _filed(ict)
    assert (document.access_level, document.body_id) == ("body", ict.body_id)
    for outsider in ("isr", "ind"):
        assert client_for(outsider).get(f"/negotiations/{ict.pk}/").status_code == 404
        assert client_for(outsider).get(f"/documents/{document.pk}/").status_code == 404
    assert client_for("chn").get(f"/documents/{document.pk}/").status_code == 200
    assert not AuditEvent.objects.filter(action="negotiation.file_wider").exists()


def test_a_text_adopted_under_silence_is_filed_with_the_negotiations_access(ict, forum, client_for):
    deadline = timezone.now() + timedelta(days=1)
    silence = actions.do_open_silence(ict, deadline=deadline, actor=forum["chair"])
    type(silence).objects.filter(pk=silence.pk).update(deadline=timezone.now())
    assert actions.do_end_silence(silence.pk)
    document = _filed(ict)
    assert (document.access_level, document.body_id) == ("body", ict.body_id)
    assert client_for("isr").get(f"/documents/{document.pk}/").status_code == 404


def test_a_wider_library_access_is_an_explicit_audited_choice(ict, client_for):
    r = client_for("chair").post(
        f"/negotiations/{ict.pk}/decisions/adopt/", {"library_access": "members"}
    )
    assert r.status_code == 302
    document = _filed(ict)
    assert document.access_level == "members"
    assert client_for("isr").get(f"/documents/{document.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="negotiation.file_wider")
    assert (event.detail["old"], event.detail["new"]) == ("body", "members")
    assert event.detail["document"] == document.pk


def test_the_chair_cannot_file_the_text_where_it_could_not_read_it(ict, client_for):
    r = client_for("chair").post(
        f"/negotiations/{ict.pk}/decisions/adopt/", {"library_access": "secretariat"}
    )
    assert r.status_code == 400
    ict.refresh_from_db()
    assert ict.state == Negotiation.State.NEGOTIATING
    assert not Document.objects.exists()
    r = client_for("chair").post(
        f"/negotiations/{ict.pk}/decisions/adopt/", {"library_access": "everyone"}
    )
    assert r.status_code == 400


# --- 2. the Chairmanship speaks only as the Chairmanship -----------------------------------
def _import(client, body_id: int, **extra: str):
    data = {"title": "T", "body": str(body_id), "text": "PP1. Text [a] (+CHAIR).\n", **extra}
    return client.post("/negotiations/import/", data)


def test_the_chair_code_of_an_import_is_the_chairmanships_only(forum, client_for):
    from secretariat.accounts.models import Body

    body = Body.objects.get(code="SWG").pk
    chair = client_for("chair")
    r = _import(chair, body, chair_code="RUS")
    assert r.status_code == 400
    assert "is not the Chairmanship" in r.content.decode()
    assert not Negotiation.objects.exists()
    assert _import(chair, body, chair_code="chairman").status_code == 302
    assert Negotiation.objects.get().chair_code == "CHAIRMAN"
    assert _import(chair, body, chair_code="").status_code == 302
    assert Negotiation.objects.order_by("-pk").first().chair_code == "CHAIR"


# --- 5. bad input is a 400 with the form kept, never a 500 ---------------------------------
def test_an_overlong_chair_code_is_a_400(forum, client_for):
    from secretariat.accounts.models import Body

    r = _import(client_for("chair"), Body.objects.get(code="SWG").pk, chair_code="C" * 40)
    assert r.status_code == 400
    assert 'value="T"' in r.content.decode()  # the form is kept
    assert not Negotiation.objects.exists()


def test_a_nul_byte_in_an_import_is_a_400(forum, client_for):
    from secretariat.accounts.models import Body

    client = client_for("secretariat")
    r = client.post(
        "/negotiations/import/",
        {"title": "T", "body": Body.objects.get(code="SWG").pk, "text": "PP1. A\x00b.\n"},
    )
    assert r.status_code == 400
    r = client.post(
        "/negotiations/import/",
        {"title": "T\x00", "body": Body.objects.get(code="SWG").pk, "text": "PP1. Ab.\n"},
    )
    assert r.status_code == 400
    assert not Negotiation.objects.exists()


def test_a_comment_on_an_overlong_paragraph_key_is_a_400(small, client_for):
    r = client_for("ind").post(f"/negotiations/{small.pk}/p/{'K' * 100}/comment/", {"text": "Hm"})
    assert r.status_code == 400
    assert not Comment.objects.exists()


def test_a_comment_on_a_paragraph_not_in_the_text_is_a_400(small, client_for):
    r = client_for("ind").post(f"/negotiations/{small.pk}/p/OP9/comment/", {"text": "Where is it?"})
    assert r.status_code == 400
    assert "There is no paragraph OP9" in r.content.decode()
    assert not Comment.objects.exists()
    r = client_for("ind").post(f"/negotiations/{small.pk}/p/OP1/comment/", {"text": "Fine."})
    assert r.status_code == 302
    assert Comment.objects.get().paragraph_key == "OP1"


def test_a_nul_byte_in_a_comment_or_amendment_is_a_400(small, client_for):
    ind, base = client_for("ind"), f"/negotiations/{small.pk}/"
    assert ind.post(base + "p/PP1/comment/", {"text": "a\x00"}).status_code == 400
    r = ind.post(base + "p/PP1/amend/", {"kind": "replace", "text": "x", "explanation": "\x00"})
    assert r.status_code == 400
    assert not Comment.objects.exists() and not small.amendments.exists()


@pytest.mark.parametrize(
    "statement",
    [
        {"s_kind": "reservation", "s_code": "I" * 17, "s_text": "No."},
        {"s_kind": "objection", "s_code": "IND", "s_text": "No."},
        {"s_kind": "reservation", "s_code": "IND", "s_text": "No\x00."},
    ],
    ids=["long-code", "unknown-kind", "nul"],
)
def test_a_bad_adoption_statement_is_a_400(ict, client_for, statement):
    r = client_for("chair").post(
        f"/negotiations/{ict.pk}/decisions/adopt/", {**statement, "note": "kept note"}
    )
    assert r.status_code == 400
    assert 'value="kept note"' in r.content.decode() or "kept note" in r.content.decode()
    ict.refresh_from_db()
    assert ict.state == Negotiation.State.NEGOTIATING
    assert not Statement.objects.exists()


def test_a_statement_code_of_no_delegation_of_the_body_is_a_400(ict, client_for):
    r = client_for("chair").post(
        f"/negotiations/{ict.pk}/decisions/adopt/",
        {"s_kind": "reservation", "s_code": "ISR", "s_text": "No."},
    )
    assert r.status_code == 400
    assert not Statement.objects.exists()


def test_a_huge_search_word_is_not_a_500(forum, client_for, add_document):
    add_document("Cooperation among member states.", title="Doc")
    client = client_for("ind")
    for url in ("/archive/", "/documents/"):
        r = client.get(url, {"q": "w" * 5000})
        assert r.status_code in (200, 400), url
    r = client.get("/archive/", {"q": " ".join(["cooperation"] * 3000)})
    assert r.status_code in (200, 400)


def test_an_out_of_range_sheet_id_is_not_a_500(small, client_for):
    ind = client_for("ind")
    for value in ("1e20", "9" * 30, "-1", "\x00"):
        r = ind.get(f"/negotiations/{small.pk}/sheet/", {"id": value})
        assert r.status_code == 200, value


def test_an_out_of_range_position_target_or_version_is_a_400(small, client_for):
    ind, base = client_for("ind"), f"/negotiations/{small.pk}/"
    r = ind.post(base + "p/PP1/amend/", {"kind": "replace", "text": "x", "version": "9" * 30})
    assert r.status_code in (400, 409)
    r = ind.post(
        base + "position/",
        {"target_kind": "paragraph", "target_key": "P" * 200, "stance": "oppose"},
    )
    assert r.status_code == 400
    assert not Position.objects.exists()
