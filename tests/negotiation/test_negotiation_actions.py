"""The workflow through the actions: amendments and positions compile into a revision,
the chair's live edits, conflicts, silence procedure, notifications; in each demo forum
(CICA and ASEM, whose coordinators preside and hold the secretariat's powers)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from secretariat.negotiation import actions, engine
from secretariat.negotiation.models import Amendment, Decision, Negotiation, SilenceProcedure

TEXTS = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(each_forum):
    """Every test here runs in both demo forums, CICA and ASEM (tests/conftest.py's casts)."""
    return each_forum


def _working_para(neg: Negotiation, key: str) -> str:
    draft = engine.draft_of(actions.working_revision(neg))
    return engine.render_paragraph_notation(draft.paragraph(key))


def test_it_compiles_an_amendment_with_its_supporter_and_opponent(small, forum):
    seen = _working_para(small, "PP1")
    amendment, conflict = actions.do_propose_amendment(
        small,
        paragraph_key="PP1",
        kind="insert",
        anchor="require",
        text="much",
        code="CHN",
        actor=forum["chn"],
        seen=seen,
    )
    assert conflict is None and amendment.status == Amendment.Status.PROPOSED
    actions.do_state_position(
        small,
        target_kind="amendment",
        target_key=str(amendment.pk),
        stance="oppose",
        code="IND",
        actor=forum["ind"],
    )
    report = actions.do_compile_revision(small, actor=forum["chair"])
    assert report.applied == [amendment.pk]
    assert report.revision.frozen and report.revision.number == 2
    assert "require [much] (+CHN) (-IND) stronger" in report.revision.notation
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ACCEPTED
    assert actions.working_revision(small).number == 3
    assert forum["ind"].notifications.filter(kind="negotiation.revision", params__number=2).exists()


def test_it_writes_a_changed_stance_once(small, forum):
    for stance in ("support", "oppose"):
        actions.do_state_position(
            small,
            target_kind="bracket",
            target_key="PP2-b1",
            stance=stance,
            code="RUS",
            actor=forum["rus"],
        )
    rev = actions.do_compile_revision(small, actor=forum["chair"]).revision
    para = engine.render_paragraph_notation(engine.draft_of(rev).paragraph("PP2"))
    assert para.count("RUS") == 1 and "(-RUS)" in para
    assert small.positions.count() == 2  # the earlier stance is kept in the history


def test_it_resolves_a_bracket_in_the_working_text_and_bumps_the_version(small, forum):
    working = actions.working_revision(small)
    before = small.version
    actions.do_resolve_bracket(small, working, bracket_id="PP2-b1", keep=True, actor=forum["chair"])
    small.refresh_from_db()
    assert small.version == before + 1
    assert _working_para(small, "PP2") == (
        "PP2. Reaffirming our commitment to the UN Charter and to its purposes;"
    )


def test_a_frozen_revision_is_never_changed(small, forum):
    issued = small.revisions.get(number=1)
    with pytest.raises(actions.FrozenRevision):
        actions.do_resolve_bracket(
            small, issued, bracket_id="PP2-b1", keep=True, actor=forum["chair"]
        )
    with pytest.raises(actions.FrozenRevision):
        actions.do_edit_paragraph(
            small, issued, key="PP1", notation="PP1. x", seen="", actor=forum["chair"]
        )


def test_a_stale_edit_keeps_both_inputs(small, forum):
    working = actions.working_revision(small)
    seen = _working_para(small, "PP1")
    actions.do_edit_paragraph(
        small,
        working,
        key="PP1",
        seen=seen,
        notation=seen.replace("rapid", "swift"),
        actor=forum["chair"],
    )
    # A delegate who loaded the paragraph before the chair's edit proposes on the old text.
    amendment, conflict = actions.do_propose_amendment(
        small,
        paragraph_key="PP1",
        kind="replace",
        anchor="stronger",
        text="closer",
        code="CHN",
        actor=forum["chn"],
        seen=seen,
    )
    assert conflict is not None
    assert "swift" in conflict.theirs and conflict.mine == "closer"
    assert amendment.status == Amendment.Status.DRAFT and amendment.base_text == seen
    # Two editors of the same paragraph: the second does not overwrite the first.
    _rev, conflict2 = actions.do_edit_paragraph(
        small, working, key="PP1", seen=seen, notation=seen + " (+RUS)", actor=forum["secretariat"]
    )
    assert conflict2 is not None and conflict2.kept is not None
    assert "swift" in _working_para(small, "PP1")
    assert conflict2.kept.text.endswith("(+RUS)")
    # The kept draft can be put forward again on the current text.
    resubmitted = actions.do_resubmit_amendment(amendment, code="CHN", actor=forum["chn"])
    assert resubmitted.status == Amendment.Status.PROPOSED
    assert resubmitted.base_text == _working_para(small, "PP1")


def test_it_notifies_holders_of_a_position_on_the_paragraph(small, forum):
    actions.do_propose_amendment(
        small,
        paragraph_key="PP2",
        kind="delete",
        anchor="our commitment",
        text="",
        code="RUS",
        actor=forum["rus"],
    )
    assert forum["ind"].notifications.filter(kind="negotiation.amendment").exists()
    assert forum["chn"].notifications.filter(kind="negotiation.amendment").exists()
    assert not forum["isr"].notifications.filter(kind="negotiation.amendment").exists()


def _agree_everything(neg: Negotiation, forum: dict) -> None:
    draft = engine.draft_of(actions.working_revision(neg))
    for p in draft.paragraphs:
        for b in p.brackets:
            actions.do_resolve_bracket(
                neg,
                actions.working_revision(neg),
                bracket_id=b.id,
                keep=True,
                actor=forum["chair"],
            )


def test_silence_broken_then_reopened_then_adopted_by_the_worker(small, forum, run_tasks):
    _agree_everything(small, forum)
    silence = actions.do_open_silence(
        small,
        deadline=timezone.now() + timedelta(hours=1),
        time_zone="Asia/Almaty",
        actor=forum["chair"],
    )
    assert forum["isr"].notifications.filter(kind__startswith="negotiation.silence").exists()
    actions.do_break_silence(
        silence, reason="PP1 needs more work", code=forum.code("ISR"), actor=forum["isr"]
    )
    small.refresh_from_db()
    assert small.state == Negotiation.State.NEGOTIATING
    run_tasks()  # the task of the broken procedure does nothing
    small.refresh_from_db()
    assert small.state == Negotiation.State.NEGOTIATING

    silence2 = actions.do_open_silence(
        small, deadline=timezone.now() + timedelta(hours=1), actor=forum["chair"]
    )
    run_tasks()  # not due yet
    assert SilenceProcedure.objects.get(pk=silence2.pk).state == "open"
    # The deadline passes: the test moves the row and the task's run_after, not the clock.
    SilenceProcedure.objects.filter(pk=silence2.pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()
    small.refresh_from_db()
    assert small.state == Negotiation.State.ADOPTED
    assert small.decisions.filter(kind=Decision.Kind.ADOPTED_BY_SILENCE).count() == 1
    assert actions.do_end_silence(silence2.pk) is False  # idempotent
    _assert_filed_as_adopted(small)
    assert forum["ind"].notifications.filter(kind="negotiation.silence.ended").exists()


def test_silence_cannot_open_while_brackets_remain(small, forum):
    with pytest.raises(actions.ActionError):
        actions.do_open_silence(
            small, deadline=timezone.now() + timedelta(hours=1), actor=forum["chair"]
        )


def test_ad_ref_then_forward_to_the_next_body_keeps_history(small, forum):
    _agree_everything(small, forum)
    actions.do_record_agreed_ad_ref(small, actor=forum["chair"])

    actions.do_forward(small, to_body=forum.body("SOC"), actor=forum["chair"])
    small.refresh_from_db()
    assert (
        small.body.code == forum.body_code("SOC") and small.state == Negotiation.State.NEGOTIATING
    )
    assert list(small.decisions.values_list("kind", flat=True)) == ["agreed_ad_ref", "forwarded"]


def test_consensus_adoption_with_reservations(small, forum):
    _agree_everything(small, forum)
    decision = actions.do_adopt_by_consensus(
        small,
        actor=forum["chair"],
        statements=[
            {
                "kind": "reservation",
                "delegation_code": "IND",
                "paragraph_key": "PP2",
                "text": "IND reads PP2 as...",
            }
        ],
    )
    assert decision.statements.get().delegation_code == "IND"
    small.refresh_from_db()
    assert small.state == Negotiation.State.ADOPTED
    _assert_filed_as_adopted(small)


def _assert_filed_as_adopted(neg: Negotiation) -> None:
    from django.apps import apps

    decision = neg.decisions.get(kind__startswith="adopted")
    if not apps.is_installed("secretariat.documents"):
        assert decision.filed_document_id is None
        return
    from secretariat.documents.models import Document

    document = Document.objects.get(pk=decision.filed_document_id)
    assert document.status == "adopted"
    assert "Reaffirming our commitment to the UN Charter" in document.current_version.text


def test_import_keeps_the_engines_counts(astana):
    rev = astana.revisions.get(number=1)
    draft = engine.parse_text((TEXTS / "astana-statement-podium.txt").read_text())
    summary = engine.summary(engine.draft_of(rev))
    assert summary.open_brackets == len(list(draft.all_brackets())) > 0
    assert summary.objections == engine.objections(draft)


def test_compiling_nothing_new_issues_nothing(small, forum):
    with pytest.raises(actions.ActionError):
        actions.do_compile_revision(small, actor=forum["chair"])
    assert small.revisions.filter(frozen=True).count() == 1


def test_a_delegation_cannot_resubmit_another_delegations_draft(small, forum):
    seen = _working_para(small, "PP1")
    actions.do_edit_paragraph(
        small,
        actions.working_revision(small),
        key="PP1",
        seen=seen,
        notation=seen.replace("rapid", "swift"),
        actor=forum["chair"],
    )
    draft, conflict = actions.do_propose_amendment(
        small,
        paragraph_key="PP1",
        kind="replace",
        anchor="stronger",
        text="closer",
        code="CHN",
        actor=forum["chn"],
        seen=seen,
    )
    assert conflict is not None and draft.status == Amendment.Status.DRAFT
    # Called as a command or a task would: the action itself refuses.
    with pytest.raises(actions.ActionError) as refused:
        actions.do_resubmit_amendment(draft, code="IND", actor=forum["ind"])
    assert refused.value.status == 403
    draft.refresh_from_db()
    assert draft.status == Amendment.Status.DRAFT
    assert actions.do_resubmit_amendment(draft, code="CHN", actor=forum["chn"]).status == (
        Amendment.Status.PROPOSED
    )


def test_forwarding_bumps_the_version_the_podium_follows(small, forum, client_for):

    _agree_everything(small, forum)
    actions.do_record_agreed_ad_ref(small, actor=forum["chair"])
    chair = client_for("chair")
    podium = f"/negotiations/{small.pk}/podium/"
    before = chair.get(podium + "version/").json()["version"]
    assert "agreed ad ref" in chair.get(podium + "text/?since=0").content.decode()
    actions.do_forward(small, to_body=forum.body("SOC"), actor=forum["chair"])
    after = chair.get(podium + "version/").json()["version"]
    assert after == before + 1
    r = chair.get(podium + f"text/?since={before}")
    assert r.status_code == 200 and r["X-Podium-Version"] == str(after)
    assert "agreed ad ref" not in r.content.decode()


def test_paragraphs_carry_the_engines_keys_and_brackets_start_with_them(astana):
    draft = engine.draft_of(actions.working_revision(astana))
    keys = [p.key for p in draft.paragraphs]
    assert len(set(keys)) == len(keys)
    assert draft.paragraph("PP4").label == "PP4"
    for p in draft.paragraphs:
        for b in p.brackets:
            if b.opens:
                assert b.id.startswith(p.key + "-b"), (p.key, b.id)
    with pytest.raises(KeyError):
        draft.paragraph("PP999")


def test_repeated_labels_get_distinct_keys():
    draft = engine.parse_text("PP1. One [a] (+IND);\n\nPP1. Two;\n\nAn unlabelled paragraph.\n")
    assert [p.key for p in draft.paragraphs] == ["PP1", "PP1~2", "p3"]
    assert draft.paragraphs[0].brackets[0].id == "PP1-b1"
