"""Checks across files: every problem is yielded as an :class:`~mkdocs_evidence.issues.Issue`.

Schema problems (types, vocabularies, unknown fields) are found while loading; this module checks
what needs the whole project: cite keys, topics, related claims, duplicate ids, unused references.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from . import prose
from .issues import Issue, issue
from .load import ClaimRecord, ProsePage
from .model import Reference, Topic
from .paths import shown
from .schema import suggest


def check_claims(records: list[ClaimRecord], references: Mapping[str, Reference], topics: Mapping[str, Topic]) -> Iterator[Issue]:
    """Problems in claims that only show once references, topics and other claims are known."""
    first: dict[str, ClaimRecord] = {}
    ids = {r.data.id for r in records}
    for r in records:
        d, line, path = r.data, r.lines.line, r.path
        if d.id in first:
            yield issue("duplicate-claim-id", f"claim id {d.id!r} is already used by {first[d.id].path}", path, line(("id",)))
        else:
            first[d.id] = r
        if not d.evidence:
            where = ("evidence",) if ("evidence",) in r.lines.lines else ("id",)
            yield issue("claim-without-source", f"claim {d.id!r} has no evidence", path, line(where))
        else:
            known = [references[e.cite] for e in d.evidence if e.cite in references]
            if known and all(ref.design == "popular-article" for ref in known):
                message = f"claim {d.id!r} cites no research, only popular articles"
                yield issue("claim-without-source", message, path, line(("evidence",)))
        for i, e in enumerate(d.evidence):
            if e.cite not in references:
                yield _unknown_key(e.cite, references, path, line(("evidence", i, "cite")))
            elif references[e.cite].design == "popular-article":
                yield issue(
                    "popular-source-as-evidence",
                    f"{e.cite!r} is a popular article, not research",
                    path,
                    line(("evidence", i, "cite")),
                )
        for i, a in enumerate(d.appearances):
            if a.cite not in references:
                yield _unknown_key(a.cite, references, path, line(("appearances", i, "cite")))
        for i, t in enumerate(d.topics):
            if t not in topics:
                yield issue("unknown-topic", f"unknown topic {t!r}{suggest(t, topics)}", path, line(("topics", i)))
        for i, other in enumerate(d.related):
            if other not in ids or other == d.id:
                what = (
                    "a claim cannot be related to itself" if other == d.id else f"no claim has id {other!r}{suggest(other, ids)}"
                )
                yield issue("dangling-related-claim", what, path, line(("related", i)))
        if d.verdict == "supported" and d.certainty in {"low", "very-low"}:
            yield issue(
                "supported-needs-certainty",
                f"verdict 'supported' with {d.certainty!r} certainty; use 'overstated', 'mixed' or 'unsupported'",
                path,
                line(("certainty",)),
            )


def _unknown_key(key: str, references: Mapping[str, Reference], path: str, line: int) -> Issue:
    return issue("unknown-cite-key", f"unknown cite key {key!r}{suggest(key, references)}", path, line)


def check_prose(pages: list[ProsePage], references: Mapping[str, Reference], claim_ids: set[str]) -> Iterator[Issue]:
    """Unknown cite keys and claim ids in prose pages."""
    for page in pages:
        for m in page.mentions:
            if m.kind == "claim" and m.claim not in claim_ids:
                yield issue("unknown-claim-link", f"no claim has id {m.claim!r}{suggest(m.claim, claim_ids)}", page.path, m.line)
            for item in m.items:
                if item.key not in references:
                    yield _unknown_key(item.key, references, page.path, m.line)


def check_references(references: Mapping[str, Reference], records: list[ClaimRecord], pages: list[ProsePage]) -> Iterator[Issue]:
    """References nobody cites, and references readers could not find or weigh."""
    used = {e.cite for r in records for e in r.data.evidence}
    used |= {a.cite for r in records for a in r.data.appearances}
    used |= {item.key for p in pages for m in p.mentions for item in m.items}
    for ref in references.values():
        if ref.key not in used:
            yield issue("unused-reference", f"reference {ref.key!r} is not cited by any claim or page", ref.path, ref.line)
        if not (ref.doi or ref.get("pmid") or ref.get("url")):
            yield issue("reference-without-link", f"reference {ref.key!r} has no doi, pmid or url", ref.path, ref.line)
        if not ref.design:  # an invalid design is reported while parsing
            yield issue("reference-without-design", f"reference {ref.key!r} has no design field", ref.path, ref.line)


def check_reviews(records: list[ClaimRecord], today: dt.date, after_days: int) -> Iterator[Issue]:
    """Claims whose evidence was last reviewed more than ``after_days`` ago."""
    for r in records:
        age = (today - r.data.reviewed).days
        if age > after_days:
            when = r.data.reviewed.isoformat()
            message = f"claim {r.data.id!r} was last reviewed {when}, {age} days ago (review every {after_days} days)"
            yield issue("review-overdue", message, r.path, r.lines.line(("reviewed",)))


def check_html(pages: Mapping[str, str]) -> Iterator[Issue]:
    """Raw HTML in contributor Markdown (prose pages, topic introductions): one issue per line.

    It is escaped when rendered whatever the severity (see :func:`mkdocs_evidence.prose.neutralize`).
    """
    for path, text in pages.items():
        for line, tag in prose.raw_html(text):
            yield issue("raw-html", f"raw HTML {shown(tag)} is not allowed in pages", path, line)
