"""Work done beside the main process: a forked child that sends back bytes.

Loading a very large model has two long, independent jobs (reading YAML, checking quotes
against texts) and this machine has two cores. A child forked for one of them inherits the
data (no copying in), does the work, writes its result as bytes to a pipe and leaves with
``os._exit``; the parent reads the pipe when it needs the result. Anything that goes wrong
in the child makes :func:`collect` return ``None`` and the caller does the work itself, so
the answer never depends on whether a child was used.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

__all__ = ["Child", "can_fork", "collect", "start"]

Child = tuple[int, int]  # (pid, read end of the pipe)


def can_fork() -> bool:
    """Forking is used on Linux with more than one core, and never in a process running
    other threads (a forked copy of a threaded process is unsafe)."""
    return (
        hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


def start(work: Callable[[], bytes]) -> Child | None:
    """Run ``work`` in a forked child; ``None`` if no child could be started."""
    try:
        r, w = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: work, send, leave without running any cleanup
        code = 0
        try:
            os.close(r)
            data = work()
            with os.fdopen(w, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(w)
    return pid, r


def collect(child: Child) -> bytes | None:
    """The child's bytes, or ``None`` if it failed."""
    pid, r = child
    try:
        with os.fdopen(r, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except OSError:
        return None
    return data if status == 0 and data else None
