"""Environment for the test run: a pytest plugin (`-p testenv`) so it is set before
pytest-django loads the settings."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Settings read the environment once: plain HTTP in tests, and a data directory of their own.
os.environ.setdefault("SECRETARIAT_HTTPS", "0")
os.environ.setdefault("SECRETARIAT_DATA_DIR", str(ROOT / "var" / "test"))
