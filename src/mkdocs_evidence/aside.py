"""Work done by a forked copy of this process while this one goes on (a big check's second core).

After the files are parsed, a big project's checks are half the remaining time, and most of them
need only the parsed files, not the graph: a copy of the process runs those while this one builds
the graph. A fork shares the parsed data without sending it anywhere; only the result (a list of
issues) comes back, through a pipe. Where forking is not possible or not safe (no ``os.fork``,
other threads running, as under ``mkdocs serve``), the work is done here when its result is asked for.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Aside(Generic[T]):
    """``work`` started in a forked copy of this process when ``wanted``; :meth:`result` waits for it."""

    def __init__(self, work: Callable[[], T], wanted: bool) -> None:
        self._work = work
        self._pid: int | None = None
        self._fd = -1
        # A fork copies other threads' locks but not the threads: only a single-threaded process forks.
        if not (wanted and hasattr(os, "fork") and threading.active_count() == 1):
            return
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the copy; it leaves by os._exit, never by this function's return
            os.close(read)
            code = 1
            try:
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)  # no atexit handlers, no second flush of the parent's buffered output
        os.close(write)
        self._pid, self._fd = pid, read

    @property
    def forked(self) -> bool:
        """True while a copy of this process is doing the work."""
        return self._pid is not None

    def result(self) -> T:
        """The work's result: from the copy when it succeeded, else done here (an error is then raised here)."""
        pid, self._pid = self._pid, None
        if pid is None:
            return self._work()
        try:
            with os.fdopen(self._fd, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            pid = None
            if os.waitstatus_to_exitcode(status) == 0:
                loaded: T = pickle.loads(data)  # noqa: S301 - written by our own copy, through a pipe only it holds
                return loaded
        finally:
            if pid is not None:  # interrupted while waiting: the copy must not outlive this process
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
        return self._work()
