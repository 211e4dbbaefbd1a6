"""A throwaway site for the in-process benchmarks: a temporary data directory, and either SQLite
in it or a PostgreSQL database of its own (created on the given server, dropped after unless
kept), with Django set up and migrated."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def throwaway_site(prefix: str, database_url: str | None, *, keep: bool = False) -> Iterator[Path]:
    """Yields the data directory of a migrated site; `keep` leaves its database in place."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    os.environ["SECRETARIAT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    admin = db_name = None
    if database_url:
        import psycopg

        db_name = f"{prefix.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        admin = with_database(database_url, "postgres")
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = with_database(database_url, db_name)
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        yield data_dir
    finally:
        if admin and db_name and not keep:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
