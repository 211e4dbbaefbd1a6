"""Backup and restore of a whole site: one tar archive, taken while the site runs.

The archive holds:
  manifest.json   format, product version, database vendor, time, and sha256 + size of
                  every other member
  database.sqlite3  SQLite's online backup (`sqlite3.Connection.backup`: a consistent copy
                  while others read and write), or
  database.dump   `pg_dump -Fc` on PostgreSQL (a consistent snapshot; its major version must be
                  at least the server's)
  secret_key      the site's secret key (sessions, password reset links stay valid)
  files/...       the stored files (`MEDIA_ROOT`, content-addressed)

Restore goes into an empty data directory and an empty database only (anything else is
refused with a message), checks every checksum before it writes anything, loads the database
(`pg_restore` on PostgreSQL), puts the files and the key in place, migrates (a newer product
brings the restored database up to date) and rebuilds the finder index. The finder index is
not in the archive: it is derived from the library and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


@dataclass(frozen=True)
class Member:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    format: int
    version: str
    vendor: str
    created_at: str
    members: tuple[Member, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": self.format,
                "version": self.version,
                "vendor": self.vendor,
                "created_at": self.created_at,
                "members": [m.__dict__ for m in self.members],
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(
            format=int(data["format"]),
            version=str(data["version"]),
            vendor=str(data["vendor"]),
            created_at=str(data["created_at"]),
            members=tuple(Member(**m) for m in data["members"]),
        )


def product_version() -> str:
    try:
        return metadata.version("secretariat")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def secret_key_file() -> Path:
    return Path(settings.DATA_DIR) / "secret_key"


# --- PostgreSQL tools ------------------------------------------------------------------------
def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    given = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    env.update({var: str(value) for var, value in given.items() if value})
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools of the server's "
            "version (Debian: apt-get install postgresql-client)."
        )
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    tool_major = int(out.split()[-1].split(".")[0].split("(")[0]) if out else 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    if tool_major < server_major:
        raise BackupError(
            f"{name} {tool_major} is older than the PostgreSQL server ({server_major}); install "
            f"the client tools of version {server_major} or later."
        )
    return path


# --- backup ----------------------------------------------------------------------------------
def _dump_database(dest_dir: Path) -> Path:
    if connection.vendor == "sqlite":
        target = dest_dir / "database.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=60)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy, pages=4096)
        finally:
            copy.close()
            source.close()
        return target
    if connection.vendor == "postgresql":
        target = dest_dir / "database.dump"
        tool = _pg_tool("pg_dump")
        result = subprocess.run(
            [tool, "-Fc", "--no-owner", "--no-privileges", "-f", str(target)],
            env=_pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def create_backup(path: Path) -> Manifest:
    """Write the archive to `path` (replaced atomically); returns its manifest."""
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as tmp:
        staging = Path(tmp)
        db_file = _dump_database(staging)
        entries: list[tuple[str, Path]] = [(db_file.name, db_file)]
        key = staging / "secret_key"
        key.write_text(settings.SECRET_KEY)
        entries.append(("secret_key", key))
        root = media_root()
        if root.is_dir():
            for file in sorted(p for p in root.rglob("*") if p.is_file()):
                entries.append((f"files/{file.relative_to(root).as_posix()}", file))
        members = tuple(
            Member(name, sha256_of(file), file.stat().st_size) for name, file in entries
        )
        manifest = Manifest(
            FORMAT,
            product_version(),
            connection.vendor,
            datetime.now(UTC).isoformat(timespec="seconds"),
            members,
        )
        manifest_file = staging / "manifest.json"
        manifest_file.write_text(manifest.to_json())
        partial = staging / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(manifest_file, arcname="manifest.json")
            for name, file in entries:
                tar.add(file, arcname=name)
        os.replace(partial, path)
    return manifest


# --- restore ---------------------------------------------------------------------------------
def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _files_are_empty() -> bool:
    root = media_root()
    return not root.exists() or not any(root.iterdir())


def check_target_empty() -> None:
    problems = []
    if not _database_is_empty():
        db = settings.DATABASES["default"]["NAME"]
        problems.append(f"the database ({db}) already has tables")
    if not _files_are_empty():
        problems.append(f"the files directory ({media_root()}) is not empty")
    if problems:
        raise BackupError(
            "Restore needs an empty data directory and an empty database: "
            + "; ".join(problems)
            + ". Point SECRETARIAT_DATA_DIR / DATABASE_URL at new ones."
        )


def read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("This is not a Secretariat backup: it has no manifest.json.")
    return Manifest.from_json(member.read().decode("utf-8"))


def verify_and_extract(archive: Path, dest: Path) -> Manifest:
    """Extract into `dest` and check every member against the manifest."""
    with tarfile.open(archive, "r") as tar:
        manifest = read_manifest(tar)
        if manifest.format != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.format}.")
        expected = {m.name: m for m in manifest.members}
        names = {m.name for m in tar.getmembers() if m.isfile()} - {"manifest.json"}
        if names != set(expected):
            missing = sorted(set(expected) - names)[:5]
            extra = sorted(names - set(expected))[:5]
            raise BackupError(f"The archive does not match its manifest: {missing=} {extra=}")
        tar.extractall(dest, filter="data")
    for member in manifest.members:
        file = dest / member.name
        if file.stat().st_size != member.size or sha256_of(file) != member.sha256:
            raise BackupError(f"Checksum mismatch in {member.name}: the archive is damaged.")
    return manifest


def _load_database(staging: Path, manifest: Manifest) -> None:
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"This backup holds a {manifest.vendor} database; this site uses {connection.vendor}."
        )
    if connection.vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(str(staging / "database.sqlite3"))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    tool = _pg_tool("pg_restore")
    connection.close()
    env = _pg_env()
    command = [tool, "--no-owner", "--no-privileges", "--exit-on-error", "-d", env["PGDATABASE"]]
    command.append(str(staging / "database.dump"))
    result = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore_backup(archive: Path) -> Manifest:
    """Restore into the (empty) site this process is configured for."""
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise BackupError(f"No such backup: {archive}")
    check_target_empty()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as tmp:
        staging = Path(tmp)
        manifest = verify_and_extract(archive, staging)
        _load_database(staging, manifest)
        files = staging / "files"
        root = media_root()
        if files.is_dir():
            root.parent.mkdir(parents=True, exist_ok=True)
            if root.exists():
                root.rmdir()  # empty, checked above
            shutil.move(str(files), str(root))
        if not os.environ.get("SECRETARIAT_SECRET_KEY"):
            key = secret_key_file()
            key.write_text((staging / "secret_key").read_text())
            key.chmod(0o600)
    return manifest
