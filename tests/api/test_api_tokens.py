"""Personal API tokens: stored hashed, shown once, scoped, expiring, revocable, audited."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from secretariat.api.models import ApiToken
from secretariat.api.tokens import do_revoke_token
from secretariat.core.models import AuditEvent


def test_the_secret_is_not_stored_and_the_token_acts_as_its_user(forum, token_for, api_as) -> None:
    secret = token_for("ind")
    token = ApiToken.objects.get()
    assert secret.startswith(f"sct_{token.prefix}_")
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert not any(secret.split("_", 2)[2] in v for v in stored)  # only the digest is kept
    assert len(token.digest) == 64
    response = api_as("ind").get("/notifications")
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.filter(action="api.token.create", object_id=str(token.pk)).exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sct_00000000_nothing",
        "Bearer garbage",
        "Bearer ",
        "Bearer sct_\x01_x",
    ],
)
def test_unknown_tokens_get_401_problem(forum, header) -> None:
    from django.test import Client

    response = Client().get("/api/v1/documents", headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_no_credentials_is_401_not_a_login_redirect(forum, api_as) -> None:
    response = api_as(None).get("/documents")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_forged_secret_with_a_real_prefix_is_refused(forum, token_for, api_as) -> None:
    secret = token_for("ind")
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    client = api_as(None)
    client.headers = {"Authorization": f"Bearer {forged}"}
    assert client.get("/documents").status_code == 401


def test_revoked_token_401(forum, token_for, api_client) -> None:
    secret = token_for("chn")
    client = api_client(secret)
    assert client.get("/documents").status_code == 200
    do_revoke_token(ApiToken.objects.get(), actor=forum["chn"])
    assert client.get("/documents").status_code == 401
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1


def test_expired_token_401(forum, token_for, api_client) -> None:
    secret = token_for("chn", days=1)
    client = api_client(secret)
    assert client.get("/documents").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/documents").status_code == 401


def test_an_inactive_users_token_gets_401(forum, token_for, api_client) -> None:
    client = api_client(token_for("chn"))
    forum["chn"].is_active = False
    forum["chn"].save()
    assert client.get("/documents").status_code == 401


def test_a_read_token_cannot_write(forum, api_as) -> None:
    response = api_as("chn", "read").post("/notifications/read-all")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert api_as("chn", "write").post("/notifications/read-all").status_code == 200


def test_session_works_and_needs_csrf_to_write(forum) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(forum["chn"])
    assert client.get("/api/v1/documents").status_code == 200
    refused = client.post("/api/v1/notifications/read-all", content_type="application/json")
    assert refused.status_code == 403
    client.get(reverse("api:tokens"))  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    done = client.post(
        "/api/v1/notifications/read-all",
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert done.status_code == 200, done.content


def test_tokens_page_shows_the_token_once_and_revokes(forum, client_for, api_client) -> None:
    client = client_for("rus")
    url = reverse("api:tokens")
    page = client.post(url, {"name": "Registry", "scope": "write", "days": "30"})
    assert page.status_code == 200
    html = page.content.decode()
    secret = re.search(r'<code data-api-token translate="no">(sct_[^<]+)</code>', html).group(1)
    assert api_client(secret).get("/documents").status_code == 200
    again = client.get(url).content.decode()
    assert secret not in again and "Registry" in again
    token = ApiToken.objects.get(user=forum["rus"])
    assert token.scope == "write"
    # Another user cannot revoke it (404), its owner can.
    assert client_for("chn").post(reverse("api:token-revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 302
    assert api_client(secret).get("/documents").status_code == 401


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x\x00y", "scope": "read", "days": "30"},
        {"name": "x" * 101, "scope": "read", "days": "30"},
        {"name": "x", "scope": "admin", "days": "30"},
        {"name": "x", "scope": "read", "days": "0"},
        {"name": "x", "scope": "read", "days": "99999999999999999999999"},
    ],
)
def test_tokens_page_refuses_bad_input_without_a_500(forum, client_for, data) -> None:
    response = client_for("rus").post(reverse("api:tokens"), data)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_command_prints_a_working_token(forum, api_client) -> None:
    out = StringIO()
    call_command("api", "token", "create", "ind", "--scope", "write", "--days", "7", stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=forum["ind"])
    assert token.scope == "write"
    assert timedelta(days=6.9) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert api_client(secret).get("/documents").status_code == 200


def test_a_tokens_last_use_is_recorded_every_few_minutes_not_every_request(
    forum, token_for, api_as
) -> None:
    token_for("ind")
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    client = api_as(None)
    client.headers = {"Authorization": f"Bearer {token_for('ind')}"}
    token = ApiToken.objects.latest("id")
    before = timezone.now()
    assert client.get("/notifications").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and first >= before
    assert client.get("/notifications").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # within the window: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=10))
    assert client.get("/notifications").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= before
    assert ApiToken.objects.exclude(pk=token.pk).get().last_used_at is None  # the unused one


def test_past_the_rate_a_token_gets_429_with_retry_after_and_others_are_not_held(
    forum, api_as, settings
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.SECRETARIAT_API_RATE = "3/min"
    busy, other = api_as("ind"), api_as("chn")
    assert [busy.get("/notifications").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/notifications")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert other.get("/notifications").status_code == 200


def test_the_tokens_page_shows_when_a_token_was_last_used(forum, client, token_for, api_as):
    from secretariat.accounts.models import User

    token_for("ind")  # never used
    api_as("ind").get("/notifications")  # a second one, used
    client.force_login(User.objects.get(username="ind"))
    page = client.get(reverse("api:tokens")).content.decode()
    cells = re.findall(r"<td data-last-used>([^<]*)</td>", page)
    assert len(cells) == 2
    assert sorted(cell.strip() == "never" for cell in cells) == [False, True]


def test_the_rate_throttle_keeps_each_threads_request_apart() -> None:
    import threading

    from secretariat.api.throttle import PerCaller

    throttle = PerCaller()  # one instance answers every thread of the process
    throttle.key, throttle.history = "api-rate:token-1", [1.0]
    seen: list[object] = []

    def other_request() -> None:
        throttle.key = "api-rate:token-2"
        seen.append(throttle.key)

    worker = threading.Thread(target=other_request)
    worker.start()
    worker.join()
    assert seen == ["api-rate:token-2"]
    assert (throttle.key, throttle.history) == ("api-rate:token-1", [1.0])
