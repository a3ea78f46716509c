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


def relation_counts(claim: Claim) -> dict[str, int]:
    """How many distinct sources support, contradict, qualify and mention the claim (all four keys)."""
    counts = dict.fromkeys(vocab.RELATIONS, 0)
    seen: set[tuple[str, str]] = set()
    for e in claim.evidence:
        if (e.key, e.relation) not in seen:
            seen.add((e.key, e.relation))
            counts[e.relation] += 1
    return counts


def design_rank(ref: Reference) -> int:
    """Position of a reference's design in :data:`~mkdocs_evidence.vocab.DESIGNS` (lower is stronger)."""
    return DESIGN_RANK.get(ref.design, len(DESIGN_RANK))


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

    #: Design of the strongest source that tests the claim, or "" when none does.
    design: str
    #: The sources of that design that test the claim (strongest design only), newest first.
    items: tuple[Evidence, ...]
    #: One plain sentence: "Best available evidence: a systematic review." / "Only lab studies so far."
    headline: str
    #: ``review``, ``comparative``, ``weak`` (observational or lab only), ``opinion`` or ``none``.
    level: str


def best_evidence(claim: Claim, references: Mapping[str, Reference]) -> BestEvidence:
    """The best available evidence for a claim, ranked by study design (mentions do not count)."""
    testing = [e for e in ordered_evidence(claim, references) if e.relation in vocab.TESTING_RELATIONS]
    if not testing:
        return BestEvidence("", (), "No study tests this claim yet.", "none")
    best = references[testing[0].key].design
    items = tuple(e for e in testing if references[e.key].design == best)
    if best in REVIEWS:
        label = vocab.DESIGN_LABELS[best].lower()
        return BestEvidence(best, items, f"Best available evidence: a {label}.", "review")
    if best in COMPARATIVE:
        label = vocab.DESIGN_LABELS[best].lower()
        return BestEvidence(best, items, f"Best available evidence: a {label}; no systematic review yet.", "comparative")
    designs = _unique(references[e.key].design for e in testing)
    named = _join([vocab.DESIGN_PLURALS.get(d, d or "studies of unrecorded design") for d in designs])
    if best in OPINION:
        return BestEvidence(best, items, f"Only {named} so far: no study has tested this claim.", "opinion")
    return BestEvidence(best, items, f"Only {named} so far: no randomised trial or systematic review.", "weak")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def grade_sentence(claim: Claim) -> str:
    """The verdict in GRADE's plain-language wording for the claim's certainty."""
    return vocab.VERDICT_IN_WORDS[claim.verdict][claim.certainty]


@dataclass(frozen=True)
class MatrixCell:
    """The claims of a topic with one verdict and one certainty."""

    claims: tuple[Claim, ...]
    #: Distinct research sources behind those claims.
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


def evidence_matrix(claims: Iterable[Claim]) -> Matrix:
    """Group claims by verdict and certainty and count the distinct sources in each group."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.verdict, claim.certainty), []).append(claim)
    cells = {key: MatrixCell(tuple(cs), len({e.key for c in cs for e in c.evidence})) for key, cs in groups.items()}
    return Matrix(tuple(vocab.VERDICTS), tuple(vocab.CERTAINTIES), cells)
