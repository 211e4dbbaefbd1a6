"""The access policy as a matrix: every role x every access level x view / edit, at the HTTP
level (outsider 404, read-only 403) and in querysets."""

from __future__ import annotations

import pytest

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel, Body
from secretariat.notices.actions import do_post_notice
from secretariat.notices.models import Notice

LEVELS = [AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.BODY, AccessLevel.SECRETARIAT]
# Body-level content here belongs to the ICT working group: China sits in it, India does not.
VIEW = {
    "secretariat": {"public", "members", "body", "secretariat"},
    "chair": {"public", "members", "body"},
    "chn": {"public", "members", "body"},
    "ind": {"public", "members"},
    "observer": {"public"},
}
EDIT = {
    "secretariat": {"public", "members", "body", "secretariat"},
    "chair": {"public", "members", "body"},
    "chn": set(),
    "ind": set(),
    "observer": set(),
}


@pytest.fixture
def notices(forum) -> dict[str, Notice]:
    ict = Body.objects.get(code="ICT-WG")
    return {
        level.value: do_post_notice(
            title=f"{level} notice",
            text="Text.",
            access_level=level,
            body=ict if level == AccessLevel.BODY else None,
            actor=forum["secretariat"],
        )
        for level in LEVELS
    }


@pytest.mark.parametrize("username", list(VIEW))
@pytest.mark.parametrize("level", [lvl.value for lvl in LEVELS])
def test_view_over_http(client_for, notices, username, level) -> None:
    response = client_for(username).get(f"/notices/{notices[level].pk}/")
    assert response.status_code == (200 if level in VIEW[username] else 404)


@pytest.mark.parametrize("username", list(EDIT))
@pytest.mark.parametrize("level", [lvl.value for lvl in LEVELS])
def test_edit_over_http(client_for, notices, username, level) -> None:
    client = client_for(username)
    notice = notices[level]
    response = client.post(
        f"/notices/{notice.pk}/edit/",
        {
            "title": "Changed",
            "text": "New text.",
            "access_level": level,
            "body": notice.body_id or "",
        },
    )
    if level in EDIT[username]:
        expected = 302
    elif level in VIEW[username]:
        expected = 403  # may read, may not change
    else:
        expected = 404  # may not even know it exists
    assert response.status_code == expected
    notice.refresh_from_db()
    assert (notice.title == "Changed") == (expected == 302)


@pytest.mark.parametrize("username", list(VIEW))
def test_querysets_follow_the_same_policy(forum, notices, username) -> None:
    user = forum[username]
    visible = access.visible(user, Notice.objects.all())
    assert {n.access_level for n in visible} == VIEW[username]
    assert visible.count() == len(VIEW[username])
    for notice in Notice.objects.all():
        assert access.can_view(user, notice) == (notice.access_level in VIEW[username])
        assert access.can_edit(user, notice) == (notice.access_level in EDIT[username])


@pytest.mark.parametrize("username", list(VIEW))
def test_list_page_and_its_count_show_only_visible_notices(client_for, notices, username) -> None:
    html = client_for(username).get("/notices/").content.decode()
    for level, notice in notices.items():
        assert (notice.title in html) == (level in VIEW[username])
    assert f"{len(VIEW[username])} notice" in html


def test_anonymous_sees_only_the_login_page(db, client, notices) -> None:
    from django.contrib.auth.models import AnonymousUser

    for level, notice in notices.items():
        response = client.get(f"/notices/{notice.pk}/")
        assert response.status_code == 302, level
        assert response["Location"].startswith("/accounts/login/")
    visible = access.visible(AnonymousUser(), Notice.objects.all())
    assert set(visible.values_list("access_level", flat=True)) == {"public"}


def test_the_author_may_edit_their_own_notice(forum, client_for) -> None:
    notice = do_post_notice(
        title="Our statement", text="Text.", access_level="members", body=None, actor=forum["ind"]
    )
    assert client_for("ind").get(f"/notices/{notice.pk}/edit/").status_code == 200
    assert client_for("chn").get(f"/notices/{notice.pk}/edit/").status_code == 403


def test_observers_cannot_post(client_for) -> None:
    assert client_for("observer").get("/notices/new/").status_code == 403
    response = client_for("ind").post(
        "/notices/new/", {"title": "T", "text": "X", "access_level": "body", "body": ""}
    )
    assert response.status_code == 400  # the form says the body is missing
    assert "Choose the body" in response.content.decode()
    assert not Notice.objects.exists()
