"""``evidence new``: write a new claim file that already passes ``evidence check``.

Everything a contributor cannot get wrong by typing is filled in (id, topics, cite keys,
relations, vocabularies, the review date); only the plain-language text is left as placeholders,
which are valid so the file checks clean from the first save.
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

from . import assess, signals, vocab
from .project import Project, load_project
from .schema import SLUG_PATTERN, ClaimFile, suggest
from .settings import Settings, today
from .validate import PLACEHOLDER

#: Where the JSON Schema of claim files is published, relative to the project root.
SCHEMA_FILE = "schema/claim.schema.json"
SUMMARY_PLACEHOLDER = f"{PLACEHOLDER} one to three plain sentences on what the research shows."
NOTE_PLACEHOLDER = f"{PLACEHOLDER} what this source shows for the claim."
QUERY_PLACEHOLDER = f"{PLACEHOLDER} the query exactly as you ran it."
FOUND_PLACEHOLDER = f"{PLACEHOLDER} what the search found: the studies that test the claim, or that none does."
DEFAULT_RELATION = "supports"
#: Flags of ``evidence new`` that must have a value, in the order they are asked for.
REQUIRED = ("id", "topic", "statement", "cite", "verdict", "certainty")


class ScaffoldError(Exception):
    """The claim cannot be created; the message is one line saying why."""


@dataclass(frozen=True)
class NewClaim:
    """What a contributor says about a new claim before writing its text."""

    id: str
    topics: tuple[str, ...]
    statement: str
    cites: tuple[tuple[str, str], ...]  # (cite key, relation)
    verdict: str
    certainty: str


def parse_cite(text: str) -> tuple[str, str]:
    """``key`` or ``key:relation`` → ``(key, relation)``; the relation defaults to ``supports``.

    BibTeX keys may themselves contain colons, so only a known relation after the last colon counts.
    """
    key, sep, relation = text.strip().rpartition(":")
    if sep and relation in vocab.RELATIONS:
        return key, relation
    return text.strip(), DEFAULT_RELATION


def split_list(text: str) -> list[str]:
    """Items typed at a prompt, separated by commas or spaces."""
    return [part for part in re.split(r"[,\s]+", text.strip()) if part]


def missing(values: dict[str, object]) -> list[str]:
    """The required flags without a value, as ``--flag`` names."""
    return [f"--{name}" for name in REQUIRED if not values.get(name)]


def ask_missing(values: dict[str, object], project: Project, ask: Callable[[str], str] = input) -> dict[str, object]:
    """Prompt for each missing value, showing the allowed choices where there is a list."""
    g = project.graph
    prompts = {
        "id": "Claim id (lower-case words joined by hyphens, e.g. short-foot-improves-balance): ",
        "topic": f"Topics, separated by commas ({', '.join(g.topics)}): ",
        "statement": "The claim as one neutral sentence: ",
        "cite": "Sources as key or key:relation, separated by commas (relations: " + ", ".join(vocab.RELATIONS) + "): ",
        "verdict": f"Verdict ({', '.join(vocab.VERDICTS)}): ",
        "certainty": f"Certainty ({', '.join(vocab.CERTAINTIES)}): ",
    }
    out = dict(values)
    for name in REQUIRED:
        if out.get(name):
            continue
        answer = ask(prompts[name]).strip()
        out[name] = split_list(answer) if name in {"topic", "cite"} else answer
    return out


def from_values(values: dict[str, object]) -> NewClaim:
    """A :class:`NewClaim` from flag values (lists for ``topic`` and ``cite``)."""

    def items(name: str) -> list[str]:
        value = values.get(name) or []
        return [str(v) for v in (value if isinstance(value, list) else [value])]

    return NewClaim(
        id=str(values.get("id") or "").strip(),
        topics=tuple(items("topic")),
        statement=str(values.get("statement") or "").strip(),
        cites=tuple(parse_cite(c) for c in items("cite")),
        verdict=str(values.get("verdict") or "").strip(),
        certainty=str(values.get("certainty") or "").strip(),
    )


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
    for key, _ in claim.cites:
        if key not in g.references:
            raise ScaffoldError(
                f"unknown cite key {key!r}{suggest(key, g.references)}; add the reference to references.bib first"
            )
        if g.references[key].design == vocab.POPULAR:
            raise ScaffoldError(f"{key!r} is a popular article, not research; cite research as evidence")
    for value, allowed, what in (
        (claim.verdict, vocab.VERDICTS, "verdict"),
        (claim.certainty, vocab.CERTAINTIES, "certainty"),
    ):
        if value not in allowed:
            raise ScaffoldError(f"{value!r} is not a valid {what}{suggest(value, allowed)}; use one of: {', '.join(allowed)}")
    ceiling = assess.ceiling(claim.cites, g.references)
    if assess.certainty_rank(claim.certainty) > assess.certainty_rank(ceiling.level):
        raise ScaffoldError(
            f"certainty {claim.certainty!r} is above what these sources allow, {ceiling.level!r}: {ceiling.explain()}"
        )


def needs_search(claim: NewClaim, project: Project) -> bool:
    """Whether the claim must record a search: unsupported, or no source supports or contradicts it."""
    return claim.verdict == "unsupported" or not assess.ceiling(claim.cites, project.graph.references).design


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
        "evidence:",
    ]
    for key, relation in claim.cites:
        lines += [
            f"  - cite: {_scalar(key)}",
            f"    relation: {relation}",
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


__all__ = ["REQUIRED", "NewClaim", "ScaffoldError", "ask_missing", "create", "from_values", "missing", "parse_cite"]
