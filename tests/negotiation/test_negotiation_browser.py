"""The acceptance scenario in a real Chromium: amendment, opposition, revision, live podium,
resolution, silence broken, silence again, adoption by the worker."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

AGREED = """DRAFT STATEMENT ON COOPERATION

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_negotiation_from_amendment_to_adoption(
    browser, live_server, login, forum, start_negotiation, run_tasks, save_screenshot
):
    neg = start_negotiation(AGREED, title="Statement on cooperation")
    base = f"{live_server.url}/negotiations/{neg.pk}"
    pages: dict = {}
    try:
        _scenario(browser, live_server, login, base, pages, run_tasks, save_screenshot)
    finally:
        for p in pages.values():
            p.context.close()


def _scenario(browser, live_server, login, base, pages, run_tasks, save_screenshot):
    for who in ("isr", "chn", "ind", "chair"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        pages[who] = context.new_page()
        pages[who].set_default_timeout(10_000)
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
        "() => document.querySelectorAll('#podium-text .nt-bracket').length === 0", timeout=5_000
    )
    assert "require much stronger" in podium.locator("#podium-text").text_content()

    def open_silence(seconds: int) -> None:
        deadline = datetime.now(UTC) + timedelta(seconds=seconds)
        chair.goto(f"{base}/decisions/")
        chair.fill("input[name=date]", deadline.strftime("%Y-%m-%d"))
        chair.fill("input[name=time]", deadline.strftime("%H:%M:%S"))
        chair.fill("input[name=time_zone]", "UTC")
        chair.locator("button", has_text="Open silence procedure").click()
        chair.wait_for_selector(".neg-silence-open")

    open_silence(600)
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
    open_silence(4)
    time.sleep(4.5)
    run_tasks()
    chair.goto(f"{base}/decisions/")
    assert "This text is adopted." in chair.content()
    assert "adopted by silence procedure" in chair.content()
    chair.goto(f"{live_server.url}/negotiations/")
    assert "adopted" in chair.locator("tr", has_text="Statement on cooperation").text_content()
    save_screenshot(chair, "negotiation-adopted")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_astana_workspace_and_chairs_dashboard(
    page, live_server, login, forum, start_negotiation, save_screenshot
):
    from pathlib import Path

    from secretariat.negotiation import actions

    texts = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"
    neg = start_negotiation(
        (texts / "astana-statement-podium.txt").read_text(encoding="utf-8"),
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
    login(page, "chair")
    page.goto(f"{live_server.url}/negotiations/{neg.pk}/")
    assert page.locator("#para-PP5b .neg-chip-disputed").count() == 1
    save_screenshot(page, "negotiation-workspace-astana")
    shot = save_screenshot(page, "negotiation-paragraph-pp5b")
    page.locator("#para-PP5b").screenshot(path=str(shot))
    page.goto(f"{live_server.url}/negotiations/{neg.pk}/dashboard/")
    assert page.locator("svg.neg-chart rect").count() == 3
    save_screenshot(page, "negotiation-chair-dashboard")
    page.goto(f"{live_server.url}/negotiations/{neg.pk}/compare/?a=1&b=2&changed=1")
    assert page.locator("tr.neg-compare-changed").count() == 1
    save_screenshot(page, "negotiation-compare")
