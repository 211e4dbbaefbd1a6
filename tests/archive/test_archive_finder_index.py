"""The finder's index when it is missing or damaged: a request never builds it nor deletes it;
a task builds it with progress, and until then every reader is told it is being built."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from secretariat.archive import finding

QUERY = (
    "Recognising also that terrorism cannot and should not be associated with any "
    "religion, nationality, civilisation or ethnic group"
)
BUILD_TASK = "secretariat.archive.tasks.build_finder_index"


def _builds() -> int:
    return DBTaskResult.objects.filter(task_path=BUILD_TASK).count()


def corpus_user():
    from secretariat.accounts.models import User

    return User.objects.get(username="secretariat")


def _drop_index(finder_index) -> None:
    shutil.rmtree(finder_index)
    finding._open.clear()


def test_a_missing_index_is_built_by_the_task_not_by_a_request(
    corpus, finder_index, client_for, run_tasks
) -> None:
    _drop_index(finder_index)
    rus = client_for("rus")
    url = reverse("archive:finder")
    for _ in range(3):
        html = rus.post(url, {"text": QUERY}).content.decode()
        assert "being built" in html and "article" not in html
    assert not (finder_index / "MANIFEST.json").exists()  # no request built it
    assert _builds() == 1  # asked once, however many readers came
    assert finding.build_progress() == finding.BuildProgress(0, None)

    run_tasks()
    assert (finder_index / "MANIFEST.json").exists()
    assert finding.build_progress() is None
    html = rus.post(url, {"text": QUERY}).content.decode()
    assert "being built" not in html
    assert "2006-06-17" in html and "article" in html


def test_the_page_shows_the_build_progress(corpus, finder_index, client_for) -> None:
    _drop_index(finder_index)
    finding._write_status(finding.BuildProgress(500, 2000))
    html = client_for("ind").post(reverse("archive:finder"), {"text": QUERY}).content.decode()
    assert "500 of 2000 paragraphs indexed so far" in html
    assert _builds() == 0  # a build under way is not asked for again


def test_a_stalled_build_is_asked_for_again(corpus, finder_index) -> None:
    import os
    import time

    _drop_index(finder_index)
    finding._write_status(finding.BuildProgress(500, 2000))
    old = time.time() - finding.STALE_BUILD_SECONDS - 1
    os.utime(finding._status_file(), (old, old))
    with pytest.raises(finding.IndexBuilding):
        finding.precedents(corpus_user(), QUERY)
    assert _builds() == 1


def test_fragments_say_the_index_is_being_built(corpus, finder_index, client_for) -> None:
    from secretariat.documents.models import Paragraph

    circular = corpus["cica-2022-swg-circular-drafts.txt"]
    paragraph = Paragraph.objects.filter(version_id=circular.current_version_id).first()
    _drop_index(finder_index)
    chn = client_for("chn")
    for url in (
        reverse("archive:paragraph-precedents", args=[paragraph.pk]),
        reverse("archive:coverage", args=[circular.pk]),
    ):
        response = chn.get(url)
        assert response.status_code == 200
        assert "being built" in response.content.decode()


def test_an_unreadable_index_is_kept_until_the_task_replaces_it(
    corpus, finder_index, run_tasks
) -> None:
    finding.get_index()
    segments = sorted(p.name for p in finder_index.glob("seg-*"))
    (finder_index / "MANIFEST.json").write_text("not json")
    finding._open.clear()
    with pytest.raises(CommandError, match="being built"):
        call_command("archive", "precedents", "--text", QUERY, stdout=io.StringIO())
    # Nothing was deleted on a guess: the segments are where they were.
    assert sorted(p.name for p in finder_index.glob("seg-*")) == segments
    assert _builds() == 1

    run_tasks()
    out = io.StringIO()
    call_command("archive", "precedents", "--text", QUERY, "--top", "1", stdout=out)
    assert "2006-06-17" in out.getvalue()


def test_an_index_damaged_under_an_open_reader_is_rebuilt(corpus, finder_index, run_tasks):
    user = corpus_user()
    assert finding.precedents(user, QUERY)
    (finder_index / "MANIFEST.json").write_text('{"generation": "x"}')
    with pytest.raises(finding.IndexBuilding):
        finding.precedents(user, QUERY)
    run_tasks()
    assert finding.precedents(user, QUERY)[0]["date"] == "2006-06-17"


def test_syncing_without_an_index_leaves_it_to_the_build(add_document, finder_index, run_tasks):
    _drop_index(finder_index)
    document = add_document("1. The Ministers welcomed the progress in tourism.\n", title="T")
    finding.sync_document(document.pk)  # no index: nothing to do, and nothing built
    assert not (finder_index / "MANIFEST.json").exists()
    with pytest.raises(finding.IndexBuilding):
        finding.get_index()
    run_tasks()
    assert len(finding.get_index()) == 1


def test_the_building_notice_is_translated(corpus, finder_index, client_for) -> None:
    from django.conf import settings

    _drop_index(finder_index)
    finding._write_status(finding.BuildProgress(21, 21))
    client = client_for("rus")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.post(reverse("archive:finder"), {"text": QUERY}).content.decode()
    assert "Индекс поиска формулировок создаётся" in html
    assert "Пока проиндексировано 21 из 21 абзаца." in html
