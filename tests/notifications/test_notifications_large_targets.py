"""Every page's header counts unread notifications, checking the reader may still see each
target: that check must not read a target's large fields (a negotiation's imported draft,
20 MB at most), or every page of every member slows down after one large import."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts.models import Body
from secretariat.negotiation.actions import do_import_negotiation
from secretariat.notifications.models import Notification

DRAFT = "PP1. Recognizing [the need] (+CHN) (-IND);\n\nOP1. We launch the process.\n"


def test_the_header_count_leaves_a_negotiations_draft_unread(forum, client_for) -> None:
    negotiation = do_import_negotiation(
        title="Large draft", body=Body.objects.get(code="SWG"), text=DRAFT,
        actor=forum["secretariat"],
    )  # fmt: skip
    # The import told the body's members (the delegate among them).
    assert Notification.objects.filter(user=forum["ind"], target_id=str(negotiation.pk)).exists()
    ind = client_for("ind")
    with CaptureQueriesContext(connection) as queries:
        page = ind.get("/documents/")
    assert page.status_code == 200
    reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "negotiation_negotiation"' in q["sql"]
    ]
    assert reads, "the notification's target was not checked"
    assert not [sql for sql in reads if "source_text" in sql or '"diagnostics"' in sql]
