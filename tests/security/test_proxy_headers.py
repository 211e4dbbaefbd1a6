"""Issue 9 item 3: a forged X-Forwarded-For neither picks the address the login throttle
counts nor the one the audit log records; it is believed only from a configured proxy."""

from __future__ import annotations

import re

import httpx
import pytest

from reliability.conftest import make_site, serve  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow


def attempt(url: str, username: str, password: str, forwarded: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return client.post(
            "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{url}/accounts/login/", "X-Forwarded-For": forwarded},
        )


def test_forged_forwarded_addresses_are_ignored_without_a_trusted_proxy(make_site) -> None:  # noqa: F811
    site = make_site("noproxy")
    site.python("from secretariat.demo.forum import load_forum; load_forum()")
    url = serve(site)
    # 20 failures, each under another user name and another forged address: they all come
    # from this one connection's address, which the throttle (4 x 5 failures) then refuses.
    for n in range(20):
        answer = attempt(url, f"nobody{n}", "wrong", f"203.0.113.{n + 1}")
        assert answer.status_code == 200
    addresses = site.sql(
        "SELECT DISTINCT ip_address FROM core_auditevent WHERE action = 'login.failed'"
    )
    assert [str(a[0]) for a in addresses] == ["127.0.0.1"]
    assert site.scalar("SELECT count(*) FROM core_auditevent WHERE action='login.failed'") == 20
    # A forged fresh address does not get the attacker past the throttle; the refusal is
    # audited (with the real address), the account stays logged out.
    refused = attempt(url, "ind", "demo", "198.51.100.99")
    assert refused.status_code == 200
    assert "Too many failed attempts" in refused.text
    throttled = site.sql(
        "SELECT actor_name, ip_address FROM core_auditevent WHERE action = 'login.throttled'"
    )
    assert [(name, str(ip)) for name, ip in throttled] == [("ind", "127.0.0.1")]
    assert site.scalar("SELECT count(*) FROM core_auditevent WHERE action = 'login'") == 0


def test_a_trusted_proxys_forwarded_address_is_believed(make_site) -> None:  # noqa: F811
    site = make_site("proxy", extra_env={"SECRETARIAT_TRUSTED_PROXIES": "127.0.0.1"})
    site.python("from secretariat.demo.forum import load_forum; load_forum()")
    url = serve(site)
    assert attempt(url, "ind", "wrong", "203.0.113.5").status_code == 200
    assert attempt(url, "ind", "demo", "203.0.113.6").status_code == 302
    rows = site.sql(
        "SELECT action, ip_address FROM core_auditevent "
        "WHERE action IN ('login', 'login.failed') ORDER BY id"
    )
    assert [(a, str(ip)) for a, ip in rows] == [
        ("login.failed", "203.0.113.5"),
        ("login", "203.0.113.6"),
    ]
