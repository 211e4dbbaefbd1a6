"""Meetings in the library search: 300 meetings x 12 published items (7,500 search entries),
median and max of 7 runs of `meetings.search.search_meetings` per reader and query.

Run on a fresh data directory (it writes meetings):
    SECRETARIAT_DATA_DIR=$(mktemp -d) secretariat migrate
    SECRETARIAT_DATA_DIR=... secretariat shell < benchmarks/meetings_search.py
"""

import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from secretariat.accounts.models import Body, User
from secretariat.demo.forum import load_forum
from secretariat.documents.search import parse
from secretariat.meetings import actions
from secretariat.meetings.models import SearchEntry
from secretariat.meetings.search import search_meetings

MEETINGS = 300
ITEMS = 12
WORDS = [
    "security", "cooperation", "confidence", "building", "measures", "terrorism",
    "transformation", "economic", "environmental", "human", "dimension", "road", "map",
    "statement", "declaration",
]  # fmt: skip

load_forum()
officer = User.objects.get(username="secretariat")
bodies = list(Body.objects.filter(code__in=["SWG", "SOC", "ICT-WG"]))
t0 = time.perf_counter()
for n in range(MEETINGS):
    body = bodies[n % len(bodies)]
    start = datetime(2020, 1, 1, 10, tzinfo=ZoneInfo("Asia/Almaty")) + timedelta(days=7 * n)
    meeting = actions.do_create_meeting(
        actions.MeetingFields(
            title=f"Meeting {n} of the {body.code}",
            body=body,
            access_level="body",
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            time_zone="Asia/Almaty",
            venue="Astana",
        ),
        actor=officer,
    )
    for i in range(ITEMS):
        actions.do_add_item(
            meeting,
            title=f"Item {i} on {WORDS[(n + i) % len(WORDS)]} "
            f"and {WORDS[(n * 3 + i) % len(WORDS)]}",
            annotation=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(25)),
            actor=officer,
        )
    actions.do_publish_agenda(meeting, "provisional", actor=officer)
print(f"built {MEETINGS} meetings x {ITEMS} items in {time.perf_counter() - t0:.1f} s")
print("search entries", SearchEntry.objects.count())
for who in ("ind", "chn", "secretariat"):
    user = User.objects.get(username=who)
    for text in ("transformation", '"road map"', "confid*", "security terrorism"):
        times = []
        for _ in range(7):
            t = time.perf_counter()
            hits = search_meetings(user, parse(text))
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"{who:12} {text:22} hits={len(hits):3} "
            f"median {statistics.median(times):.1f} ms max {max(times):.1f} ms"
        )
