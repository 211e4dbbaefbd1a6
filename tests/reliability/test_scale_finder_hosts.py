"""Two web hosts, no shared disk: each keeps its own finder index, derived from the database.

Two `secretariat serve` processes with their own SECRETARIAT_DATA_DIR and one PostgreSQL
database: a document uploaded through host A's HTTP form is found by the finder through host B,
which applies the database's change sequence (archive.FinderChange) to its own index directory.
No worker runs, so nothing but host B's own catch-up can put the document in B's index.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from .conftest import Site, base_env, login, serve, wait_for

pytestmark = pytest.mark.slow

TEXT = (
    "1. The Ministers agreed to establish a joint working group on cross-border water "
    "management in the basin of the great rivers of the region.\n"
)
QUERY = "establish a joint working group on cross-border water management in the basin"


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _manifest_meta(data_dir: Path) -> dict:
    return json.loads((data_dir / "finder-index" / "MANIFEST.json").read_text()).get("meta", {})


def test_a_document_uploaded_on_host_a_is_found_through_host_b(make_site, capsys) -> None:
    site_a = make_site("hosta")
    if site_a.database_url is None:
        pytest.skip("several hosts share a PostgreSQL database; SQLite is one host's file")
    site_a.python("from secretariat.demo.forum import load_forum; load_forum()")
    dir_b = site_a.data_dir.parent / "hostb"
    dir_b.mkdir()
    env_b = base_env(dir_b)
    env_b["DATABASE_URL"] = site_a.database_url
    # one secret key for both hosts, as a deployment would configure it
    env_b["SECRETARIAT_SECRET_KEY"] = env_a_key = "two-hosts-one-secret-key-for-the-test"
    site_a.env["SECRETARIAT_SECRET_KEY"] = env_a_key
    site_b = Site(dir_b, env_b, site_a.database_url)
    for site in (site_a, site_b):
        site.run("archive", "reindex")  # each host builds its own index from the database
    assert _manifest_meta(dir_b)["change_seq"] == 0
    try:
        url_a, url_b = serve(site_a), serve(site_b)
        uploader = login(url_a, "secretariat")
        reader = login(url_b, "ind")
        form = uploader.get("/documents/new/")
        answer = uploader.post(
            "/documents/new/",
            data={
                "csrfmiddlewaretoken": _csrf(form.text),
                "title": "Water management",
                "doc_type": "declaration",
                "status": "adopted",
                "organization": "CICA",
                "language": "en",
                "access_level": "members",
            },
            files={"file": ("water.txt", TEXT.encode(), "text/plain")},
            headers={"Referer": f"{url_a}/documents/new/"},
        )
        uploaded_at = time.monotonic()
        assert answer.status_code == 302, answer.text[-2000:]
        finder = reader.get("/archive/finder/")
        token = _csrf(finder.text)

        def found_on_b() -> bool:
            page = reader.post(
                "/archive/finder/",
                data={"csrfmiddlewaretoken": token, "text": QUERY},
                headers={"Referer": f"{url_b}/archive/finder/"},
            )
            assert page.status_code == 200
            return "Water management" in page.text

        wait_for(found_on_b, timeout=30, step=0.1, what="host B's finder to find it")
        delay = time.monotonic() - uploaded_at
        with capsys.disabled():
            print(f"\nfinder catch-up on host B: {delay * 1000:.0f} ms after host A's upload")
        assert delay < 10
        change = site_a.scalar("SELECT MAX(id) FROM archive_finderchange")
        assert _manifest_meta(dir_b)["change_seq"] == change  # B recorded what it applied
        # host A's index is its own directory, untouched by B (A catches up when it is asked)
        assert _manifest_meta(site_a.data_dir)["change_seq"] == 0
    finally:
        for proc in site_b.procs:
            site_b.stop(proc)
