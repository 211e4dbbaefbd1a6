"""Issue 10, item 2: a long import writes its negotiation as a pending row in several short
transactions and makes it visible in one last transaction (`actions.importing`). Until then no
page, list, count, search or API answer shows it, even to the secretariat; a failed or dead
import leaves nothing visible, and what it left is removed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from secretariat.accounts.models import Body
from secretariat.core.models import AuditEvent
from secretariat.negotiation.actions import importing
from secretariat.negotiation.models import ImportJob, Negotiation, Revision

DRAFT = (
    Path(__file__).resolve().parents[2]
    / "src/secretariat/negotiation/demo_texts/plan-of-action.txt"
).read_text()
TITLE = "Zanzibar pending plan"


def write_pending(forum, owner: str = "run:test") -> Negotiation:
    return importing.write_pending(
        owner=owner,
        title=TITLE,
        body=Body.objects.get(code="SWG"),
        text=DRAFT,
        actor=forum["secretariat"],
        chair_code="CHAIR",
        source_name="plan.txt",
        source_document_id=None,
        prepared=importing.prepare_import(DRAFT),
    )


def test_a_pending_import_is_seen_nowhere_until_published(forum, client_for) -> None:
    from secretariat.api.tokens import do_create_token

    negotiation = write_pending(forum)
    first, working = Revision.objects.filter(negotiation=negotiation).order_by("number")
    assert first.parsed["paragraphs"] and working.parsed == importing.SAME_AS_FIRST
    assert working.notation == first.notation and not working.frozen

    web = client_for("secretariat")
    token = do_create_token(forum["secretariat"], name="t", scope="read", days=1, actor=None).secret
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def seen() -> dict[str, object]:
        return {
            "count": Negotiation.objects.count(),
            "list": TITLE in web.get("/negotiations/").content.decode(),
            "dashboard": TITLE in web.get("/").content.decode(),
            "page": web.get(f"/negotiations/{negotiation.pk}/").status_code,
            "search": TITLE in web.get("/search/", {"q": "Zanzibar"}).content.decode(),
            "api list": TITLE in web.get("/api/v1/negotiations", **api).content.decode(),
            "api one": web.get(f"/api/v1/negotiations/{negotiation.pk}", **api).status_code,
        }

    assert seen() == {
        "count": 0,
        "list": False,
        "dashboard": False,
        "page": 404,
        "search": False,
        "api list": False,
        "api one": 404,
    }
    assert not AuditEvent.objects.filter(action="negotiation.import").exists()

    importing.publish(
        negotiation, actor=forum["secretariat"], prepared=importing.prepare_import(DRAFT)
    )
    after = seen()
    assert after["count"] == 1 and after["list"] and after["dashboard"]
    assert after["page"] == 200 and after["api list"] and after["api one"] == 200
    assert AuditEvent.objects.filter(action="negotiation.import").count() == 1


def test_an_import_failing_at_publication_leaves_nothing(forum, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(importing, "notify", broken)
    with pytest.raises(RuntimeError):
        importing.do_import_negotiation(
            title=TITLE, body=Body.objects.get(code="SWG"), text=DRAFT, actor=forum["secretariat"]
        )
    assert not Negotiation.with_pending.exists()
    assert not Revision.objects.exists()


def test_what_dead_imports_left_is_removed_and_nothing_else(forum) -> None:
    body = Body.objects.get(code="SWG")
    secretariat = forum["secretariat"]
    failed = ImportJob.objects.create(
        created_by=secretariat, title="t", body=body, chair_code="C", text="x", size=1,
        state=ImportJob.State.FAILED,
    )  # fmt: skip
    running = ImportJob.objects.create(
        created_by=secretariat, title="t", body=body, chair_code="C", text="x", size=1,
        state=ImportJob.State.WRITING,
    )  # fmt: skip
    of_failed = write_pending(forum, f"job:{failed.pk}")
    of_running = write_pending(forum, f"job:{running.pk}")
    old_run = write_pending(forum, "run:old")
    Negotiation.with_pending.filter(pk=old_run.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    fresh_run = write_pending(forum, "run:fresh")
    visible = importing.do_import_negotiation(
        title="Visible", body=body, text=DRAFT, actor=secretariat
    )  # runs the sweep first

    left = set(Negotiation.with_pending.values_list("pk", flat=True))
    assert left == {of_running.pk, fresh_run.pk, visible.pk}
    assert of_failed.pk not in left and old_run.pk not in left
    assert not Revision.objects.filter(negotiation_id__in=[of_failed.pk, old_run.pk]).exists()
    assert list(Negotiation.objects.values_list("pk", flat=True)) == [visible.pk]
