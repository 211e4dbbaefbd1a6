"""Backup and restore times: the demo site, and an archive of N paragraphs (default 100,000).

For each site it times `secretariat backup` and `secretariat restore` (which includes the
checksums, migrate and the finder index rebuild) and, beside them, the peer measured in the
same run on the same data: the bare database copy (`pg_dump -Fc`, or SQLite's backup API) plus
`tar` of the files directory, the floor any backup has to pay.

The archive is made by the finder's generator (`archive/finder/gencorpus.py`), written as text
files of 200 numbered paragraphs and loaded with `secretariat archive import` (not timed).

    .venv/bin/python benchmarks/backup_bench.py [--paragraphs 100000] [--skip-demo]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PER_FILE = 200


class Site:
    def __init__(self, root: Path, name: str, admin_url: str | None) -> None:
        self.data_dir = root / name
        self.data_dir.mkdir()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(SECRETARIAT_DATA_DIR=str(self.data_dir), SECRETARIAT_HTTPS="0")
        self.admin_url = admin_url
        self.db_name = None
        if admin_url:
            import psycopg

            self.db_name = f"bench_backup_{name}_{uuid.uuid4().hex[:6]}"
            with psycopg.connect(admin_url, autocommit=True) as con:
                con.execute(f'CREATE DATABASE "{self.db_name}"')
            parts = urlsplit(admin_url)
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.db_name}"))

    def run(self, *args: str) -> float:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "secretariat", *args],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.monotonic() - started

    def peer_backup(self, out: Path) -> float:
        """The bare database copy and a tar of the files."""
        started = time.monotonic()
        if self.db_name:
            subprocess.run(
                ["pg_dump", "-Fc", "-f", str(out / "peer.dump"), self.env["DATABASE_URL"]],
                check=True,
            )
        else:
            src = sqlite3.connect(self.data_dir / "secretariat.sqlite3")
            dst = sqlite3.connect(out / "peer.sqlite3")
            src.backup(dst)
            dst.close()
            src.close()
        subprocess.run(
            ["tar", "cf", str(out / "peer-files.tar"), "-C", str(self.data_dir), "files"]
        )
        return time.monotonic() - started

    def drop(self) -> None:
        if self.db_name and self.admin_url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


def make_archive_files(out: Path, paragraphs: int) -> int:
    from secretariat.archive.finder import gencorpus

    gen = out / "gen"
    subprocess.run(
        [sys.executable, gencorpus.__file__, "--out", str(gen), "--n", str(paragraphs)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    texts = out / "texts"
    texts.mkdir()
    lines = (gen / "archive.tsv").read_text(encoding="utf-8").splitlines()
    files = 0
    for start in range(0, len(lines), PER_FILE):
        chunk = lines[start : start + PER_FILE]
        body = "\n\n".join(
            f"{n}. {line.split(chr(9), 1)[1]}" for n, line in enumerate(chunk, 1) if "\t" in line
        )
        year = 1995 + (start // PER_FILE) % 30
        (texts / f"archive-{start // PER_FILE:05d}.txt").write_text(
            f"Declaration {start // PER_FILE} ({year})\n\n{body}\n", encoding="utf-8"
        )
        files += 1
    return files


def measure(label: str, source: Site, root: Path, admin_url: str | None) -> None:
    archive = root / f"{label}.tar"
    ours = source.run("backup", str(archive))
    peer_dir = root / f"{label}-peer"
    peer_dir.mkdir()
    peer = source.peer_backup(peer_dir)
    target = Site(root, f"{label}-restored", admin_url)
    try:
        restore = target.run("restore", str(archive))
    finally:
        target.drop()
    size = archive.stat().st_size / 1e6
    print(
        f"{label:<28} backup {ours:7.1f} s (peer {peer:6.1f} s)   restore {restore:7.1f} s   "
        f"archive {size:8.1f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (admin URL)")
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    root = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    sites: list[Site] = []
    vendor = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Backup and restore on {vendor} (restore includes checksums, migrate, reindex)")
    try:
        floor = Site(root, "floor", None).run("shell", "-c", "pass")
        print(f"(starting a secretariat command costs {floor:.1f} s of each figure below)")
        if not args.skip_demo:
            demo = Site(root, "demo", args.database_url)
            sites.append(demo)
            demo.run("demo", "--no-serve", "--data-dir", str(demo.data_dir))
            measure("demo", demo, root, args.database_url)
        big = Site(root, "archive", args.database_url)
        sites.append(big)
        files = make_archive_files(root, args.paragraphs)
        big.run("migrate", "--no-input", "-v", "0")
        loaded = big.run("archive", "import", str(root / "texts"), "--organization", "CICA")
        print(f"(loaded {args.paragraphs} paragraphs in {files} files in {loaded:.0f} s)")
        measure(f"archive {args.paragraphs} paragraphs", big, root, args.database_url)
    finally:
        for site in sites:
            site.drop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
