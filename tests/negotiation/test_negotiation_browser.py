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
        chair.locator("button", has_text="Preview the revision").click()
        chair.wait_for_selector("[data-compile-preview]")
        chair.locator("button", has_text="Confirm: issue Rev. 2").click()
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
        op1.locator("button", has_text="Preview the edit").click()
        chair.wait_for_selector("#para-OP1 [data-edit-preview]")
        chair.locator("#para-OP1 button", has_text="Confirm: save to the working text").click()
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


# -- issue 15, items 3 and 4: the chair's edit is previewed before it is saved, a resolve can be
# undone in place, issuing is previewed and confirmed, a refused amendment is announced
# (role=alert) with its form still open and filled in.

SMALL_SAFETY = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);

OP1. We hereby launch the negotiations process.
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_preview_confirm_and_undo_in_the_workspace(
    chromium, live_server, login, forum, start_negotiation, save_screenshot
):
    from secretariat.negotiation import actions, engine

    neg = start_negotiation(SMALL_SAFETY, title="Statement on cooperation")
    base = f"{live_server.url}/negotiations/{neg.pk}"
    pages: dict[str, Any] = {}

    def notation(key: str) -> str:
        draft = engine.draft_of(actions.working_revision(neg))
        return engine.render_paragraph_notation(draft.paragraph(key))

    def chair_edits_and_resolves(browser: Any) -> dict[str, str]:
        seen: dict[str, str] = {}
        chair = pages["chair"] = _new_page(browser)
        login(chair, "chair")
        chair.goto(f"{base}/")
        # The title line is a heading, not a paragraph.
        assert chair.locator("h2.nt-title", has_text="DRAFT STATEMENT").count() == 1
        assert chair.locator("#para-p1 .neg-chip").count() == 0
        # A typed "[" is shown as a bracket before anything is saved.
        pp1 = chair.locator("#para-PP1")
        pp1.locator("summary", has_text="Edit the working text").click()
        box = pp1.locator("textarea[name=notation]")
        box.fill(box.input_value().replace("stronger", "[stronger]"))
        pp1.locator("button", has_text="Preview the edit").click()
        preview = chair.locator("#para-PP1 [data-edit-preview]")
        preview.wait_for()
        assert preview.locator(".nt-bracket").count() == 1
        assert "opens 1 new bracket" in preview.text_content()
        seen["previewed"] = "yes"
        save_screenshot(chair, "negotiation-edit-preview")
        return seen

    def chair_confirms(browser: Any) -> None:
        chair = pages["chair"]
        chair.locator("#para-PP1 button", has_text="Confirm: save to the working text").click()
        chair.wait_for_selector("#para-PP1 .message.success[role=status]")

    def chair_resolves_then_undoes(browser: Any) -> None:
        chair = pages["chair"]
        brackets = chair.locator("[data-count=brackets]")
        before = int(brackets.text_content())
        chair.locator("#para-PP2 button", has_text="Resolve: drop words").click()
        chair.wait_for_selector("#para-PP2 [data-undo]")
        # The summary's counter follows without a reload.
        assert int(chair.locator("[data-count=brackets]").text_content()) == before - 1
        save_screenshot(chair, "negotiation-resolve-undo-offered")
        chair.locator("#para-PP2 [data-undo]").click()
        chair.wait_for_selector("#para-PP2 .nt-bracket")
        assert int(chair.locator("[data-count=brackets]").text_content()) == before

    def chair_issues_after_preview(browser: Any) -> None:
        chair = pages["chair"]
        chair.goto(f"{base}/compile/")
        chair.locator("button", has_text="Preview the revision").click()
        preview = chair.locator("[data-compile-preview]")
        preview.wait_for()
        assert "paragraph changed" in preview.text_content()
        assert chair.url.endswith("/compile/")
        save_screenshot(chair, "negotiation-issue-preview")
        chair.locator("button", has_text="Confirm: issue Rev. 2").click()
        chair.wait_for_url(f"{base}/revisions/2/")
        assert chair.locator(".message.success[role=status]").count() == 1

    def delegate_keeps_input_after_an_error(browser: Any) -> None:
        ind = pages["ind"] = _new_page(browser)
        login(ind, "ind")
        ind.goto(f"{base}/")
        op1 = ind.locator("#para-OP1")
        op1.locator("summary", has_text="Propose an amendment as IND").click()
        form = op1.locator("form[data-amend-form]")
        form.locator("select[name=kind]").select_option("replace")
        form.locator("input[name=anchor]").fill("launch")
        form.locator("input[name=explanation]").fill("Clearer")
        form.locator("button", has_text="Propose").click()
        alert = ind.locator("#para-OP1 [role=alert]")
        alert.wait_for()
        # Styled as an error, not body text, and the form is open with what was typed.
        assert "error" in alert.get_attribute("class")
        op1 = ind.locator("#para-OP1")
        assert op1.locator("details.neg-form[open] form[data-amend-form]").count() == 1
        form = op1.locator("form[data-amend-form]")
        assert form.locator("input[name=anchor]").input_value() == "launch"
        assert form.locator("input[name=explanation]").input_value() == "Clearer"
        assert form.locator("select[name=kind]").input_value() == "replace"
        save_screenshot(ind, "negotiation-amendment-error-kept")
        # The tab of the page is marked as the current one.
        assert ind.locator(".neg-tabs a[aria-current=page]").text_content() == "Workspace"

    try:
        before = notation("PP1")
        chromium.run(chair_edits_and_resolves)
        assert notation("PP1") == before  # the preview saved nothing
        chromium.run(chair_confirms)
        assert "[stronger]" in notation("PP1")
        chromium.run(chair_resolves_then_undoes)
        assert "[and to its purposes]" in notation("PP2")
        chromium.run(delegate_keeps_input_after_an_error)
        chromium.run(chair_issues_after_preview)
    finally:
        chromium.run(lambda _browser: [p.context.close() for p in pages.values()])
