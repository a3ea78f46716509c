"""Resolve loaded records into one immutable :class:`~mkdocs_evidence.model.Graph`.

Resolution never fails: unknown keys, topics and claim ids are dropped here and reported by
:mod:`mkdocs_evidence.validate`, so a page can still be rendered for every valid claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TypeVar

from .load import ClaimRecord
from .model import Appearance, Citation, Claim, Correction, Evidence, Grading, Graph, Reference, Search, Topic
from .schema import TopicsFile
from .settings import Settings

V = TypeVar("V")


def _frozen(items: Mapping[str, V]) -> Mapping[str, V]:
    return MappingProxyType(dict(sorted(items.items())))


def unique_claims(records: list[ClaimRecord]) -> list[ClaimRecord]:
    """The first record for each id (file-name order); later duplicates are reported elsewhere."""
    seen: dict[str, ClaimRecord] = {}
    for record in records:
        seen.setdefault(record.data.id, record)
    return list(seen.values())


def _first_of(items: Iterable[V], key: Callable[[V], object]) -> list[V]:
    """``items`` without the later ones whose ``key`` came before, in order."""
    seen: set[object] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def load_topic_pages(settings: Settings, topics: TopicsFile | None, pages: Mapping[str, str]) -> dict[str, Topic]:
    """Topics with their introductions, ``<topics_dir>/<id>.md``, taken from the pages already read."""
    out: dict[str, Topic] = {}
    for item in topics.topics if topics else []:
        if item.id in out:
            continue  # a repeated id is reported (duplicate-topic); the first definition stands
        intro_path = settings.display(settings.topics_dir / f"{item.id}.md")
        intro = pages.get(intro_path, "")
        out[item.id] = Topic(item.id, item.title, item.description or "", intro, intro_path if intro else "")
    return out


def build_graph(records: list[ClaimRecord], references: Mapping[str, Reference], topics: Mapping[str, Topic]) -> Graph:
    """Resolve claims against references, topics and each other; compute backlinks once."""
    records = unique_claims(records)
    ids = {r.data.id for r in records}
    related: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for other in r.data.related:
            if other in ids and other != r.data.id:
                related[r.data.id].add(other)
                related[other].add(r.data.id)  # related links go both ways

    claims: dict[str, Claim] = {}
    cited_by: dict[str, list[Citation]] = defaultdict(list)
    by_topic: dict[str, list[str]] = defaultdict(list)
    for r in records:
        d = r.data
        # Repeats (reported by validate) are kept once: a source or topic listed twice must not count twice.
        evidence = tuple(
            _first_of(
                (Evidence(e.cite, e.relation, e.locator or "", e.note or "") for e in d.evidence if e.cite in references),
                lambda e: (e.key, e.relation),
            )
        )
        appearances = tuple(
            _first_of(
                (Appearance(a.cite, a.quote, tuple(a.flags), a.flag_note or "") for a in d.appearances if a.cite in references),
                lambda a: (a.key, a.quote),
            )
        )
        claims[d.id] = Claim(
            id=d.id,
            statement=d.statement,
            topics=tuple(dict.fromkeys(t for t in d.topics if t in topics)),
            verdict=d.verdict,
            certainty=d.certainty,
            summary=d.summary,
            reviewed=d.reviewed,
            path=r.path,
            reason=d.reason or "",
            bottom_line=d.bottom_line or "",
            evidence=evidence,
            appearances=appearances,
            related=tuple(sorted(related[d.id])),
            downgrades=tuple(Grading(g.reason, g.note or "") for g in d.downgrades),
            upgrades=tuple(Grading(g.reason, g.note) for g in d.upgrades),
            searches=tuple(Search(s.source, s.query, s.date, s.found) for s in d.searches),
            corrections=tuple(Correction(c.date, c.what, c.why) for c in sorted(d.corrections, key=lambda c: c.date)),
        )
        for e in evidence:
            cited_by[e.key].append(Citation(d.id, e.relation))
        for a in appearances:
            cited_by[a.key].append(Citation(d.id, "appears"))
        for t in claims[d.id].topics:
            by_topic[t].append(d.id)

    return Graph(
        claims=_frozen(claims),
        references=_frozen(dict(references)),
        topics=MappingProxyType(dict(topics)),  # topics keep the order of the topics file
        cited_by=_frozen({k: tuple(sorted(set(v), key=lambda c: c.claim)) for k, v in cited_by.items()}),
        claims_by_topic=_frozen({k: tuple(sorted(v)) for k, v in by_topic.items()}),
    )
