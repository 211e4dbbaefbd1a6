# ruff: noqa: S608 - literal SQL over the database's own table names
"""`secretariat backup` while the site serves, `secretariat restore` into an empty site: every
row equal, every file byte-identical, a document downloads; a non-empty target and a damaged
archive are refused. Real processes, SQLite or (with DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from .conftest import Site, login, serve

pytestmark = pytest.mark.slow


def tables(site: Site) -> list[str]:
    if site.vendor == "postgresql":
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return [r[0] for r in site.sql(query)]


def snapshot(site: Site) -> dict[str, list[str]]:
    con = site.connect()
    try:
        out = {}
        for table in tables(site):
            rows = [repr(r) for r in con.execute(f'SELECT * FROM "{table}"').fetchall()]
            out[table] = sorted(r for r in rows if "'backup.create'" not in r)
        return out
    finally:
        con.close()


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_backup_while_serving_then_restore_gives_the_same_site(make_site, tmp_path) -> None:
    source = make_site("source", migrate=False)
    source.run("demo", "--no-serve", "--data-dir", str(source.data_dir), timeout=900)
    url = serve(source)
    reader = login(url, "ind")  # the site is in use while the backup runs
    assert reader.get("/").status_code == 200

    archive = tmp_path / "site.tar"
    out = source.run("backup", str(archive))
    assert "Backup written" in out
    assert reader.get("/documents/").status_code == 200
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["vendor"] == source.vendor
    assert manifest["version"]
    assert {m["name"] for m in manifest["members"]} | {"manifest.json"} == names
    assert all(len(m["sha256"]) == 64 for m in manifest["members"])
    assert "secret_key" in names

    target = make_site("restored", migrate=False)
    out = target.run("restore", str(archive), timeout=900)
    assert "Finder index rebuilt" in out

    before, after = snapshot(source), snapshot(target)
    assert set(before) == set(after)
    for table in before:
        assert before[table] == after[table], f"{table} differs after restore"
    assert sum(len(rows) for rows in after.values()) > 1000
    assert files(source.data_dir / "files") == files(target.data_dir / "files")
    assert (target.data_dir / "secret_key").read_text() == (
        source.data_dir / "secret_key"
    ).read_text()
    assert any((target.data_dir / "finder-index").iterdir())

    document, number, sha256, stored = target.sql(
        "SELECT document_id, number, sha256, file FROM documents_version ORDER BY id LIMIT 1"
    )[0]
    restored_url = serve(target)
    client = login(restored_url, "secretariat")
    answer = client.get(f"/documents/{document}/versions/{number}/download/")
    assert answer.status_code == 200
    assert hashlib.sha256(answer.content).hexdigest() == sha256
    assert answer.content == (source.data_dir / "files" / stored).read_bytes()

    # A second restore into the now non-empty site is refused, and says why.
    refused = target.start("restore", str(archive))
    output = refused.communicate(timeout=300)[0]
    assert refused.returncode != 0
    assert "Restore needs an empty data directory and an empty database" in output


def test_a_damaged_archive_is_refused_before_anything_is_written(make_site, tmp_path) -> None:
    source = make_site("small")
    source.python("from secretariat.demo.forum import load_forum; load_forum()")
    archive = tmp_path / "site.tar"
    source.run("backup", str(archive))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == "secret_key":
                data = b"not the key" + data[11:]
            out.addfile(member, io.BytesIO(data))
    target = make_site("target", migrate=False)
    proc = target.start("restore", str(damaged))
    output = proc.communicate(timeout=300)[0]
    assert proc.returncode != 0
    assert "Checksum mismatch in secret_key" in output
    assert tables(target) == []
    assert not (target.data_dir / "files").exists()
