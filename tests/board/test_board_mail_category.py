"""Board mail has a category of its own in the notification settings: immediate, daily digest
or off, independently of the other kinds (checked with mail received by a real SMTP sink)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from secretariat.board import actions
from secretariat.notifications.actions import (
    do_update_notification_settings,
    modes_for_all,
    notify,
    send_due_digests,
)
from secretariat.notifications.kinds import category_of
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db


def _modes(user, **modes: str) -> None:
    do_update_notification_settings(user, modes=modes, digest_hour=8, time_zone="UTC", actor=user)


def test_board_mail_follows_its_own_category(boards, forum, sink, client_for) -> None:
    chn, ind, rus = forum["chn"], forum["ind"], forum["rus"]
    assert category_of("board.post") == category_of("board.mention") == "board"
    assert modes_for_all(chn)["board"] == "digest"  # the default
    _modes(chn, board="immediate", other="off")
    _modes(ind, board="off", other="immediate")
    _modes(rus, board="digest", other="immediate")
    thread = actions.do_create_thread(
        boards["swg"], subject="PP5b wording", text="Views?", actor=chn
    )
    actions.do_reply(thread, text="We follow. @RUS?", actor=ind)  # chn follows: immediate
    other = {"title": "Draft Astana Statement"}
    notify([chn, ind, rus], "negotiation.adopted", params=other, key="adopted")  # "other"
    actions.do_reply(thread, text="Thank you", actor=chn)  # ind follows, board off: nothing
    assert send_due().sent == 3
    got = {(str(m.message["To"]), str(m.message["Subject"])) for m in sink.wait_for(3)}
    to = {address for address, _ in got}
    assert to == {
        "chn@demo.secretariat.test",
        "ind@demo.secretariat.test",
        "rus@demo.secretariat.test",
    }
    subjects = {address: subject for address, subject in got}
    assert "PP5b wording" in subjects["chn@demo.secretariat.test"]  # board, at once
    assert "adopted" in subjects["ind@demo.secretariat.test"]  # other, at once; board off
    assert "adopted" in subjects["rus@demo.secretariat.test"]  # other at once; board waits
    # RUS's mention goes out in the daily digest, and nothing of the board reaches IND.
    assert send_due_digests(timezone.now() + timedelta(days=1)) == 1
    assert send_due().sent == 1
    digest = sink.wait_for(4)[3].message
    assert str(digest["To"]) == "rus@demo.secretariat.test"
    assert "PP5b wording" in digest.get_body(("plain",)).get_content()
    # The settings page offers the category.
    page = client_for("chn").get("/notifications/settings/").content.decode()
    assert "Board discussions I follow or am mentioned in" in page and 'name="mode_board"' in page
