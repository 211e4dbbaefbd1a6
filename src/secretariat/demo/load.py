"""Load the whole demo: the forum first, then each installed app's own demo content.

An app contributes by offering `demo.load_demo(stdout)` in its package (the library loads the
corpus, the negotiation app opens the Astana Statement); each must be idempotent. They run in
INSTALLED_APPS order, so an app's demo can build on the demos of the apps below it.
"""

from __future__ import annotations

from secretariat.core.providers import provider_modules
from secretariat.core.types import Writer
from secretariat.demo.forum import load_forum


def load_demo(stdout: Writer) -> list[tuple[str, str]]:
    accounts = load_forum()
    for module in provider_modules("demo"):
        module.load_demo(stdout)
    return accounts
