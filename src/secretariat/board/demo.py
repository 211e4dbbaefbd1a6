"""The demo's board: the SWG discussing the Astana Statement in English and Russian, with a
mention of @CHN, a post the secretariat hid, and a thread on words of PP5b of the Astana
Statement negotiation. Idempotent (keyed on the thread subjects)."""

from __future__ import annotations

from typing import TextIO

from secretariat.accounts.models import Body, User
from secretariat.board import actions
from secretariat.board.models import Thread
from secretariat.board.passages import do_open_negotiation_thread
from secretariat.negotiation.models import Negotiation

EN_SUBJECT = "Astana Statement: the transformation paragraphs"
RU_SUBJECT = "Астанинское заявление: формулировка о мерах доверия"
PP5B_SUBJECT = "PP5b: “common, comprehensive, cooperative, sustainable” security"
ASTANA = "Draft Astana Statement on CICA Transformation"  # the negotiation demo's title
PP5B_QUOTE = "our security is common"


def load_demo(stdout: TextIO) -> None:
    users = {u.username: u for u in User.objects.all()}
    swg = Body.objects.filter(code="SWG").first()
    if swg is None or not {"secretariat", "ind", "chn", "rus", "chair"} <= set(users):
        return
    board = actions.board_of_body(swg)
    if not Thread.objects.filter(board=board, subject=EN_SUBJECT).exists():
        thread = actions.do_create_thread(
            board,
            subject=EN_SUBJECT,
            text=(
                "Colleagues, the Chair's podium text of the **Astana Statement** is out.\n\n"
                "We would welcome views on the transformation language before Thursday; "
                "@CHN, could you share the reasoning behind your amendment to OP2?"
            ),
            actor=users["ind"],
        )
        first = thread.posts.first()
        actions.do_reply(
            thread,
            text="Thank you. Our amendment aligns OP2 with the Catalogue of CBMs.",
            actor=users["chn"],
            quoted=first,
        )
        bad = actions.do_reply(
            thread,
            text="This is off-topic advertising: visit our tourism portal!",
            actor=users["rus"],
        )
        actions.do_flag_post(bad, reason="Off-topic", actor=users["ind"])
        actions.do_hide_post(bad, reason="Off-topic advertising", actor=users["secretariat"])
        actions.do_set_thread_state(thread, pinned=True, locked=False, actor=users["chair"])
    if not Thread.objects.filter(board=board, subject=RU_SUBJECT).exists():
        thread = actions.do_create_thread(
            board,
            subject=RU_SUBJECT,
            text=(
                "Уважаемые коллеги, предлагаем сохранить согласованную формулировку о мерах "
                "доверия из Каталога МД СВМДА без изменений."
            ),
            actor=users["rus"],
        )
        actions.do_reply(
            thread,
            text="Поддерживаем. Просим @IND подтвердить позицию до пятницы.",
            actor=users["chn"],
        )
    astana = Negotiation.objects.filter(title=ASTANA).first()
    if astana is not None and not Thread.objects.filter(subject=PP5B_SUBJECT).exists():
        thread = do_open_negotiation_thread(
            astana,
            paragraph_key="PP5b",
            quote=PP5B_QUOTE,
            subject=PP5B_SUBJECT,
            text=(
                "Before the next round: could the delegations holding the outer bracket of "
                "PP5b say which of the qualifiers they could live without? "
                "@CHN @RUS, is *indivisible* alone acceptable to you?"
            ),
            actor=users["ind"],
        )
        actions.do_reply(
            thread,
            text="Мы готовы обсудить формулировку, но «неделимая безопасность» для нас важна.",
            actor=users["rus"],
        )
    stdout.write(f"Board: SWG {board.get_absolute_url()}\n")
