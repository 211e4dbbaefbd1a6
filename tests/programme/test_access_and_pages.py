"""Access: restricted reports never reach outsiders through lists, counts, pages or the public
feed; outsiders get 404, readers 403; results reach the public portal only when the lead
proposed and the secretariat approved. Hypothesis over the forms: no input gives a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.programme import actions
from secretariat.programme.access import published_results, visible_reports
from secretariat.programme.models import Publication, Report
from secretariat.programme.overview import overview

pytestmark = pytest.mark.django_db


def test_restricted_report_invisible_to_outsiders(
    forum, make_initiative, submit_report, client_for
) -> None:
    ict = make_initiative("ICT CBM", access_level="body", body="ICT-WG")
    secret = submit_report(ict, cycle=0, results="Confidential findings")
    open_cbm = make_initiative("Tourism CBM", leads=("IND",))
    submit_report(open_cbm, cycle=0, actor=forum["ind"])

    # India is not in the ICT working group: neither the initiative nor its report.
    assert list(visible_reports(forum["ind"]).values_list("initiative__title", flat=True)) == [
        "Tourism CBM"
    ]
    assert visible_reports(forum["ind"]).count() == 1
    assert [r.initiative.title for r in overview(forum["ind"])] == ["Tourism CBM"]
    page = client_for("ind").get("/programme/").content.decode()
    assert "ICT CBM" not in page and "1 initiative" in page
    assert client_for("ind").get(f"/programme/initiatives/{ict.pk}/").status_code == 404
    assert client_for("observer").get(f"/programme/initiatives/{open_cbm.pk}/").status_code == 404
    # A member of the group sees it.
    assert visible_reports(forum["rus"]).filter(pk=secret.pk).exists()
    assert (
        "Confidential findings"
        not in client_for(None).get("/programme/results/feed.atom").content.decode()
    )


def test_reader_may_not_upload(forum, make_initiative, client_for) -> None:
    cbm = make_initiative("Tourism CBM", leads=("IND",))
    upload = SimpleUploadedFile("r.txt", b"A report.\n\nWith text.")
    response = client_for("rus").post(
        f"/programme/initiatives/{cbm.pk}/report/",
        {"file": upload, "cycle": 1, "access_level": "members"},
    )
    assert response.status_code == 403
    assert not Report.objects.exists()
    assert client_for("ind").post(f"/programme/initiatives/{cbm.pk}/cycle/", {}).status_code == 403


def test_lead_uploads_and_results_are_published_after_approval(
    forum, make_initiative, client_for
) -> None:
    cbm = make_initiative("Tourism CBM", leads=("IND",), access_level="public")
    upload = SimpleUploadedFile("r.txt", "Отчёт о мере.\n\nВстреча экспертов.".encode())
    response = client_for("ind").post(
        f"/programme/initiatives/{cbm.pk}/report/",
        {"file": upload, "cycle": 1, "access_level": "members", "results": "Two workshops held."},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.cycle == 0 and report.submitted_by == forum["ind"]
    assert report.document.versions.get().sha256
    assert list(published_results()) == []

    assert client_for("ind").post(f"/programme/reports/{report.pk}/publish/").status_code == 403
    assert client_for("ind").post(f"/programme/reports/{report.pk}/propose/").status_code == 302
    assert (
        client_for("secretariat").post(f"/programme/reports/{report.pk}/publish/").status_code
        == 302
    )
    report.refresh_from_db()
    assert report.publication == Publication.PUBLISHED
    feed = client_for(None).get("/programme/results/feed.atom")
    assert feed.status_code == 200 and "Two workshops held." in feed.content.decode()
    assert "Two workshops held." in client_for(None).get("/programme/results/").content.decode()


def test_results_of_a_restricted_initiative_never_go_public(
    forum, make_initiative, submit_report
) -> None:
    ict = make_initiative("ICT CBM", access_level="body", body="ICT-WG")
    report = submit_report(ict, results="Internal")
    actions.do_propose_publication(report, actor=forum["chn"])
    actions.do_publish_results(report, actor=forum["secretariat"])
    assert list(published_results()) == []


text = st.text(st.characters(codec="utf-8"), max_size=300)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    results=text,
    cycle=st.one_of(text, st.integers(-5, 10**6).map(str)),
    level=text,
    start=text,
    months=text,
    data=st.binary(max_size=300),
)
def test_forms_never_500(
    forum, make_initiative, client_for, results, cycle, level, start, months, data
) -> None:
    cbm = Report.objects.none() or make_initiative("Fuzz CBM", leads=("IND",))
    ind, sec = client_for("ind"), client_for("secretariat")
    response = ind.post(
        f"/programme/initiatives/{cbm.pk}/report/",
        {
            "file": SimpleUploadedFile("f.txt", data),
            "cycle": cycle,
            "access_level": level,
            "results": results,
        },
    )
    assert response.status_code in (302, 400, 403)
    response = sec.post(
        f"/programme/initiatives/{cbm.pk}/cycle/",
        {"start_on": start, "every_months": months, "remind_days": months},
    )
    assert response.status_code in (302, 400, 403)


def test_the_report_action_checks_the_lead_whoever_calls_it(
    forum, make_initiative, submit_report
) -> None:
    """The programme files reports past the library's delegation-paper limits
    (filed_by_app): the lead's right is therefore the action's to check, not only the view's."""
    from django.core.exceptions import PermissionDenied

    from secretariat.documents.models import Document

    cbm = make_initiative("Tourism CBM", leads=("IND",))
    documents = Document.objects.count()
    with pytest.raises(PermissionDenied):
        submit_report(cbm, actor=forum["rus"])  # sees the initiative, does not lead it
    assert not Report.objects.exists() and Document.objects.count() == documents
    assert submit_report(cbm, actor=forum["ind"]).submitted_by == forum["ind"]
    assert submit_report(cbm, cycle=1, actor=forum["secretariat"]).cycle == 1
