"""The resolved evidence graph: immutable records that pages are rendered from.

What a file says (with its path and line) lives in :mod:`mkdocs_evidence.load`; these are the
things after every key is looked up, built once, before any page is rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Person:
    """An author's name, split BibTeX-style and LaTeX-decoded."""

    first: str = ""
    von: str = ""
    last: str = ""
    jr: str = ""

    @property
    def surname(self) -> str:
        """``von last`` as written, e.g. ``van der Zwaard``."""
        return " ".join(p for p in (self.von, self.last) if p)

    @property
    def initials(self) -> str:
        """Vancouver initials without dots: ``Patrick O.`` → ``PO``, ``Jean-Luc`` → ``JL``."""
        parts = self.first.replace("-", " ").replace(".", " ").split()
        return "".join(p[0] for p in parts if p and p[0].isalpha())


@dataclass(frozen=True)
class Reference:
    """A source from references.bib: a research paper or a popular article."""

    key: str
    entry_type: str
    fields: Mapping[str, str]
    authors: tuple[Person, ...]
    path: str
    line: int
    #: The entry as clean BibTeX for "cite this": macros expanded, LaTeX kept, project-only fields left out.
    bibtex: str = ""
    #: The author list ends in "and others": more authors than ``authors`` names ("et al.").
    et_al: bool = False

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # The bibliography is parsed in a worker process in big projects; a read-only mapping
        # cannot be pickled, so the fields travel as a plain dict and are made read-only again.
        values = (self.key, self.entry_type, dict(self.fields), self.authors, self.path, self.line, self.bibtex, self.et_al)
        return _unpickle_reference, values

    def get(self, name: str) -> str:
        """A field's decoded value, or an empty string."""
        return self.fields.get(name, "")

    @property
    def title(self) -> str:
        """The title, or the key when the entry has none."""
        return self.get("title") or self.key

    @property
    def year(self) -> str:
        """Publication year (biblatex's ``date`` fills ``year`` when the entry has none)."""
        return self.get("year") or self.get("date")[:4]

    @property
    def design(self) -> str:
        """Study design from the ``design`` field (see :data:`mkdocs_evidence.vocab.DESIGNS`)."""
        return self.get("design")

    @property
    def participants(self) -> int | None:
        """How many people the study included (the ``participants`` field), when the record states it."""
        value = self.get("participants")
        return int(value) if value.isdigit() and int(value) > 0 else None

    @property
    def studies(self) -> int | None:
        """How many studies a review included (the ``studies`` field), when the record states it."""
        value = self.get("studies")
        return int(value) if value.isdigit() and int(value) > 0 else None

    @property
    def pooled(self) -> tuple[str, ...]:
        """The designs a systematic review or meta-analysis pooled (the ``pooled`` field, comma-separated)."""
        return tuple(d.strip() for d in self.get("pooled").split(",") if d.strip())

    @property
    def doi(self) -> str:
        """The DOI without a resolver prefix."""
        doi = self.get("doi")
        for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
            if doi.lower().startswith(prefix):
                return doi[len(prefix) :]
        return doi


def _unpickle_reference(
    key: str, entry_type: str, fields: dict[str, str], authors: tuple[Person, ...], path: str, line: int, bibtex: str, et_al: bool
) -> Reference:
    return Reference(key, entry_type, MappingProxyType(fields), authors, path, line, bibtex, et_al)


@dataclass(frozen=True)
class Evidence:
    """A research source behind a claim, and how it bears on it.

    For a cited finding, ``relation`` is derived (its direction against the claim's), never typed.
    """

    key: str
    relation: str
    locator: str = ""
    note: str = ""
    #: The finding's id in the study's appraisal, or "" for a source cited as background.
    finding: str = ""
    #: ``direct`` or ``indirect`` (GRADE's directness, judged for this claim), for a finding.
    directness: str = ""
    #: For an indirect finding: the parts of the question that differ (population, exposure, comparison, outcome).
    differs: tuple[str, ...] = ()
    #: ``exposure`` or ``outcome`` when the finding measures the opposite of the claim's, so its direction reads reversed.
    opposite: str = ""


@dataclass(frozen=True)
class Effect:
    """An effect as the paper reports it: its words, and the numbers where given (as printed)."""

    text: str
    measure: str = ""
    estimate: str = ""
    ci: tuple[str, str] | None = None
    p: str = ""


@dataclass(frozen=True)
class Finding:
    """One result of a study: one outcome, one exposure, one comparison, one direction."""

    study: str
    id: str
    outcome: str
    exposure: str
    direction: str
    effect: Effect
    locator: str
    comparison: str = ""
    population: str = ""
    analysed: int | None = None

    @property
    def ref(self) -> str:
        """``key#id``, as claims cite it."""
        return f"{self.study}#{self.id}"


@dataclass(frozen=True)
class Domain:
    """One risk-of-bias domain: its name in the tool, the judgement and why."""

    domain: str
    judgement: str
    reason: str


@dataclass(frozen=True)
class Identity:
    """The official record that confirms a study's identity, and what was seen on it."""

    record: str
    id: str
    seen: dt.date
    fields: tuple[str, ...]
    unseen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """A study's appraisal: what the project judges about it, once, for every claim."""

    key: str
    design: str
    population: str
    identity: Identity
    tool: str
    path: str
    appraised: dt.date
    appraised_by: str
    domains: tuple[Domain, ...] = ()
    overall: str = ""
    rob_reason: str = ""
    findings: tuple[Finding, ...] = ()
    pooled: tuple[str, ...] = ()
    studies: int | None = None
    participants: int | None = None
    setting: str = ""
    second_reader: str = ""
    notes: str = ""

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, or None."""
        return next((f for f in self.findings if f.id == finding_id), None)


@dataclass(frozen=True)
class Question:
    """What a claim asserts, in GRADE's terms."""

    population: str
    exposure: str
    outcome: str
    direction: str
    comparison: str = ""
    size: str = ""
    kind: str = "effect"


@dataclass(frozen=True)
class Appearance:
    """Where a claim circulates, quoted as stated, with any flags."""

    key: str
    quote: str
    flags: tuple[str, ...] = ()
    flag_note: str = ""


@dataclass(frozen=True)
class Grading:
    """A GRADE reason to rate certainty down or up, with the contributor's explanation."""

    reason: str
    note: str = ""
    #: Levels this reason costs (2 for a very serious problem; downgrades only).
    levels: int = 1


@dataclass(frozen=True)
class Search:
    """A search made for research that tests a claim."""

    source: str
    query: str
    date: dt.date
    found: str
    #: PMIDs or DOIs the search found and judged not to test the claim (``evidence watch`` leaves them out).
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A notice published about a study (from the watch record): a retraction, an expression of concern or a correction."""

    kind: str
    date: dt.date
    doi: str
    label: str = ""

    @property
    def url(self) -> str:
        """The notice's address."""
        return f"https://doi.org/{self.doi}"


@dataclass(frozen=True)
class NewRecord:
    """A record a search found when it was run again, that the claim neither cites nor excluded."""

    pmid: str
    title: str
    year: str = ""
    doi: str = ""


@dataclass(frozen=True)
class SearchRun:
    """A claim's recorded search, run again by ``evidence watch``."""

    query: str
    since: dt.date
    run: dt.date
    new: tuple[NewRecord, ...] = ()


@dataclass(frozen=True)
class Correction:
    """A recorded change to a published claim."""

    date: dt.date
    what: str
    why: str


@dataclass(frozen=True)
class Claim:
    """A resolved claim: only known references, topics and related claims remain."""

    id: str
    statement: str
    topics: tuple[str, ...]
    verdict: str
    certainty: str
    summary: str
    reviewed: dt.date
    path: str
    reason: str = ""
    #: One plain sentence for a lay reader (optional in files; pages fall back to the GRADE sentence).
    bottom_line: str = ""
    evidence: tuple[Evidence, ...] = ()
    appearances: tuple[Appearance, ...] = ()
    related: tuple[str, ...] = ()
    downgrades: tuple[Grading, ...] = ()
    upgrades: tuple[Grading, ...] = ()
    #: Domains the computed profile rates down that the reviewers judge not serious (reason, why).
    overrides: tuple[Grading, ...] = ()
    asserts: Question | None = None
    searches: tuple[Search, ...] = ()
    corrections: tuple[Correction, ...] = ()

    @property
    def modified(self) -> dt.date:
        """When the review last changed: the latest correction, or the review date."""
        return max([self.reviewed, *(c.date for c in self.corrections)])


@dataclass(frozen=True)
class Topic:
    """A topic: its title, one-line description and introduction (Markdown)."""

    id: str
    title: str
    description: str = ""
    intro: str = ""
    intro_path: str = ""


@dataclass(frozen=True)
class Term:
    """A glossary entry: the term, other forms of it, and its definition (Markdown)."""

    term: str
    definition: str
    also: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The entry's id on the glossary page: ``navicular-drop``."""
        return "term-" + "-".join("".join(ch if ch.isalnum() else " " for ch in self.term.lower()).split())


@dataclass(frozen=True)
class Citation:
    """One use of a reference by a claim (the reverse of an evidence or appearance link)."""

    claim: str
    relation: str  # a relation from vocab.RELATIONS, or "appears" for an appearance


@dataclass(frozen=True)
class Graph:
    """Everything the pages need, resolved once. Mappings are read-only and sorted by id."""

    claims: Mapping[str, Claim]
    references: Mapping[str, Reference]
    topics: Mapping[str, Topic]
    cited_by: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)
    claims_by_topic: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Study appraisals by cite key.
    studies: Mapping[str, Study] = field(default_factory=dict)
    #: The site's glossary, in the order of its file (empty: no glossary).
    glossary: tuple[Term, ...] = ()
    #: Notices about references (retractions, corrections, …) from the watch record, by cite key.
    notices: Mapping[str, tuple[Notice, ...]] = field(default_factory=dict)
    #: Searches run again by ``evidence watch``, by claim id.
    search_runs: Mapping[str, tuple[SearchRun, ...]] = field(default_factory=dict)

    def retraction(self, key: str) -> Notice | None:
        """The retraction of this reference, when the watch record holds one."""
        return next((n for n in self.notices.get(key, ()) if n.kind == "retraction"), None)
