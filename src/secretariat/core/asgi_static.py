"""Static files answered before Django, from memory, on the event loop.

Under ASGI Django serves WhiteNoise's responses through a synchronous iterator run in a thread
(Django warns: "StreamingHttpResponse must consume synchronous iterators"), so each CSS or JS
request costs a thread hop, the middleware stack and a session-less request cycle. The
product's static files are a few hundred kilobytes of vendored CSS/JS and its own assets: this
wrapper reads them once at start (through the same staticfiles finders WhiteNoise uses),
keeps a gzip copy of the compressible ones, and answers GET/HEAD under STATIC_URL directly,
with ETag/304 and the cache lifetime WhiteNoise gives unhashed names. Anything it does not
hold (and everything when DEBUG, where files change under the developer) goes to Django.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = dict[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Message], Awaitable[None]]
# Django's ASGIHandler types receive/send with Mapping; any ASGI callable fits here.
ASGIApp = Callable[..., Awaitable[None]]

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MAX_AGE = 60


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


def collect() -> dict[str, StaticFile]:
    """Every file the staticfiles finders know, by its URL path."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    files: dict[str, StaticFile] = {}
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            url = prefix + path.replace("\\", "/")
            if url in files:  # the first finder wins, as in Django
                continue
            with storage.open(path) as fh:
                body = fh.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type == "application/javascript":
                content_type += "; charset=utf-8"
            zipped = None
            if content_type.startswith(COMPRESSIBLE) and len(body) > 512:
                candidate = gzip.compress(body, 9, mtime=0)
                if len(candidate) < len(body) * 0.9:
                    zipped = candidate
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            files[url] = StaticFile(body, zipped, content_type, etag)
    return files


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return b""


class StaticFirst:
    """ASGI wrapper: answers held static files itself, passes everything else on."""

    def __init__(self, app: ASGIApp, files: dict[str, StaticFile]) -> None:
        self.app = app
        self.files = files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        found = self.files.get(scope["path"])
        if found is None:
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-type", found.content_type.encode()),
            (b"etag", found.etag.encode()),
            (b"cache-control", f"max-age={MAX_AGE}, public".encode()),
            (b"vary", b"Accept-Encoding"),
            (b"x-content-type-options", b"nosniff"),
        ]
        if found.etag.encode() in _header(scope, b"if-none-match"):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = found.body
        if found.gzipped is not None and b"gzip" in _header(scope, b"accept-encoding"):
            body = found.gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )


def wrap(app: ASGIApp) -> ASGIApp:
    from django.conf import settings

    if settings.DEBUG:
        return app
    return StaticFirst(app, collect())
