"""Read claim files, the topics file and prose pages into records that remember their lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from . import prose
from .issues import Issue, issue
from .schema import ClaimFile, SnapshotHeader, TopicsFile, error_messages
from .settings import Settings
from .yamlsrc import LineMap, YamlSyntaxError, load


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
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            issues.append(issue("invalid-field", f"not UTF-8 text ({exc.reason})", display))
            continue
        head, sep, body = text.partition(SNAPSHOT_SEPARATOR)
        if not sep:
            issues.append(issue("invalid-field", "a snapshot starts with url: and retrieved: lines, then a line ---", display, 1))
            continue
        try:
            data, lines = load(head)
            header = SnapshotHeader.model_validate(data)
        except YamlSyntaxError as exc:
            issues.append(issue("invalid-field", exc.message, display, exc.line))
            continue
        except ValidationError as exc:
            issues.extend(issue("invalid-field", m, display, ln) for ln, m in error_messages(exc, lines, SnapshotHeader))
            continue
        snapshots[path.stem] = Snapshot(path.stem, display, header.url, header.retrieved.isoformat(), body)
    return snapshots, issues


def _read_yaml(path: Path, display: str) -> tuple[object, LineMap] | Issue:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return issue("invalid-yaml", f"not UTF-8 text ({exc.reason})", display)
    try:
        return load(text)
    except YamlSyntaxError as exc:
        return issue("invalid-yaml", exc.message, display, exc.line)


def load_claims(settings: Settings) -> tuple[list[ClaimRecord], list[Issue]]:
    """Every ``*.yml`` file under the claims folder, in file-name order."""
    records: list[ClaimRecord] = []
    issues: list[Issue] = []
    if not settings.claims_dir.is_dir():
        return records, [issue("invalid-field", "claims folder not found", settings.display(settings.claims_dir))]
    paths = sorted([*settings.claims_dir.glob("*.yml"), *settings.claims_dir.glob("*.yaml")])
    for path in paths:
        display = settings.display(path)
        loaded = _read_yaml(path, display)
        if isinstance(loaded, Issue):
            issues.append(loaded)
            continue
        data, lines = loaded
        if not isinstance(data, dict):
            issues.append(issue("invalid-field", "a claim file must be a mapping of fields (id, statement, …)", display, 1))
            continue
        try:
            claim = ClaimFile.model_validate(data)
        except ValidationError as exc:
            issues.extend(issue("invalid-field", msg, display, line) for line, msg in error_messages(exc, lines, ClaimFile))
            continue
        if claim.id != path.stem:
            issues.append(
                issue("invalid-field", f"id {claim.id!r} must equal the file name {path.stem!r}", display, lines.line(("id",)))
            )
        records.append(ClaimRecord(claim, display, lines))
    return records, issues


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


def load_topics(settings: Settings) -> tuple[TopicsFile | None, LineMap, list[Issue]]:
    """The topics file, validated; ``None`` when it is missing or broken."""
    display = settings.display(settings.topics_file)
    if not settings.topics_file.is_file():
        return None, LineMap(), [issue("invalid-field", "topics file not found", display)]
    loaded = _read_yaml(settings.topics_file, display)
    if isinstance(loaded, Issue):
        return None, LineMap(), [loaded]
    data, lines = loaded
    try:
        return TopicsFile.model_validate(data), lines, []
    except ValidationError as exc:
        return None, lines, [issue("invalid-field", m, display, ln) for ln, m in error_messages(exc, lines, TopicsFile)]


def load_prose(settings: Settings) -> list[ProsePage]:
    """Every Markdown page in the docs folder that uses the citation or claim-link syntax."""
    pages = []
    for path in sorted(settings.docs_dir.rglob("*.md")):
        mentions = prose.scan(path.read_text(encoding="utf-8", errors="replace"))
        if mentions:
            pages.append(ProsePage(settings.display(path), tuple(mentions)))
    return pages
