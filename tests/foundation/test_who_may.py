"""The "who may" rules live in the access modules; the pages only ask them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from secretariat.accounts import access
from secretariat.notices.access import can_post_notice

# user name -> (secretariat, may register documents, may post notices)
RULES = {
    "secretariat": (True, True, True),
    "chair": (False, True, True),
    "ind": (False, True, True),  # a delegation registers its own papers in its bodies
    "observer": (False, False, False),
}


@pytest.mark.parametrize("username", sorted(RULES))
def test_the_rules_and_the_pages_agree(forum, client_for, username) -> None:
    user = forum[username]
    secretariat, register, post = RULES[username]
    assert access.is_secretariat(user) is secretariat
    assert user.is_secretariat is secretariat  # the template property asks the same rule
    assert access.can_create_document(user) is register
    assert can_post_notice(user) is post
    client = client_for(username)
    assert client.get(reverse("documents:new")).status_code == (200 if register else 403)
    assert client.get(reverse("notices:new")).status_code == (200 if post else 403)
    assert client.get(reverse("audit-log")).status_code == (200 if secretariat else 404)
    listing = client.get(reverse("documents:list")).content.decode()
    assert ("Register a document" in listing) is register
    notices = client.get(reverse("notices:list")).content.decode()
    assert ("Post a notice" in notices) is post


def test_a_coordinator_may_register_documents(forum) -> None:
    coordinator = forum["ind"]
    coordinator.role = "coordinator"
    assert access.can_create_document(coordinator)


def test_nobody_anonymous_may_do_anything(db, client) -> None:
    anonymous = AnonymousUser()
    assert not access.is_secretariat(anonymous)
    assert not access.can_create_document(anonymous)
    assert not can_post_notice(anonymous)
    for name in ("documents:new", "notices:new", "audit-log"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_inactive_user_may_not_post(forum) -> None:
    user = forum["ind"]
    user.is_active = False
    assert not can_post_notice(user)
