"""A claim's evidence profile, computed from the appraised findings it cites (GRADE, one outcome per claim).

GRADE rates a body of evidence for one outcome: it starts from the design (randomised trials high,
other studies low, opinion and uncontrolled series very low), then rates down one level for each
serious problem (risk of bias, inconsistency, indirectness, imprecision, publication bias) and, for
non-randomised evidence with no such problem, up for a large effect or a dose-response gradient.
Here every step is computed from the study appraisals, the same way for every claim; the reviewers
may rate a domain down further or judge a flagged domain not serious, each with a recorded reason
that readers see. No I/O: the pages, the checks and ``claims.json`` read the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import assess, vocab
from .model import Claim, Evidence, Finding, Graph, Reference, Study

#: The stated precision rule: fewer participants analysed than this, across the studies that set the
#: certainty, is imprecise (GRADE's rule of thumb for a continuous outcome's optimal information size).
ENOUGH_PARTICIPANTS = 400
#: The order in which GRADE lists its domains (and the summary-of-findings table its footnotes).
DOMAINS = tuple(vocab.DOWNGRADES)


@dataclass(frozen=True)
class Rating:
    """One GRADE domain for a claim: how many levels it costs, and why."""

    domain: str
    #: Levels rated down in the end (0, 1 or 2), after the reviewers' notes.
    levels: int
    #: Levels the engine rates down from the appraisals (0 or 1).
    computed: int
    #: The engine's reason, in plain words (also when it does not rate down, for the method's transparency).
    why: str
    #: The reviewers' note on this domain (a footnote), if any.
    note: str = ""
    #: Why the reviewers judge a domain the engine flags not serious, if they do.
    override: str = ""


@dataclass(frozen=True)
class Tested:
    """A finding that tests a claim, with how it bears on it."""

    evidence: Evidence
    finding: Finding
    study: Study


@dataclass(frozen=True)
class Profile:
    """The evidence profile of one claim: what tests it, where GRADE starts, each domain and the certainty."""

    #: Findings that test the claim (support or contradict it), strongest design first.
    tested: tuple[Tested, ...]
    #: Where certainty starts: that of the strongest design among the findings (very low when nothing tests it).
    start: str
    #: The design that set the start ("" when nothing tests the claim).
    design: str
    #: The findings from studies of that starting level: the body the domains are judged on.
    body: tuple[Tested, ...]
    ratings: tuple[Rating, ...]
    #: Levels rated up (GRADE's rules: only non-randomised evidence with no serious problem, at most two).
    upgrades: int
    #: The certainty that follows: start, minus every level down, plus every level up.
    level: str
    #: Cited findings of retracted studies: left out of everything above, and shown as left out.
    retracted: tuple[Tested, ...] = ()

    @property
    def supporting(self) -> tuple[Tested, ...]:
        """Findings that go the claim's way."""
        return tuple(t for t in self.tested if t.evidence.relation == "supports")

    @property
    def contradicting(self) -> tuple[Tested, ...]:
        """Findings that go against it (including no difference where the claim says there is one)."""
        return tuple(t for t in self.tested if t.evidence.relation == "contradicts")

    @property
    def studies(self) -> tuple[str, ...]:
        """The keys of the studies whose findings test the claim, each once."""
        return tuple(dict.fromkeys(t.study.key for t in self.tested))

    @property
    def participants(self) -> int | None:
        """Participants analysed across the studies that test the claim (those that state it), or None."""
        return analysed(self.tested)[0]

    @property
    def down(self) -> int:
        """Levels rated down in all."""
        return sum(r.levels for r in self.ratings)

    def explain(self) -> str:
        """One line: where it starts and what moved it, as shown in check messages."""
        if not self.design:
            return "no cited finding tests the claim, so GRADE allows no more than very low"
        moved = [f"{r.domain} -{r.levels}" for r in self.ratings if r.levels]
        if self.upgrades:
            moved.append(f"rated up +{self.upgrades}")
        label = vocab.DESIGN_LABELS.get(self.design, self.design).lower()
        return f"starts {self.start} ({label}){', ' + ', '.join(moved) if moved else ''} → {self.level}"


def analysed(tested: tuple[Tested, ...]) -> tuple[int | None, int]:
    """Participants analysed across the studies of ``tested`` (each study once), and how many studies state none.

    A study counts with the largest number analysed among its cited findings, else its own participants.
    """
    per_study: dict[str, int | None] = {}
    for t in tested:
        n = t.finding.analysed if t.finding.analysed is not None else t.study.participants
        old = per_study.get(t.study.key)
        per_study[t.study.key] = n if old is None else (old if n is None else max(old, n))
    known = [n for n in per_study.values() if n is not None]
    return (sum(known) if known else None), len(per_study) - len(known)


def tested_findings(claim: Claim, graph: Graph, *, retracted: bool = False) -> tuple[Tested, ...]:
    """The claim's findings that support or contradict it, from research studies, strongest design first.

    Findings of a retracted study never count (``retracted``: only those, to show what was left out).
    """
    out = []
    for e in claim.evidence:
        study = graph.studies.get(e.key)
        found = study.finding(e.finding) if study and e.finding else None
        if found is None or study is None or e.relation not in vocab.TESTING_RELATIONS:
            continue
        if graph.references[e.key].design == vocab.POPULAR:
            continue
        if (graph.retraction(e.key) is not None) is not retracted:
            continue
        out.append(Tested(e, found, study))
    return tuple(sorted(out, key=lambda t: assess.testing_strength(graph.references[t.study.key])))


#: Profiles of the last graph's claims: the checks, the page, the handout and ``claims.json`` all ask
#: for the same profile, so it is computed once per claim. Holding the graph ties each entry to it.
_memo: dict[int, tuple[Graph, dict[int, tuple[Claim, Profile]]]] = {}


def compute(claim: Claim, graph: Graph) -> Profile:
    """The claim's profile from its cited findings and the reviewers' recorded notes and overrides."""
    entry = _memo.get(id(graph))
    if entry is None or entry[0] is not graph:
        _memo.clear()  # one graph at a time: a rebuild (mkdocs serve) replaces it
        entry = _memo[id(graph)] = (graph, {})
    known = entry[1].get(id(claim))
    if known is not None and known[0] is claim:
        return known[1]
    result = _compute(claim, graph)
    entry[1][id(claim)] = (claim, result)
    return result


def _compute(claim: Claim, graph: Graph) -> Profile:
    references = graph.references
    tested = tested_findings(claim, graph)
    retracted = tested_findings(claim, graph, retracted=True)
    if not tested:
        ratings = tuple(_rated(claim, d, 0, "no finding tests the claim") for d in DOMAINS)
        level = _level(assess.certainty_rank("very-low") - sum(r.levels for r in ratings))
        return Profile((), "very-low", "", (), ratings, 0, level, retracted)
    start = max((assess.design_start(references[t.study.key]) for t in tested), key=assess.certainty_rank)
    body = tuple(t for t in tested if assess.design_start(references[t.study.key]) == start)
    design = references[body[0].study.key].design or "unrecorded"
    computed = {
        "risk-of-bias": _risk_of_bias(body),
        "inconsistency": _inconsistency(body),
        "indirectness": _indirectness(body),
        "imprecision": _imprecision(body),
        "publication-bias": (0, "not judged by the engine: the reviewers rate it down when studies are likely missing"),
    }
    ratings = tuple(_rated(claim, d, *computed[d]) for d in DOMAINS)
    down = sum(r.levels for r in ratings)
    ups = len(assess.allowed_upgrades(start, [u.reason for u in claim.upgrades], down)[0])
    level = _level(assess.certainty_rank(start) - down + ups)
    return Profile(tested, start, design, body, ratings, ups, level, retracted)


def _rated(claim: Claim, domain: str, computed: int, why: str) -> Rating:
    mine = [g for g in claim.downgrades if g.reason == domain]
    notes = [g.note or vocab.DOWNGRADES[domain] for g in mine]
    override = next((g.note for g in claim.overrides if g.reason == domain), "")
    levels = 0 if override else max(computed, min(sum(g.levels for g in mine), 2))
    return Rating(domain, levels, computed, why, " ".join(notes), override)


def _level(index: int) -> str:
    return vocab.CERTAINTY_ORDER[max(0, min(index, len(vocab.CERTAINTY_ORDER) - 1))]


def _risk_of_bias(body: tuple[Tested, ...]) -> tuple[int, str]:
    """Serious when more than half of the studies that set the certainty are at high risk of bias overall.

    A study without an overall judgement (not appraised with a tool) counts as high: unknown is not low.
    """
    studies = {t.study.key: t.study for t in body}
    high = [s.key for s in studies.values() if s.overall in ("high", "")]
    n = len(studies)
    why = f"{len(high)} of {n} {_studies(n)} at high risk of bias"
    return (1 if len(high) * 2 > n else 0), why


def _inconsistency(body: tuple[Tested, ...]) -> tuple[int, str]:
    """Serious when the findings point in different directions."""
    ways = {t.evidence.relation for t in body}
    if len(ways) > 1:
        n_for = sum(1 for t in body if t.evidence.relation == "supports")
        return 1, f"the findings point different ways: {n_for} for the claim, {len(body) - n_for} against it"
    return 0, "the findings point the same way" if len(body) > 1 else "a single finding: consistency cannot be judged"


def _indirectness(body: tuple[Tested, ...]) -> tuple[int, str]:
    """Serious when no finding answers the claim's own question (every one differs in some part)."""
    direct = sum(1 for t in body if t.evidence.directness == "direct")
    if direct:
        return 0, f"{direct} of {len(body)} findings answer the claim's own question"
    parts = sorted({p for t in body for p in t.evidence.differs})
    return 1, "every finding answers a different question" + (f" (it differs in {', '.join(parts)})" if parts else "")


def _imprecision(body: tuple[Tested, ...]) -> tuple[int, str]:
    """Serious when fewer than :data:`ENOUGH_PARTICIPANTS` were analysed, or an effect's interval includes no effect."""
    total, unknown = analysed(body)
    crossing = [t.finding.ref for t in body if t.finding.direction != "no-difference" and crosses_no_effect(t.finding)]
    if crossing:
        return 1, f"the confidence interval of {', '.join(crossing)} includes no effect"
    if total is None:
        return 1, "no study states how many were analysed"
    unstated = f"; {unknown} {_studies(unknown)} without a number" if unknown else ""
    if total < ENOUGH_PARTICIPANTS:
        return 1, f"{total} participants analysed, fewer than the {ENOUGH_PARTICIPANTS} the method asks for{unstated}"
    return 0, f"{total} participants analysed{unstated}"


def crosses_no_effect(finding: Finding) -> bool:
    """Whether the finding's reported interval includes no effect (1 for ratios, 0 otherwise)."""
    if finding.effect.ci is None:
        return False
    try:
        low, high = (float(v.lstrip("<>≤≥= ")) for v in finding.effect.ci)
    except ValueError:
        return False
    null = 1.0 if finding.effect.measure in vocab.RATIO_MEASURES else 0.0
    return min(low, high) <= null <= max(low, high)


def _studies(n: int) -> str:
    return "study" if n == 1 else "studies"


def profiles(graph: Graph) -> Mapping[str, Profile]:
    """Every claim's profile, by claim id."""
    return {cid: compute(c, graph) for cid, c in graph.claims.items()}


def finding_users(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """``key#id`` → the claims that cite the finding, each with the relation derived for it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for cid, c in graph.claims.items():
        for e in c.evidence:
            if e.finding:
                out.setdefault(f"{e.key}#{e.finding}", []).append((cid, e.relation))
    return out


def reference_of(graph: Graph, t: Tested) -> Reference:
    """The (appraised) reference behind a tested finding."""
    return graph.references[t.study.key]
