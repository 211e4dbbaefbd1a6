"""Email both ways: a post's notification reaches a real SMTP sink with a signed Reply-To; a
reply sent with smtplib to a real `secretariat mailin` process is posted as that user, quoted
text stripped; forged, expired, outsiders' and unknown senders' mail is refused, posts nothing,
and is audited."""

from __future__ import annotations

import json
import smtplib
import time
from email.message import EmailMessage
from email.utils import parseaddr

import pytest

from secretariat.board import actions, addresses, inbound
from secretariat.board.models import MailedThread, Post
from secretariat.core.models import AuditEvent
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db

REPLY_BODY = (
    "Fine with us, provided OP2 keeps 'major goals'.\n"
    "\n"
    "On Mon, 30 Nov 2026 at 10:00, Li Wei <chn@demo.secretariat.test> wrote:\n"
    "> Our amendment aligns OP2 with the Catalogue.\n"
    "> -- \n"
)


def _mail(sender: str, to: str, body: str, subject: str = "Re: thread") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg.as_bytes()


def test_strip_reply_drops_quotes_headers_and_signature() -> None:
    text = "New words\n> old\nmore\n-- \nPriya Raman\nIndia"
    assert inbound.strip_reply(text) == "New words\nmore"
    assert inbound.strip_reply(REPLY_BODY) == "Fine with us, provided OP2 keeps 'major goals'."
    assert inbound.strip_reply("Да.\n\n30.11.2026 Иван Петров написал:\n> текст") == "Да."


def test_the_notification_of_a_post_reaches_smtp_with_a_signed_reply_to(
    boards, forum, sink, immediate
) -> None:
    immediate(forum["ind"])
    thread = actions.do_create_thread(
        boards["swg"], subject="Astana", text="Opening", actor=forum["ind"]
    )
    actions.do_reply(thread, text="Our view", actor=forum["chn"])
    assert send_due().sent == 1
    message = sink.wait_for(1)[0].message
    assert message["To"] == "ind@demo.secretariat.test"
    reply_to = parseaddr(str(message["Reply-To"]))[1]
    parsed = addresses.parse(reply_to)
    assert parsed == addresses.ReplyAddress(thread.pk, forum["ind"].pk, parsed.expiry)  # type: ignore[union-attr]
    # The same address, used by its owner, posts in the thread (in process; see below for SMTP).
    outcome = inbound.receive(
        reply_to,
        "ind@demo.secretariat.test",
        _mail("ind@demo.secretariat.test", reply_to, REPLY_BODY),
    )
    assert outcome.code == 250
    post = thread.posts.last()
    assert post.author == forum["ind"] and post.by_email
    assert post.text == "Fine with us, provided OP2 keeps 'major goals'."


def test_refusals_post_nothing_and_are_audited(boards, forum) -> None:
    swg = actions.do_create_thread(boards["swg"], subject="S", text="x", actor=forum["ind"])
    ict = actions.do_create_thread(boards["ict-wg"], subject="I", text="x", actor=forum["chn"])
    ind = "ind@demo.secretariat.test"
    good = addresses.reply_address(swg.pk, forum["ind"].pk)
    forged = good.replace("reply+", "reply+").split("@")[0][:-1] + "0@" + addresses.domain()
    if forged == good:
        forged = good.split("@")[0][:-1] + "1@" + addresses.domain()
    expired = addresses.reply_address(swg.pk, forum["ind"].pk, now=time.time() - 400 * 86400)
    outsider = addresses.reply_address(ict.pk, forum["ind"].pk)
    other_users = addresses.reply_address(swg.pk, forum["chn"].pk)
    before = Post.objects.count()
    cases = [
        (forged, ind, 553),
        (expired, ind, 553),
        (outsider, ind, 550),
        (other_users, ind, 550),
        (good, "stranger@example.org", 550),
        ("postmaster@" + addresses.domain(), ind, 550),
        (addresses.board_address("ict-wg"), ind, 550),
    ]
    for rcpt, sender, code in cases:
        assert inbound.receive(rcpt, sender, _mail(sender, rcpt, "hello")).code == code, rcpt
    assert Post.objects.count() == before
    assert AuditEvent.objects.filter(action="board.mail.refused").count() == len(cases)


def test_a_new_thread_by_mail_waits_for_confirmation(boards, forum, client_for) -> None:
    rcpt = addresses.board_address("swg")
    sender = "rus@demo.secretariat.test"
    outcome = inbound.receive(rcpt, sender, _mail(sender, rcpt, "Proposal text", "New idea"))
    assert outcome.code == 250
    pending = MailedThread.objects.get()
    assert not boards["swg"].threads.filter(subject="New idea").exists()
    # Only its sender may confirm it.
    assert client_for("ind").post(f"/board/confirm/{pending.token}/").status_code == 404
    r = client_for("rus").post(f"/board/confirm/{pending.token}/")
    assert r.status_code == 302
    thread = boards["swg"].threads.get(subject="New idea")
    assert thread.posts.get().text == "Proposal text"


@pytest.mark.slow
def test_reply_through_a_real_mailin_process(mail_site) -> None:
    setup = mail_site.run(
        "shell",
        "-c",
        """
import json, time
from secretariat.demo.forum import load_forum
from secretariat.accounts.models import User
from secretariat.board import actions, addresses
load_forum()
actions.ensure_boards()
from secretariat.board.models import Board
u = {x.username: x for x in User.objects.all()}
b = {x.code: x for x in Board.objects.all()}
swg = actions.do_create_thread(b["swg"], subject="S", text="x", actor=u["chn"])
ict = actions.do_create_thread(b["ict-wg"], subject="I", text="x", actor=u["chn"])
good = addresses.reply_address(swg.pk, u["ind"].pk)
print(json.dumps({
  "thread": swg.pk, "ict": ict.pk, "good": good,
  "forged": good[:good.index("@") - 4] + "abcd" + good[good.index("@"):],
  "expired": addresses.reply_address(swg.pk, u["ind"].pk, now=time.time() - 400 * 86400),
  "outsider": addresses.reply_address(ict.pk, u["ind"].pk),
}))
""",
    )
    data = json.loads(setup.strip().splitlines()[-1])
    proc = mail_site.start("mailin", "--host", "127.0.0.1", "--port", "0")
    line = proc.stdout.readline()
    assert "listening on" in line, line
    port = int(line.strip().rsplit(":", 1)[1])
    ind = "ind@demo.secretariat.test"
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        refused = smtp.sendmail(ind, [data["good"]], _mail(ind, data["good"], REPLY_BODY))
        assert refused == {}
        for key, code in (("forged", 553), ("expired", 553), ("outsider", 550)):
            with pytest.raises(smtplib.SMTPRecipientsRefused) as caught:
                smtp.sendmail(ind, [data[key]], _mail(ind, data[key], "should not appear"))
            got_code, text = caught.value.recipients[data[key]]
            assert got_code == code, (key, text)
            assert text
    check = mail_site.run(
        "shell",
        "-c",
        f"""
import json
from secretariat.board.models import Post
from secretariat.core.models import AuditEvent
posts = Post.objects.filter(thread_id={data["thread"]})
posts = list(posts.values_list("author__username", "text", "by_email"))
print(json.dumps({{"posts": posts,
  "ict": Post.objects.filter(thread_id={data["ict"]}).count(),
  "refused": AuditEvent.objects.filter(action="board.mail.refused").count()}}))
""",
    )
    result = json.loads(check.strip().splitlines()[-1])
    assert result["posts"][-1] == ["ind", "Fine with us, provided OP2 keeps 'major goals'.", True]
    assert len(result["posts"]) == 2
    assert result["ict"] == 1
    assert result["refused"] == 3
