"""Every page of the product, as the secretariat and as a delegate, renders in a real browser
under the strict Content-Security-Policy with zero violations; the headers are set."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from csp_crawl import INIT_SCRIPT, crawl, starting_paths

SRC = Path(__file__).resolve().parents[2] / "src" / "secretariat"


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_security_headers_on_public_and_private_pages(client_for) -> None:
    for client, path in ((client_for(None), "/accounts/login/"), (client_for("ind"), "/")):
        response = client.get(path)
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert not any("unsafe" in v for values in policy.values() for v in values)
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


# What the policy refuses, found in the templates before a browser has to (mail templates are
# not pages: mail clients need inline styles).
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on...= handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_style_or_handler() -> None:
    offenders = []
    templates = [p for p in SRC.rglob("templates/**/*.html") if "/email/" not in p.as_posix()]
    assert len(templates) > 20
    for template in templates:
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{template.relative_to(SRC)}:{line}: {what}")
        # htmx injects an inline <style> for its indicator unless its config says not to.
        if "htmx.min.js" in text and '"includeIndicatorStyles": false' not in text:
            offenders.append(f"{template.relative_to(SRC)}: htmx without its htmx-config meta")
    assert offenders == []


def test_the_crawl_starts_from_every_parameterless_route() -> None:
    paths = starting_paths()
    assert {"/", "/documents/", "/negotiations/", "/admin/"} <= set(paths)
    assert "/accounts/logout/" not in paths and "/language/" not in paths
    assert not any("<" in p for p in paths)


@pytest.fixture
def demo_data(forum, finder_index) -> None:
    from secretariat.demo.load import load_demo

    load_demo(io.StringIO())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_violation_listener_sees_what_the_policy_blocks(forum, page, live_server, login):
    """The crawl's listener is not blind: an inline script and a style attribute added to a
    real page are refused by the policy and reported."""
    page.add_init_script(INIT_SCRIPT)
    login(page, "ind")
    ran = page.evaluate(
        """() => {
        window.__ran = false;
        const s = document.createElement("script");
        s.textContent = "window.__ran = true";
        document.body.appendChild(s);
        document.body.setAttribute("style", "background: red");
        return window.__ran;
    }"""
    )
    page.wait_for_timeout(100)
    found = page.evaluate("window.__cspViolations")
    assert ran is False
    assert {v["directive"] for v in found} == {"script-src-elem", "style-src-attr"}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["secretariat", "ind"])
def test_every_page_has_zero_csp_violations(
    demo_data, page, live_server, login, browser_orm, username
) -> None:
    login(page, username)
    result = crawl(page, live_server.url)
    detail_routes = [r for r in result.visited if "<" in r]
    print(
        f"{username}: {len(result.visited)} routes visited, {len(detail_routes)} with "
        f"parameters, {len(result.not_html)} downloads, {len(result.no_document)} empty answers"
    )
    assert result.violations == {}
    # The crawl reached detail pages of the demo objects, not only the lists.
    for route in ("documents/<int:pk>/", "negotiations/<int:pk>/"):
        assert route in result.visited, sorted(result.visited)
    assert len(detail_routes) >= 10
    assert not [p for p, status in result.statuses.items() if status >= 500]
    if username == "secretariat":
        assert "admin/" in result.visited
