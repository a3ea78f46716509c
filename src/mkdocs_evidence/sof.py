"""What readers see of a claim's evidence profile and of a study's appraisal: plain records for the templates.

The claim page, the clinician handout and ``claims.json`` show the same
:class:`~mkdocs_evidence.profile.Profile`; this module only arranges it for reading (footnote
markers, the robvis row of a study, which claims use each finding). No I/O and no judgement: every
level and reason comes from :mod:`mkdocs_evidence.profile`.
"""

from __future__ import annotations

import dataclasses
import string
from dataclasses import dataclass

from . import assess, profile, vocab
from .model import Claim, Domain, Finding, Graph, Study

#: What the table says when nothing tests the claim, and when everything that tests it found no effect.
NOT_TESTED = "not-tested"
NO_EFFECT = "no-effect"
TESTED = "tested"

#: robvis' judgement symbols, so the row reads without colour: + low, ! some concerns, − high, ? unknown.
ROB_SYMBOLS = {"low": "+", "some-concerns": "!", "high": "−", "": "?"}
ROB_WORDS = {"low": "Low risk of bias", "some-concerns": "Some concerns", "high": "High risk of bias", "": "No information"}


@dataclass(frozen=True)
class Footnote:
    """One GRADE domain the table marks: rated down (with the engine's reason and the reviewers' note), or overridden."""

    marker: str
    domain: str
    levels: int
    why: str
    note: str = ""
    override: str = ""


@dataclass(frozen=True)
class Summary:
    """A claim's summary of findings: the profile, whether anything tests the claim, and the table's footnotes."""

    profile: profile.Profile
    status: str
    footnotes: tuple[Footnote, ...]
    #: Design labels of the studies whose findings test the claim, strongest first, each once.
    designs: tuple[str, ...]
    #: Upgrades that count, with the reviewers' notes (GRADE allows them only for non-randomised evidence).
    upgrades: tuple[tuple[str, str], ...] = ()

    @property
    def tested(self) -> bool:
        """Whether any cited finding supports or contradicts the claim."""
        return self.status != NOT_TESTED


def summary(claim: Claim, graph: Graph) -> Summary:
    """The summary of findings of a claim, from its computed profile."""
    p = profile.compute(claim, graph)
    marked = [r for r in p.ratings if r.levels or r.override]
    notes = tuple(Footnote(_marker(i), r.domain, r.levels, r.why, r.note, r.override) for i, r in enumerate(marked))
    designs = tuple(dict.fromkeys(vocab.DESIGN_LABELS.get(t.study.design, t.study.design) for t in p.tested))
    counted = [u for u in claim.upgrades][: p.upgrades]
    return Summary(p, _status(p), notes, designs, tuple((u.reason, u.note) for u in counted))


def _status(p: profile.Profile) -> str:
    if not p.tested:
        return NOT_TESTED
    # "Tested, and the studies found no such effect": every finding contradicts by finding no difference.
    if all(t.evidence.relation == "contradicts" and t.finding.direction == "no-difference" for t in p.tested):
        return NO_EFFECT
    return TESTED


def _marker(index: int) -> str:
    """Footnote markers a, b, c, … (GRADE's tables letter their footnotes); five domains never run out."""
    return string.ascii_lowercase[index]


def certainty_reason(s: Summary, claim: Claim) -> str:
    """Why the claim has its certainty, for readers: where GRADE starts for the findings that test it and what moved it."""
    p = s.profile
    if not p.design:
        return "no finding cited here tests the claim, so GRADE allows no more than very low"
    label = vocab.DESIGN_LABELS.get(p.design, "study of unrecorded design").lower()
    article = "an" if label[0] in "aeiou" else "a"
    text = f"the strongest findings that test the claim come from {article} {label}, where GRADE starts at {_words(p.start)}"
    moves = []
    if p.down:
        moves.append(f"rated down {_levels(p.down)} (see the notes under the summary of findings)")
    if p.upgrades:
        moves.append(f"rated up {_levels(p.upgrades)}")
    if assess.certainty_rank(claim.certainty) < assess.certainty_rank(p.level):
        moves.append("judged lower still by the reviewers")
    return text + ("; " + "; ".join(moves) if moves else "")


def _words(level: str) -> str:
    return level.replace("-", " ")


def _levels(n: int) -> str:
    return "one level" if n == 1 else f"{n} levels"


def tested_view(claim: Claim, s: Summary) -> Claim:
    """The claim with only the support and contradiction its profile counts (background and the rest kept).

    The tally and the best-evidence box read this, so they never name as testing a source the profile
    does not (a relation typed by hand, a finding that no longer resolves).
    """
    counted = {(t.evidence.key, t.evidence.finding) for t in s.profile.tested}
    kept = tuple(e for e in claim.evidence if e.relation not in vocab.TESTING_RELATIONS or (e.key, e.finding) in counted)
    return dataclasses.replace(claim, evidence=kept)


# ---------------------------------------------------------------- a study's appraisal on its source page


@dataclass(frozen=True)
class RobCell:
    """One column of the robvis row: D1…Dn, then Overall."""

    code: str
    name: str
    judgement: str
    reason: str

    @property
    def symbol(self) -> str:
        return ROB_SYMBOLS.get(self.judgement, "?")

    @property
    def words(self) -> str:
        return ROB_WORDS.get(self.judgement, ROB_WORDS[""])


@dataclass(frozen=True)
class FindingUse:
    """A finding with the claims that cite it, each with the relation derived for it."""

    finding: Finding
    claims: tuple[tuple[Claim, str], ...]


@dataclass(frozen=True)
class Appraisal:
    """What a source page shows of a study's appraisal."""

    study: Study
    rob: tuple[RobCell, ...]
    findings: tuple[FindingUse, ...]


def rob_cells(study: Study) -> tuple[RobCell, ...]:
    """The study's domains as D1…Dn with the tool's names for them, then Overall (``?`` when not judged)."""
    names = vocab.ROB_TOOLS.get(study.tool, {})
    cells = [RobCell(f"D{i}", _domain_name(d, names), d.judgement, d.reason) for i, d in enumerate(study.domains, 1)]
    if study.domains or study.overall:
        cells.append(RobCell("Overall", "", study.overall, study.rob_reason))
    return tuple(cells)


def _domain_name(d: Domain, names: dict[str, str]) -> str:
    return names.get(d.domain, d.domain.replace("-", " ").capitalize()).rstrip(".")


def appraisal(graph: Graph, key: str, users: dict[str, list[tuple[str, str]]] | None = None) -> Appraisal | None:
    """The appraisal of the study ``key`` for its source page, or None when it has none."""
    study = graph.studies.get(key)
    if study is None:
        return None
    users = profile.finding_users(graph) if users is None else users
    findings = tuple(
        FindingUse(f, tuple((graph.claims[c], rel) for c, rel in users.get(f.ref, ()) if c in graph.claims))
        for f in study.findings
    )
    return Appraisal(study, rob_cells(study), findings)


def record_link(study: Study) -> str:
    """The address of the identity record ("" when its id is not one a reader can follow)."""
    i = study.identity
    if i.record == "pubmed":
        return f"https://pubmed.ncbi.nlm.nih.gov/{i.id}/"
    if i.record == "pmc":
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{i.id}/"
    if i.record == "crossref":
        return f"https://doi.org/{i.id}"
    return i.id if i.id.startswith("https://") else ""
