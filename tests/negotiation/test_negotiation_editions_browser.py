"""The editions page in a real browser: the source beside the Russian edition, flags shown."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXTS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "negotiation" / "demo_texts"


def test_side_by_side_shows_lag_and_parity(
    forum, page, live_server, login, save_screenshot, browser_orm
) -> None:
    from django.db import transaction

    from secretariat.accounts.models import Body
    from secretariat.negotiation import actions, compiling
    from secretariat.negotiation.actions.revisions import current_issued

    actor = forum["secretariat"]
    neg = actions.do_import_negotiation(
        title="Draft Astana Statement",
        body=Body.objects.get(code="SWG"),
        text=(TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8"),
        actor=actor,
    )
    ru = (TEXTS / "astana-statement-podium.ru.txt").read_text(encoding="utf-8")
    actions.do_load_edition(neg, language="ru", text=ru, actor=actor)
    working = actions.working_revision(neg)
    seen = compiling.paragraph_notation(working.notation, "OP4")
    actions.do_edit_paragraph(
        neg, working, key="OP4", notation=seen.replace("of interest", "of common interest"),
        seen=seen, actor=actor,
    )  # fmt: skip
    with transaction.atomic():
        current_issued(neg, actor, "Rev.2")
    login(page, "ind")
    page.goto(f"{live_server.url}/negotiations/{neg.pk}/editions/?lang=ru")
    table = page.locator("table.editions")
    assert table.locator("th").nth(1).inner_text() == "Russian"
    flagged = page.locator("td.edition-flagged")
    assert flagged.count() == 2
    assert "Translates Rev. 1, source is Rev. 2" in flagged.nth(1).inner_text()
    assert page.locator("td.edition-flagged ins").first.inner_text() == "common"
    assert "1 bracket where the source has 2" in flagged.nth(0).inner_text()
    save_screenshot(page, "negotiation-editions")
