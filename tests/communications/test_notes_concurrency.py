"""Numbers are gapless and unique under concurrency, and a rolled-back issue leaves no hole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


@pytest.mark.slow
def test_twenty_concurrent_issues_on_sqlite(tmp_path):
    """SQLite: a file database in a process of its own (the test database lives in memory,
    which threads cannot share for writing); 20 threads, each with its own connection."""
    if _vendor() != "sqlite":
        pytest.skip("the SQLite run")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SECRETARIAT_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, str(HERE / "issue_race.py"), "20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == list(range(1, 21))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_on_postgresql():
    """PostgreSQL: 20 threads in the test database, each with its own connection."""
    if _vendor() != "postgresql":
        pytest.skip("the PostgreSQL run")
    from secretariat.communications.seed import seed_house_style
    from secretariat.demo.forum import load_forum

    load_forum()
    seed_house_style()
    sys.path.insert(0, str(HERE))
    try:
        from issue_race import race
    finally:
        sys.path.remove(str(HERE))
    assert race(20) == list(range(1, 21))


def test_a_rolled_back_issue_leaves_no_hole(make_note, forum, monkeypatch):
    from secretariat.communications import actions, rendering
    from secretariat.communications.models import SeriesCounter

    first = make_note(issue=True)
    assert first.number == 1
    failing = make_note()

    def broken(editions):
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(rendering, "note_pdf", broken)
    with pytest.raises(RuntimeError):
        actions.do_issue_note(failing, actor=forum["secretariat"])
    monkeypatch.undo()
    failing.refresh_from_db()
    assert failing.status == "approved" and failing.number is None
    assert SeriesCounter.objects.get(series__code="NV").last_number == 1
    assert actions.do_issue_note(failing, actor=forum["secretariat"]).number == 2


def test_the_unique_constraint_is_the_last_line_of_defence(make_note):
    from django.db import IntegrityError, transaction

    from secretariat.communications.models import Note

    first = make_note(issue=True)
    second = make_note(issue=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=second.pk).update(number=first.number, year=first.year)
