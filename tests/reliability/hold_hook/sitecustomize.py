"""Loaded by a worker the lease tests start with this folder on PYTHONPATH: it holds the
worker inside a chosen function of the product, deterministically, where a lock race under
load could miss.

With SECRETARIAT_TEST_HOLD_DIR set, the function named by SECRETARIAT_TEST_HOLD_AT
("module:function", default the silence deadline's `secretariat.negotiation.actions:
do_end_silence`) is wrapped when its module is loaded: it writes `held` in that folder, waits
while `hold` exists there, then runs the real function. Code that looks the name up in that
module at call time (the tasks do) runs the wrapper. The test creates `hold`, sees `held` (the
worker is inside the task with the task RUNNING), then kills the worker or removes `hold` to
let it go on.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import time
from pathlib import Path

HOLD_DIR = os.environ.get("SECRETARIAT_TEST_HOLD_DIR")
TARGET, _, FUNCTION = os.environ.get(
    "SECRETARIAT_TEST_HOLD_AT", "secretariat.negotiation.actions:do_end_silence"
).partition(":")


class _WrapAfterLoad(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):  # type: ignore[no-untyped-def]
            original_exec(module)
            real = getattr(module, FUNCTION)

            def held(*args, **kwargs):  # type: ignore[no-untyped-def]
                folder = Path(HOLD_DIR or ".")
                (folder / "held").write_text(str(os.getpid()))
                while (folder / "hold").exists():
                    time.sleep(0.05)
                return real(*args, **kwargs)

            setattr(module, FUNCTION, held)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if HOLD_DIR:
    sys.meta_path.insert(0, _WrapAfterLoad())
