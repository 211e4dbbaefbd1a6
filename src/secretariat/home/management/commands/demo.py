from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from secretariat.demo.forum import DEFAULT_FORUM, REGISTERS, demo_totp_code, demo_totp_secret
from secretariat.demo.load import load_demo


class Command(BaseCommand):
    workers: list[subprocess.Popen]
    help = (
        "Create the data directory, migrate, load the demo forum (idempotent), then run the web "
        "server and a worker together until Ctrl-C."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        # Read by the `secretariat` script before settings load; listed here for --help.
        parser.add_argument("--data-dir", default=None, help="data directory (default ./var)")
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and stop")
        parser.add_argument(
            "--forum",
            choices=sorted(REGISTERS),
            default=DEFAULT_FORUM,
            help="which demo forum to load (default cica); each wants its own data directory",
        )

    def handle(
        self, *args: Any, port: int, host: str, no_serve: bool, forum: str, **options: Any
    ) -> None:
        data_dir = settings.DATA_DIR
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data directory: {data_dir}")
        call_command("compilecatalogs", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        accounts = load_demo(self.stdout, forum)
        if no_serve:
            self.stdout.write("Demo data loaded.")
            return
        env = {**os.environ, "SECRETARIAT_DATA_DIR": str(data_dir)}
        script = [sys.executable, "-m", "secretariat"]
        web = subprocess.Popen([*script, "serve", "--host", host, "--port", str(port)], env=env)
        worker = subprocess.Popen([*script, "worker"], env=env)
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nSecretariat demo running at {url}"))
        self.stdout.write("Demo logins (password: demo):")
        for username, label in accounts:
            self.stdout.write(f"  {username:<12} {label}")
        self.stdout.write(
            "The secretariat's and the Chairmanship's accounts also need a code from an "
            "authenticator app: add the key "
            f"{demo_totp_secret()} to one (TOTP, 30 s, 6 digits); "
            f"the code right now is {demo_totp_code()}."
        )
        self.stdout.write("Press Ctrl-C to stop.\n")
        self.workers = [worker]
        try:
            self.supervise(web, lambda: subprocess.Popen([*script, "worker"], env=env), worker)
        except KeyboardInterrupt:
            pass
        finally:
            procs = [web, *self.workers[-1:]]
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            for proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("Stopped.")

    def supervise(
        self,
        web: subprocess.Popen,
        start_worker: Callable[[], subprocess.Popen],
        worker: subprocess.Popen,
    ) -> None:
        """Run until the web server stops. A worker that dies is started again after a backoff
        (1 s doubling to 60 s, back to 1 s once a worker has run a minute): the site keeps
        serving without it, and its tasks wait in the queue (a dead worker's RUNNING task is
        put back by the next one's reaper)."""
        backoff = 1.0
        restart_at: float | None = None
        started = time.monotonic()
        while web.poll() is None:
            worker = self.workers[-1]
            now = time.monotonic()
            if worker.poll() is None:
                if now - started > 60:
                    backoff = 1.0
            elif restart_at is None:
                restart_at = now + backoff
                self.stdout.write(
                    f"{time.strftime('%H:%M:%S')} The worker stopped (exit code "
                    f"{worker.returncode}); restarting it in {backoff:.0f} s."
                )
                backoff = min(60.0, backoff * 2)
            elif now >= restart_at:
                self.workers.append(start_worker())
                restart_at = None
                started = now
                self.stdout.write(f"{time.strftime('%H:%M:%S')} Worker restarted.")
            time.sleep(0.5)
