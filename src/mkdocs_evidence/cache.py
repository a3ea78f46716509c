"""What is kept between runs in ``.cache/evidence/``: safe to delete, never trusted blindly.

Everything here is JSON (never pickle: a cache folder could come from anyone, and loading it must
not run code). Every entry is keyed by what it was made from:

* the package itself: its version *and* a hash of its own files (code, templates, CSS), so an
  upgrade, a downgrade or an edit of the package in a development checkout is never served stale
  results;
* the inputs: for ``evidence check``, every input file's path, size, modification and change times,
  inode and link target (``ctime`` cannot be set back by user tools, so a rewritten file always
  looks changed); files changed too close to when the cache was written are never trusted;
* for handouts, a hash of the HTML the PDF is made from (which holds what it shows). Each cached PDF
  has its checksum beside it (``<key>.json``): a truncated or damaged PDF is made again, never published.

A cache that cannot be read, or is from another version, is ignored and rewritten; one that cannot
be written is skipped silently. Nothing here ever decides whether a project passes: a miss just
means the work is done again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .version import __version__

#: The cache folder, relative to the project root (``mkdocs.yml``'s folder).
CACHE_DIR = Path(".cache") / "evidence"
#: A file changed less than this many nanoseconds before the cache was written may have changed again
#: within the same timestamp tick; such a cache is not trusted.
RACY_NS = 2_000_000_000
# ``EVIDENCE_CACHE=0`` (or the plugin option ``cache: false``) turns every cache off: see Settings.caching.


@functools.cache
def package_fingerprint() -> str:
    """The package version and a hash of every file of the package (code, templates, assets)."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def committed(root: Path) -> bool:
    """Whether the cache folder cannot be trusted: git tracks something in it, so it came with the checkout (a pull request can
    force-add an ignored folder) and could hold a forged result or PDF, or it is a link out of the project."""
    import subprocess

    # A link anywhere on the way (a committed `.cache` symlink) could send reads and writes out of the project.
    for part in (root / CACHE_DIR.parts[0], root / CACHE_DIR):
        if part.is_symlink() or (part.exists() and not part.resolve().is_relative_to(root.resolve())):
            return True
    try:
        proc = subprocess.run(
            ["git", "ls-files", "--", CACHE_DIR.parts[0]], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no git: nothing was checked out with the project
    return proc.returncode == 0 and bool(proc.stdout.strip())


def folder(root: Path) -> Path:
    """``<root>/.cache/evidence``."""
    return root / CACHE_DIR


def prepare(path: Path) -> None:
    """Make a cache folder; the first one under ``.cache/evidence`` also gets a ``.gitignore`` of ``*``."""
    path.mkdir(parents=True, exist_ok=True)
    for parent in (path, *path.parents):
        if parent.name == CACHE_DIR.name and parent.parent.name == CACHE_DIR.parent.name:
            ignore = parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Made by mkdocs-evidence: a cache, safe to delete.\n*\n", encoding="utf-8")
            break


def read_json(path: Path) -> Any:
    """A cache file's content, or ``None`` when it is missing, unreadable or not JSON."""
    try:
        with path.open("rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write a cache file atomically (a temporary file renamed into place); give up silently on any error."""
    with contextlib.suppress(OSError):
        prepare(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _write_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` atomically (a temporary file renamed into place); raises ``OSError``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def checksum(data: bytes) -> str:
    """The checksum a cached file is stored with."""
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def read_pdf(path: Path) -> bytes | None:
    """A cached PDF, only when it is whole: its size and checksum match the ones stored beside it (``.json``)."""
    meta = read_json(path.with_suffix(".json"))
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not isinstance(meta, dict) or meta.get("size") != len(data) or meta.get("blake2b") != checksum(data):
        return None  # truncated, damaged or written by something else: made again
    return data


def write_pdf(path: Path, data: bytes) -> None:
    """Keep a PDF in the cache with its checksum; give up silently on any error (a miss next time)."""
    with contextlib.suppress(OSError):
        prepare(path.parent)
        _write_bytes(path, data)
        # Written after the PDF: a run stopped in between leaves a checksum that does not match, so a miss.
        write_json(path.with_suffix(".json"), {"size": len(data), "blake2b": checksum(data)})


def _entries(path: Path) -> Iterator[Path]:
    """``path`` and, for a folder, everything under it (links not followed into folders)."""
    yield path
    if path.is_dir() and not path.is_symlink():
        for parent, dirs, files in os.walk(path, followlinks=False):
            dirs.sort()
            base = Path(parent)
            for name in sorted(files + dirs):
                yield base / name


def inputs_state(paths: list[Path], root: Path) -> tuple[str, int]:
    """A hash of the state of every file under ``paths``; and the newest change time among them (ns).

    A link is recorded with its target and the target's state, so a changed target is seen too.
    """
    digest = hashlib.blake2b(digest_size=20)
    newest = 0
    seen: set[Path] = set()
    for top in paths:
        for path in _entries(top):
            if path in seen:
                continue
            seen.add(path)
            rel = os.path.relpath(path, root)
            try:
                st = path.lstat()
            except OSError:
                digest.update(f"{rel}\0missing\n".encode())
                continue
            record = [rel, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
            if stat.S_ISLNK(st.st_mode):
                try:
                    target = path.stat()
                    record += [os.readlink(path), target.st_mode, target.st_size, target.st_mtime_ns, target.st_ctime_ns]
                    newest = max(newest, target.st_mtime_ns, target.st_ctime_ns)
                except OSError:
                    record.append("broken")
            digest.update((json.dumps(record) + "\n").encode())
    return digest.hexdigest(), newest


class Stamp:
    """A cache entry's key, and whether its inputs are settled enough to be trusted later."""

    def __init__(self, key: str, newest_ns: int) -> None:
        self.key = key
        self.newest_ns = newest_ns
        self.made_ns = time.time_ns()

    @property
    def trustworthy(self) -> bool:
        """False when an input changed within :data:`RACY_NS` of now (it may change again unseen)."""
        return self.made_ns - self.newest_ns > RACY_NS


def key_of(*parts: object) -> str:
    """A hash of ``parts`` (as their ``repr``) and of the package."""
    digest = hashlib.blake2b(package_fingerprint().encode(), digest_size=20)
    for part in parts:
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()
