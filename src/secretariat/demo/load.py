"""Load the whole demo: the forum first, then each installed app's own demo content.

An app contributes by offering `demo.load_demo(stdout)` in its package (the library loads the
corpus, the negotiation app opens the Astana Statement); each must be idempotent.
"""

from __future__ import annotations

import importlib
from typing import TextIO

from django.conf import settings

from secretariat.demo.forum import load_forum


def load_demo(stdout: TextIO) -> list[tuple[str, str]]:
    accounts = load_forum()
    for app in ("documents", "archive", "negotiation", "communications"):
        if f"secretariat.{app}" not in settings.INSTALLED_APPS:
            continue
        try:
            module = importlib.import_module(f"secretariat.{app}.demo")
        except ModuleNotFoundError:
            continue
        module.load_demo(stdout)
    return accounts
