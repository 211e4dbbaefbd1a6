"""On a 390 px phone the library and the compare page fit the screen, in English and Russian:
tables scroll inside their own box, compare's two columns stack."""

from __future__ import annotations

from pathlib import Path

import pytest

TEXTS = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_library_and_compare_have_no_sideways_overflow_on_a_phone(
    forum, page, live_server, login, start_negotiation, add_document, save_screenshot
) -> None:
    from secretariat.negotiation import actions

    for n in range(3):
        add_document(
            f"Text of the report {n}.",
            filename=f"report-{n}.txt",
            title="Report of the Special Working Group on Interaction and Confidence Building "
            f"Measures in Asia, number {n}",
            symbol=f"CICA/SWG/2026/REP.{n}",
        )
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
    compare = f"{live_server.url}/negotiations/{neg.pk}/compare/?a=1&b=2"

    page.set_viewport_size(PHONE)
    login(page, "chair")
    for language in ("en", "ru"):
        if language == "ru":
            page.get_by_role("button", name="Menu").click()
            with page.expect_navigation():
                page.select_option("#lang-select", "ru")
        page.goto(f"{live_server.url}/documents/")
        assert page.locator("main table tbody tr").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        save_screenshot(page, f"phone-library-{language}")

        page.goto(compare)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Both revisions' texts are on the screen, one above the other.
        row = page.locator("table.neg-compare tbody tr").nth(1)
        old, new = row.locator("td").nth(0), row.locator("td").nth(1)
        old_box, new_box = old.bounding_box(), new.bounding_box()
        assert new_box["x"] >= 0 and new_box["x"] + new_box["width"] <= PHONE["width"]
        assert new_box["y"] >= old_box["y"] + old_box["height"] - 1
        save_screenshot(page, f"phone-compare-{language}")

        for tab in ("revisions", "dashboard", "sheet"):
            page.goto(f"{live_server.url}/negotiations/{neg.pk}/{tab}/")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], tab
