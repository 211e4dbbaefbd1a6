"""Load benchmark: delegates browsing and writing against `secretariat serve --workers 2`.

Prepares a fresh site (PostgreSQL database of its own with --database-url, else SQLite in a
temporary data directory), loads the demo, starts `secretariat serve --workers N` and one
`secretariat worker` on free loopback ports, logs each demo persona in once through the real
login form (the virtual users of a persona share its session; logins are not what is measured),
then for --duration seconds runs:

  --delegates N  browsing: dashboard, library, a document, the negotiation workspace, search
                 and the finder (a POST of a paragraph), each followed by a think time of
                 --think-min..--think-max seconds;
  --writers M    writing through the real forms: amendments (new paragraphs), positions on
                 paragraphs and comments, with the same think time;
  a floor client fetching a static file (WhiteNoise, same server) once a second: the server's
                 own latency under the same load, printed beside the pages.

Prints p50/p95/p99 and errors per page, then each page's saturation throughput: 50
connections (--connections) requesting it back to back for --saturation seconds.

    .venv/bin/python benchmarks/load.py \
        --database-url postgresql://postgres@127.0.0.1:5432/postgres \
        [--delegates 50] [--writers 5] [--duration 120] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
DELEGATES = ["ind", "chn", "rus", "isr"]

DISCOVER = """
import json
from secretariat.documents.models import Document
from secretariat.negotiation.models import Negotiation
from secretariat.negotiation import actions, engine
doc = Document.objects.filter(access_level="members").order_by("id").first()
neg = Negotiation.objects.order_by("id").first()
working = actions.working_revision(neg)
# Titles and headings take no comment or position: only paragraphs of text.
draft = engine.draft_of(working)
levels = engine.heading_levels(draft)
keys = [p.key for p, level in zip(draft.paragraphs, levels) if p.key and not level]
texts = [p.get("text") or "" for p in engine.structure(engine.draft_of(working))["paragraphs"]]
print("JSON" + json.dumps({"document": doc.pk, "negotiation": neg.pk, "keys": keys[:20]}))
"""

FINDER_TEXT = (
    "We reaffirm our commitment to the purposes and principles of the Charter of the United "
    "Nations and condemn terrorism in all its forms and manifestations."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    codes: dict[str, dict[int | str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def add(self, page: str, seconds: float, status: int | str) -> None:
        """`status` is the HTTP status, or the name of the client error."""
        self.times[page].append(seconds * 1000)
        if isinstance(status, str) or status >= 400:
            self.errors[page] += 1
            self.codes[page][status] += 1


@dataclass
class Site:
    url: str
    document: int
    negotiation: int
    keys: list[str]
    cookies: dict[str, httpx.Cookies]


# --- preparing the site ----------------------------------------------------------------------
def prepare(args: argparse.Namespace, data_dir: Path) -> tuple[dict[str, str], str | None]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(SECRETARIAT_DATA_DIR=str(data_dir), SECRETARIAT_HTTPS="0", SECRETARIAT_DEBUG="0")
    db_name = None
    if args.database_url:
        import psycopg

        db_name = f"bench_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.database_url, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{db_name}"')
        parts = urlsplit(args.database_url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
    print("loading the demo ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "secretariat", "demo", "--no-serve", "--data-dir", str(data_dir)],
        env=env,
        check=True,
        capture_output=True,
    )
    return env, db_name


def discover(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "secretariat", "shell", "-c", DISCOVER],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.split("JSON", 1)[1])


def wait_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{url} never answered")


def login(url: str, username: str) -> httpx.Cookies:
    with httpx.Client(base_url=url, timeout=60) as client:
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/accounts/login/",
            data={"username": username, "password": "demo", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{url}/accounts/login/"},
        )
        if answer.status_code != 302:
            raise SystemExit(f"login of {username} failed: {answer.status_code}")
        return client.cookies


# --- virtual users ---------------------------------------------------------------------------
def browse_pages(site: Site) -> list[tuple[str, str, str, dict | None]]:
    """(name, method, path, form) of the browsing mix."""
    return [
        ("dashboard", "GET", "/", None),
        ("library", "GET", "/documents/", None),
        ("document", "GET", f"/documents/{site.document}/", None),
        ("workspace", "GET", f"/negotiations/{site.negotiation}/", None),
        ("search", "GET", "/archive/?q=terrorism", None),
        ("finder", "POST", "/archive/finder/", {"text": FINDER_TEXT}),
    ]


def write_action(site: Site, n: int) -> tuple[str, str, dict]:
    key = random.choice(site.keys)
    kind = n % 3
    if kind == 0:
        return (
            "amendment",
            f"/negotiations/{site.negotiation}/p/{key}/amend/",
            {
                "kind": "new_paragraph",
                "text": f"We welcome the progress made in the load test, round {n}.",
                "explanation": "load benchmark",
            },
        )
    if kind == 1:
        return (
            "position",
            f"/negotiations/{site.negotiation}/position/",
            {
                "paragraph": key,
                "target_kind": "paragraph",
                "target_key": key,
                "stance": random.choice(["support", "oppose"]),
            },
        )
    return (
        "comment",
        f"/negotiations/{site.negotiation}/p/{key}/comment/",
        {"text": f"Comment {n} from the load benchmark."},
    )


RETRIED: dict[str, int] = defaultdict(int)


async def request(
    client: httpx.AsyncClient, method: str, path: str, form: dict | None, site: Site
) -> int | str:
    """The status, or the client error's name. A kept-alive connection that the server closed
    while the user was thinking (uvicorn's keep-alive timeout is 5 s) is retried once on a new
    connection, as browsers do; those retries are counted and printed."""
    headers = {}
    if method == "POST":
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Referer": site.url + "/"}
    for attempt in range(2):
        try:
            answer = await client.request(method, path, data=form, headers=headers)
            return answer.status_code
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            if attempt == 0:
                RETRIED[type(exc).__name__] += 1
                continue
            return type(exc).__name__
        except httpx.HTTPError as exc:
            return type(exc).__name__
    return "unreachable"


def client_for(site: Site, persona: str, connections: int = 1) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=site.url,
        cookies=site.cookies[persona],
        timeout=60,
        limits=httpx.Limits(max_connections=connections),
    )


async def browser(site: Site, persona: str, stats: Stats, stop: float, args) -> None:
    pages = browse_pages(site)
    async with client_for(site, persona) as client:
        await asyncio.sleep(random.uniform(0, args.think_max))
        while time.monotonic() < stop:
            name, method, path, form = random.choice(pages)
            started = time.perf_counter()
            status = await request(client, method, path, form, site)
            stats.add(name, time.perf_counter() - started, status)
            await asyncio.sleep(random.uniform(args.think_min, args.think_max))


async def writer(site: Site, persona: str, stats: Stats, stop: float, args) -> None:
    n = random.randrange(1000)
    async with client_for(site, persona) as client:
        await asyncio.sleep(random.uniform(0, args.think_max))
        while time.monotonic() < stop:
            n += 1
            name, path, form = write_action(site, n)
            started = time.perf_counter()
            status = await request(client, "POST", path, form, site)
            stats.add(name, time.perf_counter() - started, status)
            await asyncio.sleep(random.uniform(args.think_min, args.think_max))


async def floor(site: Site, stats: Stats, stop: float) -> None:
    async with httpx.AsyncClient(base_url=site.url, timeout=60) as client:
        while time.monotonic() < stop:
            started = time.perf_counter()
            status = await request(client, "GET", "/static/favicon.svg", None, site)
            stats.add("static file (floor)", time.perf_counter() - started, status)
            await asyncio.sleep(1.0)


async def mixed_run(site: Site, args) -> Stats:
    stats = Stats()
    stop = time.monotonic() + args.duration
    jobs = [browser(site, DELEGATES[i % 4], stats, stop, args) for i in range(args.delegates)]
    jobs += [writer(site, DELEGATES[i % 4], stats, stop, args) for i in range(args.writers)]
    jobs.append(floor(site, stats, stop))
    await asyncio.gather(*jobs)
    return stats


async def saturate(site: Site, name: str, method: str, path: str, form, args) -> tuple:
    stats = Stats()
    stop = time.monotonic() + args.saturation

    async def one(client: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            status = await request(client, method, path, form, site)
            stats.add(name, time.perf_counter() - started, status)

    async with client_for(site, "ind", args.connections) as client:
        started = time.monotonic()
        await asyncio.gather(*(one(client) for _ in range(args.connections)))
        elapsed = time.monotonic() - started
    times = stats.times[name]
    return len(times) / elapsed, percentile(times, 50), stats.errors[name], len(times)


# --- report ----------------------------------------------------------------------------------
def print_retries() -> None:
    if RETRIED:
        print(f"kept-alive connections closed by the server and retried once: {dict(RETRIED)}")
    RETRIED.clear()


def print_mixed(stats: Stats, args) -> None:
    print(
        f"\nMixed load: {args.delegates} delegates browsing + {args.writers} writing, think "
        f"{args.think_min}-{args.think_max} s, {args.duration} s, serve --workers {args.workers}"
    )
    print(f"{'page':<22} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    order = ["static file (floor)", "dashboard", "library", "document", "workspace", "search"]
    order += ["finder", "amendment", "position", "comment"]
    for page in order + sorted(set(stats.times) - set(order)):
        times = stats.times.get(page, [])
        if not times:
            continue
        codes = dict(stats.codes[page])
        print(
            f"{page:<22} {len(times):>8} {stats.errors[page]:>6} {percentile(times, 50):>8.1f} "
            f"{percentile(times, 95):>8.1f} {percentile(times, 99):>8.1f}"
            + (f"  {codes}" if codes else "")
        )


async def saturation_table(site: Site, args) -> None:
    print(f"\nSaturation: {args.connections} connections back to back, {args.saturation} s each")
    print(f"{'page':<22} {'req/s':>8} {'p50 ms':>8} {'errors':>6} {'requests':>8}")
    pages = [("static file (floor)", "GET", "/static/favicon.svg", None), *browse_pages(site)]
    for name, method, path, form in pages:
        rate, p50, errors, count = await saturate(site, name, method, path, form, args)
        print(f"{name:<22} {rate:>8.1f} {p50:>8.1f} {errors:>6} {count:>8}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (admin URL)")
    parser.add_argument("--delegates", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--saturation", type=float, default=10)
    parser.add_argument("--no-saturation", action="store_true")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    procs: list[subprocess.Popen] = []
    env, db_name = prepare(args, data_dir)
    try:
        ids = discover(env)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        script = [sys.executable, "-m", "secretariat"]
        procs.append(
            subprocess.Popen(
                [*script, "serve", "--port", str(port), "--workers", str(args.workers)],
                env=env,
                start_new_session=True,
            )
        )
        procs.append(subprocess.Popen([*script, "worker"], env=env, start_new_session=True))
        wait_up(f"{url}/accounts/login/")
        cookies = {p: login(url, p) for p in DELEGATES}
        site = Site(url, ids["document"], ids["negotiation"], ids["keys"], cookies)
        print(f"site ready at {url} ({'PostgreSQL' if db_name else 'SQLite'})", flush=True)
        stats = asyncio.run(mixed_run(site, args))
        print_mixed(stats, args)
        print_retries()
        if not args.no_saturation:
            asyncio.run(saturation_table(site, args))
            print_retries()
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if db_name:
            import psycopg

            with psycopg.connect(args.database_url, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
