"""Outcome notices of silence procedures, carrying the statements delegations filed."""

from __future__ import annotations

from datetime import timedelta

import pytest

SMALL = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""


@pytest.fixture
def silence(forum, house_style):
    from django.utils import timezone

    from secretariat.accounts.models import Body
    from secretariat.negotiation import actions

    negotiation = actions.do_import_negotiation(
        title="Draft statement",
        body=Body.objects.get(code="ICT-WG"),
        text=SMALL,
        actor=forum["secretariat"],
    )
    return actions.do_open_silence(
        negotiation, deadline=timezone.now() + timedelta(hours=1), actor=forum["chair"]
    )


def test_statements_then_adopted_notice_to_the_participants(silence, forum, client_for, run_tasks):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from secretariat.communications import outcome
    from secretariat.communications.models import Note
    from secretariat.negotiation.models import SilenceProcedure

    chn = client_for("chn")
    assert chn.get(f"/notes/silence/{silence.pk}/statement/").status_code == 200
    response = chn.post(
        f"/notes/silence/{silence.pk}/statement/",
        {"kind": "interpretative", "text": "China understands OP1 as voluntary."},
    )
    assert response.status_code == 302
    assert client_for("ind").get(f"/notes/silence/{silence.pk}/statement/").status_code == 404
    assert (
        client_for("secretariat").get(f"/notes/silence/{silence.pk}/statement/").status_code == 403
    )
    assert outcome.do_issue_outcome_notice(silence) is None  # still open
    # The deadline passes: the worker adopts the text, and the notice follows through the
    # negotiation's signal, enqueued in the adopting transaction.
    past = timezone.now() - timedelta(seconds=1)
    SilenceProcedure.objects.filter(pk=silence.pk).update(deadline=past)
    DBTaskResult.objects.update(run_after=past)
    run_tasks()
    run_tasks()
    assert SilenceProcedure.objects.get(pk=silence.pk).state == SilenceProcedure.State.ENDED
    note = Note.objects.get(outcome_of=silence)
    assert note.is_issued and note.kind == "to_body" and note.body.code == "ICT-WG"
    english = note.editions.get(language="en")
    assert "with no objection: the text is adopted" in english.text
    assert "CHN (Interpretative statement): China understands OP1 as voluntary." in english.text
    assert sorted(note.recipients.values_list("delegation__code", flat=True)) == [
        "CHN",
        "IRAN",
        "KAZ",
        "RUS",
        "THA",
    ]
    assert outcome.on_silence_ended(silence.pk) == note  # once per procedure


def test_broken_notice_carries_the_objection(silence, forum, run_tasks):
    from secretariat.communications import outcome
    from secretariat.communications.models import Note
    from secretariat.negotiation import actions as negotiation_actions

    outcome.do_file_outcome_statement(
        silence,
        kind="reservation",
        text="Russia reserves its position on PP1.",
        actor=forum["rus"],
    )
    negotiation_actions.do_break_silence(
        silence, reason="PP1 needs more work", code="CHN", actor=forum["chn"]
    )
    run_tasks()
    note = Note.objects.get(outcome_of=silence)
    text = note.editions.get(language="en").text
    assert "was broken by CHN" in text and "PP1 needs more work" in text
    assert "RUS (Reservation): Russia reserves its position on PP1." in text
    with pytest.raises(Exception):  # noqa: B017 - closed: no more statements
        outcome.do_file_outcome_statement(
            silence, kind="reservation", text="Late.", actor=forum["rus"]
        )
