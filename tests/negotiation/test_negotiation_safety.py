"""Issue 15 items 3, 4, 6, 7, 8 at the HTTP level: headings are not paragraphs, every paragraph
has the agreed-language panel, compare renders changes, messages are announced, and the
irreversible actions preview and confirm (the resolve can be undone)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secretariat.negotiation import actions, engine

TEXTS = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"

pytestmark = pytest.mark.django_db


def _para(neg, key):
    draft = engine.draft_of(actions.working_revision(neg))
    return engine.render_paragraph_notation(draft.paragraph(key))


@pytest.fixture
def plan(start_negotiation):
    text = (TEXTS / "plan-of-action.txt").read_text(encoding="utf-8")
    return start_negotiation(text, title="Draft CICA Plan of Action")


def test_title_lines_are_headings_with_no_status_or_forms(astana, client_for):
    body = client_for("ind").get(f"/negotiations/{astana.pk}/").content.decode()
    assert '<h2 class="nt-title">PODIUM VERSION AS OF COB, 4 OCTOBER 2022</h2>' in body
    assert '<h2 class="nt-title">DRAFT ASTANA STATEMENT ON CICA TRANSFORMATION</h2>' in body
    title = body[body.index('id="para-p1"') : body.index('id="para-p2"')]
    assert "neg-chip" not in title and "<form" not in title and "¶" not in title
    assert "/p/p1/amend/" not in body and "/p/p2/comment/" not in body
    assert "/p/p3/amend/" in body  # "We, the Heads of State ..." is text


def test_the_chairs_dashboard_counts_no_title_and_makes_it_no_section(astana, client_for):
    body = client_for("chair").get(f"/negotiations/{astana.pk}/dashboard/").content.decode()
    assert "PODIUM VERSION" not in body and "DRAFT ASTANA STATEMENT" not in body
    draft = engine.draft_of(actions.working_revision(astana))
    assert engine.summary(draft).paragraphs == len(draft.paragraphs) - 2


def test_every_paragraph_of_the_plan_of_action_has_the_agreed_language_panel(plan, client_for):
    body = client_for("ind").get(f"/negotiations/{plan.pk}/").content.decode()
    draft = engine.draft_of(actions.working_revision(plan))
    levels = engine.heading_levels(draft)
    text = [p for p, lv in zip(draft.paragraphs, levels, strict=True) if not lv]
    assert len(draft.paragraphs) == 53 and len(text) == 48
    panels = set(re.findall(r"/p/([^/]+)/agreed-language/", body))
    assert panels == {p.key for p in text}
    recognising = next(p for p in text if p.text.startswith("Recognising also that terrorism"))
    assert recognising.label is None and recognising.key in panels
    # The pillars are headings, with none.
    assert '<h3 class="nt-heading">Pillar II: Preventing and combating terrorism</h3>' in body


def test_compare_renders_changes_and_never_the_raw_notation(astana, forum, client_for):
    seen = _para(astana, "OP3")
    new = seen.replace("envision our organization", "[~~envision organization~~ see] (+IND)")
    assert new != seen
    actions.do_edit_paragraph(
        astana,
        actions.working_revision(astana),
        key="OP3",
        notation=new,
        seen=seen,
        actor=forum["chair"],
    )
    body = client_for("chair").get(f"/negotiations/{astana.pk}/compare/?a=1&b=2").content.decode()
    start = body.index('class="neg-worddiff"')
    diff = body[start : body.index("</p>", start)]
    assert "~~" not in diff and "(+IND)" not in diff
    assert '<del class="nt-deleted">envision organization</del>' in diff
    assert '<span class="nt-sign">[</span>' in diff
    assert 'aria-label="Supported by India"' in diff
    assert "nt-diff-ins" in diff


def test_a_resolve_is_undone_from_its_audit_row_and_both_states_are_recorded(small, forum):
    from secretariat.core.models import AuditEvent

    working = actions.working_revision(small)
    before = _para(small, "PP2")
    _rev, event = actions.resolve_bracket_undoable(
        small, working, bracket_id="PP2-b1", keep=False, actor=forum["chair"]
    )
    after = _para(small, "PP2")
    assert "[" not in after and "and to its purposes" not in after
    key = actions.do_undo_resolve(small, working, event_id=event, actor=forum["chair"])
    assert key == "PP2" and _para(small, "PP2") == before
    undo = AuditEvent.objects.get(action="negotiation.bracket.resolve.undo")
    assert undo.detail["undoes"] == event
    assert undo.detail["old"] == after and undo.detail["new"] == before
    # Undone once: the paragraph is no longer what the resolve made, so a second undo is refused.
    with pytest.raises(actions.ActionError) as exc:
        actions.do_undo_resolve(small, working, event_id=event, actor=forum["chair"])
    assert exc.value.status == 409 and _para(small, "PP2") == before


def test_the_resolve_answer_offers_undo_and_the_undo_puts_the_bracket_back(small, client_for):
    chair = client_for("chair")
    before = _para(small, "PP2")
    r = chair.post(
        f"/negotiations/{small.pk}/rev/2/resolve/",
        {"bracket": "PP2-b1", "keep": "1", "paragraph": "PP2"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'role="status"' in body and "data-undo" in body
    # The workspace summary comes along, out of band, with the new count of brackets.
    assert 'id="neg-summary"' in body and 'hx-swap-oob="true"' in body
    assert '<strong data-count="brackets">0</strong>' in body
    event = re.search(r'name="event" value="(\d+)"', body).group(1)
    r = chair.post(
        f"/negotiations/{small.pk}/rev/2/resolve/undo/",
        {"event": event, "paragraph": "PP2"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and _para(small, "PP2") == before
    assert '<strong data-count="brackets">1</strong>' in r.content.decode()
    assert (
        client_for("ind")
        .post(f"/negotiations/{small.pk}/rev/2/resolve/undo/", {"event": event})
        .status_code
        == 403
    )


def test_the_chairs_edit_is_previewed_as_parsed_and_saved_only_on_confirm(small, client_for):
    chair = client_for("chair")
    seen = _para(small, "PP1")
    typed = seen.replace("stronger cooperation", "[stronger] cooperation")
    r = chair.post(
        f"/negotiations/{small.pk}/rev/2/p/PP1/edit/",
        {"notation": typed, "seen": seen, "preview": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and _para(small, "PP1") == seen  # nothing saved
    assert "data-edit-preview" in body and 'class="nt-bracket"' in body
    assert "1 bracket" in body and "opens 1 new bracket" in body
    r = chair.post(f"/negotiations/{small.pk}/rev/2/p/PP1/edit/", {"notation": typed, "seen": seen})
    assert r.status_code == 302 and "[stronger]" in _para(small, "PP1")


def test_issuing_a_revision_previews_it_first_and_issues_on_confirm(small, forum, client_for):
    from secretariat.negotiation.models import Revision

    a, _c = actions.do_propose_amendment(
        small,
        paragraph_key="OP1",
        kind="insert",
        anchor="launch",
        text="swiftly",
        code="CHN",
        actor=forum["chn"],
    )
    chair = client_for("chair")
    r = chair.post(f"/negotiations/{small.pk}/compile/", {"amendment": [a.pk], "note": "x"})
    body = r.content.decode()
    assert r.status_code == 200 and "data-compile-preview" in body
    assert Revision.objects.filter(negotiation=small, frozen=True).count() == 1
    assert "1 amendment compiled in" in body and "1 paragraph changed" in body
    assert "swiftly" in body and "Confirm: issue Rev. 2" in body
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    r = chair.post(
        f"/negotiations/{small.pk}/compile/",
        {"amendment": [a.pk], "note": "x", "confirm": "1", "version": version},
    )
    assert r.status_code == 302
    assert Revision.objects.filter(negotiation=small, frozen=True).count() == 2
    # A confirm on a text that changed since the preview shows the preview again.
    r = chair.post(
        f"/negotiations/{small.pk}/compile/", {"note": "y", "confirm": "1", "version": "0"}
    )
    assert r.status_code == 200 and "changed after you opened the preview" in r.content.decode()
    assert Revision.objects.filter(negotiation=small, frozen=True).count() == 2


def test_a_refused_amendment_is_announced_and_the_form_keeps_the_input(small, client_for):
    r = client_for("ind").post(
        f"/negotiations/{small.pk}/p/PP1/amend/",
        {"kind": "replace", "anchor": "rapid changes", "text": "", "explanation": "Mine"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert '<p class="message error" role="alert">' in body
    assert '<details class="neg-form" open><summary>Propose an amendment as IND' in body
    assert 'name="anchor" value="rapid changes"' in body and 'value="Mine"' in body
    assert '<option value="replace" selected>' in body


def test_the_current_negotiation_tab_is_marked(small, client_for):
    c = client_for("chair")
    for url, tab in (("", "Workspace"), ("revisions/", "Revisions"), ("dashboard/", "Chair")):
        body = c.get(f"/negotiations/{small.pk}/{url}").content.decode()
        current = re.findall(r'aria-current="page">([^<]+)<', body)
        assert [t for t in current if t.startswith(tab)], (url, current)


def test_posting_a_notice_and_signing_out_confirm_it(forum, client_for):
    c = client_for("secretariat")
    r = c.post(
        "/notices/new/",
        {"title": "Office closed", "text": "On Friday.", "access_level": "members"},
        follow=True,
    )
    assert 'class="message success" role="status">Notice posted.' in r.content.decode()
    r = c.post("/accounts/logout/", follow=True)
    assert "You are signed out." in r.content.decode()
