"""The API refuses amendments and positions on a title or heading, as the web views do: the
refusal comes from the action layer, as a 400 problem with the product's message."""

from __future__ import annotations

from secretariat.negotiation.models import Amendment, Position

TEXT = """DRAFT STATEMENT ON COOPERATION

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

Security and cooperation

OP1. We hereby launch the negotiations process [today] (+CHN).
"""

REFUSED = "is a title or a heading, not a paragraph of text"


def test_api_posts_to_a_title_or_heading_are_refused(start_negotiation, api_as):
    negotiation = start_negotiation(text=TEXT)
    title, heading = "p1", "p3"  # as the engine keys them (checked in tests/negotiation)
    api = api_as("ind", "write")
    for key in (title, heading):
        amended = api.post(
            f"/negotiations/{negotiation.pk}/amendments",
            {"paragraph_key": key, "kind": "replace", "anchor": "cooperation", "text": "x"},
        )
        assert amended.status_code == 400, amended.content
        assert amended["Content-Type"] == "application/problem+json"
        assert REFUSED in amended.json()["detail"]
        stated = api.post(
            f"/negotiations/{negotiation.pk}/positions",
            {"target_kind": "paragraph", "target_key": key, "stance": "oppose"},
        )
        assert stated.status_code == 400, stated.content
        assert REFUSED in stated.json()["detail"]
    assert not Amendment.objects.exists() and not Position.objects.exists()
