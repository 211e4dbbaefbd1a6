"""The audit log of reading: a first view is recorded, polls and fragments do not flood it."""

from __future__ import annotations

import pytest

from secretariat.core.models import AuditEvent
from secretariat.negotiation import actions

pytestmark = pytest.mark.django_db


def _views(neg, user) -> int:
    return AuditEvent.objects.filter(
        action="view", actor=user, object_type="negotiation.negotiation", object_id=str(neg.pk)
    ).count()


def test_polls_and_fragments_write_one_view_per_user_and_revision(small, forum, client_for):
    ind = client_for("ind")
    base = f"/negotiations/{small.pk}/"
    version = small.version
    for _ in range(5):
        assert ind.get(base + "podium/version/").json() == {"version": version}
        assert ind.get(base + f"podium/text/?since={version}").status_code == 204
    for _ in range(5):
        assert ind.get(base + "p/PP1/").status_code == 200
    assert _views(small, forum["ind"]) == 1  # 10 polls + 5 fragments

    assert client_for("chn").get(base + "podium/version/").status_code == 200
    assert _views(small, forum["chn"]) == 1
    assert _views(small, forum["ind"]) == 1

    # A change is recorded as such; reading on is not recorded again.
    r = ind.post(
        base + "position/",
        {"target_kind": "paragraph", "target_key": "PP1", "stance": "oppose", "paragraph": "PP1"},
    )
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="negotiation.position", actor=forum["ind"]).count() == 1
    ind.get(base + "podium/version/")
    assert _views(small, forum["ind"]) == 1

    # A new revision of the text is a new first view.
    actions.do_compile_revision(small, actor=forum["chair"])
    ind.get(base + "podium/version/")
    assert _views(small, forum["ind"]) == 2


def test_opening_a_page_is_recorded_every_time(small, forum, client_for):
    ind = client_for("ind")
    for _ in range(3):
        assert ind.get(f"/negotiations/{small.pk}/").status_code == 200
    assert _views(small, forum["ind"]) == 3
