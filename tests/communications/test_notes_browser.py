"""In a real Chromium: the secretariat composes a circular with the live preview, approves
and issues it; a delegate opens it and acknowledges receipt."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_compose_preview_approve_issue_and_acknowledge(
    browser, live_server, login, forum, save_screenshot, browser_orm
):
    from secretariat.communications.models import Note
    from secretariat.communications.seed import seed_house_style

    seed_house_style()
    contexts = []
    try:
        officer = _page(browser, contexts)
        login(officer, "secretariat")
        officer.goto(f"{live_server.url}/notes/new/")
        officer.select_option("#id_kind", "circular")
        officer.select_option("#id_series", label="SWG/OI")
        officer.fill("#id_subject_en", "SWG recommendations")
        officer.fill(
            "#id_text_en",
            "forward the following documents of the SWG:\n\n- Recommendations of the SWG;",
        )
        officer.fill("#id_subject_ru", "Рекомендации СРГ")
        officer.fill("#id_text_ru", "препроводить следующие документы СРГ:\n\n- Рекомендации СРГ;")
        preview = officer.locator("#preview")
        preview.locator("article[lang=ru]").wait_for()
        assert "presents its compliments to the CICA Member States" in preview.inner_text()
        assert "свидетельствует свое уважение" in preview.inner_text()
        save_screenshot(officer, "notes-compose-preview")
        officer.click("text=Save the draft")
        officer.wait_for_selector("#approve")
        officer.click("#approve")
        officer.wait_for_selector("#issue")
        officer.click("#issue")
        officer.wait_for_selector("#note-status:has-text('Issued')")
        with browser_orm():
            note = Note.objects.get()
        assert note.reference == "SWG/OI/1262"
        assert officer.locator("h1").inner_text().startswith("№ SWG/OI/1262")
        save_screenshot(officer, "notes-issued")

        delegate = _page(browser, contexts)
        login(delegate, "ind")
        delegate.goto(f"{live_server.url}/notes/")
        delegate.click("text=SWG recommendations")
        delegate.click("#acknowledge")
        delegate.wait_for_selector("#acknowledged")
        with browser_orm():
            receipt = note.recipients.get(delegation__code="IND")
        assert receipt.acknowledged_by_id == forum["ind"].pk and receipt.opened_at is not None

        officer.reload()
        row = officer.locator("tr[data-code=IND]")
        assert "—" not in row.locator("td").nth(3).inner_text()
    finally:
        for context in contexts:
            context.close()


def _page(browser, contexts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page
