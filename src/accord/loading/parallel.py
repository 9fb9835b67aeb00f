"""A second process that works beside this one while a large model loads.

Loading a very large model has long jobs that need nothing from each other (reading half
of the YAML, checking quotes against texts) and this machine has two cores. The worker is
forked once, early, while this process is still small: forking later, with a heap of a
gigabyte of records, would make both processes copy the pages they touch (every reference
count changed is a page copied), which costs more than the second core gives.

Its first jobs are given at the fork and see this process's memory as it was then; later
jobs are sent through a pipe as a function (by name: one of accord's own, pickled by
reference) and its arguments. Each result comes back as bytes, in the order the jobs were
given. Anything that goes wrong makes :meth:`Worker.receive` return ``None`` and the
caller does the work itself, so that the answer never depends on whether a worker was
used.

>>> w = Worker.fork([lambda: b"first", lambda: b"second"])
>>> if w is not None:  # a worker is only forked on Linux with a second core
...     assert w.receive() == b"first" and w.receive() == b"second"
...     assert w.send(bytes.upper, b"then") and w.receive() == b"THEN"
...     w.close()
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import IO, Any

__all__ = ["Worker", "can_fork"]

_HEAD = struct.Struct("<?Q")  # did the job succeed, length of what follows


def can_fork() -> bool:
    """Forking is used on Linux with more than one core, and never in a process running
    other threads (a forked copy of a threaded process is unsafe)."""
    return (
        hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


def _read_exactly(pipe: IO[bytes], n: int) -> bytes | None:
    data = pipe.read(n)
    return data if data is not None and len(data) == n else None


def _frame(pipe: IO[bytes]) -> tuple[bool, bytes] | None:
    head = _read_exactly(pipe, _HEAD.size)
    if head is None:
        return None
    ok, n = _HEAD.unpack(head)
    body = _read_exactly(pipe, n)
    return None if body is None else (ok, body)


def _serve(first: Sequence[Callable[[], bytes]], jobs: IO[bytes], results: IO[bytes]) -> None:
    """The worker's life: the first jobs, then each job sent, until the job pipe closes.

    Jobs are read, and results written, by threads of their own: so the parent can send
    jobs while the worker is busy, and a job never waits for the parent to take the result
    of the one before (a pipe holds only a few pages).
    """
    inbox: queue.SimpleQueue[Callable[[], bytes] | None] = queue.SimpleQueue()
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    for first_job in first:
        inbox.put(first_job)

    def read() -> None:
        try:
            while (got := _frame(jobs)) is not None:
                fn, args = pickle.loads(got[1])
                inbox.put(_bind(fn, args))
        except Exception:  # a job that cannot be read ends the worker, like a closed pipe
            pass
        inbox.put(None)

    def write() -> None:
        try:
            while (frame := outbox.get()) is not None:
                results.write(frame)
                results.flush()
        except OSError:  # the parent has gone or closed the pipe: nothing to write to
            pass

    threads = [threading.Thread(target=f, daemon=True) for f in (read, write)]
    for t in threads:
        t.start()
    try:
        while (job := inbox.get()) is not None:
            try:
                out, ok = job(), True
            except BaseException:  # reported as a failure; the parent does the job itself
                out, ok = b"", False
            outbox.put(_HEAD.pack(ok, len(out)) + out)
            del out, job
    finally:
        outbox.put(None)
        threads[1].join()


def _bind(fn: Callable[..., bytes], args: tuple[Any, ...]) -> Callable[[], bytes]:
    return lambda: fn(*args)


class Worker:
    """A forked second process doing jobs for this one, one after the other."""

    def __init__(self, pid: int, jobs: IO[bytes], results: IO[bytes], pending: int) -> None:
        self.pid = pid
        self._jobs: IO[bytes] | None = jobs
        self._results: IO[bytes] | None = results
        self._pending = pending  # results not yet received
        # jobs are written by a thread of this process, so that sending never waits for
        # the worker to read (it reads while it works, but slowly)
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None

    def _send_all(self, pipe: IO[bytes]) -> None:
        try:
            while (frame := self._outbox.get()) is not None:
                pipe.write(frame)
                pipe.flush()
        except OSError:  # the worker has gone: its results will not come, and receive() says so
            pass

    @classmethod
    def fork(cls, first: Sequence[Callable[[], bytes]]) -> Worker | None:
        """Fork a worker that starts on the jobs ``first``, one after the other; ``None``
        where forking is not used or fails."""
        if not can_fork():
            return None
        import fcntl  # (Linux only, as forking is)

        try:
            job_r, job_w = os.pipe()
            res_r, res_w = os.pipe()
            for fd in (job_w, res_w):  # fewer, larger writes (best effort)
                with suppress(OSError, AttributeError):
                    fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # the worker: serve, then leave without running any cleanup
            code = 0
            try:
                os.close(job_w)
                os.close(res_r)
                with os.fdopen(job_r, "rb") as jobs, os.fdopen(res_w, "wb") as results:
                    _serve(first, jobs, results)
            except BaseException:
                code = 1
            os._exit(code)
        os.close(job_r)
        os.close(res_w)
        return cls(pid, os.fdopen(job_w, "wb"), os.fdopen(res_r, "rb"), len(first))

    def send(self, fn: Callable[..., bytes], *args: Any) -> bool:
        """Give the worker a job: ``fn(*args)``, where ``fn`` is a module-level function
        (sent by name) returning bytes. False if the worker is gone or the job cannot be
        sent (a local function, say): then the caller does the job itself."""
        if self._jobs is None:
            return False
        try:
            data = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError):
            return False
        if self._sender is None:
            self._sender = threading.Thread(target=self._send_all, args=(self._jobs,), daemon=True)
            self._sender.start()
        self._outbox.put(_HEAD.pack(True, len(data)) + data)
        self._pending += 1
        return True

    def receive(self) -> bytes | None:
        """The result of the oldest job not yet received; ``None`` if it failed (or the
        worker is gone, which closes it)."""
        if self._results is None:
            return None
        try:
            got = _frame(self._results)
        except OSError:
            got = None
        if got is None:
            self.close()
            return None
        self._pending -= 1
        ok, data = got
        return data if ok else None

    def close(self) -> None:
        """End the worker and wait for it: it leaves when its job pipe closes, or at once if
        it still has work no one will receive."""
        jobs, results = self._jobs, self._results
        if jobs is None or results is None:
            return
        self._jobs = self._results = None
        with suppress(OSError):  # each step may find the worker already gone
            if self._pending:
                os.kill(self.pid, signal.SIGKILL)
        self._outbox.put(None)
        if self._sender is not None:
            self._sender.join()
            self._sender = None  # (the thread refers to this worker)
        for pipe in (jobs, results):
            with suppress(OSError):
                pipe.close()
        with suppress(OSError):
            os.waitpid(self.pid, 0)
