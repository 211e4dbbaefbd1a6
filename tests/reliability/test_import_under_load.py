"""Issue 10, item 2: a 20 MB import while 20 readers and 5 writers run: no error, every
reader and writer answered, the import done.

Real processes: `secretariat serve --workers 2` and `secretariat worker` on a SQLite site
with the demo, the scenario of `benchmarks/import_under_load.py` (readers on the dashboard,
the library, a document and the negotiation workspace with their own sessions; writers
posting comments and positions through the real forms, all thinking 2-5 s between requests
as in `benchmarks/load.py`; the secretariat uploading a generated 20 MB draft to the import
page, which the worker imports as a task). The readers and writers run until the import is
done. The figures are printed (run with -s to see them).

The issue's target, reader p95 under 1 s on SQLite, is printed, not asserted (timings are the
benchmark's job; here, no error and every reader answered). Before the import was
written in batches (one ~160 MB transaction holding SQLite's write lock about 24 s), readers
that write (the session touch) waited on it: reader p95 1.6-7.9 s. The negotiation is now
written as a pending row in short transactions (`actions.importing.write_pending`) and
published in a last short one; the figures measured are in the report of branch perf10b."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from .conftest import serve

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "import_under_load.py"


def _scenario():
    spec = importlib.util.spec_from_file_location("import_under_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_under_load"] = module
    spec.loader.exec_module(module)
    return module


def test_a_20_mb_import_under_20_readers_and_5_writers(make_site) -> None:
    bench = _scenario()
    site = make_site("importload", sqlite=True)
    site.run("demo", "--no-serve", "--data-dir", str(site.data_dir), timeout=900)
    discovered = json.loads(site.python(bench.DISCOVER).split("JSON", 1)[1])
    url = serve(site, "--workers", "2")  # the production layout on 2 cores
    site.start("worker", "--interval", "0.2")
    personas = {*bench.READERS, *bench.WRITERS, "secretariat"}
    target = bench.target_of(url, discovered, {p: bench.login(url, p) for p in personas})
    # Warm-up, not measured (the benchmark's peer run does the same): each web process's first
    # pages (templates compiled, caches filled) took up to 1.7 s and were all of the p95 above
    # 1 s in the run after the dashboard fix (the phase before the upload started).
    import httpx

    for persona in bench.READERS:
        with httpx.Client(base_url=url, cookies=target.cookies[persona], timeout=120) as client:
            for _ in range(2):
                for path in ("/", "/documents/", f"/negotiations/{target.negotiation}/"):
                    assert client.get(path).status_code == 200
    draft = bench.make_draft(20_000_000)
    assert 19_900_000 < len(draft.encode()) <= 20_000_000

    stats, result = bench.run_scenario(target, readers=20, writers=5, duration=20, draft=draft)
    bench.report("import", stats, result)

    assert "error" not in result, result
    assert result["upload_status"] == 302
    assert site.scalar("SELECT state FROM negotiation_importjob") == "done"
    assert stats.errors == []
    readers = stats.figures("reader")
    assert readers["n"] >= 20  # each reader answered (how many more is the machine's speed)
    # The target (reader p95 under 1 s) is a figure, printed above and measured by
    # benchmarks/import_under_load.py, not asserted: a test's timing depends on what else the
    # machine runs (CI runs two test processes). Quiet machine, 2026-12-01: p95 1.12 s.
    assert stats.figures("writer")["n"] >= 5
