"""What the content stamp (`core.changes`) costs writers, beside the same writes without it.

Builds a fresh site (a PostgreSQL database of its own with --database-url, dropped after; else
SQLite in a temporary data directory), loads the forum and imports the demo's Astana draft.
Then times, per call, three kinds of statement with the stamp's execute wrapper installed
(`stamp`) and removed (`peer`, `changes.disconnect()`), alternating the two in --rounds blocks
so that the machine's load falls on both alike:

  comment   `do_comment` through the real action (a Comment row and its audit row, in one
            transaction): the stamp adds one INSERT;
  update    `Comment.objects.filter(pk=..).update(text=..)` in autocommit, the bulk write the
            signals missed: the stamp adds one INSERT;
  read      `Comment.objects.filter(pk=..).first()`: the wrapper only reads the statement's
            verb (what every SELECT pays).

Prints p50/p95 per call in milliseconds for each side, the difference of the medians, the
stamp rows written, and the load average (times depend on how busy the machine is).

    .venv/bin/python benchmarks/content_stamp.py [--writes 400] [--rounds 8] \
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable

from _site import throwaway_site


def build() -> tuple[Callable[[int], object], Callable[[int], object], Callable[[int], object]]:
    from secretariat.accounts.models import Body, User
    from secretariat.demo.forum import load_forum
    from secretariat.negotiation import actions, engine
    from secretariat.negotiation.demo import TEXTS
    from secretariat.negotiation.models import Comment

    load_forum()
    ind = User.objects.get(username="ind")
    negotiation = actions.do_import_negotiation(
        title="Stamp benchmark",
        body=Body.objects.get(code="SWG"),
        text=(TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8"),
        actor=User.objects.get(username="secretariat"),
    )
    draft = engine.draft_of(actions.working_revision(negotiation))
    # Titles and headings take no comment: only paragraphs of text.
    keys = [
        p.key
        for p, level in zip(draft.paragraphs, engine.heading_levels(draft), strict=True)
        if p.key and not level
    ]
    first = actions.do_comment(
        negotiation, paragraph_key=keys[0], code="IND", actor=ind, text="First comment."
    )

    def comment(n: int) -> object:
        return actions.do_comment(
            negotiation,
            paragraph_key=keys[n % len(keys)],
            code="IND",
            actor=ind,
            text=f"Comment {n}: we need more time to consult our capital on this paragraph.",
        )

    def update(n: int) -> object:
        return Comment.objects.filter(pk=first.pk).update(text=f"Edited {n}.")

    def read(n: int) -> object:
        return Comment.objects.filter(pk=first.pk).first()

    return comment, update, read


def run(writes: int, rounds: int) -> None:
    from django.db import connection

    from secretariat.core import changes
    from secretariat.core.models import ContentChange

    kinds = dict(zip(("comment", "update", "read"), build(), strict=True))
    per_round = max(1, writes // rounds)
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows: dict[str, int] = defaultdict(int)
    n = 0
    for round_ in range(rounds):
        # Alternate which side goes first, so neither always follows the other.
        sides = ("stamp", "peer") if round_ % 2 == 0 else ("peer", "stamp")
        for side in sides:
            if side == "peer":
                changes.disconnect()
            else:
                changes.connect()
            for kind, call in kinds.items():
                before = ContentChange.objects.count()
                for _ in range(per_round):
                    n += 1
                    started = time.perf_counter()
                    call(n)
                    times[(kind, side)].append((time.perf_counter() - started) * 1000)
                rows[f"{kind} {side}"] += ContentChange.objects.count() - before
    changes.connect()

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print(
        f"{connection.vendor}; {per_round * rounds} calls of each kind per side in {rounds} "
        f"alternating rounds; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'kind':<9}{'stamp p50':>11}{'p95':>8}{'peer p50':>10}{'p95':>8}{'+p50 ms':>9}"
        f"{'stamp rows':>12}{'peer rows':>11}"
    )
    for kind in kinds:
        stamp, peer = times[(kind, "stamp")], times[(kind, "peer")]
        print(
            f"{kind:<9}{pct(stamp, 0.5):>11.3f}{pct(stamp, 0.95):>8.3f}"
            f"{pct(peer, 0.5):>10.3f}{pct(peer, 0.95):>8.3f}"
            f"{statistics.median(stamp) - statistics.median(peer):>+9.3f}"
            f"{rows[f'{kind} stamp']:>12}{rows[f'{kind} peer']:>11}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (admin URL)")
    parser.add_argument("--writes", type=int, default=400, help="calls of each kind per side")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    with throwaway_site("content-stamp", args.database_url):
        run(args.writes, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
