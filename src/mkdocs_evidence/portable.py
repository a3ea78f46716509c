"""Every file and folder name under the docs folder can be checked out on Windows and macOS.

A pull request made on Linux can add ``CON.md``, ``notes.`` or ``Page.md`` next to ``page.md``:
Linux CI builds it, and the repository then cannot be cloned on Windows, or two pages become one
file on macOS. Each such name is one issue (``unportable-name``, ``name-clash``), at the later name.
Claim files are left to their ids (checked as they are loaded: the file is named after the id).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import paths
from .issues import Issue, issue
from .load import YAML_SUFFIXES
from .settings import Settings
from .urls import CLAIMS, SOURCES, TOPICS

#: Folders the build writes at the top of the site: a contributor's ``Sources/`` would share one with them.
GENERATED_FOLDERS = (CLAIMS, SOURCES, TOPICS)


def check_names(settings: Settings) -> list[Issue]:
    """Unportable names and names that differ only in case or Unicode form, folder by folder."""
    docs = settings.docs_dir
    if not docs.is_dir():
        return []
    issues: list[Issue] = []
    claims = os.path.normpath(settings.claims_dir)
    for parent, dirs, files in os.walk(docs, followlinks=False):
        dirs.sort()
        base = Path(parent)
        is_claims = os.path.normpath(parent) == claims
        taken = {name: name for name in GENERATED_FOLDERS} if base == docs else {}
        folders = set(dirs)  # a set: a folder of 10,000 claim files is walked in linear time
        for name in sorted(dirs + files):
            if is_claims and name not in folders and name.endswith(YAML_SUFFIXES):
                continue  # a claim file's name is its id, checked where the id is read
            kind = "folder" if name in folders else "file"
            problem = paths.portable_problem(name)
            key = paths.folded(name)
            other = taken.get(key)
            if not problem and (other is None or other == name):
                taken.setdefault(key, name)
                continue  # most names: no display path worked out (resolving 15,000 paths took most of a second)
            display = settings.display(base / name)
            if problem:
                issues.append(issue("unportable-name", f"{kind} name {paths.shown(name)} {problem}", display))
            if other is None or other == name:
                taken.setdefault(key, name)
                continue
            # At the top, the folders the build writes are taken even when the docs folder has none.
            what = f"the site's own {other}/" if base == docs and other in GENERATED_FOLDERS else paths.shown(other)
            message = (
                f"{kind} name {paths.shown(name)} differs from {what} only in upper/lower case or Unicode form: "
                "one name on macOS and Windows"
            )
            issues.append(issue("name-clash", message, display))
    return issues
