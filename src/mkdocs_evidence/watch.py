"""``evidence watch``: look up every cited study and recorded PubMed search again, and write the watch record.

The record is written whole or not at all (a temporary file in the same folder, renamed over the old
one), so a run cut short by a 429, a timeout or a malformed answer leaves the last complete record.
The build and ``evidence check`` only read it: they never go online.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import vocab
from .model import Claim, Graph, NewRecord, Notice
from .project import Project
from .settings import Settings, today

__all__ = ["today"]  # the command dates the run with the same "today" as the checks
from .watch_client import Client, crossref_notices, pubmed_new
from .watch_schema import WatchFile

HEADER = (
    "# Written by `evidence watch` (Crossref and PubMed, looked up again); the site reads it offline.\n"
    "# Do not edit by hand: run `evidence watch` again. A reviewer answers a notice in the claim's `corrections:`.\n"
)


class _Dumper(yaml.SafeDumper):
    """Writes every value out: the loader refuses anchors and aliases (``run: &id001``) in any input file."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class WatchFileError(Exception):
    """The watch record cannot be written where the settings put it; one line saying why."""


@dataclass(frozen=True)
class Found:
    """What one run found: notices by cite key (with the DOI looked up), and each searchable search's new records."""

    notices: dict[str, tuple[str, list[Notice]]]
    runs: list[tuple[Claim, int, list[NewRecord]]]


def searchable(source: str) -> bool:
    """Whether a recorded search names a database ``evidence watch`` can run (PubMed)."""
    return "pubmed" in source.lower()


def watch_project(project: Project, client: Client) -> Found:
    """Ask Crossref about every research reference with a DOI, and run every PubMed search again."""
    g = project.graph
    notices: dict[str, tuple[str, list[Notice]]] = {}
    for key, ref in g.references.items():
        if ref.doi and ref.design != vocab.POPULAR:
            notices[key] = (ref.doi, crossref_notices(client, ref.doi))
    runs = []
    until = today()
    for claim in g.claims.values():
        skip = _cited(claim, g)
        for i, s in enumerate(claim.searches):
            if searchable(s.source):
                new = pubmed_new(client, s.query, s.date, until, skip | {x.lower() for x in s.excluded})
                runs.append((claim, i, new))
    return Found(notices, runs)


def _cited(claim: Claim, g: Graph) -> frozenset[str]:
    """The PMIDs and DOIs (lower case) of what the claim cites: already known, never listed as new."""
    keys = [e.key for e in claim.evidence] + [a.key for a in claim.appearances]
    ids: set[str] = set()
    for key in keys:
        ref = g.references[key]
        ids.update(x.lower() for x in (ref.get("pmid"), ref.doi) if x)
    return frozenset(ids)


def record_data(found: Found, run: dt.date) -> dict[str, Any]:
    """The watch record as plain data, validated by the same schema the load stage reads it with."""
    sources = {
        key: {
            "doi": doi,
            "checked": run,
            "notices": [{"type": n.kind, "date": n.date, "doi": n.doi, **({"label": n.label} if n.label else {})} for n in ns],
        }
        for key, (doi, ns) in found.notices.items()
    }
    searches = [
        {
            "claim": claim.id,
            "query": claim.searches[i].query,
            "since": claim.searches[i].date,
            "run": run,
            "new": [_new_record(r) for r in new],
        }
        for claim, i, new in found.runs
    ]
    data = {"run": run, "sources": sources, "searches": searches}
    WatchFile.model_validate(data)  # what is written must load again; a bad answer fails here, before writing
    return data


def _new_record(r: NewRecord) -> dict[str, str]:
    return {"pmid": r.pmid, "title": r.title, **({"year": r.year} if r.year else {}), **({"doi": r.doi} if r.doi else {})}


def write_record(settings: Settings, data: dict[str, Any]) -> Path:
    """Write the record whole: a temporary file beside it, flushed, then renamed over the old one."""
    target = settings.watch_file
    if not target.parent.resolve().is_relative_to(settings.root):
        raise WatchFileError(f"{settings.display(target)}: the watch record must be inside the project folder (watch_file)")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise WatchFileError(f"{settings.display(target)}: is not a regular file; the watch record is not written over it")
    text = HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    return target


def report(found: Found, g: Graph) -> Iterator[str]:
    """Per claim, what changed and what a reviewer should do (Markdown list items, for a terminal or an issue)."""
    for claim in g.claims.values():
        lines = []
        for e_key in dict.fromkeys(e.key for e in claim.evidence):
            for n in found.notices.get(e_key, ("", []))[1]:
                todo = {
                    "retraction": "its findings no longer count: regrade the claim and record a correction naming it",
                    "expression-of-concern": "read the concern and record what it means in a correction naming it",
                    "correction": "check the cited findings still read as appraised; record a correction naming it",
                }[n.kind]
                lines.append(f"  - `{e_key}`: {n.kind} on {n.date.isoformat()} (https://doi.org/{n.doi}): {todo}")
        for c, i, new in found.runs:
            if c.id == claim.id and new:
                s = c.searches[i]
                lines.append(
                    f"  - search “{s.query}” ({s.date.isoformat()}): {len(new)} new record(s): "
                    + ", ".join(f"PMID {r.pmid}" for r in new)
                    + "; read them, then cite them or add them to the search's `excluded:`"
                )
        if lines:
            yield f"- **{claim.id}** ({claim.path})"
            yield from lines
