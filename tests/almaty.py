"""The Almaty Declaration (2006) in English, Russian and Kazakh: a library document with its
language editions, for the tests of search, finder and agreed language across editions."""

from __future__ import annotations

from typing import Any

# fmt: off
EN = """We, the Heads of State, gathered in Almaty on 17 June 2006,

1. Reaffirm our commitment to the principles of the UN Charter and the Almaty Act of 2002.

2. Reiterate that terrorism cannot and should not be associated with any religion, nationality, civilization or ethnic group.

3. Decide to convene the next Summit in 2010 in Istanbul.
"""  # noqa: E501
RU = """Мы, главы государств, собравшиеся в Алматы 17 июня 2006 года,

1. Подтверждаем нашу приверженность принципам Устава ООН и Алматинского акта 2002 года.

2. Вновь заявляем, что терроризм не может и не должен ассоциироваться с какой-либо религией, национальностью, цивилизацией или этнической группой.

3. Постановляем созвать следующий саммит в 2010 году в Стамбуле.
"""  # noqa: E501
KK = """Біз, мемлекет басшылары, 2006 жылғы 17 маусымда Алматыда жиналып,

1. БҰҰ Жарғысының және 2002 жылғы Алматы актісінің қағидаттарына адалдығымызды растаймыз.

2. Терроризмді қандай да бір дінмен, ұлтпен, өркениетпен немесе этникалық топпен байланыстыруға болмайтынын тағы да мәлімдейміз.

3. Келесі саммитті 2010 жылы Ыстамбұлда шақыруды ұйғарамыз.
"""  # noqa: E501
# fmt: on


def library_editions(forum: dict[str, Any], *, kazakh: bool = True) -> tuple[Any, ...]:
    """The English document, its Russian edition and (with `kazakh`) the secretariat's own
    Kazakh edition, which delegates may not see."""
    from secretariat.documents.actions import do_create_document, read_upload

    actor = forum["secretariat"]
    en = do_create_document(
        read_upload(EN.encode(), "almaty-en.txt"),
        title="Almaty Declaration",
        organization="CICA",
        status="adopted",
        actor=actor,
    )
    ru = do_create_document(
        read_upload(RU.encode(), "almaty-ru.txt"),
        title="Алматинская декларация",
        organization="CICA",
        status="adopted",
        language="ru",
        edition_of=en,
        actor=actor,
    )
    if not kazakh:
        return en, ru
    kk = do_create_document(
        read_upload(KK.encode(), "almaty-kk.txt"),
        title="Алматы декларациясы",
        organization="CICA",
        status="adopted",
        language="kk",
        access_level="secretariat",
        edition_of=en,
        actor=actor,
    )
    return en, ru, kk
