"""What issues 15 and 16 added, through the API: language editions (read; a translator's
update of one paragraph), one's own profile (read, update) and the directory of delegations,
under the same access policy and audit as the pages."""

from __future__ import annotations

from typing import Any

from secretariat.accounts.models import Delegation, User
from secretariat.core.models import AuditEvent
from secretariat.negotiation.actions import do_load_edition
from secretariat.negotiation.models import EditionParagraph

RU = """ПРОЕКТ ЗАЯВЛЕНИЯ

PP1. Признавая, что быстрые изменения требуют более тесного сотрудничества;

PP2. Подтверждая нашу приверженность Уставу ООН [и его целям] (+CHN) (-IND);

OP1. Настоящим мы начинаем переговорный процесс.
"""


def _put(api: Any, path: str, data: dict) -> Any:
    return api.client.put(
        "/api/v1" + path, data, content_type="application/json", headers=api.headers
    )


def _patch(api: Any, path: str, data: dict) -> Any:
    return api.client.patch(
        "/api/v1" + path, data, content_type="application/json", headers=api.headers
    )


def test_editions_read_and_translator_update(start_negotiation, forum, api_as) -> None:
    negotiation = start_negotiation(body="SWG")
    do_load_edition(negotiation, language="ru", text=RU, actor=forum["secretariat"])
    editions = api_as("chn").get(f"/negotiations/{negotiation.pk}/editions").json()
    assert [e["language"] for e in editions] == ["ru"]
    texts = [p["notation"] for p in editions[0]["paragraphs"]]
    assert any("[и его целям] (+CHN) (-IND)" in t for t in texts)
    number = editions[0]["paragraphs"][-1]["number"]
    path = f"/negotiations/{negotiation.pk}/editions/ru/paragraphs/{number}"
    new = "OP1. Настоящим мы открываем переговоры."

    # A delegate reads the editions but does not keep them; a read token cannot write.
    assert _put(api_as("chn", "write"), path, {"notation": new}).status_code == 403
    assert _put(api_as("secretariat", "read"), path, {"notation": new}).status_code == 403
    row = EditionParagraph.objects.get(edition__language="ru", number=number)
    assert row.notation != new

    response = _put(api_as("secretariat", "write"), path, {"notation": new})
    assert response.status_code == 200, response.content
    assert response.json()["notation"] == new
    row.refresh_from_db()
    assert row.notation == new
    assert AuditEvent.objects.filter(
        action="negotiation.edition.paragraph", actor__username="secretariat"
    ).exists()
    # Bad input is a problem, not a 500, and changes nothing.
    bad = _put(api_as("secretariat", "write"), path, {"notation": "x\x00y"})
    assert bad.status_code == 422
    missing = f"/negotiations/{negotiation.pk}/editions/kk/paragraphs/{number}"
    assert _put(api_as("secretariat", "write"), missing, {"notation": new}).status_code == 404


def test_editions_of_a_hidden_negotiation_are_404(start_negotiation, forum, api_as) -> None:
    negotiation = start_negotiation(body="ICT-WG")
    do_load_edition(negotiation, language="ru", text=RU, actor=forum["secretariat"])
    assert api_as("ind").get(f"/negotiations/{negotiation.pk}/editions").status_code == 404


def test_profile_read_and_update_own(forum, api_as) -> None:
    me = api_as("chn").get("/profile").json()
    assert me["username"] == "chn" and me["delegation"] == "CHN"
    response = _patch(api_as("chn", "write"), "/profile", {"first_name": "Wei", "language": "ru"})
    assert response.status_code == 200, response.content
    assert response.json()["first_name"] == "Wei"
    user = User.objects.get(username="chn")
    assert (user.first_name, user.language) == ("Wei", "ru")
    event = AuditEvent.objects.get(action="account.profile", actor__username="chn")
    assert event.detail["new"] == {"first_name": "Wei", "language": "ru"}

    refused = _patch(api_as("chn", "write"), "/profile", {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and "time_zone" in str(refused.json()["errors"])
    assert _patch(api_as("chn", "read"), "/profile", {"first_name": "X"}).status_code == 403
    user.refresh_from_db()
    assert user.first_name == "Wei" and user.time_zone != "Mars/Olympus"


def test_directory_lists_delegations_with_their_bodies(forum, api_as) -> None:
    rows = api_as("chn").get("/directory").json()
    assert [r["code"] for r in rows] == list(
        Delegation.objects.filter(retired=False).order_by("code").values_list("code", flat=True)
    )
    china = next(r for r in rows if r["code"] == "CHN")
    assert "SWG" in china["bodies"]
    assert [r["code"] for r in api_as("chn").get("/directory", q="chn").json()] == ["CHN"]
    assert api_as(None).get("/directory").status_code == 401


def test_an_email_address_through_the_api_follows_the_profile_pages_rules(forum, api_as) -> None:
    """Not set at once: asked for, confirmed from the new address; another account's refused;
    removal refused for the secretariat."""
    from secretariat.outbox.models import OutboundEmail

    user = forum["chn"]
    old = user.email
    response = _patch(api_as("chn", "write"), "/profile", {"email": "wei.new@example.org"})
    assert response.status_code == 200, response.content
    assert response.json()["email"] == old
    assert User.objects.get(pk=user.pk).email == old
    assert AuditEvent.objects.filter(action="account.email_change_requested").count() == 1
    confirm = OutboundEmail.objects.get(kind="accounts.email_change_confirm")
    assert confirm.to_address == "wei.new@example.org"

    taken = _patch(api_as("chn", "write"), "/profile", {"email": forum["ind"].email.upper()})
    assert taken.status_code == 400 and "another account" in taken.content.decode()
    keep = _patch(api_as("secretariat", "write"), "/profile", {"email": ""})
    assert keep.status_code == 400 and "needs an email address" in keep.content.decode()
    assert User.objects.get(pk=forum["secretariat"].pk).email

    cleared = _patch(api_as("chn", "write"), "/profile", {"email": ""})
    assert cleared.status_code == 200 and cleared.json()["email"] == ""
    assert AuditEvent.objects.filter(action="account.email_cleared").count() == 1
