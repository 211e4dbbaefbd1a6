"""Long batch work yields the processor to pages.

On a small host the worker shares its cores with the web processes: while it parses and
writes a 20 MB draft, readers wait behind work that nobody watches second by second. The
worker runs such a job at a lower priority (a higher `nice` value) for its duration, on this
thread only: on Linux a thread has its own priority, and `setpriority` on its native id changes
no other thread. Elsewhere, or where the system refuses, the job runs as it is.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("secretariat.tasks")

BATCH_NICENESS = 10


@contextmanager
def batch_priority(increment: int = BATCH_NICENESS) -> Iterator[None]:
    """Run the block at `increment` lower priority; afterwards back to the old one, where the
    system allows it (raising a priority again needs CAP_SYS_NICE or RLIMIT_NICE: without
    either, the thread stays lower, which delays the worker's next tasks, never pages)."""
    if sys.platform != "linux":  # elsewhere a native id may be read as another process's id
        yield
        return
    thread = threading.get_native_id()
    try:
        before = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, before + increment))
    except OSError:
        yield
        return
    try:
        yield
    finally:
        try:
            os.setpriority(os.PRIO_PROCESS, thread, before)
        except OSError:
            logger.info("the worker thread stays at a lower priority (nice %+d)", increment)
