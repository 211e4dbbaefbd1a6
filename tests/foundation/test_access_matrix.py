"""The access policy as a matrix: every role x every access level x view / edit, at the HTTP
level (outsider 404, read-only 403) and in querysets, in each demo forum (CICA and ASEM)."""

from __future__ import annotations

from typing import Any

import pytest

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel
from secretariat.notices.actions import do_post_notice
from secretariat.notices.models import Notice

LEVELS = [AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.BODY, AccessLevel.SECRETARIAT]
ALL = {"public", "members", "body", "secretariat"}
# Body-level content here belongs to the ICT working group (ASEM: the Asian group's
# coordination): China sits in it, India (ASEM: Germany, playing ISR) does not.
STEERING = {"public", "members", "body"}
VIEW = {
    "secretariat": ALL,
    "chair": STEERING,
    "chn": {"public", "members", "body"},
    "ind": {"public", "members"},
    "observer": {"public"},
}
EDIT = {
    "secretariat": ALL,
    "chair": STEERING,
    "chn": set(),
    "ind": set(),
    "observer": set(),
}
# What differs in ASEM, and why: it has no standing secretariat, and its register gives the
# secretariat's powers to the coordinators (`secretariat_powers: presiding`).
BY_FORUM = {
    "cica": (VIEW, EDIT),
    "asem": ({**VIEW, "chair": ALL}, {**EDIT, "chair": ALL}),
}
OUTSIDE = {"cica": "ind", "asem": "isr"}  # the part of a member outside the body


@pytest.fixture(params=sorted(BY_FORUM))
def forum(request, cast_forum) -> Any:
    cast = cast_forum(request.param)
    cast["ind"] = cast[OUTSIDE[request.param]]
    return cast


def view_of(forum: Any, username: str) -> set[str]:
    return set(BY_FORUM[forum.name][0][username])


def edit_of(forum: Any, username: str) -> set[str]:
    return set(BY_FORUM[forum.name][1][username])


@pytest.fixture
def notices(forum) -> dict[str, Notice]:
    ict = forum.body("ICT-WG")
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
def test_view_over_http(forum, client_for, notices, username, level) -> None:
    response = client_for(username).get(f"/notices/{notices[level].pk}/")
    assert response.status_code == (200 if level in view_of(forum, username) else 404)


@pytest.mark.parametrize("username", list(EDIT))
@pytest.mark.parametrize("level", [lvl.value for lvl in LEVELS])
def test_edit_over_http(forum, client_for, notices, username, level) -> None:
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
    if level in edit_of(forum, username):
        expected = 302
    elif level in view_of(forum, username):
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
    assert {n.access_level for n in visible} == view_of(forum, username)
    assert visible.count() == len(view_of(forum, username))
    for notice in Notice.objects.all():
        assert access.can_view(user, notice) == (notice.access_level in view_of(forum, username))
        assert access.can_edit(user, notice) == (notice.access_level in edit_of(forum, username))


@pytest.mark.parametrize("username", list(VIEW))
def test_list_page_and_its_count_show_only_visible_notices(
    forum, client_for, notices, username
) -> None:
    html = client_for(username).get("/notices/").content.decode()
    for level, notice in notices.items():
        assert (notice.title in html) == (level in view_of(forum, username))
    assert f"{len(view_of(forum, username))} notice" in html


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
