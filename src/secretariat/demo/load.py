"""Load the whole demo: the forum first, then the forum's own demo content.

CICA (the default): after its register, each installed app's own demo content, through its
`demo.load_demo(stdout)` (the library loads the corpus, the negotiation app opens the Astana
Statement); each must be idempotent. They run in INSTALLED_APPS order, so an app's demo can
build on the demos of the apps below it. ASEM: its register, then `demo.asem` (its archive).
"""

from __future__ import annotations

from secretariat.core.providers import provider_modules
from secretariat.core.types import Writer
from secretariat.demo.forum import DEFAULT_FORUM, load_forum


def load_demo(stdout: Writer, forum: str = DEFAULT_FORUM) -> list[tuple[str, str]]:
    accounts = load_forum(forum)
    if forum == DEFAULT_FORUM:
        for module in provider_modules("demo"):
            module.load_demo(stdout)
    else:
        from secretariat.demo import asem

        asem.load_content(stdout)
    return accounts
