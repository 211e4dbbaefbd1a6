"""Issue 10 item 2: a long draft is imported by the worker, its progress followed on a page
polled with htmx; the request that received it answers at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.accounts.models import Body
from secretariat.core.models import AuditEvent
from secretariat.negotiation import actions
from secretariat.negotiation.models import ImportJob, Negotiation

DRAFT = (
    Path(__file__).resolve().parents[2]
    / "src/secretariat/negotiation/demo_texts/plan-of-action.txt"
).read_text()


@pytest.fixture
def small_threshold(settings) -> None:
    settings.NEGOTIATION_IMPORT_TASK_BYTES = 1000


def post_import(client, text: str):
    return client.post(
        "/negotiations/import/",
        {
            "title": "Plan of action",
            "body": Body.objects.first().pk,
            "file": SimpleUploadedFile("plan.txt", text.encode()),
        },
    )


def test_a_long_import_runs_as_a_task_with_its_progress_shown(
    forum, client_for, run_tasks, small_threshold
) -> None:
    secretariat = client_for("secretariat")
    response = post_import(secretariat, DRAFT)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/negotiations/import/{job.pk}/"
    assert not Negotiation.objects.exists()
    page = secretariat.get(response["Location"])
    assert page.status_code == 200
    assert "Waiting for the worker" in page.content.decode()
    poll = secretariat.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in poll.content.decode()
    assert "<html" not in poll.content.decode()

    run_tasks()

    job.refresh_from_db()
    negotiation = Negotiation.objects.get()
    assert (job.state, job.negotiation_id) == (ImportJob.State.DONE, negotiation.pk)
    assert negotiation.source_text == DRAFT
    assert negotiation.created_by == forum["secretariat"]
    assert negotiation.revisions.count() == 2
    done = secretariat.get(response["Location"], HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == negotiation.get_absolute_url()
    assert "hx-trigger" not in done.content.decode()
    assert AuditEvent.objects.filter(action="negotiation.import.queued").count() == 1
    assert AuditEvent.objects.filter(action="negotiation.import").count() == 1

    # Safe to run twice: the job is done, nothing more is written.
    assert actions.run_import_job(job.pk).state == ImportJob.State.DONE
    assert Negotiation.objects.count() == 1


def test_a_short_import_is_done_in_the_request(forum, client_for) -> None:
    response = post_import(client_for("secretariat"), DRAFT)
    assert response.status_code == 302
    assert Negotiation.objects.count() == 1
    assert not ImportJob.objects.exists()


def test_an_imports_progress_is_only_for_who_started_it(forum, client_for, small_threshold) -> None:
    post_import(client_for("chair"), DRAFT)
    job = ImportJob.objects.get()
    assert client_for("ind").get(job.get_absolute_url()).status_code == 404
    assert client_for("observer").get(job.get_absolute_url()).status_code == 404
    assert client_for("chair").get(job.get_absolute_url()).status_code == 200
    assert client_for("secretariat").get(job.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(action="view.denied", actor_name="ind").exists()


@pytest.mark.parametrize("left_in", [ImportJob.State.READING, ImportJob.State.WRITING])
def test_a_job_left_part_way_by_a_dead_run_is_resumed_once(forum, left_in) -> None:
    """What a killed worker leaves (the job READING or WRITING, its write rolled back) is
    read again from the start when the reaper hands the task on; the real kill is in
    test_import_resume.py."""
    job = actions.do_queue_import(
        title="Plan of action", body=Body.objects.first(), text=DRAFT, actor=forum["secretariat"]
    )
    ImportJob.objects.filter(pk=job.pk).update(state=left_in)

    assert actions.run_import_job(job.pk).state == ImportJob.State.DONE
    assert actions.run_import_job(job.pk).state == ImportJob.State.DONE  # and again: nothing
    negotiation = Negotiation.objects.get()
    assert ImportJob.objects.get().negotiation == negotiation
    assert negotiation.revisions.count() == 2
    assert AuditEvent.objects.filter(action="negotiation.import").count() == 1
    resumed = AuditEvent.objects.get(action="negotiation.import.resumed")
    assert resumed.detail["state"] == left_in


def test_the_dashboard_reads_the_figures_stored_with_the_text(forum) -> None:
    """The 20 MB import under load stalled the dashboards: they parsed the new text (~38 s)
    for three figures. The import and every working-text change store them; they match a
    parse, and stay true after an edit."""
    from secretariat.negotiation import engine
    from secretariat.negotiation.dashboard import whats_new

    text = "DRAFT\n\nPP1. Agreed words;\n\nOP1. We [shall] (-IND) act [now] (+CHN).\n"
    negotiation = actions.do_import_negotiation(
        title="Figures", body=Body.objects.get(code="SWG"), text=text, actor=forum["secretariat"]
    )
    working = actions.working_revision(negotiation)
    parsed = engine.summary(engine.draft_of(working)).as_json()
    assert working.summary == parsed and parsed["open_brackets"] == 2
    assert negotiation.revisions.get(number=1).summary == parsed
    meta = whats_new(forum["ind"])[0]["items"][0]["meta"]
    assert (
        f"{parsed['agreed']} of {parsed['paragraphs']} paragraphs agreed · 2 open brackets" in meta
    )

    bracket = engine.draft_of(working).paragraphs[-1].brackets[0].id
    actions.do_resolve_bracket(
        negotiation, working, bracket_id=bracket, keep=True, actor=forum["chair"]
    )
    working = actions.working_revision(negotiation)
    assert working.summary["open_brackets"] == 1
    assert "1 open bracket" in whats_new(forum["ind"])[0]["items"][0]["meta"]


def test_the_worker_imports_at_a_lower_priority_than_pages(forum, monkeypatch) -> None:
    """The draft is parsed and written at a lower processor priority (this thread only), then
    the thread is back to its own: the web processes on the same cores answer first."""
    import os
    import threading

    from secretariat.core.priority import BATCH_NICENESS
    from secretariat.negotiation.actions import importing

    thread = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, thread)
    seen: list[int] = []
    real = importing.prepare_import

    def watched(text: str):
        seen.append(os.getpriority(os.PRIO_PROCESS, thread))
        return real(text)

    monkeypatch.setattr(importing, "prepare_import", watched)
    job = actions.do_queue_import(
        title="Plan of action", body=Body.objects.first(), text=DRAFT, actor=forum["secretariat"]
    )
    assert actions.run_import_job(job.pk).state == ImportJob.State.DONE
    assert seen == [min(19, before + BATCH_NICENESS)]
    if os.geteuid() == 0:  # raising it again needs the privilege
        assert os.getpriority(os.PRIO_PROCESS, thread) == before
