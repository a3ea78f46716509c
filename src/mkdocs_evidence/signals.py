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
import time
from collections.abc import Iterator
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


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def install() -> None:
    """Turn SIGTERM into :class:`Terminated` (SIGINT already raises ``KeyboardInterrupt``)."""
    signal.signal(signal.SIGTERM, _terminate)


@contextlib.contextmanager
def blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends; they are delivered (and raise) right after it."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def pause(point: str) -> None:
    """The test hook described at :data:`PAUSE_ENV`; does nothing unless a test asks for ``point``."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"evidence: paused at {point}", file=sys.stderr, flush=True)
        time.sleep(60)
