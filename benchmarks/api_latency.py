"""API latency beside the same query through the HTML page, in the same run.

Against an existing data directory with the demo loaded (`secretariat demo --no-serve`), as a
delegate (default `chn`): the API through a personal token, the page through a signed-in
session (second factor passed). Pairs are interleaved (API, page, API, page...) so both see
the same machine load; each request goes through the whole Django stack in process (no
socket: the difference between the two is the application's, not the network's).

    SECRETARIAT_DATA_DIR=... .venv/bin/python benchmarks/api_latency.py [--requests 200]
        [--user chn]

Prints p50/p95 in milliseconds per pair: document list, full-text search, the finder, the
negotiation and notes lists, the directory of delegations (`--only finder` for one pair).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
os.environ.setdefault("SECRETARIAT_HTTPS", "0")

import django

FINDER_TEXT = (
    "reaffirm our commitment to the purposes and principles of the Charter of the United Nations"
)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--user", default="chn")
    parser.add_argument(
        "--only", action="append", default=[], help="pairs whose name contains this (repeat)"
    )
    args = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.test import Client

    from secretariat.accounts.models import User
    from secretariat.api.models import ApiToken
    from secretariat.api.tokens import do_create_token

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username=args.user)
    new = do_create_token(user, name="benchmark", scope="read", days=1, actor=None)
    api = Client(headers={"Authorization": f"Bearer {new.secret}"})
    page = Client()
    page.force_login(user)

    pairs = {
        "document list": (
            lambda: api.get("/api/v1/documents", {"limit": 25}),
            lambda: page.get("/documents/"),
        ),
        "search 'cooperation'": (
            lambda: api.get("/api/v1/search", {"q": "cooperation"}),
            lambda: page.get("/archive/", {"q": "cooperation"}),
        ),
        "finder": (
            lambda: api.get("/api/v1/finder", {"text": FINDER_TEXT}),
            lambda: page.post("/archive/finder/", {"text": FINDER_TEXT}),
        ),
        "negotiation list": (
            lambda: api.get("/api/v1/negotiations", {"limit": 25}),
            lambda: page.get("/negotiations/"),
        ),
        "notes list": (
            lambda: api.get("/api/v1/notes", {"limit": 25}),
            lambda: page.get("/notes/"),
        ),
        "directory": (
            lambda: api.get("/api/v1/directory"),
            lambda: page.get("/accounts/delegations/"),
        ),
    }
    if args.only:
        pairs = {k: v for k, v in pairs.items() if any(o in k for o in args.only)}
    print(
        f"{args.requests} requests each, user {args.user}, "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    print(f"{'query':24} {'API p50':>9} {'API p95':>9} {'page p50':>9} {'page p95':>9}")
    try:
        for name, (call_api, call_page) in pairs.items():
            for call in (call_api, call_page):  # warm up caches and the finder index
                response = call()
                assert response.status_code == 200, (name, response.status_code)
            timings: dict[str, list[float]] = {"api": [], "page": []}
            for _ in range(args.requests):
                for kind, call in (("api", call_api), ("page", call_page)):
                    start = time.perf_counter()
                    response = call()
                    timings[kind].append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (name, kind, response.status_code)
            print(
                f"{name:24} {statistics.median(timings['api']):9.1f} "
                f"{_pct(timings['api'], 0.95):9.1f} {statistics.median(timings['page']):9.1f} "
                f"{_pct(timings['page'], 0.95):9.1f}"
            )
    finally:
        ApiToken.objects.filter(pk=new.token.pk).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
