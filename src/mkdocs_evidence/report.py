"""How ``evidence check`` prints issues: plain text, GitHub Actions annotations or JSON.

Also narrows a report to the files changed on a branch, so a pull request's check shows the
contributor's own problems first while the whole project is still loaded for cross-references.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from .issues import CODES, Issue, Severity, count

FORMATS = ("text", "github", "json")


class ChangedFilesError(Exception):
    """``git`` could not say which files changed; the message says why."""


def _escape_data(text: str) -> str:
    # GitHub's workflow-command syntax: these characters would end or corrupt the message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(item: Issue) -> str:
    """``::error file=PATH,line=N,title=CODE::message (hint: …)``, shown on the pull request's diff."""
    # GitHub's three levels are this project's three: a notice shows on the pull request and fails nothing.
    level = item.severity.value if item.severity in {Severity.ERROR, Severity.WARNING, Severity.NOTICE} else "warning"
    props = [f"file={_escape_property(item.path)}"]
    if item.line:
        props.append(f"line={item.line}")
    props.append(f"title={_escape_property(item.code)}")
    hint = CODES[item.code].hint if item.code in CODES else ""
    message = f"{item.message} (hint: {hint})" if hint else item.message
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def as_json(issues: Sequence[Issue], claims: int, references: int) -> str:
    """A JSON object: every issue with its hint, and counts for the summary."""
    payload = {
        "issues": [
            {
                "path": i.path,
                "line": i.line,
                "severity": i.severity.value,
                "code": i.code,
                "message": i.message,
                "hint": CODES[i.code].hint if i.code in CODES else "",
            }
            for i in issues
        ],
        "summary": {
            "claims": claims,
            "references": references,
            "errors": count(issues, Severity.ERROR),
            "warnings": count(issues, Severity.WARNING),
            "notices": count(issues, Severity.NOTICE),
        },
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _git(root: Path, *args: str) -> list[str]:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60)
    except OSError as exc:
        raise ChangedFilesError(f"cannot run git: {exc.strerror}") from None
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise ChangedFilesError(f"git {' '.join(args)}: {detail}")
    return [line for line in proc.stdout.splitlines() if line]


def changed_files(root: Path, ref: str) -> set[Path]:
    """Files changed since ``ref``: committed on this branch, staged, unstaged or new and untracked."""
    top = Path(_git(root, "rev-parse", "--show-toplevel")[0])
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ChangedFilesError:
        # The usual cause: a CI checkout or fork without the base branch; say what to try.
        raise ChangedFilesError(
            f"{ref!r} is not a branch or commit in this clone (try origin/main, or git fetch first)"
        ) from None
    names = set(_git(root, "diff", "--name-only", f"{ref}...HEAD", "--"))
    names |= set(_git(root, "diff", "--name-only", "HEAD", "--"))  # uncommitted, staged or not
    names |= set(_git(root, "ls-files", "--others", "--exclude-standard", "--full-name"))  # new files not yet added
    return {(top / name).resolve() for name in names}


def texts_at(root: Path, ref: str, files: Iterable[Path]) -> dict[Path, str]:
    """The text of each file as it was where this branch left ``ref`` (their merge base); files new since are absent.

    The merge base is what was published before the branch's changes, so a pull request is compared with
    what readers saw, not with later changes on the main branch.
    """
    top = Path(_git(root, "rev-parse", "--show-toplevel")[0]).resolve()
    base = _git(root, "merge-base", ref, "HEAD")[0]
    # A file renamed since then (committed or staged) is compared with its old self: renaming a claim
    # must not let its verdict change unrecorded.
    renamed: dict[str, str] = {}
    for line in _git(root, "diff", "--name-status", "-M", base, "--"):
        status, *names = line.split("\t")
        if status.startswith("R") and len(names) == 2:
            renamed[names[1]] = names[0]
    out: dict[Path, str] = {}
    for path in files:
        try:
            name = path.resolve().relative_to(top).as_posix()
        except ValueError:
            continue
        name = renamed.get(name, name)
        proc = subprocess.run(["git", "show", f"{base}:{name}"], cwd=root, capture_output=True, check=False, timeout=60)
        if proc.returncode == 0:
            out[path.resolve()] = proc.stdout.decode("utf-8", errors="replace")
    return out


def only_in(issues: Iterable[Issue], files: set[Path], root: Path) -> list[Issue]:
    """The issues whose file is one of ``files`` (issue paths are relative to ``root``)."""
    return [i for i in issues if (root / i.path).resolve() in files]
