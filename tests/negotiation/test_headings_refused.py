"""Titles and headings are not paragraphs of text: the forms are hidden, and the action layer
refuses an amendment, position, comment or resolve posted to their keys (web and API alike)."""

from __future__ import annotations

import pytest

from secretariat.negotiation.models import Amendment, Comment, Position

TEXT = """DRAFT STATEMENT ON COOPERATION

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

Security and cooperation

OP1. We hereby launch the negotiations process [today] (+CHN).
"""

REFUSED = "is a title or a heading, not a paragraph of text"


@pytest.fixture
def headed(start_negotiation):
    from secretariat.negotiation import engine
    from secretariat.negotiation.actions import working_revision

    negotiation = start_negotiation(TEXT)
    draft = engine.draft_of(working_revision(negotiation))
    levels = dict(zip([p.key for p in draft.paragraphs], engine.heading_levels(draft), strict=True))
    title = next(k for k, level in levels.items() if level is engine.Level.TITLE)
    heading = next(k for k, level in levels.items() if level is engine.Level.HEADING)
    return negotiation, title, heading


def _refused(response) -> None:
    assert response.status_code == 400, response.status_code
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_web_posts_to_a_title_or_heading_are_refused(headed, client_for, htmx):
    negotiation, title, heading = headed
    ind, chair = client_for("ind"), client_for("chair")
    headers = {"HX-Request": "true"} if htmx else {}
    base = f"/negotiations/{negotiation.pk}"
    for key in (title, heading):
        _refused(
            ind.post(
                f"{base}/p/{key}/amend/",
                {"kind": "replace", "anchor": "cooperation", "text": "security"},
                headers=headers,
            )
        )
        _refused(
            ind.post(
                f"{base}/position/",
                {"target_kind": "paragraph", "target_key": key, "stance": "oppose"},
                headers=headers,
            )
        )
        _refused(ind.post(f"{base}/p/{key}/comment/", {"text": "Why?"}, headers=headers))
        _refused(
            chair.post(
                f"{base}/rev/2/resolve/",
                {"bracket": key, "keep": "1", "paragraph": key},
                headers=headers,
            )
        )
    assert not Amendment.objects.exists()
    assert not Position.objects.exists()
    assert not Comment.objects.exists()
    # The paragraphs of text still take all of them.
    assert ind.post(
        f"{base}/p/PP1/amend/", {"kind": "replace", "anchor": "rapid", "text": "fast"}
    ).status_code in (200, 302)
    assert ind.post(f"{base}/p/PP1/comment/", {"text": "Why?"}).status_code in (200, 302)
    assert Amendment.objects.count() == 1 and Comment.objects.count() == 1


def test_the_actions_refuse_a_heading_whoever_calls_them(headed, forum):
    from secretariat.negotiation import actions

    negotiation, title, heading = headed
    with pytest.raises(actions.ActionError) as refused:
        actions.do_comment(negotiation, paragraph_key=heading, text="x", actor=forum["ind"])
    assert refused.value.status == 400 and REFUSED in refused.value.message
    with pytest.raises(actions.ActionError):
        actions.do_propose_amendment(
            negotiation,
            paragraph_key=title,
            kind="new_paragraph",
            text="PP0. A new paragraph.",
            code="IND",
            actor=forum["ind"],
        )
