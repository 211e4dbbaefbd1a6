"""Load benchmark of the podium view: N viewers streaming while the chair edits.

Starts `secretariat serve` on a free loopback port against a temporary data directory with the
demo forum loaded, opens N Server-Sent Events clients (httpx, async) on the Astana Statement's
podium, makes the chair's edits through the real action (`do_edit_paragraph`) in this process,
and measures for each edit the time until every viewer has it (p50/p95/max over all
viewer-edit pairs) and the server's CPU. Loopback only; bounded in time.

    .venv/bin/python benchmarks/podium_load.py [--viewers 200] [--edits 10] [--interval 2]
        [--workers 1] [--database-url postgresql://...] [--mode stream|poll|both]

With --mode both (the default) it measures the streaming viewers and then, on the same server,
the same number of viewers on the page's polling fallback, so the two are side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid: int) -> list[int]:
    out = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for kid in kids:
            out.extend(tree(int(kid)))
    return out


def cpu_seconds(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


async def viewer(
    client,
    url: str,
    received: dict[int, list[float]],
    ready: asyncio.Event,
    counter: list[int],
    total: int,
) -> None:
    async with client.stream("GET", url, timeout=None) as response:
        response.raise_for_status()
        version = None
        async for line in response.aiter_lines():
            if line.startswith("id: "):
                version = int(line[4:])
            elif line.startswith("data: ") and version is not None:
                received.setdefault(version, []).append(time.perf_counter())
                if not ready.is_set():
                    counter[0] += 1
                    if counter[0] >= total:
                        ready.set()


async def poll_viewer(
    client,
    url: str,
    received: dict[int, list[float]],
    ready: asyncio.Event,
    counter: list[int],
    total: int,
    interval: float,
    errors: list[int],
) -> None:
    """The page's fallback: ask for the text every `interval` seconds, 204 while unchanged.
    Like the page's fetch(), a failed request is counted and the next tick tries again."""
    import httpx

    version = None
    while version is None:
        try:
            response = await client.get(url)
            response.raise_for_status()
            version = response.headers["X-Podium-Version"]
        except httpx.HTTPError:
            errors[0] += 1
            await asyncio.sleep(interval)
    counter[0] += 1
    if counter[0] >= total:
        ready.set()
    await asyncio.sleep(interval * (counter[0] % 10) / 10)  # viewers are not in lockstep
    while True:
        await asyncio.sleep(interval)
        try:
            response = await client.get(url, params={"since": version})
        except httpx.HTTPError:
            errors[0] += 1
            continue
        if response.status_code == 200:
            version = response.headers["X-Podium-Version"]
            received.setdefault(int(version), []).append(time.perf_counter())
        elif response.status_code != 204:
            errors[0] += 1


async def phase(
    mode: str, args: argparse.Namespace, base: str, cookies: dict, limits, neg, chair, server
) -> dict:
    """One measurement on the running server: N viewers of one kind while the chair edits."""
    import httpx

    from secretariat.negotiation import actions, engine
    from secretariat.negotiation.models import Negotiation

    received: dict[int, list[float]] = {}
    ready, counter, errors = asyncio.Event(), [0], [0]
    path = "stream" if mode == "stream" else "text"
    url = f"/negotiations/{neg.pk}/podium/{path}/"
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits) as client:
        t0 = time.perf_counter()
        # Viewers join in waves (a room filling up), not all in the same millisecond.
        tasks = []
        for i in range(args.viewers):
            if mode == "stream":
                job = viewer(client, url, received, ready, counter, args.viewers)
            else:
                job = poll_viewer(
                    client, url, received, ready, counter, args.viewers, args.poll_interval, errors
                )
            tasks.append(asyncio.create_task(job))
            if (i + 1) % args.wave == 0:
                await asyncio.sleep(0.2)
        await asyncio.wait_for(ready.wait(), 60)
        connected = time.perf_counter() - t0
        cpu0, wall0 = cpu_seconds(server.pid), time.perf_counter()
        edits: dict[int, float] = {}
        for i in range(args.edits):

            def edit(i: int = i) -> int:
                n = Negotiation.objects.get(pk=neg.pk)
                working = actions.working_revision(n)
                seen = next(
                    p["notation"]
                    for p in engine.structure(engine.draft_of(working))["paragraphs"]
                    if p["key"] == "PP1"
                )
                new = seen.split(" (edit")[0].rstrip(";") + f" (edit {i});"
                actions.do_edit_paragraph(
                    n, working, key="PP1", notation=new, seen=seen, actor=chair
                )
                return Negotiation.objects.get(pk=neg.pk).version

            version = await asyncio.to_thread(edit)
            edits[version] = time.perf_counter()
            await asyncio.sleep(args.interval)
        await asyncio.sleep(1.5)
        cpu1, wall1 = cpu_seconds(server.pid), time.perf_counter()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    latencies, per_edit, missing = [], [], 0
    for version, t_edit in edits.items():
        got = received.get(version, [])
        missing += args.viewers - len(got)
        lat = [t - t_edit for t in got]
        latencies.extend(lat)
        if lat:
            per_edit.append(max(lat))
    return {
        "mode": "Server-Sent Events"
        if mode == "stream"
        else f"polling every {args.poll_interval} s",
        "viewers": args.viewers,
        "edits": args.edits,
        "workers": args.workers,
        "database": "postgresql" if args.database_url else "sqlite",
        "connect_all_s": round(connected, 2),
        "join_wave": args.wave,
        "deliveries": len(latencies),
        "missing": missing,
        "request_errors": errors[0],
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "all_viewers_p95_ms": round(percentile(per_edit, 0.95) * 1000, 1),
        "server_cpu_pct": round(100 * (cpu1 - cpu0) / (wall1 - wall0), 1),
        "server_cpu_s": round(cpu1 - cpu0, 2),
        "window_s": round(wall1 - wall0, 1),
    }


async def run(args: argparse.Namespace) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="podium-bench-"))
    env = {
        **os.environ,
        "SECRETARIAT_DATA_DIR": str(data_dir),
        "SECRETARIAT_HTTPS": "0",
        "SECRETARIAT_LOG_LEVEL": "ERROR",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    os.environ.update(env)
    script = [sys.executable, "-m", "secretariat"]
    subprocess.run(
        [*script, "migrate", "--verbosity", "0"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    django.setup()
    from asgiref.sync import sync_to_async

    from secretariat.accounts.models import User
    from secretariat.demo.forum import load_forum
    from secretariat.negotiation import demo
    from secretariat.negotiation.models import Negotiation

    # The demo forum and this app's demo negotiations (not the other apps' demo content,
    # which the podium does not need).
    await asyncio.to_thread(load_forum)
    with open(os.devnull, "w") as devnull:
        await asyncio.to_thread(demo.load_demo, devnull)
    neg = await sync_to_async(Negotiation.objects.get)(title__startswith="Draft Astana")
    chair = await sync_to_async(User.objects.get)(username="chair")

    port = free_port()
    server = subprocess.Popen(
        [
            *script,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        cwd=ROOT,
    )
    import httpx

    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/accounts/login/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        login = httpx.Client(base_url=base)
        login.get("/accounts/login/")
        login.post(
            "/accounts/login/",
            data={
                "username": "ind",
                "password": "demo",
                "csrfmiddlewaretoken": login.cookies["csrftoken"],
            },
            headers={"Referer": f"{base}/accounts/login/"},
        )
        cookies = {"sessionid": login.cookies["sessionid"]}
        limits = httpx.Limits(
            max_connections=args.viewers + 10, max_keepalive_connections=args.viewers + 10
        )
        results = {}
        for mode in ("stream", "poll") if args.mode == "both" else (args.mode,):
            results[mode] = await phase(mode, args, base, cookies, limits, neg, chair, server)
        return results
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--wave", type=int, default=25, help="viewers joining per 0.2 s")
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--mode",
        choices=["stream", "poll", "both"],
        default="both",
        help="SSE viewers, polling viewers, or both one after the other",
    )
    parser.add_argument("--poll-interval", type=float, default=1.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(asyncio.wait_for(run(args), 300))
    if args.json:
        print(json.dumps(results))
        return
    print("Podium load: edit -> viewer latency, the same server and edits for each kind of viewer")
    keys = list(next(iter(results.values())))
    width = max(len(k) for k in keys)
    print(f"  {'':<{width}}  " + "  ".join(f"{m:>24}" for m in results))
    for k in keys:
        print(f"  {k:<{width}}  " + "  ".join(f"{r[k]!s:>24}" for r in results.values()))


if __name__ == "__main__":
    main()
