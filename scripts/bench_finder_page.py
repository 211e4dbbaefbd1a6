"""Finder page timing: the access mask judged per candidate document (now) beside the mask of
every visible paragraph id loaded per question (the earlier way), on the same data, same run.

    .venv/bin/python scripts/bench_finder_page.py --paragraphs 20000 [--queries 40]

Builds a throwaway installation (its own data directory; SQLite, or PostgreSQL when
DATABASE_URL is set — use a database of your own, it is flushed), registers a synthetic archive
through the library's real action (documents of 100 paragraphs from the finder benchmark's
generator, a third each public / members / one body, mostly adopted), builds the finder index,
then asks the same questions as a delegate through the finder page (Django's test client, the
whole request) with each mask. Prints p50 / p95 milliseconds and the queries per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--per-document", type=int, default=100)
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="bench-finder-page-")
    os.environ["SECRETARIAT_DATA_DIR"] = workdir
    os.environ.setdefault("SECRETARIAT_HTTPS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    texts, queries = _synthetic(args.paragraphs, args.queries)
    t0 = time.perf_counter()
    _register(texts, args.per_document)
    print(f"registered {len(texts)} paragraphs in {time.perf_counter() - t0:.0f} s")

    from secretariat.archive import finding

    t0 = time.perf_counter()
    finding.rebuild()
    print(f"index built in {time.perf_counter() - t0:.1f} s; asking {len(queries)} questions")

    timings = _time_pages(queries, {"now": finding._Allow, "before": _EveryVisibleId})
    print()
    print(f"finder page, delegate, {len(texts)} paragraphs ({_db()}):")
    print(f"  {'mask':38} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for key, name in (
        ("now", "per candidate document (now)"),
        ("before", "every visible paragraph id (before)"),
    ):
        lat, nq = timings[key]
        p95 = sorted(lat)[max(0, int(0.95 * len(lat)) - 1)]
        print(f"  {name:38} {statistics.median(lat):8.1f} {p95:8.1f} {nq:8d}")
    return 0


def _db() -> str:
    from django.db import connection

    return connection.vendor


def _synthetic(n: int, n_queries: int) -> tuple[list[str], list[str]]:
    import json

    from secretariat.archive.finder import bench

    corpus = bench._corpus(str(ROOT / "var" / "bench"), n, n_pos=n_queries, n_neg=0, seed=42)
    with open(f"{corpus}/archive.tsv") as fh:
        texts = [line.rstrip("\n").partition("\t")[2] for line in fh]
    with open(f"{corpus}/queries.jsonl") as fh:
        queries = [json.loads(line)["text"] for line in fh][:n_queries]
    return texts, queries


def _register(texts: list[str], per_document: int) -> None:
    from secretariat.accounts.models import Body, User
    from secretariat.demo.forum import load_forum
    from secretariat.documents import actions

    load_forum()
    secretariat = User.objects.get(username="secretariat")
    bodies = list(Body.objects.all())
    for number, start in enumerate(range(0, len(texts), per_document)):
        chunk = texts[start : start + per_document]
        data = "\n\n".join(f"{i}. {t}" for i, t in enumerate(chunk, 1)).encode()
        level = ("public", "members", "body")[number % 3]
        actions.do_create_document(
            actions.read_upload(data, f"doc-{number}.txt"),
            title=f"Synthetic document {number}",
            organization="CICA",
            status="draft" if number % 10 == 9 else "adopted",
            access_level=level,
            body=bodies[number % len(bodies)] if level == "body" else None,
            actor=secretariat,
        )


class _EveryVisibleId:
    """The earlier mask: every visible current paragraph id, loaded for each question."""

    def __init__(
        self, user: Any, include_drafts: bool, exclude_document_id: int | None = None
    ) -> None:
        import numpy as np

        from secretariat.archive.finding import _statuses
        from secretariat.documents.search import current_paragraphs

        qs = current_paragraphs(user).filter(document__status__in=_statuses(include_drafts))
        if exclude_document_id is not None:
            qs = qs.exclude(document_id=exclude_document_id)
        self.allowed = np.array(sorted(qs.values_list("id", flat=True)), dtype=np.int64)

    def __call__(self, ids: Any) -> Any:
        import numpy as np

        return np.isin(ids, self.allowed)


def _time_pages(queries: list[str], masks: dict[str, type]) -> dict[str, tuple[list[float], int]]:
    """Each question through the page with every mask in turn (alternating which goes first),
    so both see the same machine load."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from secretariat.accounts.models import User
    from secretariat.archive import finding

    client = Client()
    client.force_login(User.objects.get(username="ind"))
    saved = finding._Allow
    lat: dict[str, list[float]] = {key: [] for key in masks}
    nq: dict[str, int] = dict.fromkeys(masks, 0)
    try:
        for n, q in enumerate([queries[0], *queries]):  # the first one warms up
            order = list(masks) if n % 2 else list(reversed(masks))
            for key in order:
                finding._Allow = masks[key]  # type: ignore[misc]
                with CaptureQueriesContext(connection) as captured:
                    t0 = time.perf_counter()
                    response = client.post("/archive/finder/", {"text": q})
                    took = (time.perf_counter() - t0) * 1000
                assert response.status_code == 200
                if n:
                    lat[key].append(took)
                    nq[key] = max(nq[key], len(captured))
    finally:
        finding._Allow = saved  # type: ignore[misc]
    return {key: (lat[key], nq[key]) for key in masks}


if __name__ == "__main__":
    sys.exit(main())
