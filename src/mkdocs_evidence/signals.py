"""Ctrl-C and SIGTERM: one line, exit 130 or 143, no traceback, no temporary files left behind.

SIGTERM (what CI runners and ``timeout`` send) is turned into an exception like SIGINT's
``KeyboardInterrupt``, so the ``finally`` and ``except BaseException`` blocks that remove temporary
files run for both. :func:`blocked` keeps both signals out of the few lines that must not be cut
in half (renaming a set of finished handouts into place).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

#: Exit status of a process stopped by a signal, as shells report it (128 + signal number).
EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM
#: Test hook: when this environment variable names a pause point, the command stops there (it
#: prints ``evidence: paused at <point>`` to stderr and sleeps) so a test can signal it inside the
#: window. Points: ``claim-before-rename`` (``evidence new``). Never set outside the tests.
PAUSE_ENV = "EVIDENCE_TEST_PAUSE"


class Terminated(BaseException):
    """SIGTERM arrived. A ``BaseException``, like ``KeyboardInterrupt``, so ``except Exception`` cannot swallow it."""


#: How deep in :func:`blocked` blocks the main thread is, and the signals that arrived meanwhile. The mask alone is not
#: enough: a thread started earlier (a pool's) may receive the signal, and Python then runs the handler in the main
#: thread all the same; this package's handlers check these and wait.
_held = 0
_deferred: list[int] = []


def _wait_if_held(signum: int) -> bool:
    if _held:
        _deferred.append(signum)
    return bool(_held)


def _terminate(signum: int, frame: FrameType | None) -> None:
    if not _wait_if_held(signum):
        raise Terminated


def install() -> None:
    """Turn SIGTERM into :class:`Terminated` (SIGINT already raises ``KeyboardInterrupt``)."""
    signal.signal(signal.SIGTERM, _terminate)


@contextlib.contextmanager
def blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends; they are delivered (and raise) right after it."""
    global _held
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        if not _held and _deferred:
            signum = _deferred[0]
            _deferred.clear()
            os.kill(os.getpid(), signum)  # delivered now, to the handler that waited


def stop_with(cleanup: Callable[[], None], program: str = "evidence") -> Callable[[], None]:
    """Until the returned function is called, SIGINT and SIGTERM run ``cleanup`` and end the process: one line, exit
    130 or 143, no traceback.

    For a process this package does not own (``mkdocs build``): its own code would neither stop the handout
    workers nor remove their files. ``cleanup`` runs inside the signal handler, so it must take no lock the
    interrupted code could hold (killing processes and removing files is fine). Outside the main thread, where
    Python cannot set handlers, it does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    def stop(signum: int, frame: FrameType | None) -> None:
        if _wait_if_held(signum):
            return
        restore()
        try:
            cleanup()
        finally:
            print(f"{program}: {'interrupted' if signum == signal.SIGINT else 'terminated'}", file=sys.stderr)
            # SystemExit, not KeyboardInterrupt: nothing between here and the interpreter turns it into a traceback,
            # and the `finally` blocks on the way out (temporary handout files) still run.
            raise SystemExit(128 + signum)

    for sig in previous:
        signal.signal(sig, stop)
    return restore


def pause(point: str) -> None:
    """The test hook described at :data:`PAUSE_ENV`; does nothing unless a test asks for ``point``."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"evidence: paused at {point}", file=sys.stderr, flush=True)
        time.sleep(60)
