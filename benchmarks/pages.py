"""Each page of the load mix timed in-process, with its SQL query count and HTML size.

Runs against an existing data directory and database (the environment's
SECRETARIAT_DATA_DIR and DATABASE_URL, e.g. after `secretariat demo --no-serve`): Django's
test client signed in as a delegate (`--user`, default `ind`) asks each page --repeat times
and prints the median and worst time, the number of SQL queries and the bytes of the last
answer. Query counts and sizes do not depend on how busy the machine is; times do, so print
the load average beside them. `--profile PAGE` prints the costliest functions of that page
(cProfile: the project's by cumulative time, then all by own time) after the table.

    SECRETARIAT_DATA_DIR=... DATABASE_URL=... .venv/bin/python benchmarks/pages.py \
        [--user ind] [--repeat 7] [--profile workspace] [--negotiation PK]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

FINDER_TEXT = (
    "We reaffirm our commitment to the purposes and principles of the Charter of the United "
    "Nations and condemn terrorism in all its forms and manifestations."
)


def pages(negotiation: int | None) -> list[tuple[str, str, str, dict | None]]:
    from secretariat.documents.models import Document
    from secretariat.negotiation.models import Negotiation

    doc = Document.objects.filter(access_level="members").order_by("id").first()
    neg = negotiation or Negotiation.objects.order_by("id").values_list("pk", flat=True).first()
    return [
        ("dashboard", "GET", "/", None),
        ("library", "GET", "/documents/", None),
        ("document", "GET", f"/documents/{doc.pk if doc else 0}/", None),
        ("workspace", "GET", f"/negotiations/{neg}/", None),
        ("search", "GET", "/archive/?q=terrorism", None),
        ("finder", "POST", "/archive/finder/", {"text": FINDER_TEXT}),
        ("notifications", "GET", "/notifications/", None),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--user", default="ind")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", default=None, help="name of a page to profile")
    parser.add_argument("--negotiation", type=int, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ.setdefault("SECRETARIAT_HTTPS", "0")
    os.environ["SECRETARIAT_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from secretariat.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    print(f"load average {os.getloadavg()[0]:.1f}; user {args.user}; {connection.vendor}")
    print(f"{'page':<14}{'median ms':>10}{'worst ms':>10}{'queries':>9}{'KiB':>8}")
    for name, method, path, form in pages(args.negotiation):
        times = []
        queries = size = status = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                answer = client.post(path, form) if method == "POST" else client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            queries, size, status = (
                len(ctx.captured_queries),
                len(answer.content),
                answer.status_code,
            )
        flag = "" if status == 200 else f"  (status {status})"
        print(
            f"{name:<14}{statistics.median(times):>10.0f}{max(times):>10.0f}"
            f"{queries:>9}{size / 1024:>8.0f}{flag}"
        )
        if name == args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(3):
                client.post(path, form) if method == "POST" else client.get(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats("src/secretariat", 20)
            stats.sort_stats("tottime").print_stats(15)
            profile_text = out.getvalue()
    if args.profile:
        print(profile_text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
