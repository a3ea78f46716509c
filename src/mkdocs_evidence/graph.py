"""Resolve loaded records into one immutable :class:`~mkdocs_evidence.model.Graph`.

Resolution never fails: unknown keys, topics and claim ids are dropped here and reported by
:mod:`mkdocs_evidence.validate`, so a page can still be rendered for every valid claim.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TypeVar

from .load import ClaimRecord, StudyRecord
from .model import (
    Appearance,
    Citation,
    Claim,
    Correction,
    Domain,
    Effect,
    Evidence,
    Finding,
    Grading,
    Graph,
    Identity,
    NewRecord,
    Notice,
    Question,
    Reference,
    Search,
    SearchRun,
    Study,
    Topic,
)
from .schema import EvidenceItem, QuestionItem, TopicsFile
from .settings import Settings
from .watch_schema import WatchFile

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


#: A direction read for the opposite exposure or outcome (no difference stays no difference).
REVERSED = {"increases": "decreases", "decreases": "increases", "no-difference": "no-difference"}


def derive_relation(claimed: str, found: str, opposite: bool = False) -> str:
    """``supports`` when a finding goes the way the claim says, else ``contradicts``.

    A finding of no difference contradicts a claimed effect, and an effect contradicts a claimed absence
    of one: the same answer for every claim that cites the finding, never typed by hand. A finding of the
    opposite exposure or outcome (recorded, and shown to readers) is read reversed.
    """
    return "supports" if claimed == (REVERSED[found] if opposite else found) else "contradicts"


def resolve_studies(records: Iterable[StudyRecord], references: Mapping[str, Reference]) -> dict[str, Study]:
    """Study appraisals of known references, the first per key (repeats and unknown keys are reported elsewhere)."""
    out: dict[str, Study] = {}
    for r in records:
        d = r.data
        if d.key in out or d.key not in references:
            continue
        rob = d.risk_of_bias
        findings = tuple(
            _first_of(
                (
                    Finding(
                        d.key,
                        f.id,
                        f.outcome,
                        f.exposure,
                        f.direction,
                        Effect(
                            f.effect.text,
                            f.effect.measure or "",
                            f.effect.estimate or "",
                            (f.effect.ci[0], f.effect.ci[1]) if f.effect.ci else None,
                            f.effect.p or "",
                        ),
                        f.locator,
                        f.comparison or "",
                        f.population or "",
                        f.analysed,
                    )
                    for f in d.findings
                ),
                lambda f: f.id,
            )
        )
        i = d.identity
        out[d.key] = Study(
            key=d.key,
            design=d.design,
            population=d.population,
            identity=Identity(i.record, i.id, i.seen, tuple(i.fields), tuple(i.unseen)),
            tool=rob.tool,
            path=r.path,
            appraised=d.appraised,
            appraised_by=d.appraised_by,
            domains=tuple(Domain(x.domain, x.judgement, x.reason) for x in rob.domains),
            overall=rob.overall or "",
            rob_reason=rob.reason or "",
            findings=findings,
            pooled=tuple(d.pooled),
            studies=d.studies,
            participants=d.participants,
            setting=d.setting or "",
            second_reader=d.second_reader or "",
            notes=d.notes or "",
        )
    return out


def appraised_references(references: Mapping[str, Reference], studies: Mapping[str, Study]) -> dict[str, Reference]:
    """References whose design, counts and pooled designs come from their appraisal where there is one.

    The appraisal is the one place a study is judged; the bibliography's own ``design`` stays for
    sources without one (popular articles, sites that do not appraise).
    """
    out = dict(references)
    for key, study in studies.items():
        ref = references[key]
        fields = dict(ref.fields)
        fields["design"] = study.design
        for name, value in (("participants", study.participants), ("studies", study.studies)):
            if value is not None:
                fields[name] = str(value)
            else:
                fields.pop(name, None)
        fields["pooled"] = ", ".join(study.pooled)
        out[key] = dataclasses.replace(ref, fields=MappingProxyType(fields))
    return out


def _evidence(
    e: EvidenceItem, asserts: QuestionItem | None, references: Mapping[str, Reference], studies: Mapping[str, Study]
) -> Evidence | None:
    """One evidence entry resolved: a finding with its derived relation, or background; None when it cannot be resolved."""
    if e.finding:
        study = studies.get(e.key)
        found = study.finding(e.finding_id) if study else None
        if found is None or asserts is None:
            return None  # reported: finding-unknown, question-missing
        relation = derive_relation(asserts.direction, found.direction, bool(e.opposite))
        directness = e.directness or "direct"
        return Evidence(e.key, relation, found.locator, e.note or "", found.id, directness, tuple(e.differs), e.opposite or "")
    if e.cite in references and e.relation:
        return Evidence(e.cite, e.relation, e.locator or "", e.note or "")
    return None


def build_graph(
    records: list[ClaimRecord],
    references: Mapping[str, Reference],
    topics: Mapping[str, Topic],
    study_records: Iterable[StudyRecord] = (),
    watch: WatchFile | None = None,
) -> Graph:
    """Resolve claims against references, study appraisals, topics and each other; compute backlinks once."""
    studies = resolve_studies(study_records, references)
    references = appraised_references(references, studies)
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
                (ev for ev in (_evidence(e, d.asserts, references, studies) for e in d.evidence) if ev is not None),
                lambda e: (e.key, e.finding or e.relation),
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
            downgrades=tuple(Grading(g.reason, g.note or "", g.levels) for g in d.downgrades),
            upgrades=tuple(Grading(g.reason, g.note) for g in d.upgrades),
            overrides=tuple(Grading(g.reason, g.note) for g in d.overrides),
            asserts=_question(d.asserts),
            searches=tuple(Search(s.source, s.query, s.date, s.found, tuple(s.excluded)) for s in d.searches),
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
        # By claim, and within a claim in the claim's own order (a set's order would change between runs).
        cited_by=_frozen({k: tuple(sorted(dict.fromkeys(v), key=lambda c: c.claim)) for k, v in cited_by.items()}),
        claims_by_topic=_frozen({k: tuple(sorted(v)) for k, v in by_topic.items()}),
        studies=_frozen(studies),
        notices=_frozen(resolve_notices(watch, references)),
        search_runs=_frozen(resolve_runs(watch, claims)),
    )


def resolve_notices(watch: WatchFile | None, references: Mapping[str, Reference]) -> dict[str, tuple[Notice, ...]]:
    """Notices about known references, each only while the reference still has the DOI that was looked up."""
    out: dict[str, tuple[Notice, ...]] = {}
    for key, item in watch.sources.items() if watch else ():
        ref = references.get(key)
        if ref is None or ref.doi.lower() != item.doi.lower() or not item.notices:
            continue  # a changed DOI makes the record stale: `evidence watch` looks it up again
        notices = (Notice(n.type, n.date, n.doi, n.label or "") for n in item.notices)
        out[key] = tuple(sorted(notices, key=lambda n: (n.date, n.doi)))
    return out


def resolve_runs(watch: WatchFile | None, claims: Mapping[str, Claim]) -> dict[str, tuple[SearchRun, ...]]:
    """Searches run again, by claim, each only while the claim still records that search (query and date)."""
    out: dict[str, list[SearchRun]] = defaultdict(list)
    for run in watch.searches if watch else ():
        claim = claims.get(run.claim)
        if claim is None or not any(s.query == run.query and s.date == run.since for s in claim.searches):
            continue
        new = tuple(NewRecord(r.pmid, r.title, r.year or "", r.doi or "") for r in run.new)
        out[run.claim].append(SearchRun(run.query, run.since, run.run, new))
    return {k: tuple(v) for k, v in out.items()}


def _question(q: QuestionItem | None) -> Question | None:
    if q is None:
        return None
    return Question(q.population, q.exposure, q.outcome, q.direction, q.comparison or "", q.size or "", q.kind)
