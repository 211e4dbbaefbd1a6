"""Fixtures of the notes tests: the demo forum's house style, and notes made through the real
actions (create, approve, issue) as the secretariat."""

from __future__ import annotations

from collections.abc import Callable

import pytest

TEXT_EN = (
    "forward the recommendations of the Special Working Group.\n\n- Recommendations of the SWG;"
)
TEXT_RU = "препроводить рекомендации Специальной рабочей группы.\n\n- Рекомендации СРГ;"
TEXT_KK = "Арнаулы жұмыс тобының ұсыныстарын жолдауды өзіне мәртебе санайды."


@pytest.fixture
def house_style(forum) -> None:
    from secretariat.communications.seed import seed_house_style

    seed_house_style()


@pytest.fixture
def make_note(forum, house_style) -> Callable:
    """make_note(kind="circular", body=None, codes=(), languages=("en",), series="NV",
    approve=True, issue=False) -> Note"""
    from secretariat.accounts.models import Body
    from secretariat.communications import actions
    from secretariat.communications.models import Series

    texts = {
        "en": ("SWG recommendations", TEXT_EN),
        "ru": ("Рекомендации СРГ", TEXT_RU),
        "kk": ("АЖТ ұсыныстары", TEXT_KK),
    }

    def make(
        kind: str = "circular",
        body: str | None = None,
        codes: tuple = (),
        languages: tuple = ("en",),
        series: str = "NV",
        approve: bool = True,
        issue: bool = False,
        actor=None,
    ):
        actor = actor or forum["secretariat"]
        note = actions.do_create_note(
            kind=kind,
            series=Series.objects.get(code=series),
            editions=[actions.EditionText(lang, *texts[lang]) for lang in languages],
            body=Body.objects.get(code=body) if body else None,
            delegations=actions.find_delegations(codes) if codes else (),
            actor=actor,
        )
        if approve or issue:
            note = actions.do_approve_note(note, actor=actor)
        if issue:
            note = actions.do_issue_note(note, actor=actor)
        return note

    return make
