"""Read claim files, the topics file and prose pages into records that remember their lines.

Every file a contributor can change is read through :func:`read_source`: it refuses files that
resolve outside the project (a symbolic link to a secret must not be echoed into public CI logs),
files larger than their limit and anything but regular files, and reports bad UTF-8 and control
characters at their line instead of raising.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.forkserver
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from . import paths, prose, publish, svg
from .chars import INVISIBLE_RE, describe
from .front_matter import check_front_matter
from .issues import Issue, issue
from .model import Term
from .schema import ClaimFile, GlossaryFile, SnapshotHeader, TopicsFile, error_messages
from .settings import Settings
from .study_schema import StudyFile
from .watch_schema import WatchFile
from .workers import POOL_ERRORS, Task, TaskPool
from .yamlsrc import LineMap, YamlSyntaxError, load

M = TypeVar("M", bound=BaseModel)

#: Control, bidirectional and zero-width characters (see :mod:`.chars`): they make a text display
#: differently from how it reads, so that a reviewer approves words the reader never sees.
CONTROL_RE = INVISIBLE_RE
YAML_SUFFIXES = (".yml", ".yaml")
#: Bytes of printable ASCII, tab, line feed and carriage return: none is a character :data:`CONTROL_RE` finds.
_VISIBLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


@dataclass(frozen=True)
class ClaimRecord:
    """A claim file as written: its validated data, where it is, and the line of every field."""

    data: ClaimFile
    path: str
    lines: LineMap


@dataclass(frozen=True)
class ProsePage:
    """A Markdown page in the docs folder and the citations and claim links it contains."""

    path: str
    mentions: tuple[prose.Mention, ...]


@dataclass(frozen=True)
class Snapshot:
    """A dated text copy of an article that claims quote, kept so quotes can be checked anywhere."""

    key: str
    path: str
    url: str
    retrieved: str
    text: str


#: Separates a snapshot's header (url, retrieved) from the article's text.
SNAPSHOT_SEPARATOR = "\n---\n"


def load_snapshots(settings: Settings) -> tuple[dict[str, Snapshot], list[Issue]]:
    """Every ``<article key>.txt`` in the snapshots folder: a YAML header, a ``---`` line, the article's text."""
    snapshots: dict[str, Snapshot] = {}
    issues: list[Issue] = []
    if not settings.snapshots_dir.is_dir():
        return snapshots, issues
    for path in sorted(settings.snapshots_dir.glob("*.txt")):
        display = settings.display(path)
        text, problems = read_source(path, settings, settings.max_page_bytes, "bytes for a snapshot")
        issues += problems
        if text is None:
            continue
        head, sep, body = text.partition(SNAPSHOT_SEPARATOR)
        if not sep:
            issues.append(issue("invalid-field", "a snapshot starts with url: and retrieved: lines, then a line ---", display, 1))
            continue
        try:
            data, lines = load(head)
            header = SnapshotHeader.model_validate(data)
        except YamlSyntaxError as exc:
            code = "invalid-field" if exc.code == "invalid-yaml" else exc.code
            issues.append(issue(code, exc.message, display, exc.line))
            continue
        except ValidationError as exc:
            issues.extend(issue("invalid-field", m, display, ln) for ln, m in error_messages(exc, lines, SnapshotHeader))
            continue
        snapshots[path.stem] = Snapshot(path.stem, display, header.url, header.retrieved.isoformat(), body)
    return snapshots, issues


def read_bibliography(settings: Settings) -> tuple[str | None, list[Issue]]:
    """The bibliography's text, read as untrusted input (None when it is missing or refused), and the problems found."""
    display = settings.display(settings.bibliography)
    if not settings.bibliography.exists():
        return None, [issue("bib-parse-error", "bibliography file not found", display)]
    return read_source(settings.bibliography, settings, settings.max_bib_bytes, "bytes")


def read_source(
    path: Path, settings: Settings, limit: int, what: str, *, folder: tuple[Path, str] | None = None
) -> tuple[str | None, list[Issue]]:
    """A contributor's text file, or ``None`` when it is refused; the problems found, at their lines.

    Bad bytes and control characters are reported once, at the first one, and replaced by U+FFFD
    so the rest of the file is still checked (the error fails the build, nothing is published).
    ``folder`` is the file's folder resolved and as displayed, when the caller reads many files from
    it: a regular file (not a link) there is then read without resolving its whole path again.
    """
    if folder is not None:
        resolved_folder, shown_folder = folder
        display = f"{shown_folder}/{path.name}" if shown_folder not in ("", ".") else path.name
        try:
            st = path.lstat()
        except OSError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode):
            return _read_checked(resolved_folder / path.name, st.st_size, display, limit, what)
    display = settings.display(path)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, [issue("unexpected-file", "cannot be read (a broken or looping link?)", display)]
    # Checked before opening: not one byte of a file outside the project is read, let alone printed.
    if not real.is_relative_to(settings.root):
        return None, [issue("outside-project", "is a link to a file outside the project folder; not read", display)]
    if not real.is_file():
        return None, [issue("unexpected-file", "is not a regular file; not read", display)]
    return _read_checked(real, real.stat().st_size, display, limit, what)


def _read_checked(real: Path, size: int, display: str, limit: int, what: str) -> tuple[str | None, list[Issue]]:
    """Read a regular file inside the project, bounded; report bad bytes and control characters."""
    with real.open("rb") as handle:
        data = handle.read(limit + 1)  # bounded even if the file grows after stat()
    if max(size, len(data)) > limit:
        message = f"is {max(size, len(data))} bytes, more than the limit of {limit} {what}; not read"
        return None, [issue("too-large", message, display)]
    issues: list[Issue] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        issues.append(issue("invalid-encoding", f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded", display, line))
        text = data.decode("utf-8", errors="replace")
    # A byte order mark may open the file (editors on Windows write one); anywhere else it is invisible text.
    start = 1 if text.startswith("\ufeff") else 0
    found = None
    # The characters searched for are never printable ASCII, whose bytes are never part of another
    # character in UTF-8: what is left without them is searched first (a few dashes and accents,
    # not the whole file), and the whole text only when something is there.
    rest = data.translate(None, _VISIBLE_ASCII)
    if issues or (rest and CONTROL_RE.search(rest.decode("utf-8"))):
        found = CONTROL_RE.search(text, start)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        issues.append(issue("control-character", f"{describe(found.group())} in the text", display, line))
        text = text[:start] + CONTROL_RE.sub("\ufffd", text[start:])
    return text, issues


def _read_yaml(
    path: Path, settings: Settings, folder: tuple[Path, str] | None = None
) -> tuple[tuple[object, LineMap] | None, list[Issue]]:
    text, issues = read_source(path, settings, settings.max_claim_bytes, "bytes", folder=folder)
    if text is None:
        return None, issues
    return _parse_yaml(text, issues, settings.display(path) if folder is None else _shown_in(folder, path))


def _folder(folder: Path, settings: Settings) -> tuple[Path, str] | None:
    """``folder`` resolved and as displayed, when both are inside the project (else files are resolved one by one)."""
    named = Path(os.path.normpath(folder.absolute()))
    try:
        resolved = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not (named.is_relative_to(settings.root) and resolved.is_relative_to(settings.root)):
        return None
    return resolved, named.relative_to(settings.root).as_posix()


def _shown_in(folder: tuple[Path, str], path: Path) -> str:
    return f"{folder[1]}/{path.name}" if folder[1] not in ("", ".") else path.name


def _parse_yaml(text: str, issues: list[Issue], display: str) -> tuple[tuple[object, LineMap] | None, list[Issue]]:
    try:
        return load(text), issues
    except YamlSyntaxError as exc:
        return None, [*issues, issue(exc.code, exc.message, display, exc.line)]


def _claim_files(settings: Settings) -> Iterator[tuple[Path, Issue | None]]:
    """Claim files in name order; ``x.YML`` and the like come with an issue instead of being skipped silently."""
    # By name, as paths in one folder sort (case-insensitively on Windows), without comparing Path objects.
    for path in sorted(settings.claims_dir.iterdir(), key=lambda p: os.path.normcase(p.name)):
        if path.suffix in YAML_SUFFIXES:
            yield path, None
        elif path.suffix.lower() in YAML_SUFFIXES:
            message = f"claim file extension {path.suffix!r} is not read; rename it to {path.stem}.yml"
            yield path, issue("unexpected-file", message, settings.display(path))


#: Claims already parsed in this process: (display path, text, max_evidence) → the record or None, and the issues.
ClaimMemo = dict[tuple[str, str, int], tuple["ClaimRecord | None", list[Issue]]]

#: With at least this many claim files to parse, they are parsed and validated in worker processes
#: (one per CPU, at most :data:`MAX_WORKERS`): parsing YAML is most of a big check's time.
#: Below it, starting the workers costs more than they save. The results are the same objects, in
#: the same order, as parsing the files here; tests lower this number to compare both paths.
PARALLEL_MIN_FILES = 2000
MAX_WORKERS = 8
#: Files per task sent to a worker (several tasks per worker even out uneven files).
CHUNK_FILES = 250

#: One claim file to parse: its path (for its stem), display path, text and the problems found reading it.
_Item = tuple[str, str, str, list[Issue]]
#: What a worker sends back for one file: the validated claim (or None) and every problem in it alone.
_Parsed = tuple["ClaimFile | None", list[Issue]]


def load_claims(settings: Settings, memo: ClaimMemo | None = None) -> tuple[list[ClaimRecord], list[Issue]]:
    """Every ``*.yml`` file under the claims folder, in file-name order.

    With ``memo`` (kept by ``mkdocs serve`` between rebuilds), a file whose text is unchanged is
    not parsed and validated again; every file is still read.
    """
    return start_claims(settings, memo).result()


class PendingClaims:
    """Claim and study files being parsed (in worker processes when there are many); :meth:`result` waits for them.

    Made by :func:`start_claims`, so that the caller can do other work while the workers parse.
    A big project's files are read by the workers too, with the same checks as :func:`read_source`
    (a file in the folder that is not a regular file, such as a link, is left to this process,
    which resolves it against the whole project); otherwise every file is read here. ``also`` is
    one more task for a worker (the bibliography), run here when there are no workers.
    """

    def __init__(self, settings: Settings, memo: ClaimMemo | None, also: Callable[[], Any] | None = None) -> None:
        self._settings = settings
        self._memo = memo
        self._also = also
        self._missing: Issue | None = None
        #: In file-name order: an issue about the file (not read), or (memo key, found) with found None until parsed.
        self._entries: list[Issue | list[object]] = []
        self._todo: list[tuple[list[object], _Item]] = []
        self._pool: TaskPool | None = None
        #: The workers' tasks: the claim files', then the study files'.
        self._tasks: list[Task] = []
        self._claim_tasks = 0
        #: Files for the workers to read (None: read here), in file-name order: an issue or (path, display).
        self._claim_slots: list[Issue | _Job] | None = None
        self._study_slots: list[Issue | _Job] = []
        #: Tasks handed to worker processes (0: every file is parsed here, or none needed parsing).
        self.parallel_tasks = 0
        #: True once :meth:`result` has the workers' results (False: parsed here).
        self.parallel = False
        self._study_items: list[_StudyItem] = []
        self._study_read_issues: list[Issue] = []
        self._studies: tuple[list[StudyRecord], list[Issue]] | None = None
        self._started = False
        claims_here = settings.claims_dir.is_dir()
        if not claims_here:
            self._missing = issue("invalid-field", "claims folder not found", settings.display(settings.claims_dir))
        many = claims_here and not memo and _cpus() >= 2 and _main_importable() and _holds_many(settings.claims_dir)
        if many:
            _warm_up()  # the fork server starts and imports this module while this process lists and loads
        self._files = list(_claim_files(settings)) if claims_here else []
        claims_folder = _folder(settings.claims_dir, settings) if claims_here else None
        studies_folder = _folder(settings.studies_dir, settings) if settings.studies_dir.is_dir() else None
        self._claims_folder, self._studies_folder = claims_folder, studies_folder
        many = many and len(self._files) >= PARALLEL_MIN_FILES
        if many and claims_folder is not None and (studies_folder is not None or not settings.studies_dir.is_dir()):
            self._claim_slots = [p if p is not None else (str(path), _shown_in(claims_folder, path)) for path, p in self._files]
            self._study_slots = _study_slots(settings, studies_folder)
            return  # the workers read the files, from start()
        self._read_here()

    def start(self) -> None:
        """Start the workers (at most once): they read and parse the files, or parse the files read here."""
        if self._started:
            return
        self._started = True
        max_evidence = self._settings.max_evidence
        if self._claim_slots is not None:
            limit = self._settings.max_claim_bytes
            claims = _read_tasks("claim", self._claim_slots, self._claims_folder, limit, max_evidence)
            studies = _read_tasks("study", self._study_slots, self._studies_folder, limit, max_evidence)
            if self._start_pool(claims + studies, len(claims)):
                return
            self._claim_slots = None
            self._read_here()
        if len(self._todo) >= PARALLEL_MIN_FILES:  # the memo's path: only changed files are parsed
            items = [item for _, item in self._todo]
            tasks: list[Task] = [(_parse_chunk, (chunk, max_evidence)) for chunk in _chunks(items)]
            claim_tasks = len(tasks)
            tasks += [(_parse_study_chunk, (chunk,)) for chunk in _chunks(self._study_items)]
            self._start_pool(tasks, claim_tasks)

    def _read_here(self) -> None:
        """Read every claim and study file in this process (a small project, a memo, or no workers to be had)."""
        self._study_items, self._study_read_issues = _study_files(self._settings)
        if self._missing is None:
            self._entries, self._todo = _read_claims(self._files, self._settings, self._memo, self._claims_folder)

    def _start_pool(self, tasks: list[Task], claim_tasks: int) -> bool:
        """Hand ``also`` and ``tasks`` to worker processes; False (and nothing started) when there can be none."""
        # One worker per CPU, with this process taking tasks too, still measured fastest. Workers
        # are started for many claim files only (the study files alone are never that many).
        workers = min(_cpus(), MAX_WORKERS, claim_tasks)
        if workers < 2 or not _main_importable():
            return False
        try:
            self._pool = TaskPool(tasks, workers, _context(), None if self._also is None else (self._also, ()))
        except POOL_ERRORS:  # no processes to be had: parse here instead
            return False
        self._tasks, self._claim_tasks, self.parallel_tasks = tasks, claim_tasks, len(tasks)
        return True

    def also_result(self) -> Any:
        """What ``also`` returned (run here when no worker had it); None without ``also``."""
        if self._also is None:
            return None
        return self._pool.also_result() if self._pool is not None else self._also()

    def studies(self) -> tuple[list[StudyRecord], list[Issue]]:
        """The study appraisals and their issues, exactly as :func:`load_studies` gives them; after :meth:`result`."""
        if self._studies is None:
            self._studies = _study_records(self._study_items, _parse_study_chunk(self._study_items), self._study_read_issues)
        return self._studies

    def _results(self) -> list[Any] | None:
        """Every worker task's result in order (None: no workers, or they failed; the work is then done here)."""
        if self._pool is None:
            return None
        results = self._pool.results()
        self.parallel = results is not None
        return results

    def result(self) -> tuple[list[ClaimRecord], list[Issue]]:
        """The records and issues, exactly as a file-by-file parse here would give them."""
        self.start()
        if self._claim_slots is not None:
            results = self._results()
            if results is None:  # a worker died: every task again, here
                results = [function(*args) for function, args in self._tasks]
            claims, studies = results[: self._claim_tasks], results[self._claim_tasks :]
            self._entries = _worker_claims(self._claim_slots, claims, self._settings, self._claims_folder)
            self._studies = _worker_studies(self._study_slots, studies, self._settings, self._studies_folder)
        elif self._missing is not None:
            return [], [self._missing]
        else:
            self._parse_results()
        records, issues, seen = _assembled(self._entries)
        if self._memo is not None:
            self._memo.clear()
            self._memo.update(seen)
        return records, issues

    def _parse_results(self) -> None:
        """The files read here, parsed by the workers (or here), into their entries."""
        parsed: list[_Parsed] | None = None
        results = self._results()
        if results is not None:
            parsed = [found for chunk in results[: self._claim_tasks] for found in chunk]
            studies = [p for chunk in results[self._claim_tasks :] for p in chunk]
            self._studies = _study_records(self._study_items, studies, self._study_read_issues)
        if parsed is None:
            max_evidence = self._settings.max_evidence
            parsed = [_parse_item(item, max_evidence) for _, item in self._todo]
        for (todo, (_, display, text, _)), (claim, found_issues) in zip(self._todo, parsed, strict=True):
            todo[1] = (None if claim is None else ClaimRecord(claim, display, LineMap(text=text)), found_issues)


def _read_claims(
    files: list[tuple[Path, Issue | None]], settings: Settings, memo: ClaimMemo | None, folder: tuple[Path, str] | None
) -> tuple[list[Issue | list[object]], list[tuple[list[object], _Item]]]:
    """Every claim file read here: the entries in file order, and the ones still to parse (not in the memo)."""
    entries: list[Issue | list[object]] = []
    todo: list[tuple[list[object], _Item]] = []
    for path, problem in files:
        if problem is not None:
            entries.append(problem)
            continue
        display = settings.display(path) if folder is None else _shown_in(folder, path)
        text, read_issues = read_source(path, settings, settings.max_claim_bytes, "bytes", folder=folder)
        if text is None:
            entries.extend(read_issues)
            continue
        key = (display, text, settings.max_evidence)
        found = memo.get(key) if memo is not None else None
        entry: list[object] = [key, None if read_issues else found]
        entries.append(entry)
        if entry[1] is None:
            todo.append((entry, (str(path), display, text, read_issues)))
    return entries, todo


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + CHUNK_FILES] for i in range(0, len(items), CHUNK_FILES)]


def _read_tasks(
    kind: str, slots: list[Issue | _Job], folder: tuple[Path, str] | None, limit: int, max_evidence: int
) -> list[Task]:
    """Tasks for workers that read and parse the files of ``slots`` (none when the folder could not be resolved)."""
    jobs = [s for s in slots if not isinstance(s, Issue)]
    if not jobs or folder is None:
        return []
    return [(_read_parse_chunk, (kind, chunk, str(folder[0]), limit, max_evidence)) for chunk in _chunks(jobs)]


def _worker_files(
    kind: str, slots: list[Issue | _Job], results: list[list[_Done]], settings: Settings, folder: tuple[Path, str] | None
) -> Iterator[list[Issue] | tuple[_Job, str, list[Issue], Any]]:
    """In file order: the issues of a file not read, or (the file, its text, its read issues, what it parsed to).

    A file the workers left to this process (not a regular file) is read and parsed here.
    """
    done = iter([d for chunk in results for d in chunk])
    for slot in slots:
        if isinstance(slot, Issue):
            yield [slot]
            continue
        text, read_issues, parsed = _here_if_needed(next(done), slot, settings, folder, kind)
        yield read_issues if text is None else (slot, text, read_issues, parsed)


def _worker_claims(
    slots: list[Issue | _Job], results: list[list[_Done]], settings: Settings, folder: tuple[Path, str] | None
) -> list[Issue | list[object]]:
    """The claim entries from the workers' results."""
    entries: list[Issue | list[object]] = []
    for found in _worker_files("claim", slots, results, settings, folder):
        if isinstance(found, list):
            entries.extend(found)
            continue
        (_, display), text, _, (claim, found_issues) = found
        record = None if claim is None else ClaimRecord(claim, display, LineMap(text=text))
        entries.append([(display, text, settings.max_evidence), (record, found_issues)])
    return entries


def _worker_studies(
    slots: list[Issue | _Job], results: list[list[_Done]], settings: Settings, folder: tuple[Path, str] | None
) -> tuple[list[StudyRecord], list[Issue]]:
    """The study records and issues from the workers' results, as :func:`load_studies` gives them."""
    items: list[_StudyItem] = []
    studies: list[tuple[StudyFile | None, list[Issue]]] = []
    read_issues_all: list[Issue] = []
    for found in _worker_files("study", slots, results, settings, folder):
        if isinstance(found, list):
            read_issues_all += found
            continue
        (path, display), text, read_issues, parsed = found
        items.append((path, display, text, read_issues))
        studies.append(parsed)
    return _study_records(items, studies, read_issues_all)


def _assembled(entries: list[Issue | list[object]]) -> tuple[list[ClaimRecord], list[Issue], ClaimMemo]:
    """The records and issues in file order, and the entries by memo key (for ``mkdocs serve``)."""
    records: list[ClaimRecord] = []
    issues: list[Issue] = []
    seen: ClaimMemo = {}
    for entry in entries:
        if isinstance(entry, Issue):
            issues.append(entry)
            continue
        key, found = cast("tuple[tuple[str, str, int], tuple[ClaimRecord | None, list[Issue]]]", entry)
        seen[key] = found
        record, found_issues = found
        issues.extend(found_issues)
        if record is not None:
            records.append(record)
    return records, issues, seen


def start_claims(settings: Settings, memo: ClaimMemo | None = None, also: Callable[[], Any] | None = None) -> PendingClaims:
    """Start reading and parsing every claim and study file (in worker processes when there are many), and ``also``."""
    pending = PendingClaims(settings, memo, also)
    pending.start()
    return pending


def _holds_many(folder: Path) -> bool:
    """Whether ``folder`` has at least :data:`PARALLEL_MIN_FILES` entries (counted without sorting or checking them)."""
    try:
        with os.scandir(folder) as listing:
            return sum(1 for _ in itertools.islice(listing, PARALLEL_MIN_FILES)) >= PARALLEL_MIN_FILES
    except OSError:
        return False


#: A file for a worker to read and parse: its path and its display path.
_Job = tuple[str, str]
#: What a worker sends back for one file: its text (None: refused), the problems found reading it and
#: the parsed result; None for a file that is not a regular file (a link), left to this process.
_Done = tuple[str | None, list[Issue], Any] | None


def _read_parse_chunk(kind: str, jobs: list[_Job], folder: str, limit: int, max_evidence: int) -> list[_Done]:
    """A worker's task: files of one folder (resolved inside the project) read as :func:`read_source` reads them, and parsed."""
    out: list[_Done] = []
    for path, display in jobs:
        try:
            st = os.lstat(path)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            out.append(None)  # where it leads is checked against the whole project, by the main process
            continue
        text, read_issues = _read_checked(Path(folder, os.path.basename(path)), st.st_size, display, limit, "bytes")
        if text is None:
            out.append((None, read_issues, None))
            continue
        item = (path, display, text, read_issues)
        out.append((text, read_issues, _parse_item(item, max_evidence) if kind == "claim" else _parse_study(item)))
    return out


def _here_if_needed(
    done: _Done, job: _Job, settings: Settings, folder: tuple[Path, str] | None, kind: str
) -> tuple[str | None, list[Issue], Any]:
    """A worker's result for one file; a file the worker left to this process is read and parsed here."""
    if done is not None:
        return done
    path, display = job
    text, read_issues = read_source(Path(path), settings, settings.max_claim_bytes, "bytes", folder=folder)
    if text is None:
        return None, read_issues, None
    item = (path, display, text, read_issues)
    return text, read_issues, _parse_item(item, settings.max_evidence) if kind == "claim" else _parse_study(item)


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fresh server process that imported only this module (never the caller's script).

    Never a fork of this process: ``mkdocs serve`` has threads, and a fork copies their locks.
    Where there is no fork server (Windows), fresh interpreters (spawn).
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _warm_up() -> None:
    """Start the fork server now (it has to import this module before it can fork the first worker)."""
    context = _context()
    if context.get_start_method() == "forkserver":
        with contextlib.suppress(OSError, RuntimeError, ImportError):
            multiprocessing.forkserver.ensure_running()


def _main_importable() -> bool:
    """Whether a worker can import the ``__main__`` script as multiprocessing does (not when it came from stdin)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return getattr(main, "__spec__", None) is not None or path is None or os.path.isfile(path)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def _parse_chunk(items: list[_Item], max_evidence: int) -> list[_Parsed]:
    """A worker's task: several claim files, parsed and validated in order."""
    return [_parse_item(item, max_evidence) for item in items]


def _parse_item(item: _Item, max_evidence: int) -> _Parsed:
    path, display, text, read_issues = item
    record, issues = _claim(Path(path), display, text, read_issues, max_evidence)
    return (None if record is None else record.data), issues


def _mapping(
    text: str, read_issues: list[Issue], display: str, what: str, fields: str
) -> tuple[tuple[dict[str, Any], LineMap] | None, list[Issue]]:
    """A data file's text parsed as one YAML mapping, with its lines; None (and why) when it is not one."""
    loaded, issues = _parse_yaml(text, list(read_issues), display)
    if loaded is None:
        return None, issues
    data, lines = loaded
    if not isinstance(data, dict):
        issues.append(issue("invalid-field", f"{what} must be a mapping of fields ({fields}, …)", display, 1))
        return None, issues
    return (data, lines), issues


def _validated(model: type[M], data: dict[str, Any], lines: LineMap, display: str, issues: list[Issue]) -> M | None:
    """``data`` as ``model``, or None with one issue per problem at its line (added to ``issues``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues.extend(issue("invalid-field", msg, display, line) for line, msg in error_messages(exc, lines, model))
        return None


def _claim(
    path: Path, display: str, text: str, read_issues: list[Issue], max_evidence: int
) -> tuple[ClaimRecord | None, list[Issue]]:
    """One claim file's text → its record (or None) and every problem found in it alone."""
    loaded, issues = _mapping(text, read_issues, display, "a claim file", "id, statement")
    if loaded is None:
        return None, issues
    data, lines = loaded
    evidence = data.get("evidence")
    if isinstance(evidence, list) and len(evidence) > max_evidence:
        message = f"{len(evidence)} evidence entries, more than the limit of {max_evidence}; claim not read"
        issues.append(issue("too-large", message, display, lines.line(("evidence",))))
        return None, issues
    claim = _validated(ClaimFile, data, lines, display, issues)
    if claim is None:
        return None, issues
    if claim.id != path.stem:
        issues.append(
            issue("invalid-field", f"id {claim.id!r} must equal the file name {path.stem!r}", display, lines.line(("id",)))
        )
    elif problem_text := paths.name_problem(claim.id, "claims"):
        # claims/index and claims/review are the site's own pages; a claim with that id would replace one.
        issues.append(issue("invalid-field", f"id {claim.id!r} {problem_text}", display, lines.line(("id",))))
        return None, issues
    elif problem_text := paths.portable_problem(claim.id):
        issues.append(issue("unportable-name", f"id {claim.id!r} {problem_text}", display, lines.line(("id",))))
    return ClaimRecord(claim, display, lines), issues


def previous_claims(settings: Settings, texts: Mapping[Path, str]) -> dict[str, dict[str, object]]:
    """Older versions of claim files (path → text, e.g. from git), parsed: display path → their fields.

    Versions that no longer parse are left out: there is nothing reliable to compare with.
    """
    out: dict[str, dict[str, object]] = {}
    claims_dir = settings.claims_dir.resolve()
    for path, text in texts.items():
        if path.parent != claims_dir or path.suffix not in {".yml", ".yaml"}:
            continue
        try:
            data, _ = load(text)
        except YamlSyntaxError:
            continue
        if isinstance(data, dict):
            out[settings.display(path)] = data
    return out


@dataclass(frozen=True)
class StudyRecord:
    """A study appraisal as written, with the lines of its fields for messages."""

    data: StudyFile
    path: str
    lines: LineMap


#: One study file to parse: its path (for its stem), display path, text and the problems found reading it.
_StudyItem = tuple[str, str, str, list[Issue]]


def _study_slots(settings: Settings, folder: tuple[Path, str] | None) -> list[Issue | _Job]:
    """The studies folder's files in name order: (path, display) for each appraisal, an issue for any other file."""
    slots: list[Issue | _Job] = []
    if not settings.studies_dir.is_dir():
        return slots
    for path in sorted(settings.studies_dir.iterdir(), key=lambda p: os.path.normcase(p.name)):
        display = settings.display(path) if folder is None else _shown_in(folder, path)
        if path.suffix not in YAML_SUFFIXES:
            if path.suffix.lower() in YAML_SUFFIXES or not path.name.startswith("."):
                message = f"{path.name!r} is not a study appraisal (<cite key>.yml) and is not read"
                slots.append(issue("unexpected-file", message, display))
            continue
        slots.append((str(path), display))
    return slots


def _study_files(settings: Settings) -> tuple[list[_StudyItem], list[Issue]]:
    """Every study file's text, in file-name order, and the problems found reading the folder (I/O only)."""
    items: list[_StudyItem] = []
    issues: list[Issue] = []
    folder = _folder(settings.studies_dir, settings) if settings.studies_dir.is_dir() else None
    for slot in _study_slots(settings, folder):
        if isinstance(slot, Issue):
            issues.append(slot)
            continue
        path, display = slot
        text, read_issues = read_source(Path(path), settings, settings.max_claim_bytes, "bytes", folder=folder)
        if text is None:
            issues += read_issues
            continue
        items.append((path, display, text, read_issues))
    return items, issues


def _parse_study(item: _StudyItem) -> tuple[StudyFile | None, list[Issue]]:
    """One study file's text → the validated appraisal (or None) and every problem found in it alone."""
    path, display, text, read_issues = item
    loaded, issues = _mapping(text, read_issues, display, "a study appraisal", "key, design")
    if loaded is None:
        return None, issues
    data, lines = loaded
    study = _validated(StudyFile, data, lines, display, issues)
    if study is None:
        return None, issues
    stem = Path(path).stem
    if study.key != stem:
        message = f"key {study.key!r} must equal the file name {stem!r}"
        issues.append(issue("invalid-field", message, display, lines.line(("key",))))
        return None, issues
    return study, issues


def _parse_study_chunk(items: list[_StudyItem]) -> list[tuple[StudyFile | None, list[Issue]]]:
    """A worker's task: several study files, parsed and validated in order."""
    return [_parse_study(item) for item in items]


def _study_records(
    items: list[_StudyItem], parsed: list[tuple[StudyFile | None, list[Issue]]], issues: list[Issue]
) -> tuple[list[StudyRecord], list[Issue]]:
    records: list[StudyRecord] = []
    issues = list(issues)
    for (_, display, text, _), (study, found) in zip(items, parsed, strict=True):
        issues.extend(found)
        if study is not None:
            records.append(StudyRecord(study, display, LineMap(text=text)))
    return records, issues


def load_studies(settings: Settings) -> tuple[list[StudyRecord], list[Issue]]:
    """Every ``<cite key>.yml`` in the studies folder, in file-name order (none when there is no folder).

    The same rules as claim files: size limit, encoding, YAML safety, the schema; the key must equal the file name.
    """
    items, issues = _study_files(settings)
    return _study_records(items, _parse_study_chunk(items), issues)


def load_topics(settings: Settings) -> tuple[TopicsFile | None, LineMap, list[Issue]]:
    """The topics file, validated; ``None`` when it is missing or broken."""
    display = settings.display(settings.topics_file)
    if not settings.topics_file.is_file():
        return None, LineMap(), [issue("invalid-field", "topics file not found", display)]
    loaded, issues = _read_yaml(settings.topics_file, settings)
    if loaded is None:
        return None, LineMap(), issues
    data, lines = loaded
    try:
        topics = TopicsFile.model_validate(data)
    except ValidationError as exc:
        return (
            None,
            lines,
            [*issues, *(issue("invalid-field", m, display, ln) for ln, m in error_messages(exc, lines, TopicsFile))],
        )
    first: dict[str, int] = {}
    for i, item in enumerate(topics.topics):
        line = lines.line(("topics", i, "id"))
        if problem := paths.name_problem(item.id, "topics"):
            issues.append(issue("invalid-field", f"topic id {item.id!r} {problem}", display, line))
        elif problem := paths.portable_problem(item.id):
            issues.append(issue("unportable-name", f"topic id {item.id!r} {problem}", display, line))
        if item.id in first:
            # A second definition would silently replace the first one's title and description.
            message = f"topic id {item.id!r} is already defined at line {first[item.id]}"
            issues.append(issue("duplicate-topic", message, display, line))
        else:
            first[item.id] = line
    if any(i.code == "invalid-field" for i in issues):
        return None, lines, issues
    return topics, lines, issues


def load_glossary(settings: Settings) -> tuple[tuple[Term, ...], list[Issue]]:
    """The glossary's terms, validated; none when the site has no glossary file or it is broken."""
    if not settings.glossary_file.is_file():
        return (), []
    display = settings.display(settings.glossary_file)
    loaded, issues = _read_yaml(settings.glossary_file, settings)
    if loaded is None:
        return (), issues
    data, lines = loaded
    try:
        glossary = GlossaryFile.model_validate(data)
    except ValidationError as exc:
        return (), [*issues, *(issue("invalid-field", m, display, ln) for ln, m in error_messages(exc, lines, GlossaryFile))]
    first: dict[str, int] = {}
    for i, item in enumerate(glossary.terms):
        line = lines.line(("terms", i, "term"))
        # A word linked to two entries would depend on the order of the file: each form belongs to one term.
        for form in (item.term, *item.also):
            if form.casefold() in first:
                message = f"glossary term {form!r} is already defined at line {first[form.casefold()]}"
                issues.append(issue("invalid-field", message, display, line))
            else:
                first[form.casefold()] = line
    if issues:
        return (), issues
    return tuple(Term(t.term, t.definition, tuple(t.also)) for t in glossary.terms), issues


def load_watch(settings: Settings) -> tuple[WatchFile | None, list[Issue]]:
    """The watch record ``evidence watch`` wrote, validated as any contributor's file; ``None`` when there is none.

    A pull request can edit it like any other file: it is read with the claim files' limits and rules.
    """
    path = settings.watch_file
    if not os.path.lexists(path):
        return None, []  # `evidence watch` has not run: nothing is known, nothing is wrong
    display = settings.display(path)
    loaded, issues = _read_yaml(path, settings)
    if loaded is None:
        return None, issues
    data, lines = loaded
    if not isinstance(data, dict):
        return None, [*issues, issue("invalid-field", "the watch record must be a mapping (run, sources, searches)", display, 1)]
    return _validated(WatchFile, data, lines, display, issues), issues


def walk(folder: Path) -> Iterator[Path]:
    """Every entry under ``folder``, in name order, without following links to folders (no loops, no escape)."""
    for base, name, _ in walk_entries(folder):
        yield base / name


def walk_entries(folder: Path) -> Iterator[tuple[Path, str, bool]]:
    """:func:`walk`'s entries as (folder, name, is a link), in the same order (that of ``os.walk``, names sorted).

    Whether an entry is a link comes from the folder listing, not from one more system call per file.
    """
    stack = [folder]
    while stack:
        base = stack.pop()
        try:
            with os.scandir(base) as listing:
                entries = list(listing)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed is passed over
        names: list[str] = []
        links: set[str] = set()
        folders: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            try:
                is_link = entry.is_symlink()
            except OSError:
                is_link = False
            if is_link:
                links.add(entry.name)
            if is_dir and not is_link:
                folders.append(entry.name)  # walked into, never listed itself
            else:
                names.append(entry.name)
        for name in sorted(names):
            yield base, name, name in links
        stack.extend(base / name for name in sorted(folders, reverse=True))


def unsafe_folders(root: Path, docs_dir: Path) -> list[Issue]:
    """A docs folder that is a link or leads out of ``root``, and every link to a folder inside it.

    MkDocs follows links while it lists the docs folder, before any plugin sees the files: a link to
    ``.git`` would publish the repository, a link to a parent folder would list files forever.
    """
    display = (docs_dir.relative_to(root) if docs_dir.is_relative_to(root) else docs_dir).as_posix()
    try:
        outside = docs_dir.is_symlink() or not docs_dir.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        outside = True
    if outside:
        return [issue("outside-project", "the docs folder is a link or leads outside the project folder", display)]
    found = []
    for parent, dirs, _ in os.walk(docs_dir, followlinks=False):
        for name in sorted(dirs):
            path = Path(parent) / name
            if path.is_symlink():
                message = "is a link to a folder; links under the docs folder are not followed"
                found.append(issue("symbolic-link", message, path.relative_to(root).as_posix()))
    return found


def load_markdown(settings: Settings) -> tuple[dict[str, str], list[Issue]]:
    """Every Markdown page under the docs folder, by display path; and files MkDocs must not publish.

    A link (to a page, an image, a folder) that leads outside the project is refused here, so
    ``evidence check`` reports it as the build does.
    """
    texts: dict[str, str] = {}
    issues: list[Issue] = []
    if not settings.docs_dir.is_dir():
        return texts, issues
    data_folders = (settings.claims_dir, settings.studies_dir, settings.snapshots_dir)
    folder: Path | None = None
    in_data = False
    for base, name, is_link in walk_entries(settings.docs_dir):
        if base is not folder:  # once per folder: a folder of 10,000 claim files is not asked 10,000 times
            folder, in_data = base, any(base.is_relative_to(d) for d in data_folders)
        if not is_link and in_data and not name.endswith(".md"):
            continue  # a data file (is_data_path): read by the check, never published
        path = base / name
        if is_link:
            issues.extend(_link_issue(path, settings))
        elif path.suffix == ".md":
            text, found = read_source(path, settings, settings.max_page_bytes, "bytes")
            issues.extend(found)
            if text is not None:
                display = settings.display(path)
                found, texts[display] = check_front_matter(text, display)
                issues.extend(found)
        elif not is_data_path(path, settings):
            issues.extend(_file_issues(path, settings))
    return texts, issues


def _link_issue(path: Path, settings: Settings) -> list[Issue]:
    """A symbolic link under the docs folder: never followed, never published (it could bring in ``.git`` or the data)."""
    if (path.suffix in YAML_SUFFIXES and path.parent in (settings.claims_dir, settings.studies_dir)) or path in (
        settings.topics_file,
        settings.glossary_file,
    ):
        return []  # claim, appraisal, topic and glossary files are refused with their own message when they are read
    if outside_project(path, settings):
        return [issue("outside-project", "is a link to a file outside the project folder; not published", settings.display(path))]
    return [
        issue(
            "symbolic-link",
            "is a symbolic link; links under the docs folder are not followed or published",
            settings.display(path),
        )
    ]


def _file_issues(path: Path, settings: Settings) -> list[Issue]:
    """A file the site would publish as it is: only the allowed types, and SVG pictures only once cleaned."""
    src_uri = path.relative_to(settings.docs_dir).as_posix()
    why = publish.refusal(src_uri, settings.declared_files)
    if why:
        return [issue("unpublishable-file", why, settings.display(path))]
    if path.suffix != publish.SVG:
        return []
    try:
        cleaned = svg.clean_svg(read_picture(path, settings))
    except (OSError, svg.UnusableSvg) as exc:
        return [issue("unpublishable-file", f"is not a picture that can be published: {exc}", settings.display(path))]
    if cleaned.removed:
        removed = ", ".join(cleaned.removed[:5])
        return [issue("unsafe-svg", f"holds what a picture must not ({removed}); published without it", settings.display(path))]
    return []


def read_picture(path: Path, settings: Settings) -> bytes:
    """An SVG picture's bytes, at most ``max_page_bytes`` (the check, the build and render read it alike).

    :raises svg.UnusableSvg: the picture is larger.
    """
    with path.open("rb") as file:
        data = file.read(settings.max_page_bytes + 1)
    if len(data) > settings.max_page_bytes:
        raise svg.UnusableSvg(f"larger than {settings.max_page_bytes} bytes (max_page_bytes)")
    return data


def is_data_path(path: Path, settings: Settings) -> bool:
    """Claim files, study appraisals, the topics and glossary files and article snapshots: read, never published as they are."""
    return (
        path.is_relative_to(settings.claims_dir)  # the claim loader names any file there that is not a claim
        or path in (settings.topics_file, settings.glossary_file)
        or path.is_relative_to(settings.snapshots_dir)
        or path.is_relative_to(settings.studies_dir)
    )


def outside_project(path: Path, settings: Settings) -> bool:
    """True when ``path`` (following links) is not inside the project folder, or cannot be resolved."""
    try:
        return not path.resolve(strict=True).is_relative_to(settings.root)
    except (OSError, RuntimeError):
        return True


def load_prose(texts: dict[str, str]) -> list[ProsePage]:
    """Every Markdown page (from :func:`load_markdown`) that uses the citation or claim-link syntax."""
    pages = []
    for path, text in texts.items():
        mentions = prose.scan(text)
        if mentions:
            pages.append(ProsePage(path, tuple(mentions)))
    return pages


def templates_stamp(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every file in the project's templates folder (``()`` without one).

    Pages rendered by an earlier build of ``mkdocs serve`` are reused only while this is unchanged.
    """
    folder = settings.templates_dir
    if folder is None or not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        if path.is_file():
            found.append((path.relative_to(folder).as_posix(), info.st_mtime_ns, info.st_size))
    return tuple(found)
