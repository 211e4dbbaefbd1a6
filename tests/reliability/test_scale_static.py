"""Static files are answered before Django, from memory, under ASGI (core.asgi_static)."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

from secretariat.core.asgi_static import StaticFirst, collect

VENDOR = Path(__file__).resolve().parents[2] / "src/secretariat/static/vendor"


def _call(app: StaticFirst, path: str, headers: list[tuple[bytes, bytes]]) -> list[dict]:
    sent: list[dict] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent


def test_vendored_files_are_served_whole_gzipped_and_revalidated(db) -> None:
    passed: list[str] = []

    async def django(scope: Any, receive: Any, send: Any) -> None:
        passed.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = StaticFirst(django, collect())
    css = next(p for p in VENDOR.rglob("*.css"))
    url = "/static/" + str(css.relative_to(VENDOR.parent))
    start, body = _call(app, url, [])
    assert start["status"] == 200 and body["body"] == css.read_bytes()
    headers = dict(start["headers"])
    assert headers[b"content-type"].startswith(b"text/css")

    start, body = _call(app, url, [(b"accept-encoding", b"gzip, br")])
    assert dict(start["headers"])[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body["body"]) == css.read_bytes()

    start, _ = _call(app, url, [(b"if-none-match", headers[b"etag"])])
    assert start["status"] == 304

    start, _ = _call(app, "/static/no/such/file.css", [])
    assert start["status"] == 404 and passed == ["/static/no/such/file.css"]
