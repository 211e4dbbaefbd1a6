"""The per-request floor of `secretariat serve`: one keep-alive connection, sequential requests.

Starts `secretariat serve --workers 1` and `--workers 2` (and, with --bare, a "hello" ASGI app
under plain `uvicorn --workers N`, the peer) on free loopback ports against a temporary data
directory, then sends sequential GETs of a static file over ONE keep-alive connection with a
raw socket client (no client library in the measured path) and prints p50/p95 per request
side by side.

    .venv/bin/python benchmarks/serve_floor.py [--requests 300] [--path /static/favicon.svg]
        [--bare] [--http h11|httptools]

A floor of ~40 ms with 2 workers and ~1 ms with 1 is the Nagle / delayed-ACK stall of
accepted sockets without TCP_NODELAY (see `secretariat.core.management.commands.serve`).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b"hello"
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port}")


def read_response(sock: socket.socket, buf: bytearray) -> bytearray:
    """Read one HTTP/1.1 response with a Content-Length; return what is left of the buffer."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = bytearray(rest)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return body[length:]


def measure(port: int, path: str, requests: int) -> list[float]:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    timings = []
    with socket.create_connection(("127.0.0.1", port)) as sock:
        buf = bytearray()
        for i in range(requests + 10):
            start = time.perf_counter()
            sock.sendall(request)
            buf = read_response(sock, buf)
            if i >= 10:  # warm-up
                timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_server(cmd: list[str], env: dict[str, str], port: int, path: str, n: int) -> list[float]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port)
        time.sleep(1.0)  # every worker process has started accepting
        return measure(port, path, n)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--path", default="/static/favicon.svg")
    parser.add_argument("--bare", action="store_true", help="also measure a bare ASGI app")
    parser.add_argument("--http", default=None, help="h11 or httptools (default: uvicorn's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="serve-floor-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(SECRETARIAT_DATA_DIR=tmp, SECRETARIAT_HTTPS="0", PYTHONPATH=tmp)
        Path(tmp, "bare_app.py").write_text(BARE_APP)
        rows: list[tuple[str, list[float]]] = []
        for workers in (1, 2):
            port = free_port()
            cmd = [sys.executable, "-m", "secretariat", "serve", "--port", str(port)]
            cmd += ["--workers", str(workers)]
            if args.http:
                cmd += ["--http", args.http]
            rows.append(
                (
                    f"secretariat serve --workers {workers}",
                    run_server(cmd, env, port, args.path, args.requests),
                )
            )
            if args.bare:
                port = free_port()
                cmd = [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port)]
                cmd += ["--workers", str(workers), "--log-level", "warning"]
                if args.http:
                    cmd += ["--http", args.http]
                rows.append(
                    (
                        f"bare ASGI, uvicorn --workers {workers}",
                        run_server(cmd, env, port, "/", args.requests),
                    )
                )
    print(f"{args.requests} sequential GETs over one keep-alive connection")
    print(f"{'server':<40} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, timings in rows:
        print(
            f"{name:<40} {percentile(timings, 50):>8.2f} {percentile(timings, 95):>8.2f} "
            f"{statistics.fmean(timings):>8.2f}"
        )


if __name__ == "__main__":
    main()
