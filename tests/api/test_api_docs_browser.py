"""The interactive API docs in a real Chromium under the strict CSP."""

from __future__ import annotations

import pytest

from security.csp_crawl import INIT_SCRIPT


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_docs_and_tokens_pages_have_no_csp_violation(forum, page, live_server, login) -> None:
    page.add_init_script(INIT_SCRIPT)
    login(page, "ind")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .swagger-ui", timeout=60_000)  # the bundle ran
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__cspViolations") == []
    page.goto(f"{live_server.url}/api/tokens/")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_lists_the_operations(forum, page, live_server, login) -> None:
    login(page, "ind")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 15
