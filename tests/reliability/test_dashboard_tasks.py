"""The secretariat's dashboard says when background work is stuck; delegates never see it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

TEXT = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;
"""


def test_an_overdue_silence_and_no_worker_show_on_the_secretariat_dashboard(forum, client_for):
    from secretariat.accounts.models import Body
    from secretariat.negotiation import actions
    from secretariat.negotiation.models import SilenceProcedure

    negotiation = actions.do_import_negotiation(
        title="Draft statement",
        body=Body.objects.get(code="SWG"),
        text=TEXT,
        actor=forum["secretariat"],
    )
    silence = actions.do_open_silence(
        negotiation, deadline=timezone.now() + timedelta(hours=1), actor=forum["chair"]
    )
    SilenceProcedure.objects.filter(pk=silence.pk).update(
        deadline=timezone.now() - timedelta(minutes=30)
    )

    page = client_for("secretariat").get("/").content.decode()
    assert "Background tasks need attention" in page
    assert "No worker is running" in page
    assert "Overdue deadlines" in page and negotiation.get_absolute_url() in page

    # The command to start one is a name, not words to translate: a Kazakh page keeps it
    # apart, marked translate="no", and its sentence is Kazakh.
    assert '<code translate="no">secretariat worker</code>' in page
    kazakh = client_for("secretariat")
    kazakh.cookies["django_language"] = "kk"
    line = next(
        p for p in kazakh.get("/").content.decode().split("<p>") if "secretariat worker" in p
    )
    assert "worker is running" not in line and "іске қосылмаған" in line
    assert '(<code translate="no">secretariat worker</code>)' in line

    assert "Background tasks need attention" not in client_for("ind").get("/").content.decode()
