"""Checks run in a forked copy of the process: the same result as running them here, or they run here."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from mkdocs_evidence.aside import Aside


def _where() -> tuple[int, list[str]]:
    return os.getpid(), ["issue"] * 3


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_big_check_uses_a_copy_of_the_process() -> None:
    """In a fresh interpreter (a test session may have threads of its own, and then nothing forks)."""
    code = (
        "import os\n"
        "from mkdocs_evidence.aside import Aside\n"
        "aside = Aside(lambda: (os.getpid(), ['issue'] * 3), wanted=True)\n"
        "forked = aside.forked\n"
        "pid, result = aside.result()\n"
        "print(forked, pid != os.getpid(), result == ['issue'] * 3, aside.forked)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # Forked; done by the copy, while this process was free; the same result; the copy is gone.
    assert out.split() == ["True", "True", "True", "False"]


def test_small_checks_run_here() -> None:
    aside = Aside(_where, wanted=False)
    assert not aside.forked
    assert aside.result()[0] == os.getpid()


def test_no_fork_while_another_thread_runs() -> None:
    """A fork copies other threads' locks (``mkdocs serve`` has threads): the work is done here instead."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        aside = Aside(_where, wanted=True)
        assert not aside.forked
        assert aside.result()[0] == os.getpid()
    finally:
        stop.set()
        thread.join()


def _fails() -> list[str]:
    raise ValueError("broken check")


def test_a_failing_copy_raises_here_with_its_traceback() -> None:
    aside = Aside(_fails, wanted=True)
    with pytest.raises(ValueError, match="broken check"):
        aside.result()
