"""A small end-to-end bench run through bench.main (the `secretariat archive bench` entry)."""

from __future__ import annotations

import re

from secretariat.archive.finder import bench


def test_small_bench_run(capsys, tmp_path) -> None:
    rc = bench.main(
        ["--paragraphs", "2000", "--queries", "50", "--workdir", str(tmp_path), "--workers", "1"]
    )
    out = capsys.readouterr().out
    assert rc == 0
    r1 = re.search(r"^finder recall@1: ([0-9.]+)$", out, re.M)
    r5 = re.search(r"^finder recall@5: ([0-9.]+)$", out, re.M)
    assert r1 and r5, out
    assert float(r5.group(1)) >= 0.9
    assert "rapidfuzz brute force" in out
    assert "false-precedent rate" in out and "found rate" in out
