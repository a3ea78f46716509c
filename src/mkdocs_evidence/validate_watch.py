"""Checks that follow from the watch record: claims that rely on a retracted, corrected or questioned study.

A retraction is an error on every claim citing the study until a reviewer has regraded the claim:
recorded as a ``corrections:`` entry, dated on or after the notice, that names the study's cite key.
The study's findings stop counting at once (see :func:`mkdocs_evidence.profile.tested_findings`),
so the check on certainty also says what the profile has become without them.
"""

from __future__ import annotations

from collections.abc import Iterator

from .issues import Issue, issue
from .load import ClaimRecord
from .model import Claim, Graph, Notice

#: The check code each kind of notice raises on a claim citing the study.
NOTICE_CODES = {"retraction": "retracted-source", "expression-of-concern": "source-of-concern", "correction": "corrected-source"}


def check_notices(records: list[ClaimRecord], graph: Graph) -> Iterator[Issue]:
    """One issue per claim and notice about a study it cites, until a correction of the claim answers the notice."""
    if not graph.notices:
        return
    for r in records:
        claim = graph.claims.get(r.data.id)
        if claim is None or claim.path != r.path:
            continue  # a repeated id: reported as such
        for i, key in _cited_keys(r):
            for notice in graph.notices.get(key, ()):
                if not _answered(claim, key, notice):
                    line = r.lines.line(("evidence", i))
                    yield issue(NOTICE_CODES[notice.kind], _message(key, notice), r.path, line)


def _cited_keys(r: ClaimRecord) -> Iterator[tuple[int, str]]:
    """Each cited key once, with the index of its first evidence entry."""
    seen: set[str] = set()
    for i, e in enumerate(r.data.evidence):
        key = e.key
        if key and key not in seen:
            seen.add(key)
            yield i, key


def _answered(claim: Claim, key: str, notice: Notice) -> bool:
    """Whether a correction dated on or after the notice names the study: the reviewers have been through it."""
    return any(c.date >= notice.date and key in f"{c.what} {c.why}" for c in claim.corrections)


def _message(key: str, notice: Notice) -> str:
    what = {"retraction": "retracted", "expression-of-concern": "under an expression of concern", "correction": "corrected"}
    tail = (
        "; its findings no longer count towards this claim's profile or certainty"
        if notice.kind == "retraction"
        else "; its findings still count"
    )
    return f"{key} was {what[notice.kind]} on {notice.date.isoformat()} (notice doi:{notice.doi}){tail}"
