"""Issue 9 item 4: the web process's peak memory while it refuses a DOCX bomb and a 300 MB
upload. A real `secretariat serve` process in a subprocess; its peak resident size (VmHWM in
/proc) must stay under 100 MB above what it was before the upload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_uploads_refused import zip_bomb

from reliability.conftest import login, make_site, serve  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow

MB = 1024 * 1024
BUDGET = 100 * MB


def peak_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024


def current_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


@pytest.fixture
def server(make_site):  # noqa: F811
    site = make_site("uploads")
    site.python("from secretariat.demo.forum import load_forum; load_forum()")
    url = serve(site)
    proc = site.procs[-1]
    client = login(url, "secretariat")
    # Warm the pages up (templates, imports), so the measure is of the upload only.
    for path in ("/documents/new/", "/negotiations/import/"):
        assert client.get(path).status_code == 200
    return site, url, proc, client


def csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def multipart(fields: dict[str, str], name: str, chunks: Iterator[bytes], size: int):
    """A streamed multipart body (never whole in this process either) and its length."""
    boundary = "s2uploadboundary"
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head.encode()
        yield from chunks
        yield tail

    length = len(head.encode()) + size + len(tail)
    return body(), {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
    }


def document_fields(token: str) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": token,
        "title": "A file",
        "doc_type": "other",
        "status": "draft",
        "organization": "CICA",
        "language": "en",
        "access_level": "members",
    }


def test_a_300_mb_upload_is_refused_without_reading_it_into_memory(server) -> None:
    site, url, proc, client = server
    token = csrf(client, "/documents/new/")
    size = 300 * MB
    before = peak_rss(proc.pid)
    start = current_rss(proc.pid)
    zeros = b"x" * MB
    body, headers = multipart(document_fields(token), "big.txt", (zeros for _ in range(300)), size)
    response = client.post(
        "/documents/new/",
        content=body,
        headers={**headers, "Referer": f"{url}/documents/new/"},
        timeout=300,
    )
    assert response.status_code == 400
    assert "too large" in response.text
    peak = peak_rss(proc.pid)
    print(f"300 MB upload: RSS before {start / MB:.0f} MB, peak {peak / MB:.0f} MB")
    assert peak - max(before, start) < BUDGET
    assert site.scalar("SELECT count(*) FROM documents_document") == 0


@pytest.mark.parametrize("path", ["/documents/new/", "/negotiations/import/"])
def test_a_docx_bomb_is_refused_without_unpacking_it(server, path) -> None:
    site, url, proc, client = server
    bomb = zip_bomb(800)
    token = csrf(client, path)
    before = peak_rss(proc.pid)
    start = current_rss(proc.pid)
    if path == "/documents/new/":
        fields = document_fields(token)
    else:
        body_id = site.scalar("SELECT id FROM accounts_body ORDER BY id LIMIT 1")
        fields = {"csrfmiddlewaretoken": token, "title": "Bomb", "body": str(body_id)}
    response = client.post(
        path,
        data=fields,
        files={"file": ("bomb.docx", bomb)},
        headers={"Referer": f"{url}{path}"},
        timeout=120,
    )
    assert response.status_code in (200, 400)
    assert "unpacks to" in response.text
    peak = peak_rss(proc.pid)
    print(
        f"{len(bomb) / 1024:.0f} KB bomb (800 MB unpacked) at {path}: RSS before "
        f"{start / MB:.0f} MB, peak {peak / MB:.0f} MB"
    )
    assert peak - max(before, start) < BUDGET
