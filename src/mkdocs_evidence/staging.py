"""A site build that fails leaves no partial site to publish.

MkDocs empties ``site_dir`` first and writes into it page by page; ``--strict`` counts the warnings
only at the very end, once every file is written, and an exception stops it halfway. A CI step that
publishes ``site/`` after a failed build (``if: always()``) would publish that. So ``mkdocs build``
writes into a new hidden folder beside ``site_dir`` (:class:`StagedSite`), which replaces ``site_dir``
only when the build succeeded; otherwise it is removed and the previous site stays as it was.
Does not import MkDocs.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from . import signals


class WarningCounter(logging.Handler):
    """Counts warnings and errors, as MkDocs does to decide whether ``--strict`` fails the build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _folder_mode() -> int:
    """The mode ``mkdir`` would give a new folder (``mkdtemp`` makes private ones; a site is meant to be read)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


class StagedSite:
    """A build's output folder beside ``target``, moved into its place by :meth:`promote`, or removed by :meth:`discard`."""

    def __init__(self, target: Path, path: Path) -> None:
        self.target, self.path = target, path

    @classmethod
    def start(cls, target: Path) -> StagedSite | None:
        """A new hidden folder beside ``target``; ``None`` when ``target`` cannot be swapped by renaming (a link, a
        mount point, not a folder), and MkDocs then writes into it as usual."""
        parent = target.parent
        parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or (target.exists() and (not target.is_dir() or target.stat().st_dev != parent.stat().st_dev)):
            return None
        path = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.building-"))
        path.chmod(_folder_mode())
        return cls(target, path)

    def promote(self) -> None:
        """Put the new site in place of the old one (two renames; a signal waits until both are done)."""
        aside = self.target.with_name(f".{self.target.name}.old-{uuid.uuid4().hex[:8]}")
        with signals.blocked():
            if self.target.is_dir():
                # MkDocs never empties hidden files of site_dir (a `.git` of a Pages checkout, `.nojekyll`): they stay.
                for entry in os.listdir(self.target):
                    if entry.startswith(".") and not (self.path / entry).exists():
                        os.rename(self.target / entry, self.path / entry)
                os.rename(self.target, aside)
            os.rename(self.path, self.target)
        shutil.rmtree(aside, ignore_errors=True)

    def discard(self) -> None:
        """Remove the new site; the previous one is untouched. Safe in a signal handler (takes no lock)."""
        shutil.rmtree(self.path, ignore_errors=True)


class BuildConfig(Protocol):
    """What the guard reads and sets of MkDocs' configuration."""

    site_dir: str
    strict: bool


def _nothing() -> None:
    pass


class GuardedBuild:
    """The plugin's side of one ``mkdocs build``: staged into a hidden folder, published only on success, and
    stopped cleanly by SIGINT or SIGTERM.

    ``mkdocs build --dirty`` (it writes only what changed, so it cannot start from an empty folder),
    ``mkdocs serve`` and ``gh-deploy`` (which reads site_dir after the build) write in place as before.
    """

    def __init__(self) -> None:
        self.wanted = False
        self.staged: StagedSite | None = None
        self.config: BuildConfig | None = None
        self.site_dir = ""
        self.warnings = WarningCounter()
        self.disarm: Callable[[], None] = _nothing

    def startup(self, command: str, dirty: bool) -> None:
        self.wanted = command == "build" and not dirty
        if self.wanted:  # from the start, as MkDocs counts for --strict
            logging.getLogger("mkdocs").addHandler(self.warnings)

    def shutdown(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        self.disarm()

    def stage(self, config: BuildConfig, stop: Callable[[], None]) -> None:
        """Point ``config.site_dir`` at a staged folder; until the build ends, SIGINT and SIGTERM run ``stop`` (which must
        take no lock), remove the staged folder and end the process."""
        if not self.wanted:
            return
        self.staged = StagedSite.start(Path(config.site_dir))
        if self.staged is not None:
            self.config, self.site_dir, config.site_dir = config, config.site_dir, str(self.staged.path)

        def stop_now() -> None:
            stop()
            staged, self.staged = self.staged, None
            if staged is not None:
                staged.discard()

        self.disarm = signals.stop_with(stop_now, "mkdocs")

    def publish(self, config: BuildConfig) -> None:
        """The staged site replaces site_dir, unless ``--strict`` will fail the build (MkDocs aborts right after the
        last ``on_post_build``; :meth:`failed` then removes it). Raises ``OSError`` when it cannot be moved."""
        staged, self.staged = self.staged, None
        if staged is None:
            self.disarm()
            return
        if config.strict and self.warnings.count:
            self.staged = staged
            return
        config.site_dir, self.warnings.count = self.site_dir, 0
        try:
            staged.promote()
        except OSError:
            staged.discard()
            raise
        finally:
            self.disarm()

    def failed(self) -> None:
        """The build failed: the staged site is removed, the previous one stays as it was."""
        staged, self.staged = self.staged, None
        if staged is not None:
            staged.discard()
            if self.config is not None:
                self.config.site_dir = self.site_dir
        self.warnings.count = 0
        self.disarm()
