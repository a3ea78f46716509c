"""What a reader sees at a glance: source counts, the best available evidence, a topic's matrix.

Everything here is derived from the resolved graph, with no I/O; templates, the JSON outputs and
the evidence picture all use the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import vocab
from .model import Claim, Evidence, Reference

#: Rank of each design, strongest first; unknown designs rank after every known one.
DESIGN_RANK: Mapping[str, int] = {d: i for i, d in enumerate(vocab.DESIGNS)}
#: Designs that answer a question on their own terms: with one of these, a claim has "real" evidence.
REVIEWS = frozenset({"meta-analysis", "systematic-review"})
COMPARATIVE = frozenset({"rct", "cohort", "case-control"})
OPINION = frozenset({"narrative-review", "expert-opinion"})


def research(claim: Claim, references: Mapping[str, Reference]) -> list[Evidence]:
    """The claim's evidence without popular articles (they are where claims circulate, not evidence)."""
    return [e for e in claim.evidence if references[e.key].design != vocab.POPULAR]


def relation_counts(claim: Claim, references: Mapping[str, Reference]) -> dict[str, int]:
    """How many distinct research sources support, contradict, qualify and mention the claim (all four keys)."""
    counts = dict.fromkeys(vocab.RELATIONS, 0)
    for _key, relation in dict.fromkeys((e.key, e.relation) for e in research(claim, references)):
        counts[relation] += 1
    return counts


def design_rank(ref: Reference) -> int:
    """Position of a reference's design in :data:`~mkdocs_evidence.vocab.DESIGNS` (lower is stronger)."""
    return DESIGN_RANK.get(ref.design, len(DESIGN_RANK))


def testing_strength(ref: Reference) -> tuple[int, int]:
    """How a source that tests a claim ranks (lower is stronger): where GRADE starts for it, then its design.

    The best-evidence box and the certainty ceiling rank by this one key, so a page never names a
    review of weaker designs as its best evidence while its certainty rests on a trial.
    """
    return (-certainty_rank(design_start(ref)), design_rank(ref))


def ordered_evidence(claim: Claim, references: Mapping[str, Reference]) -> list[Evidence]:
    """The claim's evidence, strongest design first, newest first within a design."""
    return sorted(
        claim.evidence,
        key=lambda e: (design_rank(references[e.key]), -_year(references[e.key]), e.key),
    )


def _year(ref: Reference) -> int:
    return int(ref.year) if ref.year.isdigit() else 0


@dataclass(frozen=True)
class BestEvidence:
    """The strongest evidence behind a claim, and a sentence saying what kind it is."""

    #: Design of the strongest source considered, or "" when there is none.
    design: str
    #: The sources of that design (one entry per source), newest first.
    items: tuple[Evidence, ...]
    #: One plain sentence: "Best available evidence: a systematic review." / "Only lab studies so far."
    headline: str
    #: ``review``, ``comparative``, ``weak`` (observational or lab only), ``opinion``, ``indirect``
    #: (sources only qualify the claim) or ``none``.
    level: str


def best_evidence(claim: Claim, references: Mapping[str, Reference]) -> BestEvidence:
    """The best available evidence for a claim, ranked by study design.

    Only sources that support or contradict the claim test it. When none does, the strongest source
    that qualifies it is named as the closest research. Absences ("no systematic review") are only
    stated when every testing source has a recorded design.
    """
    ordered = ordered_evidence(claim, references)
    testing = [e for e in ordered if e.relation in vocab.TESTING_RELATIONS and references[e.key].design != vocab.POPULAR]
    if not testing:
        qualifying = _by_source([e for e in ordered if e.relation == "qualifies" and references[e.key].design != vocab.POPULAR])
        if not qualifying:
            return BestEvidence("", (), "None of the sources cited here tests this claim.", "none")
        design = references[qualifying[0].key].design
        items = tuple(e for e in qualifying if references[e.key].design == design)
        label = vocab.DESIGN_LABELS.get(design, "study of unrecorded design").lower()
        return BestEvidence(
            design, items, f"None of the sources cited here tests this claim directly; the closest is a {label}.", "indirect"
        )
    testing = sorted(_by_source(testing), key=lambda e: testing_strength(references[e.key]))  # stable: newest first within
    best = references[testing[0].key].design
    items = tuple(e for e in testing if references[e.key].design == best)
    unrecorded = sum(1 for e in testing if not references[e.key].design)
    if best in REVIEWS:
        return BestEvidence(best, items, f"Best available evidence: a {vocab.DESIGN_LABELS[best].lower()}.", "review")
    weaker_reviews = _unique(references[e.key].design for e in testing if references[e.key].design in REVIEWS)
    if unrecorded:
        # A source without a recorded design may be a trial or a review: say so rather than claim an absence.
        label = vocab.DESIGN_LABELS.get(best, "study").lower() if best else "study of unrecorded design"
        headline = (
            f"Strongest recorded design: a {label}; {unrecorded} source{'s' if unrecorded > 1 else ''} without a recorded design."
        )
        return BestEvidence(best, items, headline, "unrecorded")
    if best in COMPARATIVE:
        label = vocab.DESIGN_LABELS[best].lower()
        if weaker_reviews:  # a review is cited, but of designs that start lower (or are not recorded)
            review = vocab.DESIGN_LABELS[weaker_reviews[0]].lower()
            rest = f"the {review} cited here pools designs that start lower, or does not record which"
            return BestEvidence(best, items, f"Best available evidence: a {label}; {rest}.", "comparative")
        return BestEvidence(
            best, items, f"Best available evidence: a {label}; no systematic review among the sources cited here.", "comparative"
        )
    named = _join([vocab.DESIGN_PLURALS.get(d, d) for d in _unique(references[e.key].design for e in testing)])
    if best in OPINION:
        return BestEvidence(
            best, items, f"Only {named} so far: none of the sources cited here tests the claim itself.", "opinion"
        )
    return BestEvidence(
        best, items, f"Only {named} so far: no randomised trial or systematic review among the sources cited here.", "weak"
    )


def _by_source(evidence: list[Evidence]) -> list[Evidence]:
    """The first entry for each source (a source listed as supporting and qualifying counts once)."""
    seen: dict[str, Evidence] = {}
    for e in evidence:
        seen.setdefault(e.key, e)
    return list(seen.values())


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _level(index: int) -> str:
    return vocab.CERTAINTY_ORDER[max(0, min(index, len(vocab.CERTAINTY_ORDER) - 1))]


def certainty_rank(level: str) -> int:
    """Position of a certainty level, 0 for very low to 3 for high."""
    return vocab.CERTAINTY_ORDER.index(level)


def design_start(ref: Reference) -> str:
    """Where certainty starts for evidence from this reference, by GRADE's rules (see vocab.DESIGN_START).

    A systematic review or meta-analysis starts where the strongest design it pooled starts; one whose
    pooled designs are not recorded starts as if they were non-randomised. An unknown design earns nothing.
    """
    if ref.design in vocab.POOLING_DESIGNS:
        starts = [vocab.DESIGN_START[d] for d in ref.pooled if d in vocab.DESIGN_START]
        return max(starts, key=certainty_rank) if starts else vocab.UNRECORDED_POOL_START
    return vocab.DESIGN_START.get(ref.design, "very-low")


@dataclass(frozen=True)
class Ceiling:
    """The highest certainty a claim's evidence allows, and what set it."""

    #: The highest certainty allowed: the start, minus one level per downgrade, plus one per upgrade.
    level: str
    #: Where the strongest testing source starts (very low when nothing tests the claim).
    start: str
    #: Design of the source that set the start, or "" when no source supports or contradicts the claim.
    design: str
    #: The sources of that design that set the start.
    keys: tuple[str, ...]
    downgrades: int = 0
    upgrades: int = 0

    def explain(self) -> str:
        """One line: what set the ceiling, as shown in error messages and on the claim page."""
        if not self.design:
            why = "no source supports or contradicts the claim, so nothing tests it"
        else:
            label = vocab.DESIGN_LABELS.get(self.design, "study of unrecorded design").lower()
            article = "an" if label[0] in "aeiou" else "a"
            keys = ", ".join(self.keys)
            why = f"the strongest source that tests the claim is {article} {label} ({keys}), which starts at {self.start}"
        moves = []
        if self.downgrades:
            moves.append(f"rated down {self.downgrades} level{'s' if self.downgrades > 1 else ''}")
        if self.upgrades:
            moves.append(f"rated up {self.upgrades} level{'s' if self.upgrades > 1 else ''}")
        return why + (f", {' and '.join(moves)}" if moves else "")


def ceiling(
    evidence: Iterable[tuple[str, str]],
    references: Mapping[str, Reference],
    *,
    downgrades: int = 0,
    upgrades: Sequence[str] = (),
) -> Ceiling:
    """The certainty ceiling of ``(cite key, relation)`` pairs: only sources that support or contradict count.

    ``qualifies`` and ``mentions`` never raise it (they do not test the claim), nor do popular articles.
    Unknown keys are skipped: they are reported elsewhere.
    """
    testing = [
        references[key]
        for key, relation in evidence
        if relation in vocab.TESTING_RELATIONS and key in references and references[key].design != vocab.POPULAR
    ]
    keys: tuple[str, ...] = ()
    if not testing:
        start, design = "very-low", ""
    else:
        testing.sort(key=testing_strength)
        start = design_start(testing[0])
        setting = [r for r in testing if design_start(r) == start]
        design = setting[0].design or "unrecorded"
        keys = tuple(dict.fromkeys(r.key for r in setting if r.design == setting[0].design))
    up = len(allowed_upgrades(start, upgrades, downgrades)[0])
    level = _level(certainty_rank(start) - downgrades + up)
    return Ceiling(level, start, design, keys, downgrades, up)


#: GRADE rates up at most two levels, and only non-randomised evidence with no reason to rate it down.
MAX_UPGRADES = 2


def allowed_upgrades(start: str, reasons: Sequence[str], downgrades: int) -> tuple[list[str], list[str]]:
    """The upgrade reasons that count, and why the others do not.

    GRADE rates up only a body of non-randomised studies (it starts at low) that has no serious problem
    (no downgrade), each reason once, by at most two levels: trials already start high, and opinion is
    not evidence of an effect however large the effect it reports.
    """
    if not reasons:
        return [], []
    if start != "low":
        why = "trials already start at high" if start == "high" else "nothing that tests the claim starts above very low"
        return [], [f"upgrades apply only to non-randomised studies (start low): {why}"]
    if downgrades:
        return [], ["upgrades do not apply to evidence rated down for a serious problem"]
    unique = list(dict.fromkeys(reasons))
    problems = [f"{r!r} is listed more than once" for r in unique if reasons.count(r) > 1]
    if len(unique) > MAX_UPGRADES:
        problems.append(f"at most {MAX_UPGRADES} levels up")
    return unique[:MAX_UPGRADES], problems


def claim_ceiling(claim: Claim, references: Mapping[str, Reference]) -> Ceiling:
    """The ceiling of a resolved claim, with its recorded downgrades and upgrades."""
    return ceiling(
        ((e.key, e.relation) for e in claim.evidence),
        references,
        downgrades=len(claim.downgrades),
        upgrades=[u.reason for u in claim.upgrades],
    )


def certainty_reason(claim: Claim, references: Mapping[str, Reference]) -> str:
    """Why the claim has its certainty, for readers: where GRADE starts for its evidence and what moved it."""
    c = claim_ceiling(claim, references)
    if not c.design:
        text = (
            "no source cited here supports or contradicts the claim, so nothing tests it and GRADE allows no more than very low"
        )
    else:
        label = vocab.DESIGN_LABELS.get(c.design, "study of unrecorded design").lower()
        pooled = references[c.keys[0]].pooled if c.design in vocab.POOLING_DESIGNS else ()
        if pooled:
            label += " of " + _join([vocab.DESIGN_PLURALS.get(d, d) for d in pooled])
        article = "an" if label[0] in "aeiou" else "a"
        text = (
            f"the strongest source that tests the claim is {article} {label}, where GRADE starts at {c.start.replace('-', ' ')}"
        )
    moves = []
    if c.downgrades:
        moves.append(f"rated down {_times(c.downgrades)} for the reason{'s' if c.downgrades > 1 else ''} below")
    if c.upgrades:
        moves.append(f"rated up {_times(c.upgrades)} for the reason{'s' if c.upgrades > 1 else ''} below")
    if certainty_rank(claim.certainty) < certainty_rank(c.level):
        moves.append("judged lower still by the reviewers")
    return text + ("; " + "; ".join(moves) if moves else "")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def tests_claim(claim: Claim, references: Mapping[str, Reference]) -> bool:
    """Whether any research source supports or contradicts the claim."""
    return bool(claim_ceiling(claim, references).design)


def grade_sentence(claim: Claim) -> str:
    """The verdict in GRADE's plain-language wording for the claim's certainty."""
    return vocab.VERDICT_IN_WORDS[claim.verdict][claim.certainty]


@dataclass(frozen=True)
class MatrixCell:
    """The claims of a topic with one verdict and one certainty."""

    claims: tuple[Claim, ...]
    #: Distinct sources behind those claims (supporting, contradicting or qualifying them).
    sources: int


@dataclass(frozen=True)
class Matrix:
    """A topic's claims as verdict × certainty, with source counts; every verdict and certainty present."""

    verdicts: tuple[str, ...]
    certainties: tuple[str, ...]
    cells: Mapping[tuple[str, str], MatrixCell]

    def cell(self, verdict: str, certainty: str) -> MatrixCell:
        """The cell for a verdict and a certainty (empty when no claim has both)."""
        return self.cells.get((verdict, certainty), MatrixCell((), 0))

    def row_total(self, verdict: str) -> int:
        """Number of claims with this verdict."""
        return sum(len(self.cell(verdict, c).claims) for c in self.certainties)


def evidence_matrix(claims: Iterable[Claim], references: Mapping[str, Reference]) -> Matrix:
    """Group claims by verdict and certainty and count the distinct research sources behind each group.

    Sources that only mention a claim are not behind it, and popular articles are not research.
    """
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.verdict, claim.certainty), []).append(claim)
    cells = {
        key: MatrixCell(tuple(cs), len({e.key for c in cs for e in research(c, references) if e.relation != "mentions"}))
        for key, cs in groups.items()
    }
    return Matrix(tuple(vocab.VERDICTS), tuple(vocab.CERTAINTIES), cells)
