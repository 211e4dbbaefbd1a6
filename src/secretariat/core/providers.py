"""Hooks that lower apps offer to higher ones without importing them.

An installed app offers a module by name: `<app>.dashboard` with `whats_new(user)` for the
dashboard, `<app>.demo` with `load_demo(stdout)` for the demo. `home` and the demo loader ask
for them here, so the lower app never imports upwards and a new app only adds its module.

Discovery is explicit, like Django's admin autodiscovery: an app that has the module gets it
imported, in INSTALLED_APPS order; an import error raised *inside* a provider propagates, so a
broken provider fails loudly instead of its block silently vanishing.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@cache
def provider_modules(name: str) -> tuple[ModuleType, ...]:
    """The `<app>.<name>` module of every installed secretariat app that has one."""
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("secretariat.") and module_has_submodule(config.module, name):
            found.append(importlib.import_module(f"{config.name}.{name}"))
    return tuple(found)
