"""``evidence new``: write a new claim file that already passes ``evidence check``.

Everything a contributor cannot get wrong by typing is filled in (id, topics, the findings it cites
and the background it mentions, the direction it asserts, vocabularies, the review date); only the
plain-language text is left as placeholders, which are valid so the file checks clean from the first
save. The verdict must follow the cited findings and the certainty must be their computed profile's,
as ``evidence check`` will require.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from . import profile, signals, vocab
from .graph import derive_relation
from .model import Claim, Evidence, Question
from .project import Project, load_project
from .schema import FINDING_PATTERN, SLUG_PATTERN, ClaimFile, suggest
from .settings import Settings, today
from .validate import PLACEHOLDER
from .validate_studies import verdict_problem

#: Where the JSON Schema of claim files is published, relative to the project root.
SCHEMA_FILE = "schema/claim.schema.json"
SUMMARY_PLACEHOLDER = f"{PLACEHOLDER} one to three plain sentences on what the research shows."
NOTE_PLACEHOLDER = f"{PLACEHOLDER} what this source shows for the claim."
FINDING_NOTE_PLACEHOLDER = f"{PLACEHOLDER} what this finding shows for the claim."
QUERY_PLACEHOLDER = f"{PLACEHOLDER} the query exactly as you ran it."
FOUND_PLACEHOLDER = f"{PLACEHOLDER} what the search found: the studies that test the claim, or that none does."
POPULATION_PLACEHOLDER = f"{PLACEHOLDER} who the claim is about."
EXPOSURE_PLACEHOLDER = f"{PLACEHOLDER} the exposure or intervention the claim names."
OUTCOME_PLACEHOLDER = f"{PLACEHOLDER} the outcome, worded as the findings word it."
#: Flags of ``evidence new`` that must have a value, in the order they are asked for. ``finding`` is
#: satisfied by ``--finding`` or ``--mentions``; ``direction`` is needed only when a finding is cited.
REQUIRED = ("id", "topic", "statement", "finding", "direction", "verdict", "certainty")
#: How each requirement is named in "missing ..." messages.
FLAG_NAMES = {"finding": "--finding or --mentions"}


class ScaffoldError(Exception):
    """The claim cannot be created; the message is one line saying why."""


@dataclass(frozen=True)
class NewClaim:
    """What a contributor says about a new claim before writing its text."""

    id: str
    topics: tuple[str, ...]
    statement: str
    #: Cited findings, ``<cite key>#<finding id>``.
    findings: tuple[str, ...]
    #: Sources cited as background (``relation: mentions``).
    mentions: tuple[str, ...]
    #: What the claim says the exposure does to the outcome (needed with findings), or "".
    direction: str
    verdict: str
    certainty: str


def split_list(text: str) -> list[str]:
    """Items typed at a prompt, separated by commas or spaces."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def _needed(name: str, values: dict[str, object]) -> bool:
    if name == "finding":
        return not values.get("finding") and not values.get("mentions")
    if name == "direction":
        return bool(values.get("finding")) and not values.get("direction")
    return not values.get(name)


def missing(values: dict[str, object]) -> list[str]:
    """The required flags without a value, as ``--flag`` names."""
    return [FLAG_NAMES.get(name, f"--{name}") for name in REQUIRED if _needed(name, values)]


def ask_missing(values: dict[str, object], project: Project, ask: Callable[[str], str] = input) -> dict[str, object]:
    """Prompt for each missing value, showing the allowed choices where there is a list."""
    g = project.graph
    prompts = {
        "id": "Claim id (lower-case words joined by hyphens, e.g. x-improves-y): ",
        "topic": f"Topics, separated by commas ({', '.join(g.topics)}): ",
        "statement": "The claim as one neutral sentence: ",
        "finding": "Findings that test the claim, as key#id separated by commas (Enter for none): ",
        "mentions": "Sources cited as background only, as keys separated by commas: ",
        "direction": f"What the claim says the exposure does to the outcome ({', '.join(vocab.DIRECTIONS)}): ",
        "verdict": f"Verdict ({', '.join(vocab.VERDICTS)}): ",
        "certainty": f"Certainty ({', '.join(vocab.CERTAINTIES)}): ",
    }
    out = dict(values)
    for name in REQUIRED:
        if not _needed(name, out):
            continue
        answer = ask(prompts[name]).strip()
        out[name] = split_list(answer) if name in {"topic", "finding"} else answer
        if name == "finding" and not out[name]:
            out["mentions"] = split_list(ask(prompts["mentions"]))
    return out


def from_values(values: dict[str, object]) -> NewClaim:
    """A :class:`NewClaim` from flag values (lists for ``topic``, ``finding`` and ``mentions``)."""

    def items(name: str) -> list[str]:
        value = values.get(name) or []
        return [str(v).strip() for v in (value if isinstance(value, list) else [value])]

    return NewClaim(
        id=str(values.get("id") or "").strip(),
        topics=tuple(items("topic")),
        statement=str(values.get("statement") or "").strip(),
        findings=tuple(items("finding")),
        mentions=tuple(items("mentions")),
        direction=str(values.get("direction") or "").strip(),
        verdict=str(values.get("verdict") or "").strip(),
        certainty=str(values.get("certainty") or "").strip(),
    )


def _check_source(key: str, project: Project) -> None:
    g = project.graph
    if key not in g.references:
        raise ScaffoldError(f"unknown cite key {key!r}{suggest(key, g.references)}; add the reference to references.bib first")
    if g.references[key].design == vocab.POPULAR:
        raise ScaffoldError(f"{key!r} is a popular article, not research; cite research as evidence")
    if key not in g.studies:
        folder = project.settings.display(project.settings.studies_dir)
        raise ScaffoldError(f"{key!r} has no appraisal: write {folder}/{key}.yml first (see CONTRIBUTING.md)")


def check(claim: NewClaim, project: Project) -> None:
    """Raise :class:`ScaffoldError` for the first thing that would make the new file fail the check."""
    g, settings = project.graph, project.settings
    if not re.fullmatch(SLUG_PATTERN, claim.id):
        raise ScaffoldError(f"id {claim.id!r} is not a slug (lower-case letters, digits and single hyphens)")
    target = claim_path(settings, claim.id)
    if claim.id in g.claims or target.exists() or target.with_suffix(".yaml").exists():
        raise ScaffoldError(f"a claim with id {claim.id!r} already exists ({settings.display(target)})")
    for topic in claim.topics:
        if topic not in g.topics:
            raise ScaffoldError(f"unknown topic {topic!r}{suggest(topic, g.topics)}; topics: {', '.join(g.topics)}")
    for ref in claim.findings:
        if not re.fullmatch(FINDING_PATTERN, ref):
            raise ScaffoldError(f"{ref!r} is not a finding: write <cite key>#<finding id>, e.g. smith2020trial#main-outcome")
        key, _, finding_id = ref.partition("#")
        _check_source(key, project)
        study = g.studies[key]
        if study.finding(finding_id) is None:
            ids = [f.id for f in study.findings]
            raise ScaffoldError(f"{study.path} has no finding {finding_id!r}{suggest(finding_id, ids)}")
    for key in claim.mentions:
        _check_source(key, project)
    for value, allowed, what in (
        *(((claim.direction, vocab.DIRECTIONS, "direction"),) if claim.findings else ()),
        (claim.verdict, vocab.VERDICTS, "verdict"),
        (claim.certainty, vocab.CERTAINTIES, "certainty"),
    ):
        if value not in allowed:
            raise ScaffoldError(f"{value!r} is not a valid {what}{suggest(value, allowed)}; use one of: {', '.join(allowed)}")
    p = claim_profile(claim, project)
    problem = verdict_problem(claim.verdict, p, "")
    if problem:
        raise ScaffoldError(f"verdict {claim.verdict!r}: {problem}")
    if claim.certainty != p.level:
        raise ScaffoldError(f"certainty {claim.certainty!r} is not what these findings give, {p.level!r}: {p.explain()}")


def claim_profile(claim: NewClaim, project: Project) -> profile.Profile:
    """The evidence profile the new claim will have (its findings taken as direct; no reviewers' notes yet)."""
    g = project.graph
    evidence: list[Evidence] = []
    for ref in claim.findings:
        key, _, finding_id = ref.partition("#")
        found = g.studies[key].finding(finding_id)
        assert found is not None  # checked
        relation = derive_relation(claim.direction, found.direction)
        evidence.append(Evidence(key, relation, found.locator, "", finding_id, "direct"))
    evidence += [Evidence(key, "mentions") for key in claim.mentions]
    asserts = Question("", "", "", claim.direction) if claim.direction else None
    resolved = Claim(
        claim.id,
        claim.statement,
        claim.topics,
        claim.verdict,
        claim.certainty,
        "",
        today(),
        "",
        evidence=tuple(evidence),
        asserts=asserts,
    )
    return profile.compute(resolved, g)


def needs_search(claim: NewClaim, project: Project) -> bool:
    """Whether the claim must record a search: unsupported, or no cited finding tests it."""
    return claim.verdict == "unsupported" or not claim_profile(claim, project).tested


def claim_path(settings: Settings, claim_id: str) -> Path:
    """Where the file of a claim with this id lives."""
    return settings.claims_dir / f"{claim_id}.yml"


def _scalar(value: object) -> str:
    """One YAML scalar, quoted only when needed (PyYAML knows the rules)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").rstrip("\n")


def claim_text(claim: NewClaim, schema_ref: str, reviewed: dt.date, *, search: bool = False) -> str:
    """The new file: fields in the documented order, optional fields as comments."""
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"id: {_scalar(claim.id)}",
        f"statement: {_scalar(claim.statement)}",
        f"topics: [{', '.join(_scalar(t) for t in claim.topics)}]",
        f"verdict: {_scalar(claim.verdict)}",
        f"certainty: {_scalar(claim.certainty)}",
        "# reason: One line on why this verdict.",
        f"summary: {_scalar(SUMMARY_PLACEHOLDER)}",
    ]
    if claim.findings:
        lines += [
            "asserts:  # what the claim says, in the terms of the findings it cites",
            f"  population: {_scalar(POPULATION_PLACEHOLDER)}",
            f"  exposure: {_scalar(EXPOSURE_PLACEHOLDER)}",
            "  # comparison: what it is compared with",
            f"  outcome: {_scalar(OUTCOME_PLACEHOLDER)}",
            f"  direction: {claim.direction}",
        ]
    lines.append("evidence:")
    for ref in claim.findings:
        lines += [
            f"  - finding: {_scalar(ref)}",
            "    # indirect when the finding's population, exposure, comparison or outcome differs from the claim's:",
            "    # then list them, e.g. differs: [outcome], and say why in the note",
            "    directness: direct",
            f"    note: {_scalar(FINDING_NOTE_PLACEHOLDER)}",
        ]
    for key in claim.mentions:
        lines += [
            f"  - cite: {_scalar(key)}",
            "    relation: mentions",
            '    # locator: "Table 2"',
            f"    note: {_scalar(NOTE_PLACEHOLDER)}",
        ]
    if search:
        # "No study found" must say where nobody found one: the contributor fills in the search they ran.
        lines += [
            "searches:",
            "  - source: PubMed",
            f"    query: {_scalar(QUERY_PLACEHOLDER)}",
            f"    date: {reviewed.isoformat()}",
            f"    found: {_scalar(FOUND_PLACEHOLDER)}",
        ]
    lines += [
        "# appearances:                  # where the claim circulates, quoted exactly",
        "#   - cite: article-key",
        '#     quote: "the words, copied exactly"',
        "# related: [other-claim-id]",
        f"reviewed: {reviewed.isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so no half-written claim is ever seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a claim file is an ordinary file in the repository
        signals.pause("claim-before-rename")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create(claim: NewClaim, settings: Settings) -> Path:
    """Check the claim against the project, write its file and check the result; return its path."""
    project = load_project(settings)
    check(claim, project)
    target = claim_path(settings, claim.id)
    schema_ref = os.path.relpath(settings.root / SCHEMA_FILE, target.parent).replace(os.sep, "/")
    text = claim_text(claim, schema_ref, today(), search=needs_search(claim, project))
    try:
        ClaimFile.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScaffoldError(f"{where}: {first['msg']}") from None
    write_atomically(target, text)
    # Belt and braces: the file must pass the same check contributors will run next, but for the text
    # left for them to write, which the check reports until it is written (placeholder-text).
    display = settings.display(target)
    errors = [
        i
        for i in load_project(settings).issues
        if i.path == display and i.severity.value == "error" and i.code != "placeholder-text"
    ]
    if errors:
        target.unlink()
        raise ScaffoldError(errors[0].format())
    return target


__all__ = ["REQUIRED", "NewClaim", "ScaffoldError", "ask_missing", "claim_profile", "create", "from_values", "missing"]
