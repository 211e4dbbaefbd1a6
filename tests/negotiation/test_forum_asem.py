"""The ASEM demo forum against the negotiation workflow and the access rules: nothing of CICA
is assumed. The presiding side is the coordinators, speaking as COORD (the register's code);
groups state positions (`(+ASEAN)`, `(+EU)`) and the chair's dashboard counts them by group;
a partner organisation sees public content only."""

from __future__ import annotations

import pytest

from secretariat.accounts import access as policy
from secretariat.accounts.models import AccessLevel, Body, Delegation, User
from secretariat.demo.forum import load_forum
from secretariat.negotiation import access, engine
from secretariat.negotiation.actions import do_import_negotiation, working_revision

CHAIRS_STATEMENT = """CHAIR'S STATEMENT OF THE SENIOR OFFICIALS' MEETING

PP1. Recalling the Helsinki Declaration on the Future of ASEM;

OP1. Senior Officials welcomed [the connectivity agenda] (+EU) (+ASEAN) (-CHN);

OP2. They agreed to review [the working methods of the three pillars] (+EUROPE) (-IND);
"""


@pytest.fixture
def asem(db) -> dict[str, User]:
    load_forum("asem")
    return {u.username: u for u in User.objects.select_related("delegation")}


@pytest.fixture
def statement(asem):
    return do_import_negotiation(
        title="Chair's Statement, SOM",
        body=Body.objects.get(code="SOM"),
        text=CHAIRS_STATEMENT,
        actor=asem["admin"],
    )


def test_the_presiding_side_and_its_code_come_from_the_register(asem, statement) -> None:
    assert statement.chair_code == "COORD"
    eeas, deu = asem["eeas"], asem["deu"]
    assert policy.holds_chairmanship(eeas) and access.is_chair(eeas)
    assert access.acting_code(eeas, statement) == "COORD"
    assert not policy.holds_chairmanship(deu)
    assert access.acting_code(deu, statement) == "DEU"
    assert access.acting_code(asem["asef"], statement) is None


def test_group_positions_are_read_by_the_engine(statement) -> None:
    draft = engine.draft_of(working_revision(statement))
    assert all(not engine.unknown_codes(p) for p in draft.paragraphs)
    codes = {pos.delegation for p in draft.paragraphs for b in p.brackets for pos in b.positions}
    assert {"EU", "ASEAN", "EUROPE", "CHN", "IND"} <= codes


def test_the_chairs_dashboard_counts_positions_by_group(asem, statement, client) -> None:
    client.force_login(asem["eeas"])
    html = client.get(f"/negotiations/{statement.pk}/dashboard/").content.decode()
    assert "Positions by group" in html

    def row(code: str, support: int, oppose: int) -> str:
        return f'<tr><th scope="row">{code}</th><td>{support}</td><td>{oppose}</td></tr>'

    # EU (a member of the European group) and EUROPE itself support; ASEAN supports, CHN
    # (North-East Asia) and IND (South Asia) oppose: all in the Asian group.
    assert row("EUROPE", 2, 0) in html
    assert row("ASEAN", 1, 0) in html
    assert row("NESA", 0, 2) in html
    assert row("ASIA", 1, 2) in html


def test_cica_has_no_groups_and_no_group_table(forum, client_for) -> None:
    negotiation = do_import_negotiation(
        title="Draft",
        body=Body.objects.get(code="SWG"),
        text="PP1. Recalling [the Almaty Act] (+CHN) (-IND);\n",
        actor=forum["secretariat"],
    )
    assert negotiation.chair_code == "CHAIR"
    assert forum["chair"].acting_code == "CHAIR"
    html = client_for("chair").get(f"/negotiations/{negotiation.pk}/dashboard/").content.decode()
    assert "data-by-group" not in html


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        # public, members, SOM body, ASIA-COORD body, EUROPE-COORD body, secretariat
        ("admin", (True, True, True, True, True, True)),
        # coordinators steer, and hold the secretariat's powers (ASEM has no secretariat)
        ("eeas", (True, True, True, True, True, True)),
        ("deu", (True, True, True, False, True, False)),
        ("jpn", (True, True, True, True, False, False)),
        ("eu", (True, True, True, False, True, False)),
        # ASEF, a partner organisation with the `members` tier: what all partners see, no more
        ("asef", (True, True, False, False, False, False)),
    ],
)
def test_access_by_level_and_body_in_asem(asem, username: str, expected: tuple) -> None:
    user = asem[username]
    som, asia, europe = (Body.objects.get(code=c) for c in ("SOM", "ASIA-COORD", "EUROPE-COORD"))
    got = (
        policy.can_see_level(user, AccessLevel.PUBLIC, None),
        policy.can_see_level(user, AccessLevel.MEMBERS, None),
        policy.can_see_level(user, AccessLevel.BODY, som.pk),
        policy.can_see_level(user, AccessLevel.BODY, asia.pk),
        policy.can_see_level(user, AccessLevel.BODY, europe.pk),
        policy.can_see_level(user, AccessLevel.SECRETARIAT, None),
    )
    assert got == expected


def test_a_partner_organisation_cannot_open_a_negotiation(asem, statement, client) -> None:
    client.force_login(asem["asef"])
    assert client.get(f"/negotiations/{statement.pk}/").status_code == 404
    assert client.get(f"/negotiations/{statement.pk}/dashboard/").status_code == 404
    assert "Chair's Statement" not in client.get("/negotiations/").content.decode()


def test_a_partner_organisation_sees_only_what_is_shared_with_it(asem, tmp_path) -> None:
    """ASEF (tier `members`) reads the document shared with all partners in the library's list
    and search; AEBF (tier `public`) only the public one; neither the SOM's body document."""
    from secretariat.archive import importing
    from secretariat.documents.models import Document
    from secretariat.documents.search import search

    aebf = User.objects.create(
        username="aebf", role="observer", delegation=Delegation.objects.get(code="AEBF")
    )
    som = Body.objects.get(code="SOM")
    for name, level, body in (
        ("public", AccessLevel.PUBLIC, None),
        ("members", AccessLevel.MEMBERS, None),
        ("som", AccessLevel.BODY, som),
    ):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"Connectivity paper {name}.\n\nPartners discussed connectivity.\n")
        outcome = importing.import_file(
            path,
            importing.Options(
                organization="ASEM",
                title=f"Paper {name}",
                access_level=level,
                body=body,
                language="en",
            ),
        )
        assert outcome.document_id is not None, outcome.message
    for user, titles in (
        (asem["asef"], {"Paper public", "Paper members"}),
        (aebf, {"Paper public"}),
        (asem["deu"], {"Paper public", "Paper members", "Paper som"}),
    ):
        listed = set(policy.visible(user, Document.objects.all()).values_list("title", flat=True))
        assert listed == titles, user.username
        found = {hit.document.title for hit in search(user, "connectivity").hits}
        assert found == titles, user.username
    assert policy.can_contribute(asem["asef"]) and not policy.can_contribute(aebf)


def test_the_forum_page_shows_the_coordinators_and_counts_by_group(asem, client) -> None:
    client.force_login(asem["eeas"])
    html = client.get("/accounts/forum/").content.decode()
    assert "Asia-Europe Meeting (ASEM)" in html
    assert "data-coordinators" in html and "European External Action Service" in html
    assert "53 members" in html
    assert "31 members" in html  # the European group: 30 countries and the EU
    assert "22 members" in html  # the Asian group: 21 countries and the ASEAN Secretariat
    assert "Asia-Europe Foundation" in html
    client.cookies["django_language"] = "ru"
    russian = client.get("/accounts/forum/").content.decode()
    assert "Координаторы" in russian and "53 члена" in russian
