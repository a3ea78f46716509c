"""Ctrl-C (SIGINT) and SIGTERM sent to real commands: one line, exit 130/143, no traceback, no partial files.

The signals are sent inside real windows: while ``evidence new`` waits at its prompt, while
``evidence handout --all-topics`` is between its first and its last PDF, and (through the
documented test hook EVIDENCE_TEST_PAUSE) between writing a claim's temporary file and renaming it.
"""

from __future__ import annotations

import contextlib
import os
import pty
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BIN, ROOT, TODAY_EPOCH
from mkdocs_evidence.signals import PAUSE_ENV

SIGNALS = {"SIGINT": (signal.SIGINT, 130, "evidence: interrupted"), "SIGTERM": (signal.SIGTERM, 143, "evidence: terminated")}


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH, "NO_MKDOCS_2_WARNING": "1", **extra}


def read_until(stream: object, marker: str, timeout: float = 60) -> str:
    """Read a child's output one character at a time until ``marker`` shows (the child is waiting there)."""
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, seen
        char = stream.read(1)  # type: ignore[attr-defined]
        assert char, f"the command ended before {marker!r}: {seen}"
        seen += char
    return seen


def wait_until_blocked(pid: int, timeout: float = 60) -> None:
    """Return once the process is asleep in a system call (its state is S), as input() is while it reads."""
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "S":
        assert time.monotonic() < deadline, "the command never waited for input"
        time.sleep(0.01)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


@pytest.mark.parametrize("name", SIGNALS)
def test_new_interrupted_at_its_prompt(name: str, site: Callable[[str], Path]) -> None:
    sig, code, line = SIGNALS[name]
    root = site("minimal")
    before = sorted(p.name for p in (root / "content" / "claims").iterdir())
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [str(BIN / "evidence"), "new", "--id", "half-made"],
        cwd=root,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    os.close(secondary)
    try:
        assert proc.stdout is not None
        read_until(proc.stdout, "Topics, separated by commas")
        # The prompt is printed just before input() starts reading: a signal in between is only noticed
        # after the read returns. Wait until the process sleeps in the read (Linux: /proc), then signal.
        wait_until_blocked(proc.pid)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(primary)
    assert proc.returncode == code, err
    assert err.strip() == line
    assert sorted(p.name for p in (root / "content" / "claims").iterdir()) == before


@pytest.mark.parametrize("name", SIGNALS)
def test_new_interrupted_between_write_and_rename_leaves_nothing(name: str, site: Callable[[str], Path]) -> None:
    sig, code, line = SIGNALS[name]
    root = site("minimal")
    claims = root / "content" / "claims"
    before = sorted(p.name for p in claims.iterdir())
    args = ["new", "--id", "half-made", "--topic", "feet", "--statement", "Feet adapt.", "--finding", "smith2020trial#pain"]
    args += ["--direction", "decreases", "--verdict", "supported", "--certainty", "moderate"]
    proc = subprocess.Popen(
        [str(BIN / "evidence"), *args],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(**{PAUSE_ENV: "claim-before-rename"}),
    )
    assert proc.stderr is not None
    read_until(proc.stderr, "paused at claim-before-rename")
    assert leftovers(claims), "the temporary file should exist while paused"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.strip() == line
    assert sorted(p.name for p in claims.iterdir()) == before  # neither the claim nor its .tmp


@pytest.mark.parametrize("name", SIGNALS)
def test_all_topics_interrupted_midway_keeps_the_previous_handouts(name: str, tmp_path: Path) -> None:
    sig, code, line = SIGNALS[name]
    out = tmp_path / "handouts"
    out.mkdir()
    topics = ["foot-mobility", "glute-recruitment", "hip-pain", "valgus"]
    for topic in topics:
        (out / f"{topic}.pdf").write_bytes(b"%PDF old " + topic.encode())
    proc = subprocess.Popen(
        [str(BIN / "evidence"), "handout", "--all-topics", "-o", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(EVIDENCE_CACHE="0"),  # PDFs from the cache would finish before the signal could land
    )
    # The first PDF is staged as a temporary file while the others are still being made: signal then.
    deadline = time.monotonic() + 120
    while not leftovers(out):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.strip() == line
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [f"{t}.pdf" for t in topics]  # no .tmp left
    for topic in topics:
        assert (out / f"{topic}.pdf").read_bytes() == b"%PDF old " + topic.encode()  # none replaced


def test_handout_is_dated_by_source_date_epoch(site: Callable[[str], Path], tmp_path: Path) -> None:
    from test_handout import pdf_text, squash

    out = tmp_path / "feet.pdf"
    proc = subprocess.run(
        [str(BIN / "evidence"), "handout", "--topic", "feet", "-o", str(out)],
        cwd=site("minimal"),
        capture_output=True,
        text=True,
        env=env(SOURCE_DATE_EPOCH="1700000000"),  # 2023-11-14
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "14November2023" in squash(pdf_text(out))


def _session(leader: int) -> dict[int, str]:
    """Live processes of the session ``leader`` started (its process group), each with its command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue  # ended while being read
        if int(fields[2]) == leader and fields[0] != "Z":  # the process group; zombies are already gone
            found[int(stat.parent.name)] = cmdline
    return found


@pytest.mark.parametrize("name", SIGNALS)
def test_build_stopped_while_handouts_are_made_leaves_no_process_and_no_file(name: str, site: Callable[[str], Path]) -> None:
    sig, code, _ = SIGNALS[name]
    root = site("minimal")
    site_dir = root / "site"
    proc = subprocess.Popen(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(EVIDENCE_CACHE="0"),  # PDFs from the cache would be ready before the signal could land
        start_new_session=True,  # its own process group: every process it starts can be found, and none is missed
    )
    try:
        deadline = time.monotonic() + 120
        while not any("spawn_main" in command for command in _session(proc.pid).values()):  # a handout worker is up
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.005)
        proc.send_signal(sig)
        started = time.monotonic()
        _, err = proc.communicate(timeout=60)
        assert time.monotonic() - started < 10, "the build did not stop promptly"
        # The resource tracker multiprocessing starts ends once it sees its parent gone: give it a moment.
        deadline = time.monotonic() + 5
        while _session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _session(proc.pid) == {}, "processes of the build are still running"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, err
    assert "Traceback" not in err, err
    assert leftovers(root) == []
    assert not site_dir.exists(), "a stopped build left a site to publish"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
