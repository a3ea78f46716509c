"""Shared helpers: copy a fixture project, run the CLI and MkDocs for real, as a user would."""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import io
import json
import locale
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Run:
    """What a command printed and how it exited."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(args: list[str], cwd: Path) -> Run:
    """Run a command; ``mkdocs`` and ``evidence`` are forked from a server that has imported them (tests/zygote.py)."""
    # "Today" is pinned for every command (see fixed_today), also for session-wide builds.
    env = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, **os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    if args and args[0] in FORKED_SCRIPTS:
        return _zygote().run(args, cwd, env, timeout=300)
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_fresh(args: list[str], cwd: Path) -> Run:
    """Run a command in a new interpreter, always: for tests that compare two processes (hash seeds differ)."""
    env = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, **os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    return Run(proc.returncode, proc.stdout, proc.stderr)


class Zygote:
    """The client of tests/zygote.py: one request per command, answered with the child's pid, then its exit code."""

    def __init__(self) -> None:
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        self._proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "zygote.py"), str(requests_read), str(replies_write)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            pass_fds=(requests_read, replies_write),
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        os.close(requests_read)
        os.close(replies_write)
        self._lock = threading.Lock()
        self._next = 0
        self._waiting: dict[int, queue.SimpleQueue[dict[str, int]]] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        with os.fdopen(self._replies, encoding="utf-8") as replies:
            for line in replies:
                reply = json.loads(line)
                with self._lock:
                    answer = self._waiting[reply["id"]]
                answer.put(reply)

    def run(self, args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
        with tempfile.TemporaryDirectory(prefix="zygote-") as folder:
            out, err = Path(folder) / "out", Path(folder) / "err"
            answer: queue.SimpleQueue[dict[str, int]] = queue.SimpleQueue()
            with self._lock:
                self._next += 1
                ident = self._next
                self._waiting[ident] = answer
                request = {"id": ident, "argv": args, "cwd": str(cwd), "env": env, "out": str(out), "err": str(err)}
                os.write(self._requests, (json.dumps(request) + "\n").encode())
            try:
                pid = answer.get(timeout=60)["pid"]
                try:
                    code = answer.get(timeout=timeout)["code"]
                except queue.Empty:
                    os.kill(pid, signal.SIGKILL)
                    raise subprocess.TimeoutExpired(args, timeout) from None
            finally:
                with self._lock:
                    del self._waiting[ident]
            # As subprocess.run(text=True) decodes: the locale's encoding, strict, universal newlines.
            decode = functools.partial(_text, encoding=locale.getpreferredencoding(False))
            return Run(code, decode(out.read_bytes()), decode(err.read_bytes()))

    def close(self) -> None:
        os.close(self._requests)
        self._proc.wait(timeout=60)


def _text(data: bytes, encoding: str) -> str:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding).read()


#: The console scripts run through the zygote; anything else is a plain subprocess.
FORKED_SCRIPTS = {str(BIN / "mkdocs"), str(BIN / "evidence")}
_ZYGOTE: list[Zygote] = []
_ZYGOTE_LOCK = threading.Lock()


def _zygote() -> Zygote:
    with _ZYGOTE_LOCK:
        if not _ZYGOTE:
            _ZYGOTE.append(Zygote())
            atexit.register(_ZYGOTE[0].close)
        return _ZYGOTE[0]


@dataclass
class Measured(Run):
    """A run with the time it took (wall clock, and CPU time of the command and the workers it waited
    for) and the most memory one of them held."""

    seconds: float
    cpu_seconds: float
    peak_mb: float


def run_measured(args: list[str], cwd: Path, timeout: float = 300) -> Measured:
    """Run a command like :func:`run`, measuring its time and peak resident memory (``os.wait4``)."""
    env = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, **os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    start = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    streams: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda name=name, pipe=pipe: streams.__setitem__(name, pipe.read()))
        for name, pipe in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for reader in readers:
        reader.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        # wait4, not Popen.wait: only it reports the child's resource usage (ru_maxrss, in KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    out, err = (streams.get(name, b"").decode("utf-8", "replace") for name in ("out", "err"))
    return Measured(proc.returncode, out, err, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def evidence(cwd: Path, *args: str, fresh: bool = False) -> Run:
    """Run the installed ``evidence`` console script (``fresh``: in a new interpreter, see :func:`run_fresh`)."""
    return (run_fresh if fresh else run)([str(BIN / "evidence"), *args], cwd)


def mkdocs_build(cwd: Path, site_dir: Path | None = None, *, fresh: bool = False) -> Run:
    """Run ``mkdocs build --strict`` into ``site_dir`` (default ``cwd/site``; ``fresh``: see :func:`run_fresh`)."""
    return (run_fresh if fresh else run)(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir or cwd / "site")], cwd
    )


@pytest.fixture
def site(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a fixture project (``tests/fixtures/<name>``) into a temporary folder."""

    def make(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return make


#: The date the tests treat as today (2026-11-21), so review ages never drift as time passes.
TODAY_EPOCH = "1795219200"


#: Test modules about this site's own content (its claims, references, pages and their build).
SITE_MODULES = frozenset({"test_content", "test_generators", "test_deploy", "test_browser"})
#: Tests elsewhere that read this site's content. With the modules above and every test using
#: `real_site`, they are marked `site`; `pytest -m "not site"` runs the plugin's tests alone.
SITE_TESTS = frozenset(
    {
        "test_finished_pages_equal_a_full_markdown_conversion",
        "test_git_describe_is_optional",
        "test_patient_handout_leads_with_key_messages_in_plain_words",
        "test_real_topic_handout_numbers_its_own_references",
        "test_every_page_stands_on_its_own",
        "test_first_page_is_not_blank_and_stays_in_margins",
        "test_the_fixture_and_the_real_content_have_portable_names",
        "test_claims_json_is_written_as_the_document_would_be",
        "test_project_content_passes_the_check_in_every_format",
        "test_all_topics_interrupted_midway_keeps_the_previous_handouts",
        "test_a_source_cited_twice_by_one_claim_lists_both_in_the_claims_order_on_every_run",
        "test_the_first_parse_of_every_real_claim_and_appraisal_matches_the_line_keeping_parse",
        "test_parallel_parse_gives_exactly_the_serial_result",
        "test_memo_is_filled_alike",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        name = getattr(item, "originalname", item.name)
        uses = getattr(item, "fixturenames", ())
        if (module is not None and module.__name__ in SITE_MODULES) or name in SITE_TESTS or "real_site" in uses:
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once per test run with ``mkdocs build --strict``."""
    site_dir = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT, site_dir, fresh=True)  # a new interpreter: the console script's own start-up
    assert result.code == 0, result.text
    return site_dir


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin "today" for in-process code and for the commands the tests run (they inherit the environment)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


@contextlib.contextmanager
def serving(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 (a free port) in a thread; yields ``http://127.0.0.1:<port>``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- The browser ------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """The system Chromium: ``EVIDENCE_CHROMIUM``, else ``chromium`` on PATH, else Debian's path."""
    if configured := os.environ.get("EVIDENCE_CHROMIUM"):
        return configured
    if found := shutil.which("chromium"):
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine without a browser; fail where one is required (CI)."""
    if os.environ.get("EVIDENCE_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (EVIDENCE_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless system Chromium for the whole run (browser tests: tests/test_browser.py, tests/test_safe_output.py)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[test]'")
    executable = find_chromium()
    if not executable:
        unavailable("no Chromium found: install Debian's chromium (apt-get install -y chromium) or set EVIDENCE_CHROMIUM")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
