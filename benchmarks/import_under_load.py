"""A 20 MB negotiation import while delegates read and write: reader latency and errors.

Prepares a fresh SQLite site in a temporary data directory (the demo), starts
`secretariat serve --workers N` (2, the production layout on this 2-core machine) and one
`secretariat worker`, logs the personas in once through the real
login form, then runs the same mix twice for --duration seconds:

  peer    --readers delegates reading (dashboard, library, a document, the negotiation
          workspace) and --writers writing (comments and positions through the real forms),
          each with a think time of --think-min..--think-max seconds (2-5, as load.py);
  import  the same, while the secretariat uploads a generated draft of --size bytes to
          `/negotiations/import/` (a task of the worker, with its progress page) at the start.

Prints reader p50/p95/p99, writer p50/p95/p99 and errors for each run, and the import's
duration (upload to the job done, read from its progress page). The generated draft repeats
the demo's Plan of Action paragraphs, numbered, with a bracket and positions in every tenth.

    .venv/bin/python benchmarks/import_under_load.py [--size 20000000] [--duration 60] \
        [--workers 2] [--think-min 2 --think-max 5]

The test `tests/reliability/test_import_under_load.py` runs the import scenario through
`run_scenario` and asserts no error and reader p95 under one second.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src/secretariat/negotiation/demo_texts/plan-of-action.txt"
READERS = ["ind", "chn", "rus", "isr"]
WRITERS = ["ind", "chn", "rus"]  # delegations of the SWG, where the demo's negotiation sits
CODES = {"ind": "IND", "chn": "CHN", "rus": "RUS", "isr": "ISR"}


# --- the draft -------------------------------------------------------------------------------
def make_draft(size: int) -> str:
    """A draft of about `size` bytes (UTF-8), never more: the demo's Plan of Action
    paragraphs repeated and numbered, every tenth with a bracket and positions."""
    text = SOURCE.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40]
    head = "DRAFT PLAN OF ACTION (LOAD TEST)\n\n"
    parts = [head]
    used = len(head.encode())
    n = 0
    while True:
        base = paragraphs[n % len(paragraphs)].replace("[", "(").replace("]", ")")
        if n % 10 == 9:
            base = f"{base} [in particular, round {n}] (+CHN) (-IND)"
        chunk = f"OP{n + 1}. {base}\n\n"
        size_of = len(chunk.encode())
        if used + size_of > size:
            break
        parts.append(chunk)
        used += size_of
        n += 1
    return "".join(parts)


# --- statistics ------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Clock:
    """When the virtual users stop: at `stop`, and not before the import (if any) is done."""

    stop: float
    importing: bool = False

    def running(self) -> bool:
        return self.importing or time.monotonic() < self.stop


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    # (kind, page, started at (monotonic), seconds): to place slow requests in the import's
    # phases (`by_phase`)
    log: list[tuple[str, str, float, float]] = field(default_factory=list)

    def add(self, kind: str, page: str, seconds: float, status: int | str) -> None:
        self.times[kind].append(seconds)
        self.log.append((kind, page, time.monotonic() - seconds, seconds))
        ok = isinstance(status, int) and status < 400
        if not ok:
            self.errors.append(f"{kind} {page}: {status}")

    def by_phase(self, phases: list[tuple[str, float]], kind: str = "reader") -> list[str]:
        """Reader p50/p95/max in each phase of the import ((name, start) in time order)."""
        out = []
        bounds = [*phases, ("end", float("inf"))]
        for (name, start), (_next, end) in itertools.pairwise(bounds):
            times = [s for k, _p, t, s in self.log if k == kind and start <= t < end]
            if times:
                out.append(
                    f"{name}: n={len(times)} p50 {percentile(times, 50) * 1000:.0f} ms "
                    f"p95 {percentile(times, 95) * 1000:.0f} ms max {max(times) * 1000:.0f} ms"
                )
        return out

    def figures(self, kind: str) -> dict[str, float]:
        times = self.times.get(kind, [])
        return {
            "n": len(times),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
            "max": max(times) if times else float("nan"),
        }


# --- the site --------------------------------------------------------------------------------
@dataclass
class Target:
    url: str
    cookies: dict[str, httpx.Cookies]
    document: int
    negotiation: int
    keys: list[str]
    body: int


def login(url: str, username: str) -> httpx.Cookies:
    """Through the real login form (and the demo device's second factor when asked)."""
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/accounts/login/",
            data={"username": username, "password": "demo", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{url}/accounts/login/"},
        )
        if answer.status_code == 302 and "/2fa/verify/" in answer.headers["location"]:
            from secretariat.demo.forum import demo_totp_code

            for offset in (0, 1):
                page = client.get(answer.headers["location"])
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
                answer = client.post(
                    "/accounts/2fa/verify/",
                    data={"token": demo_totp_code(offset), "csrfmiddlewaretoken": token},
                    headers={"Referer": f"{url}/accounts/2fa/verify/"},
                )
                if answer.status_code == 302:
                    break
        if answer.status_code != 302:
            raise RuntimeError(f"login of {username} failed: {answer.status_code}")
        return client.cookies


# --- the virtual users -----------------------------------------------------------------------
async def _request(
    client: httpx.AsyncClient, method: str, path: str, form: dict | None, url: str
) -> int | str:
    headers = {}
    if method == "POST":
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Referer": url + "/"}
    for attempt in range(2):
        try:
            answer = await client.request(method, path, data=form, headers=headers)
            return answer.status_code
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            # a kept-alive connection closed by the server while thinking: retried, as a
            # browser does
            if attempt == 1:
                return type(exc).__name__
        except httpx.HTTPError as exc:
            return type(exc).__name__
    return "unreachable"


def _client(target: Target, persona: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=target.url, cookies=target.cookies[persona], timeout=60, follow_redirects=False
    )


async def reader(target: Target, persona: str, stats: Stats, clock: Clock, think: tuple) -> None:
    pages = [
        "/",
        "/documents/",
        f"/documents/{target.document}/",
        f"/negotiations/{target.negotiation}/",
    ]
    async with _client(target, persona) as client:
        await asyncio.sleep(random.uniform(0, think[1]))
        while clock.running():
            path = random.choice(pages)
            started = time.perf_counter()
            status = await _request(client, "GET", path, None, target.url)
            stats.add("reader", path, time.perf_counter() - started, status)
            await asyncio.sleep(random.uniform(*think))


async def writer(target: Target, persona: str, stats: Stats, clock: Clock, think: tuple) -> None:
    n = random.randrange(10_000)
    neg = target.negotiation
    async with _client(target, persona) as client:
        await asyncio.sleep(random.uniform(0, think[1]))
        while clock.running():
            n += 1
            key = random.choice(target.keys)
            if n % 2:
                path = f"/negotiations/{neg}/p/{key}/comment/"
                form = {"text": f"Comment {n} while a long draft is imported."}
            else:
                path = f"/negotiations/{neg}/position/"
                form = {
                    "paragraph": key,
                    "target_kind": "paragraph",
                    "target_key": key,
                    "stance": random.choice(["support", "oppose"]),
                }
            started = time.perf_counter()
            status = await _request(client, "POST", path, form, target.url)
            stats.add("writer", path, time.perf_counter() - started, status)
            await asyncio.sleep(random.uniform(*think))


async def importer(target: Target, draft: str, result: dict, clock: Clock) -> None:
    """The secretariat uploads the draft; the job's page is polled until it has finished.
    The readers and writers go on until then (and at least until the clock's stop)."""
    clock.importing = True
    try:
        await _import(target, draft, result)
    finally:
        clock.importing = False


async def _import(target: Target, draft: str, result: dict) -> None:
    async with _client(target, "secretariat") as client:
        page = await client.get("/negotiations/import/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        started = time.perf_counter()
        phases = result.setdefault("phases", [("before", 0.0)])
        phases.append(("upload", time.monotonic()))
        answer = await client.post(
            "/negotiations/import/",
            data={"title": "Plan of action (load test)", "body": str(target.body),
                  "csrfmiddlewaretoken": token},
            files={"file": ("plan-of-action.txt", draft.encode(), "text/plain")},
            headers={"Referer": target.url + "/negotiations/import/"},
        )  # fmt: skip
        result["upload_seconds"] = time.perf_counter() - started
        result["upload_status"] = answer.status_code
        location = answer.headers.get("location", "")
        if answer.status_code != 302 or "/negotiations/import/" not in location:
            result["error"] = f"upload answered {answer.status_code} {answer.text[-300:]}"
            return
        result["job"] = int(location.rstrip("/").rsplit("/", 1)[1])
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            status = await client.get(location, headers={"HX-Request": "true"})
            state = re.search(r"<strong>([^<]+)</strong>", status.text)
            if state and state[1] != phases[-1][0]:
                phases.append((state[1], time.monotonic()))
            if status.headers.get("HX-Redirect"):
                result["seconds"] = time.perf_counter() - started
                result["negotiation"] = status.headers["HX-Redirect"]
                return
            if "form-errors" in status.text:
                result["error"] = re.sub(r"\s+", " ", status.text)[-400:]
                return
            await asyncio.sleep(0.5)
        result["error"] = "the import did not finish"


async def _mixed(
    target: Target, readers: int, writers: int, duration: float, think: tuple, draft: str | None
) -> tuple[Stats, dict]:
    stats, result = Stats(), {}
    clock = Clock(time.monotonic() + duration, importing=draft is not None)
    jobs = [reader(target, READERS[i % 4], stats, clock, think) for i in range(readers)]
    jobs += [writer(target, WRITERS[i % 3], stats, clock, think) for i in range(writers)]
    if draft is not None:
        jobs.append(importer(target, draft, result, clock))
    started = time.monotonic()
    await asyncio.gather(*jobs)
    result["run_seconds"] = time.monotonic() - started
    return stats, result


def run_scenario(
    target: Target,
    *,
    readers: int = 20,
    writers: int = 5,
    duration: float = 60,
    think: tuple[float, float] = (2.0, 5.0),
    draft: str | None = None,
) -> tuple[Stats, dict]:
    """One run of the mix (with the import when `draft` is given): (stats, import result)."""
    return asyncio.run(_mixed(target, readers, writers, duration, think, draft))


DISCOVER = """
import json
from secretariat.accounts.models import Body
from secretariat.documents.models import Document
from secretariat.negotiation import engine
from secretariat.negotiation.models import Negotiation
neg = Negotiation.objects.filter(body__code="SWG").order_by("pk").first()
working = neg.revisions.get(frozen=False)
# Titles and headings take no comment or position: only paragraphs of text.
draft = engine.draft_of(working)
levels = engine.heading_levels(draft)
keys = [p.key for p, level in zip(draft.paragraphs, levels) if p.key and not level]
print("JSON" + json.dumps({
    "document": Document.objects.filter(access_level="members").order_by("pk").first().pk,
    "negotiation": neg.pk, "keys": keys[:20], "body": Body.objects.get(code="SWG").pk}))
"""


def target_of(url: str, discovered: dict, cookies: dict[str, httpx.Cookies]) -> Target:
    return Target(
        url=url,
        cookies=cookies,
        document=discovered["document"],
        negotiation=discovered["negotiation"],
        keys=discovered["keys"],
        body=discovered["body"],
    )


def report(name: str, stats: Stats, result: dict | None = None) -> None:
    for kind in ("reader", "writer"):
        f = stats.figures(kind)
        print(
            f"{name:<8} {kind:<7} n={f['n']:>5}  p50 {f['p50'] * 1000:7.0f} ms  "
            f"p95 {f['p95'] * 1000:7.0f} ms  p99 {f['p99'] * 1000:7.0f} ms  "
            f"max {f['max'] * 1000:7.0f} ms"
        )
    print(f"{name:<8} errors: {len(stats.errors)} {stats.errors[:5]}")
    if result and result.get("phases"):
        print(f"{name:<8} readers by phase of the import:")
        for line in stats.by_phase(result["phases"]):
            print(f"           {line}")
    if result:
        print(
            f"{name:<8} import: upload {result.get('upload_seconds', float('nan')):.1f} s, "
            f"done after {result.get('seconds', float('nan')):.1f} s "
            f"{result.get('error', '')}"
        )


# --- the command -----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{url} never answered")


def main(argv: list[str] | None = None) -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=20_000_000)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="web processes of serve")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=5.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="import-load-") as tmp:
        data_dir = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
        env.update(SECRETARIAT_DATA_DIR=str(data_dir), SECRETARIAT_HTTPS="0")
        run: Callable[..., subprocess.CompletedProcess] = subprocess.run
        print("loading the demo ...", flush=True)
        run([sys.executable, "-m", "secretariat", "demo", "--no-serve", "--data-dir", tmp],
            env=env, check=True, capture_output=True)  # fmt: skip
        out = run([sys.executable, "-m", "secretariat", "shell", "-c", DISCOVER],
                  env=env, check=True, capture_output=True, text=True).stdout  # fmt: skip
        import json

        discovered = json.loads(out.split("JSON", 1)[1])
        # The second factor's demo code (secretariat login) is computed with the product's code.
        os.environ.update(SECRETARIAT_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="secretariat.settings")
        import django

        django.setup()
        port = _free_port()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "secretariat",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                start_new_session=True,
            ),
            subprocess.Popen(
                [sys.executable, "-m", "secretariat", "worker"], env=env, start_new_session=True
            ),
        ]
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_up(url + "/accounts/login/")
            cookies = {p: login(url, p) for p in {*READERS, *WRITERS, "secretariat"}}
            target = target_of(url, discovered, cookies)
            draft = make_draft(args.size)
            print(f"draft: {len(draft.encode()):,} bytes")
            think = (args.think_min, args.think_max)
            peer, _ = run_scenario(
                target,
                readers=args.readers,
                writers=args.writers,
                duration=args.duration,
                think=think,
            )
            report("peer", peer)
            loaded, result = run_scenario(
                target,
                readers=args.readers,
                writers=args.writers,
                duration=args.duration,
                think=think,
                draft=draft,
            )
            report("import", loaded, result)
        finally:
            for proc in procs:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=60)


if __name__ == "__main__":
    main()
