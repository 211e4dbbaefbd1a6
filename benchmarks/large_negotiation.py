"""The large negotiation: 500 amendments, 550 comments, 515 positions, then its workspace timed.

Builds a fresh site (a PostgreSQL database of its own with --database-url, dropped after; else
SQLite in a temporary data directory), loads the forum, imports the demo's Astana draft and
adds the activity through the real actions (do_propose_amendment, do_state_position,
do_comment) from four delegations. Then renders the workspace page for a delegate through
Django's test client: once with an empty cache (cold: the paragraphs rendered) and --repeat
times more (warm: the paragraphs from the cache), printing the times, the HTML size and the
number of SQL queries. Use it before and after a change to the workspace. --profile prints
where a warm and a cold answer spend their time (cProfile); --keep keeps the database and
data directory (for benchmarks/pages.py --negotiation PK).

    .venv/bin/python benchmarks/large_negotiation.py \
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--repeat 7] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from _site import throwaway_site

CODES = {"chn": "CHN", "ind": "IND", "rus": "RUS", "isr": "ISR"}


def build(amendments: int, comments: int, positions: int) -> int:
    from secretariat.accounts.models import Body, User
    from secretariat.demo.forum import load_forum
    from secretariat.negotiation import actions, engine
    from secretariat.negotiation.demo import TEXTS

    load_forum()
    secretariat = User.objects.get(username="secretariat")
    users = {u.username: u for u in User.objects.filter(username__in=CODES)}
    negotiation = actions.do_import_negotiation(
        title="Large negotiation",
        body=Body.objects.get(code="SWG"),
        text=(TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8"),
        actor=secretariat,
    )
    working = actions.working_revision(negotiation)
    # Titles and headings take no amendment: only paragraphs of text.
    draft = engine.draft_of(working)
    keys = [
        p.key
        for p, level in zip(draft.paragraphs, engine.heading_levels(draft), strict=True)
        if p.key and not level
    ]
    names = list(CODES)
    made = []
    for n in range(amendments):
        who = names[n % len(names)]
        amendment, _ = actions.do_propose_amendment(
            negotiation,
            paragraph_key=keys[n % len(keys)],
            kind="new_paragraph",
            text=f"We welcome the progress made in the working group, proposal {n}.",
            code=CODES[who],
            actor=users[who],
            explanation="benchmark",
        )
        made.append(amendment)
    for n in range(positions):
        who = names[n % len(names)]
        target = made[n % len(made)]
        actions.do_state_position(
            negotiation,
            target_kind="amendment",
            target_key=str(target.pk),
            stance="support" if n % 3 else "oppose",
            code=CODES[who],
            actor=users[who],
        )
    for n in range(comments):
        who = names[n % len(names)]
        actions.do_comment(
            negotiation,
            paragraph_key=keys[n % len(keys)],
            code=CODES[who],
            actor=users[who],
            text=f"Comment {n}: we need more time to consult our capital on this paragraph.",
        )
    return int(negotiation.pk)


def measure(pk: int, repeat: int) -> None:
    """The first answer after the cache is emptied (cold: the paragraphs rendered), then the
    median of the next ones (warm: the paragraphs from the cache), with their query counts."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from secretariat.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="ind"))
    url = f"/negotiations/{pk}/"
    client.get(url)  # per-process start-up (translations, the text's parse)
    cache.clear()
    times, counts = [], []
    size = 0
    for _ in range(repeat + 1):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
        counts.append(len(ctx.captured_queries))
    warm = times[1:]
    print(
        f"workspace of the large negotiation: cold {times[0]:.0f} ms ({counts[0]} queries); "
        f"warm median {statistics.median(warm):.0f} ms, worst {max(warm):.0f} ms over "
        f"{repeat} ({counts[-1]} queries); {size / 1024:.0f} KiB of HTML; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def profile(pk: int) -> None:
    import cProfile
    import pstats

    from django.core.cache import cache
    from django.test import Client

    from secretariat.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="ind"))
    for label, clear in (("warm", False), ("cold", True)):
        profiler = cProfile.Profile()
        for _ in range(3):
            if clear:
                cache.clear()
            profiler.enable()
            client.get(f"/negotiations/{pk}/")
            profiler.disable()
        print(f"--- {label} (3 answers) ---")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats("src/secretariat", 15)
        stats.sort_stats("tottime").print_stats(12)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--amendments", type=int, default=500)
    parser.add_argument("--comments", type=int, default=550)
    parser.add_argument("--positions", type=int, default=515)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database and data")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    os.environ["SECRETARIAT_HTTPS"] = "0"
    os.environ["SECRETARIAT_ALLOWED_HOSTS"] = "testserver"
    with throwaway_site("large-negotiation", args.database_url, keep=args.keep) as data_dir:
        started = time.perf_counter()
        pk = build(args.amendments, args.comments, args.positions)
        print(
            f"built {args.amendments} amendments, {args.positions} positions, "
            f"{args.comments} comments in {time.perf_counter() - started:.0f} s"
        )
        measure(pk, args.repeat)
        if args.profile:
            profile(pk)
        if args.keep:
            print(
                f"kept: SECRETARIAT_DATA_DIR={data_dir} DATABASE_URL="
                f"{os.environ.get('DATABASE_URL', '(SQLite)')} negotiation {pk}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
