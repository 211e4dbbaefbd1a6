"""Shared fixtures: the demo forum's personas, logged-in clients, the worker, a real browser.

Tests build their data with the same functions the product uses (the demo loader, the
actions), never with hand-made rows that could drift from what the product writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (the database is rolled back; a cached fragment
    must not outlive it)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_language_left_behind() -> Iterator[None]:
    """A request in Russian leaves Russian active in the test thread (LocaleMiddleware does
    not switch back): reset it, so the next test's commands do not speak Russian."""
    yield
    from django.utils import translation

    translation.deactivate()


def pass_second_factor(client: Any, user: Any) -> None:
    """Mark a test client's session as verified by one of the user's devices (a secretariat or
    chair account without one gets a test device first)."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from secretariat.accounts.access import must_use_two_factor

    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is None:
        if not must_use_two_factor(user):
            return
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch) -> None:
    """`force_login` skips signing in, so it skips the second step too: the session is marked
    verified as if the code had been given. Tests of the second step sign in through the login
    form (tests/security/test_2fa_*.py)."""
    from asgiref.sync import sync_to_async
    from django.test import AsyncClient, Client

    sync_original = Client.force_login
    async_original = AsyncClient.force_login
    async_login_original = AsyncClient.aforce_login

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        sync_original(self, user, backend)
        pass_second_factor(self, user)

    def async_force_login(self: Any, user: Any, backend: str | None = None) -> None:
        async_original(self, user, backend)
        pass_second_factor(self, user)

    async def aforce_login(self: Any, user: Any, backend: str | None = None) -> None:
        await async_login_original(self, user, backend)
        await sync_to_async(pass_second_factor)(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(AsyncClient, "force_login", async_force_login)
    monkeypatch.setattr(AsyncClient, "aforce_login", aforce_login)


@pytest.fixture
def forum(db) -> dict:
    """The demo forum (delegations, bodies, the seven demo accounts), keyed by user name."""
    return forum_cast("cica")


@pytest.fixture
def client_for(forum, client) -> Callable:
    """client_for("ind") -> a test client logged in as that demo account."""
    from django.test import Client

    def make(username: str | None) -> Client:
        c = Client()
        if username is not None:
            c.force_login(forum[username])
        return c

    return make


@pytest.fixture
def run_tasks(db, monkeypatch) -> Callable[[], None]:
    """Run every due background task through the real worker command, then return.

    The worker's connection housekeeping (close_old_connections) is switched off: inside a
    test the connection holds the test's transaction, and closing it would lose the data."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        with orm_in_browser_test():  # a browser test may call it between two browser steps
            call_command("worker", "--batch", verbosity=0)

    return run


# --- the library ---------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def finder_index(settings, tmp_path) -> Iterator[Path]:
    """Each test gets its own empty finder index, as a new installation has (the database is
    rolled back; the index on disk must not outlive it, nor leak from one test, or one
    database, to another). Tests of a missing index delete it."""
    from secretariat.archive import finding
    from secretariat.archive.finder import FinderIndex

    settings.FINDER_INDEX_DIR = tmp_path / "finder-index"
    finding._open.clear()
    FinderIndex.create(str(settings.FINDER_INDEX_DIR))
    yield settings.FINDER_INDEX_DIR
    finding._open.clear()


@pytest.fixture
def add_document(forum, finder_index) -> Callable:
    """add_document("text" or b"bytes", title=..., status=..., ...) -> Document, registered by
    the secretariat through do_create_document."""
    from secretariat.documents import actions

    def add(content: str | bytes, filename: str = "doc.txt", **options) -> object:
        data = content.encode() if isinstance(content, str) else content
        upload = actions.read_upload(data, filename)
        options.setdefault("title", filename)
        options.setdefault("organization", "CICA")
        options.setdefault("status", "adopted")
        options.setdefault("access_level", "members")
        actor = options.pop("actor", forum["secretariat"])
        return actions.do_create_document(upload, actor=actor, **options)

    return add


# --- the browser ---------------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _Started:
    """A Playwright object started on first use. Playwright's sync API marks its event loop as
    running in the test thread from then on, and Django (rightly) refuses ORM calls there, so
    the fixtures that build a test's data (which run before the test body) must run first."""

    def __init__(self, start: Callable[[], Any]) -> None:
        self._start = start
        self._obj: Any = None

    @property
    def started(self) -> bool:
        return self._obj is not None

    def __getattr__(self, name: str) -> Any:
        if self._obj is None:
            self._obj = self._start()
        return getattr(self._obj, name)


@pytest.fixture
def browser() -> Iterator:
    """One browser per test, launched when the test first uses it and closed after it: the
    loop Playwright marks as running never outlives a browser test, so every other test runs
    with Django's async-safety check on (no DJANGO_ALLOW_ASYNC_UNSAFE)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    playwright = sync_playwright()

    def start() -> Any:
        return playwright.start().chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)

    lazy = _Started(start)
    yield lazy
    if lazy.started:
        lazy.close()
        playwright.__exit__(None, None, None)


@contextlib.contextmanager
def orm_in_browser_test() -> Iterator[None]:
    """For a browser test that reads or writes the database between two browser steps.

    Playwright's loop only runs inside Playwright's own calls; between them the test thread is
    plain synchronous code, but the loop stays marked as running, which Django's async-safety
    check cannot tell apart from a real async context. This block says so for its duration
    (unlike DJANGO_ALLOW_ASYNC_UNSAFE, which would also hide real mistakes in the server)."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.fixture
def browser_orm() -> Callable[[], contextlib.AbstractContextManager[None]]:
    """`with browser_orm():` around database work between two browser steps (see above)."""
    return orm_in_browser_test


@pytest.fixture
def page(browser) -> Iterator:
    """A page in its own context, opened on first use (see `_Started`)."""

    def start() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    lazy = _Started(start)
    yield lazy
    if lazy.started:
        lazy.context.close()


@pytest.fixture
def login(live_server) -> Callable:
    """login(page, "ind") logs that demo account in through the real login form."""

    def do(page, username: str, password: str = "demo") -> None:
        from secretariat.demo.forum import demo_totp_code

        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")
        # secretariat and chair give the code of their demo device (the next one if this one
        # was used already: a code is accepted once).
        for step_offset in (0, 1):
            if "/accounts/2fa/verify/" not in page.url:
                break
            page.fill("#id_token", demo_totp_code(step_offset))
            page.click("form:not([action]) button[type=submit]")
            page.wait_for_load_state()

    return do


@pytest.fixture
def save_screenshot() -> Callable:
    """save_screenshot(page, "name") -> var/screenshots/name.png (kept for people to look at)."""

    def save(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # A full-page capture of a long page waits on the renderer; on a loaded two-core CI
        # machine that has taken more than the pages' 10 s default.
        page.screenshot(path=str(path), full_page=True, timeout=60_000)
        return path

    return save


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--sweep",
        action="store_true",
        help="also run the every-page interface sweep (tests/ui; 11 to 18 minutes on two cores)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The sweep renders ~80 pages per role, language and width (11 to 18 minutes on two
    # shared cores): CI runs it once, as its own step (scripts/sweep), so the plain run
    # skips it.
    if config.getoption("--sweep"):
        return
    skip = pytest.mark.skip(reason="the every-page sweep runs with --sweep (scripts/sweep)")
    for item in items:
        if item.get_closest_marker("sweep") is not None:
            item.add_marker(skip)


# --- The demo forums side by side -----------------------------------------------------------------
# Tests of forum-specific assumptions (the access matrix, the negotiation workflow, the podium)
# run against both demo registers: a module overrides `forum` with `forum_cast` parametrised by
# forum name. Each cast plays CICA's demo parts with the other forum's own people, bodies and
# codes: the secretariat's powers, the presiding side, a member inside and one outside a body.
FORUM_CASTS: dict[str, dict[str, dict[str, str]]] = {
    "cica": {"users": {}, "bodies": {}, "codes": {}},
    "asem": {
        # CICA part -> ASEM user name; created where the ASEM register has no such person.
        "users": {"secretariat": "admin", "chair": "eeas", "isr": "deu"},
        "new_users": {"chn": "CHN", "rus": "RUS", "observer": "AEBF"},
        # CICA body -> ASEM body: SWG and SOC seat everyone; the ICT working group seats some
        # (CHN and RUS sit in the Asian group's coordination, ISR's part, DEU, does not).
        "bodies": {"SWG": "SOM", "SOC": "FMM", "ICT-WG": "ASIA-COORD"},
        "codes": {"ISR": "DEU"},
    },
}


class ForumCast(dict):
    """The demo accounts by their CICA part (`forum["chair"]`), plus the forum's body and code
    for a CICA one (`forum.body("ICT-WG")`, `forum.code("ISR")`)."""

    name: str

    def body(self, code: str) -> Any:
        from secretariat.accounts.models import Body

        return Body.objects.get(code=FORUM_CASTS[self.name]["bodies"].get(code, code))

    def body_code(self, code: str) -> str:
        return FORUM_CASTS[self.name]["bodies"].get(code, code)

    def code(self, code: str) -> str:
        return FORUM_CASTS[self.name]["codes"].get(code, code)


def forum_cast(name: str) -> ForumCast:
    """Load demo forum `name` and cast its people in the CICA demo's parts."""
    from secretariat.accounts.models import Delegation, User
    from secretariat.demo.forum import load_forum

    load_forum(name)
    cast = FORUM_CASTS[name]
    for username, code in cast.get("new_users", {}).items():
        delegation = Delegation.objects.get(code=code)
        role = "observer" if delegation.kind != "member" else "delegate"
        User.objects.create(username=username, role=role, delegation=delegation)
    users = {u.username: u for u in User.objects.select_related("delegation")}
    out = ForumCast({part: users[username] for part, username in cast["users"].items()})
    for username, user in users.items():
        out.setdefault(username, user)
    out.name = name
    return out


@pytest.fixture
def cast_forum(db) -> Callable[[str], ForumCast]:
    """cast_forum("asem") -> ForumCast: for a module's own `forum` parametrised by forum."""
    return forum_cast
