"""Every POST goes through a form: input the database would refuse (NUL bytes, too long) or
that names no paragraph of the text is answered with 400 and nothing changes."""

from __future__ import annotations

import pytest

from secretariat.accounts.models import Body
from secretariat.negotiation import actions
from secretariat.negotiation.models import Amendment, Comment, Negotiation, Position

pytestmark = pytest.mark.django_db


def test_nul_bytes_are_refused_not_a_500(small, client_for):
    ind, base = client_for("ind"), f"/negotiations/{small.pk}/"
    r = ind.post(base + "p/PP1/amend/", {"kind": "insert", "anchor": "require", "text": "a\x00b"})
    assert r.status_code == 400
    r = ind.post(base + "p/PP1/comment/", {"text": "why\x00"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "Null characters are not allowed" in r.content.decode()
    r = ind.post(
        base + "position/",
        {"target_kind": "paragraph", "target_key": "PP1\x00", "stance": "oppose"},
    )
    assert r.status_code == 400
    assert not Amendment.objects.exists()
    assert not Comment.objects.exists()
    assert not Position.objects.exists()


def test_lengths_follow_the_model_fields(small, client_for):
    ind, base = client_for("ind"), f"/negotiations/{small.pk}/"
    r = ind.post(
        base + "position/",
        {
            "target_kind": "paragraph",
            "target_key": "PP1",
            "stance": "oppose",
            "qualifier": "q" * 121,
        },
    )
    assert r.status_code == 400
    r = ind.post(
        base + "p/PP1/amend/",
        {"kind": "new_paragraph", "text": "More.", "new_label": "L" * 33},
    )
    assert r.status_code == 400
    assert not Position.objects.exists() and not Amendment.objects.exists()


def test_paragraph_keys_must_be_in_the_text(small, client_for):
    chair, base = client_for("chair"), f"/negotiations/{small.pk}/"
    r = chair.post(base + "rev/2/resolve/", {"bracket": "PP2-b1", "keep": "1", "paragraph": "PP9"})
    assert r.status_code == 400
    assert "There is no paragraph PP9 in the current text." in r.content.decode()
    assert "[and to its purposes]" in actions.working_revision(small).notation
    r = client_for("ind").post(base + "p/PP9/amend/", {"kind": "new_paragraph", "text": "x."})
    assert r.status_code == 404


def test_a_statement_on_an_unknown_paragraph_refuses_the_adoption(small, forum, client_for):
    working = actions.working_revision(small)
    actions.do_resolve_bracket(small, working, bracket_id="PP2-b1", keep=True, actor=forum["chair"])
    r = client_for("chair").post(
        f"/negotiations/{small.pk}/decisions/adopt/",
        {"s_kind": "reservation", "s_code": "IND", "s_paragraph": "OP7", "s_text": "No."},
    )
    assert r.status_code == 400
    small.refresh_from_db()
    assert small.state == Negotiation.State.NEGOTIATING
    r = client_for("chair").post(
        f"/negotiations/{small.pk}/decisions/adopt/",
        {"s_kind": "reservation", "s_code": "IND", "s_paragraph": "OP1", "s_text": "No."},
    )
    assert r.status_code == 302
    small.refresh_from_db()
    assert small.state == Negotiation.State.ADOPTED
    assert small.decisions.get().statements.get().paragraph_key == "OP1"


def test_the_import_form_refuses_bad_input_and_keeps_it(client_for):
    secretariat = client_for("secretariat")
    swg = Body.objects.get(code="SWG").pk
    r = secretariat.post(
        "/negotiations/import/", {"title": "T" * 301, "body": swg, "text": "PP1. Text."}
    )
    assert r.status_code == 400
    r = secretariat.post(
        "/negotiations/import/", {"title": "Nul", "body": swg, "text": "PP1. Te\x00xt."}
    )
    assert r.status_code == 400
    r = secretariat.post("/negotiations/import/", {"title": "Kept", "body": swg, "text": ""})
    assert r.status_code == 400 and 'value="Kept"' in r.content.decode()
    assert not Negotiation.objects.exists()
    assert client_for("ind").get("/negotiations/import/").status_code == 403


def test_silence_needs_a_known_time_zone_and_a_date(small, forum, client_for):
    working = actions.working_revision(small)
    actions.do_resolve_bracket(small, working, bracket_id="PP2-b1", keep=True, actor=forum["chair"])
    url = f"/negotiations/{small.pk}/decisions/silence/"
    chair = client_for("chair")
    r = chair.post(url, {"date": "2099-10-12", "time": "18:00", "time_zone": "Mars/Olympus"})
    assert r.status_code == 400 and "Mars/Olympus" in r.content.decode()
    assert chair.post(url, {"date": "soon", "time": "18:00"}).status_code == 400
    r = chair.post(url, {"date": "2001-01-01", "time": "18:00", "time_zone": "UTC"})
    assert r.status_code == 400 and "must be in the future" in r.content.decode()
    assert not small.silences.exists()
