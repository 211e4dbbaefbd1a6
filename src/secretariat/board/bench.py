"""`secretariat board bench`: the board page with 1,000 threads and 20,000 posts, beside a
naive page measured in the same run, and mail-in throughput beside a plain aiosmtpd sink.

The board page is the real view (`views.board_detail`), called with a request for a member of
the body: p50/p95 over repeated renders, and its query count. The peer is the same page built
the naive way (per thread: a COUNT of its visible posts and a query for the reader's read
marker), rendered with the same template. Mail-in: replies sent with smtplib over one
connection to the real handler of `secretariat mailin` (each is checked, parsed, stripped and
posted), beside the same messages to an aiosmtpd server that stores nothing.

It writes a scratch body, board, users and posts and deletes them afterwards; run it on a
scratch data directory (SECRETARIAT_DATA_DIR) or database if you prefer.
"""

from __future__ import annotations

import asyncio
import smtplib
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection, connections, transaction
from django.shortcuts import render
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secretariat.accounts.models import AccessLevel, Body, Delegation, Role, User
from secretariat.board import addresses, views
from secretariat.board.access import get_board_for
from secretariat.board.actions import search_forms
from secretariat.board.models import Board, BoardKind, Post, PostRevision, Thread, ThreadRead
from secretariat.core.types import Writer


@dataclass(frozen=True)
class PageFigure:
    p50_ms: float
    p95_ms: float
    queries: int


def _time(fn: Callable[[], Any], runs: int) -> PageFigure:
    fn()  # warm
    with CaptureQueriesContext(connection) as queries:
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return PageFigure(round(statistics.median(samples), 1), round(p95, 1), len(queries))


def naive_board_page(request: Any, code: str) -> Any:
    """The peer: the same page, counting posts and reading markers one thread at a time."""
    board = get_board_for(request, code)
    page = Paginator(board.threads.order_by("-pinned", "-last_post_at", "-id"), 50).get_page(1)
    for t in page:
        t.post_count = t.posts.filter(hidden_at__isnull=True).count()
        read = ThreadRead.objects.filter(user=request.user, thread=t).first()
        t.read_at = read.read_at if read else None  # type: ignore[attr-defined]
        t.created_by.get_username()
    return render(
        request,
        "board/board.html",
        {"board": board, "page": page, "since": None, "can_post": True, "address": ""},
    )


def naive_search(user: Any, text: str) -> int:
    """The peer of the indexed search: the scan the board used before (LIKE over the stored
    search forms of every post the reader may see)."""
    from django.db.models import Q

    from secretariat.board.access import visible_posts
    from secretariat.documents.search import parse

    query = parse(text)
    q = Q()
    for term in query.terms:
        q &= Q(stemmed__contains=f" {term} ")
    qs = visible_posts(user).filter(q)
    list(qs.order_by("-created_at", "-id")[:20])
    return qs.count()


def _build(threads: int, posts: int) -> tuple[Board, User, Delegation, Body]:
    tag = uuid.uuid4().hex[:6].upper()
    delegation = Delegation.objects.create(code=f"BENCH{tag}", name_en="Bench")
    body = Body.objects.create(code=f"BENCH-{tag}", name_en="Bench body")
    body.members.add(delegation)
    user = User.objects.create(
        username=f"bench-{tag.lower()}",
        email=f"bench-{tag.lower()}@bench.test",
        role=Role.DELEGATE,
        delegation=delegation,
    )
    board = Board.objects.create(
        kind=BoardKind.BODY, body=body, code=f"bench-{tag.lower()}", access_level=AccessLevel.BODY
    )
    now = timezone.now()
    rows = [
        Thread(
            board=board,
            subject=f"Thread {i}",
            created_by=user,
            last_post_at=now - timedelta(minutes=i),
            post_count=posts // threads,
        )
        for i in range(threads)
    ]
    Thread.objects.bulk_create(rows, batch_size=500)
    made = list(Thread.objects.filter(board=board).values_list("pk", flat=True))
    forms = search_forms("A post on the bench, about confidence-building measures.")
    rare = search_forms("A post on the bench, about cooperation in disaster relief.")
    batch: list[Post] = []
    for n in range(posts):
        # One post in a hundred has the word the search figure looks for.
        batch.append(
            Post(
                thread_id=made[n % len(made)],
                author=user,
                text="A bench post.",
                **(rare if n % 100 == 0 else forms),
            )
        )
        if len(batch) == 2000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    return board, user, delegation, body


def _cleanup(board: Board, user: User, delegation: Delegation, body: Body) -> None:
    from secretariat.notifications.models import Follow, Notification

    with transaction.atomic():
        threads = Thread.objects.filter(board=board)
        ThreadRead.objects.filter(thread__in=threads).delete()
        PostRevision.objects.filter(post__thread__in=threads).delete()
        Post.objects.filter(thread__in=threads).delete()
        Follow.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        threads.delete()
        from secretariat.board.models import BoardVisit

        BoardVisit.objects.filter(board=board).delete()
        board.delete()
        body.delete()
        # The audit log is append-only and names the bench user: it stays, inactive.
        user.is_active = False
        user.save(update_fields=["is_active"])


def _reply(sender: str, rcpt: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, rcpt, f"Re: bench {n}"
    msg.set_content(f"Reply number {n}.\n\nOn Monday, someone wrote:\n> quoted text\n")
    return msg.as_bytes()


def _mail_rate(port: int, sender: str, rcpt: str, messages: int) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for n in range(messages):
            smtp.sendmail(sender, [rcpt], _reply(sender, rcpt, n))
    return messages / (time.perf_counter() - start)


def _mailin_figures(user: User, thread: Thread, messages: int) -> tuple[float, float]:
    from aiosmtpd.controller import Controller

    from secretariat.board.management.commands.mailin import BoardHandler, _Controller

    class Nothing:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 OK"

    rcpt = addresses.reply_address(thread.pk, user.pk)
    # The handler runs the database work in a thread of its own, as in `secretariat mailin`;
    # in this process the connection of that thread must see the committed bench data.
    executor = ThreadPoolExecutor(max_workers=1)
    ours = _Controller(BoardHandler(executor), hostname="127.0.0.1", port=0)
    ours.start()
    try:
        ours_rate = _mail_rate(ours.port, user.email, rcpt, messages)
    finally:
        ours.stop()
        executor.submit(connections.close_all).result()
        executor.shutdown()

    class Plain(Controller):
        def _trigger_server(self) -> None:
            server = self.server
            assert isinstance(server, asyncio.Server)
            self.port = server.sockets[0].getsockname()[1]
            super()._trigger_server()

    plain = Plain(Nothing(), hostname="127.0.0.1", port=0)
    plain.start()
    try:
        plain_rate = _mail_rate(plain.port, user.email, rcpt, messages)
    finally:
        plain.stop()
    return round(ours_rate, 1), round(plain_rate, 1)


def run_bench(
    out: Writer, *, threads: int = 1000, posts: int = 20000, runs: int = 30, messages: int = 200
) -> dict[str, Any]:
    out.write(f"Building {threads} threads and {posts} posts ...\n")
    board, user, delegation, body = _build(threads, posts)
    try:
        factory = RequestFactory()

        def request() -> Any:
            r = factory.get(f"/board/{board.code}/")
            r.user = user
            r.session = {}  # type: ignore[assignment]
            return r

        ours = _time(lambda: views.board_detail(request(), board.code), runs)
        naive = _time(lambda: naive_board_page(request(), board.code), runs)
        out.write(f"board page ({threads} threads, {posts} posts), {runs} renders each:\n")
        out.write(f"  ours   p50 {ours.p50_ms} ms  p95 {ours.p95_ms} ms  {ours.queries} queries\n")
        out.write(
            f"  naive  p50 {naive.p50_ms} ms  p95 {naive.p95_ms} ms  {naive.queries} queries\n"
        )
        from secretariat.board.search import search_posts

        searched = _time(lambda: search_posts(user, "disaster"), runs)
        scanned = _time(lambda: naive_search(user, "disaster"), runs)
        found = search_posts(user, "disaster")[1]
        out.write(f"search for a word in 1 post of 100 ({found} found), {runs} runs each:\n")
        out.write(
            f"  indexed  p50 {searched.p50_ms} ms  p95 {searched.p95_ms} ms  "
            f"{searched.queries} queries\n"
        )
        out.write(f"  LIKE scan  p50 {scanned.p50_ms} ms  p95 {scanned.p95_ms} ms\n")
        thread = Thread.objects.filter(board=board).first()
        assert thread is not None
        ours_rate, plain_rate = _mailin_figures(user, thread, messages)
        posted = Post.objects.filter(thread=thread, by_email=True).count()
        out.write(f"mail-in, {messages} replies over one SMTP connection on loopback:\n")
        out.write(f"  secretariat mailin  {ours_rate} msg/s ({posted} posted)\n")
        out.write(f"  plain aiosmtpd sink {plain_rate} msg/s (stores nothing)\n")
        out.write(
            f"  database: {connection.vendor}; mail domain {settings.SECRETARIAT_MAIL_DOMAIN}\n"
        )
        return {
            "ours": ours,
            "naive": naive,
            "search": searched,
            "search_scan": scanned,
            "mailin_rate": ours_rate,
            "plain_rate": plain_rate,
            "posted": posted,
        }
    finally:
        _cleanup(board, user, delegation, body)
