"""The `secretariat` console script: Django's manage.py, plus the text engine's own CLI.

`secretariat text ...` runs the negotiation text engine without starting Django, so it works
on any file without a database.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "text":
        from secretariat.negotiation.text.cli import main as text_main

        return text_main(argv[2:])
    if len(argv) > 1 and argv[1] == "demo":
        _prepare_demo_environment(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


def _prepare_demo_environment(argv: list[str]) -> None:
    """Settings read the environment once, so the demo's choices must be made before Django
    starts: its data directory, and plain HTTP on loopback (no secure-only cookies). Debug mode
    stays off, so a visitor meets the product's own error pages, never Django's debug page with
    its settings and tracebacks (SECRETARIAT_DEBUG=1 still turns it on for a developer)."""
    for i, arg in enumerate(argv):
        if arg == "--data-dir" and i + 1 < len(argv):
            os.environ["SECRETARIAT_DATA_DIR"] = argv[i + 1]
        elif arg.startswith("--data-dir="):
            os.environ["SECRETARIAT_DATA_DIR"] = arg.split("=", 1)[1]
    os.environ.setdefault("SECRETARIAT_DEBUG", "0")
    os.environ.setdefault("SECRETARIAT_HTTPS", "0")


if __name__ == "__main__":
    sys.exit(main())
