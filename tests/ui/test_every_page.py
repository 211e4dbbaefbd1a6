"""Every page of the product, as the secretariat, a delegate, the chair and a signed-out
reader, in every language of settings.LANGUAGES, at 390 px (a phone) and 1,366 px (a laptop):

- a screenshot of each is kept under var/screenshots/pages/ (CI keeps it as an artefact);
- at 390 px nothing overflows sideways (document.documentElement.scrollWidth <= 390);
- a page in another language than English shows no English word, except names, codes and
  quoted document text (elements marked `lang` other than the page's, or `translate="no"`);
- axe-core (vendored under static/vendor/axe-core, injected by the test only) finds no
  violation.

The pages come from the URL conf (tests/ui/every_page.py): a route added later is checked
without touching this file, or fails saying how to fill its parameters. All failures of a
run are gathered and reported together, page by page.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from every_page import SKIP, all_routes, build_objects, page_routes, skip_reason, url_of

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "src" / "secretariat" / "static" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "var" / "screenshots" / "pages"
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
ROLES = ["secretariat", "ind", "chair", None]  # None: signed out
# The secretariat sees the most pages, signed out the fewest; a delegate and the chair about
# as many each.
ROLE_GROUPS = [("secretariat", None), ("ind", "chair")]
assert sorted(r or "" for g in ROLE_GROUPS for r in g) == sorted(r or "" for r in ROLES)
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# The text a reader sees (and hears: labels, titles, placeholders, alternative text), without
# quoted document text and names (an element whose `lang` is not the page's, or marked
# translate="no"), scripts and styles.
VISIBLE_TEXT = """() => {
  const page = (document.documentElement.lang || "en").split("-")[0];
  const skipped = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(e.tagName)) return true;
      if (e.getAttribute("translate") === "no") return true;
      const lang = e.getAttribute("lang");
      if (lang !== null && lang.split("-")[0] !== page) return true;
    }
    return false;
  };
  const out = [];
  const quoted = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    if (skipped(n.parentElement)) quoted.push(n.parentElement.textContent.trim());
    else out.push(n.nodeValue);
  }
  // The window's title cannot mark a part with its language: a title that repeats a name or
  // a document's title the page shows marked (its heading) is read without it.
  let title = document.title;
  for (const q of quoted.sort((a, b) => b.length - a.length)) {
    if (q.length > 2) title = title.split(q).join(" ");
  }
  out.push(title);
  const attrs = ["aria-label", "title", "placeholder", "alt", "aria-description"];
  for (const el of document.body.querySelectorAll("*")) {
    if (skipped(el)) continue;
    for (const a of attrs) { const v = el.getAttribute(a); if (v) out.push(v); }
    if (el.tagName === "INPUT" && ["submit", "button"].includes(el.type) && el.value) {
      out.push(el.value);
    }
  }
  return out.join("\\n");
}"""

# The page's markup without what changes from one request to the next (CSRF tokens, nonces),
# to tell an already checked page from a new one.
MARKUP = """() => document.documentElement.outerHTML.replace(/[A-Za-z0-9]{64}/g, "")"""

# Without selectors axe is several times faster on a long page; a page with a violation is
# checked again with them (AXE_DETAIL), to say where.
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"], selectors: false});
  return r.violations.length;
}"""

AXE_DETAIL = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary
      .split("\\n").slice(0, 2).join(" ")),
    count: v.nodes.length,
  }));
}"""

# Words that are the same in every language of the product: product names, file formats,
# units and standards.
ALLOWED_WORDS = {
    "pdf",
    "docx",
    "txt",
    "csv",
    "zip",
    "ics",
    "atom",
    "json",
    "html",
    "xml",
    "api",
    "rest",
    "url",
    "utc",
    "gmt",
    "totp",
    "oidc",
    "sso",
    "webauthn",
    "sha-256",
    "qr",  # a standard's name: Russian and Kazakh write "QR-код" (here in an aria-label)
    "id",
    "un",
    "akn",
    "akoma",
    "ntoso",
    "cica",
    "asem",
    "openapi",
    "swagger",
    "e-mail",
    "email",
    "ok",
    "htmx",
    "secretariat",  # the product's name in its brand line
    # "ad ref" (ad referendum): the Latin term of art, written so in Russian texts too
    "ad",
    "ref",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def allowed_names(language: str) -> set[str]:
    """Names and codes of the forum (people, delegations, groups, bodies and their codes):
    names stay as they are written; a name with a form in the page's language must show it,
    so only names without one are allowed (the register has English and Russian names: on a
    Kazakh page every name is shown as written in English)."""
    from secretariat.accounts.models import (
        Body,
        Delegation,
        DelegationAlias,
        Forum,
        MemberGroup,
        User,
    )

    words: set[str] = set()

    def add(text: str | None) -> None:
        words.update(w.lower() for w in WORD.findall(text or ""))

    for user in User.objects.all():
        add(user.first_name)
        add(user.last_name)
        add(user.username)
    for model in (Forum, Delegation, MemberGroup, Body):
        for obj in model.objects.all():
            add(getattr(obj, "code", ""))
            add(getattr(obj, "short_name", ""))
            if language != "ru" or not obj.name_ru:
                add(obj.name_en)
    for alias in DelegationAlias.objects.all():
        add(alias.alias)
    # Organizations whose documents the library holds (ASEAN, the Quad) are names too.
    from secretariat.documents.models import Document

    for organization in Document.objects.values_list("organization", flat=True).distinct():
        add(organization)
    return words


def english_words(text: str, allowed: set[str]) -> list[str]:
    found = []
    for token in text.split():
        if any(c.isdigit() for c in token) or "@" in token or "://" in token or "/" in token:
            continue  # codes, references, addresses
        for word in WORD.findall(token):
            w = word.strip("'’-").lower()
            if len(w) < 2 or w in ALLOWED_WORDS or w in allowed:
                continue
            found.append(word)
    return sorted(set(found))


def test_axe_is_vendored_with_its_licence() -> None:
    assert AXE.read_bytes().startswith(b"/*! axe v4.")
    assert (AXE.parent / "LICENSE").read_text().startswith("Mozilla Public License")


def test_every_route_is_a_page_or_skipped_with_a_reason() -> None:
    """A route nobody can fill fails here first, saying what to add."""
    from every_page import FILL

    missing = [f"{r.name} ({r.pattern})" for r in page_routes() if r.params and r.name not in FILL]
    assert missing == [], (
        "routes with parameters and no way to fill them: add them to FILL (or to SKIP with "
        f"the reason they are no page) in tests/ui/every_page.py: {missing}"
    )
    stale = sorted(set(SKIP) - {r.name for r in all_routes()})
    assert stale == [], f"SKIP names routes that no longer exist: {stale}"
    assert {"dashboard", "documents:detail", "negotiation:detail"} <= {
        r.name for r in page_routes()
    }
    assert skip_reason("admin:index") and skip_reason("documents:download")


@pytest.fixture
def pages_data(forum, finder_index, language):
    """The demo, loaded once per test (per language), and the pages to check."""
    from secretariat.demo.load import load_demo

    start = time.monotonic()
    load_demo(io.StringIO())
    objects = build_objects()
    print(f"{language}: demo loaded in {time.monotonic() - start:.0f} s")
    # SWEEP_ROUTES="negotiation:,documents:" checks only the routes whose names start so
    # (to re-check one area while fixing it); unset, every page.
    only = [p for p in os.environ.get("SWEEP_ROUTES", "").split(",") if p]
    routes = [r for r in page_routes() if not only or r.name.startswith(tuple(only))]
    return [(route.name, url_of(route, objects)) for route in routes], allowed_names(language)


# The longest page a screenshot keeps: the workspace of a long negotiation is over 30,000 px
# tall, and capturing all of it costs seconds per view for nothing a person looks at. The
# overflow, words and axe checks still read the whole page.
SHOT_MAX_HEIGHT = 6_000
AXE_DESKTOP_ONLY = "kk"


class Clock:
    """Where a run's time goes (printed at its end: the sweep must stay fast enough for CI)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.spent[step] = self.spent.get(step, 0.0) + time.monotonic() - start

    def __str__(self) -> str:
        return ", ".join(f"{k} {v:.0f} s" for k, v in sorted(self.spent.items()))


def roles_to_check(roles: tuple[str | None, ...]) -> list[str | None]:
    # SWEEP_ROLES="secretariat,signed-out" checks only those roles; unset, all four.
    only = [r for r in os.environ.get("SWEEP_ROLES", "").split(",") if r]
    return [r for r in roles if not only or (r or "signed-out") in only]


@pytest.mark.sweep
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("roles", ROLE_GROUPS, ids=lambda g: "+".join(r or "signed-out" for r in g))
def test_every_page(pages_data, browser, live_server, login, language, roles) -> None:
    """One language, some roles in turn on the same demo (loading the demo is the dearest
    step, so it is done once per language and group of roles, not per role: two groups of
    about equal work, so two processes share the six tests evenly)."""
    pages, allowed = pages_data
    clock = Clock()
    report: list[str] = []
    axed: set[str] = set()
    for role in roles_to_check(roles):
        who = role or "signed-out"
        with clock("role"):
            failures, checked, rendered = sweep_role(
                browser, live_server.url, login, role, language, pages, allowed, clock, axed
            )
        print(f"{who}/{language}: {checked} page views checked, {rendered} pages rendered")
        if role is not None and not os.environ.get("SWEEP_ROUTES"):
            assert rendered >= 20, f"{who} saw almost no page: is it signed in?"
        if failures:
            report.append(
                f"{len(failures)} pages fail for {who} in {language}:\n"
                + "\n".join(
                    f"{label}:\n  " + "\n  ".join(p) for label, p in sorted(failures.items())
                )
            )
    print(f"{language}: {clock}")
    # Beside the screenshots (a CI artefact): what failed, readable before the run ends.
    group = "+".join(r or "signed-out" for r in roles)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"report-{language}-{group}.txt").write_text(
        f"{language} {group}: {clock}\n\n" + ("\n".join(report) or "no fault\n")
    )
    assert not report, "\n".join(report)


def sweep_role(
    browser: Any,
    base: str,
    login: Any,
    role: str | None,
    language: str,
    pages: list[tuple[str, str]],
    allowed: set[str],
    clock: Clock,
    axed: set[str],
) -> tuple[dict[str, list[str]], int, int]:
    contexts = {}
    for kind, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(30_000)
        contexts[kind] = page
    # Sign in once, in the chosen language, then share the session with the other viewport.
    first = contexts["desktop"]
    with clock("sign-in"):
        if role is not None:
            login(first, role)
        first.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        if role is not None:
            first.goto(f"{base}/")
            if first.locator("html").get_attribute("lang") != language:
                with first.expect_navigation():
                    first.select_option("#lang-select", language)
        contexts["phone"].context.add_cookies(first.context.cookies())

    failures: dict[str, list[str]] = {}
    checked = rendered = 0
    seen_errors: set[int] = set()
    who = role or "signed-out"
    for name, path in pages:
        for kind, page in contexts.items():
            with clock("load"):
                response = page.goto(base + path, wait_until="load")
            status = response.status if response is not None else 0
            if not page.url.startswith(base + path.split("?")[0]) or status >= 500:
                if status >= 500:
                    failures.setdefault(name, []).append(f"{kind}: HTTP {status}")
                break  # redirected (sign-in page, another page): checked as its own route
            if status in (403, 404, 405):
                if status in seen_errors and kind == "desktop":
                    break  # an error page is checked once per role (both widths)
                seen_errors.add(status)
                label = f"error {status} (on {name})"
            else:
                label = name
                rendered += kind == "desktop"
            checked += 1
            with clock("load"):
                page.wait_for_function("!document.querySelector('.htmx-request')")
            problems = failures.setdefault(label, [])
            shot = SHOTS / f"{who}-{language}-{kind}-{name.replace(':', '-')}.jpg"
            shot.parent.mkdir(parents=True, exist_ok=True)
            with clock("screenshot"):
                height = page.evaluate("document.documentElement.scrollHeight")
                width = page.evaluate("document.documentElement.scrollWidth")
                page.screenshot(
                    path=str(shot),
                    type="jpeg",  # a third of a PNG's encoding time, and of its size
                    quality=80,
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, SHOT_MAX_HEIGHT)},
                    timeout=60_000,
                )
            lang = page.locator("html").get_attribute("lang")
            if lang != language:
                problems.append(f"{kind}: <html lang={lang!r}>, not {language!r}")
            if kind == "phone" and width > VIEWPORTS["phone"][0]:
                problems.append(f"phone: {width} px wide (overflows 390 px sideways)")
            if language != "en" and kind == "desktop":
                with clock("words"):
                    words = english_words(page.evaluate(VISIBLE_TEXT), allowed)
                if words:
                    problems.append(f"English words: {' '.join(words[:40])}")
            # axe at both widths in every language but Kazakh, where it runs at 1,366 px only
            # (Kazakh pages differ from Russian ones in their words, not their markup; their
            # 390 px layout is checked for overflow and kept as a screenshot). A page whose
            # markup was checked already at this width (another role's, byte for byte) is not
            # checked again.
            with clock("axe"):
                if language == AXE_DESKTOP_ONLY and kind == "phone":
                    markup = ""  # not checked
                else:
                    markup = page.evaluate(MARKUP)
                digest = hashlib.sha256(f"{kind}\n{markup}".encode()).hexdigest()
                if markup and digest not in axed:
                    axed.add(digest)
                    # By URL: the page's policy refuses an inline script.
                    page.add_script_tag(url=f"{base}/static/vendor/axe-core/axe.min.js")
                    if page.evaluate(AXE_RUN):
                        for v in page.evaluate(AXE_DETAIL):
                            problems.append(
                                f"{kind}: axe {v['id']} ({v['impact']}, {v['count']}x): "
                                f"{v['help']}; " + " | ".join(v["nodes"])
                            )
            if not problems:
                del failures[label]
    for page in contexts.values():
        page.context.close()
    return failures, checked, rendered
