"""Visit every page of the product in a real browser and collect Content-Security-Policy
violations.

The pages are found generically, so the pages of apps that land later are covered without
touching this module: every route of the URL conf without parameters is a starting page, and
the links on each visited page lead to the rest (detail pages of the demo objects). One URL is
visited per route (`/documents/12/` stands for `documents/<int:pk>/`), which keeps the crawl
short while still rendering every template that a route serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

# Collects violations from the moment the document exists, before any script of the page runs.
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({
    directive: e.effectiveDirective || e.violatedDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
    sample: e.sample,
  });
}, true);
"""

# Routes never visited: they act (POST-only forms answer a GET with 405 anyway) or leave.
SKIPPED_NAMES = frozenset({"logout", "switch-language", "admin:logout"})
SKIPPED_PREFIXES = ("oidc",)
MAX_PAGES = 400


@dataclass
class CrawlResult:
    visited: dict[str, str] = field(default_factory=dict)  # route -> the URL visited for it
    violations: dict[str, list[Any]] = field(default_factory=dict)  # URL -> its violations
    not_html: list[str] = field(default_factory=list)  # downloads (files, exports)
    no_document: list[str] = field(default_factory=list)  # empty error answers (405)
    statuses: dict[str, int] = field(default_factory=dict)


def _walk(patterns: list[Any], prefix: str, names: str) -> Iterator[tuple[str, str, bool]]:
    """(route, qualified name, has parameters) of every pattern of the URL conf."""
    for p in patterns:
        plain = isinstance(p.pattern, RoutePattern) and not p.pattern.converters
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{names}{p.namespace}:" if p.namespace else names
            if plain:
                yield from _walk(p.url_patterns, route, ns)
            # A resolver with a parameter or a regex: its pages are reached through links.
        elif isinstance(p, URLPattern):
            yield route, f"{names}{p.name or ''}", not plain


def starting_paths() -> list[str]:
    """Every page of the URL conf that takes no parameter."""
    out = []
    for route, name, has_params in _walk(get_resolver().url_patterns, "", ""):
        if has_params or not _wanted(route, name):
            continue
        out.append("/" + route)
    return out


def _wanted(route: str, name: str) -> bool:
    return name not in SKIPPED_NAMES and not route.startswith(SKIPPED_PREFIXES)


def route_of(path: str) -> str | None:
    """The route a path resolves to (`documents/<int:pk>/`), or None if it resolves to nothing
    or to a route the crawl skips."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if not _wanted(match.route, match.view_name):
        return None
    return match.route


def crawl(page: Any, base_url: str) -> CrawlResult:
    """Visit one URL per route, starting from the parameterless routes, following links."""
    result = CrawlResult()
    page.add_init_script(INIT_SCRIPT)
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    queue = [p for p in starting_paths()]
    seen_routes: set[str] = set()
    while queue and len(result.visited) < MAX_PAGES:
        path = queue.pop(0)
        route = route_of(path)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        url = base_url + path
        console.clear()
        # Ask first (with the page's cookies) what the route answers: a file download or an
        # empty error answer (a POST-only route refusing a GET with 405) is no document to judge.
        probe = page.request.get(url, max_redirects=0)
        kind = probe.headers.get("content-type", "")
        redirect = probe.status in (301, 302, 303, 307, 308)
        if not redirect and not (kind.startswith("text/html") and probe.body()):
            (result.no_document if probe.status >= 400 else result.not_html).append(path)
            continue
        response = page.goto(url, wait_until="load")
        result.visited[route] = path
        result.statuses[path] = response.status if response is not None else 0
        # Let htmx fetch what the page loads on "load" and "revealed" before judging it.
        page.wait_for_timeout(150)
        page.wait_for_function("!document.querySelector('.htmx-request')")
        found = page.evaluate("window.__cspViolations || []") + list(console)
        if found:
            result.violations[path] = found
        origin = urlsplit(base_url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            link = urlsplit(href)
            if (link.scheme, link.netloc) != (origin.scheme, origin.netloc):
                continue
            if link.path.startswith("/static/"):
                continue
            next_path = link.path + (f"?{link.query}" if link.query else "")
            queue.append(next_path)
    return result
