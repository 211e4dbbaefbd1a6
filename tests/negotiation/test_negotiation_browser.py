"""The acceptance scenario in a real Chromium: amendment, opposition, revision, live podium,
resolution, silence broken, silence again, adoption by the worker.

Playwright's sync API keeps an event loop running in the thread that drives it, and Django
rightly refuses ORM calls from a thread with a running loop. So here the browser lives in a
thread of its own (`Chromium`) and the test thread, which has no loop, does the database work
between the browser's steps.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

AGREED = """DRAFT STATEMENT ON COOPERATION

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""

TEXTS = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class Chromium:
    """A Chromium driven from one thread of its own: `run(fn)` calls `fn(browser)` there."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="playwright")
        self.pool.submit(self._start).result(timeout=60)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if executable is None:
            pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )

    def run(self, fn: Callable[[Any], Any]) -> Any:
        return self.pool.submit(fn, self.browser).result(timeout=180)

    def close(self) -> None:
        def stop() -> None:
            self.browser.close()
            self.playwright.stop()

        self.pool.submit(stop).result(timeout=60)
        self.pool.shutdown()


@pytest.fixture
def chromium() -> Iterator[Chromium]:
    c = Chromium()
    yield c
    c.close()


def _new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_negotiation_from_amendment_to_adoption(
    chromium, live_server, login, forum, start_negotiation, run_tasks, save_screenshot
):
    from secretariat.negotiation.models import SilenceProcedure

    neg = start_negotiation(AGREED, title="Statement on cooperation")
    base = f"{live_server.url}/negotiations/{neg.pk}"
    pages: dict[str, Any] = {}

    def open_silence(chair: Any) -> None:
        deadline = datetime.now(UTC) + timedelta(minutes=10)
        chair.goto(f"{base}/decisions/")
        chair.fill("input[name=date]", deadline.strftime("%Y-%m-%d"))
        chair.fill("input[name=time]", deadline.strftime("%H:%M:%S"))
        chair.fill("input[name=time_zone]", "UTC")
        chair.locator("button", has_text="Open silence procedure").click()
        chair.wait_for_selector(".neg-silence-open")

    def until_silence_is_broken_and_reopened(browser: Any) -> None:
        for who in ("isr", "chn", "ind", "chair"):
            pages[who] = _new_page(browser)
            login(pages[who], who)

        podium = pages["isr"]
        podium.goto(f"{base}/podium/")
        podium.wait_for_selector("#podium-text .nt-para")
        assert podium.locator("#podium-text .nt-bracket").count() == 0

        chn = pages["chn"]
        chn.goto(f"{base}/")
        para = chn.locator("#para-PP1")
        para.locator("summary", has_text="Propose an amendment as CHN").click()
        form = para.locator("form[data-amend-form]")
        form.locator("input[name=anchor]").fill("require")
        form.locator("textarea[name=text]").fill("much")
        form.locator("button", has_text="Propose").click()
        chn.wait_for_selector("#para-PP1 .message.success")
        save_screenshot(chn, "negotiation-amendment-proposed")

        ind = pages["ind"]
        ind.goto(f"{base}/")
        ind.locator("#para-PP1 .neg-amendment button", has_text="Oppose as IND").click()
        ind.wait_for_selector("#para-PP1 .neg-amendment .neg-pos-oppose")

        chair = pages["chair"]
        chair.goto(f"{base}/compile/")
        chair.locator("button", has_text="Issue the revision").click()
        chair.wait_for_url(f"{base}/revisions/2/")
        notation = chair.locator("[data-notation]").text_content()
        assert "[much] (+CHN) (-IND)" in notation
        save_screenshot(chair, "negotiation-revision-issued")

        # The podium follows without reloading.
        podium.wait_for_selector("#podium-text .nt-bracket", timeout=5_000)
        assert "much" in podium.locator("#podium-text").text_content()
        save_screenshot(podium, "negotiation-podium-bracket")

        chair.goto(f"{base}/")
        chair.locator("#para-PP1 button", has_text="Resolve: keep words").click()
        chair.wait_for_selector("#para-PP1 .neg-chip-agreed")
        podium.wait_for_function(
            "() => document.querySelectorAll('#podium-text .nt-bracket').length === 0",
            timeout=5_000,
        )
        assert "require much stronger" in podium.locator("#podium-text").text_content()

        open_silence(chair)
        isr = pages["isr"]
        isr.goto(f"{base}/decisions/")
        isr.fill("textarea[name=reason]", "OP1 must mention the roadmap.")
        isr.locator("button", has_text="Break silence").click()
        isr.wait_for_selector(".neg-silence-broken")
        assert "Broken by ISR" in isr.content()
        save_screenshot(isr, "negotiation-silence-broken")

        # The fix: the chair amends OP1 in the working text, then silence again.
        chair.goto(f"{base}/")
        op1 = chair.locator("#para-OP1")
        op1.locator("summary", has_text="Edit the working text").click()
        op1.locator("textarea[name=notation]").fill(
            "OP1. We hereby launch the negotiations process and a roadmap."
        )
        op1.locator("button", has_text="Save to the working text").click()
        chair.wait_for_selector("#para-OP1 .message.success")
        open_silence(chair)

    def adopted(browser: Any) -> None:
        chair = pages["chair"]
        chair.goto(f"{base}/decisions/")
        assert "This text is adopted." in chair.content()
        assert "adopted by silence procedure" in chair.content()
        chair.goto(f"{live_server.url}/negotiations/")
        row = chair.locator("tr", has_text="Statement on cooperation")
        assert "adopted" in row.text_content()
        save_screenshot(chair, "negotiation-adopted")

    try:
        chromium.run(until_silence_is_broken_and_reopened)
        # The deadline passes: the row and its task are moved, nobody waits for the clock.
        silence = SilenceProcedure.objects.get(negotiation=neg, state="open")
        past = timezone.now() - timedelta(seconds=1)
        SilenceProcedure.objects.filter(pk=silence.pk).update(deadline=past)
        from django_tasks_db.models import DBTaskResult

        due = DBTaskResult.objects.filter(
            task_path__endswith="end_silence_procedure", finished_at__isnull=True
        )
        assert due.update(run_after=past) == 2  # the broken procedure's and this one's
        run_tasks()
        chromium.run(adopted)
    finally:
        chromium.run(lambda _browser: [p.context.close() for p in pages.values()])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_astana_workspace_and_chairs_dashboard(
    chromium, live_server, login, forum, start_negotiation, save_screenshot
):
    from secretariat.negotiation import actions

    neg = start_negotiation(
        (TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8"),
        title="Draft Astana Statement on CICA Transformation",
    )
    actions.do_state_position(
        neg,
        target_kind="bracket",
        target_key="PP5b-b1",
        stance="support",
        code="RUS",
        actor=forum["rus"],
        qualifier="with reservation",
    )
    actions.do_compile_revision(neg, actor=forum["chair"])
    base = f"{live_server.url}/negotiations/{neg.pk}"

    def look(browser: Any) -> None:
        page = _new_page(browser)
        try:
            login(page, "chair")
            page.goto(f"{base}/")
            assert page.locator("#para-PP5b .neg-chip-disputed").count() == 1
            save_screenshot(page, "negotiation-workspace-astana")
            shot = save_screenshot(page, "negotiation-paragraph-pp5b")
            page.locator("#para-PP5b").screenshot(path=str(shot))
            page.goto(f"{base}/dashboard/")
            assert page.locator("svg.neg-chart rect").count() == 3
            save_screenshot(page, "negotiation-chair-dashboard")
            page.goto(f"{base}/compare/?a=1&b=2&changed=1")
            assert page.locator("tr.neg-compare-changed").count() == 1
            save_screenshot(page, "negotiation-compare")
        finally:
            page.context.close()

    chromium.run(look)
