from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from secretariat.demo.load import load_demo


class Command(BaseCommand):
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

    def handle(self, *args: Any, port: int, host: str, no_serve: bool, **options: Any) -> None:
        data_dir = settings.DATA_DIR
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data directory: {data_dir}")
        call_command("compilecatalogs", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        accounts = load_demo(self.stdout)
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
        self.stdout.write("Press Ctrl-C to stop.\n")
        try:
            while web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            for proc in (web, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("Stopped.")
