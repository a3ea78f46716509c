"""The shape of a claim file and of the topics file, as pydantic models.

The models say what a file may contain (fields, types, vocabularies); cross-file checks such as
"does this cite key exist" live in :mod:`mkdocs_evidence.validate`. The same models produce the
JSON Schema that editors use while a contributor types.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from . import vocab
from .yamlsrc import LineMap, Loc

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_:.\-]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]
CiteKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def suggest(word: str, choices: Any) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _in(values: Mapping[str, str], what: str) -> Any:
    """An annotated ``str`` restricted to a vocabulary, with a did-you-mean message."""

    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError(
                "vocabulary",
                # pydantic fills in {name} placeholders only, without format specs: quote the value here.
                "{value} is not a valid {what}{hint}; use one of: {choices}",
                {"value": repr(value), "what": what, "hint": suggest(value, values), "choices": ", ".join(values)},
            )
        return value

    schema = {
        "type": "string",
        "enum": list(values),
        "description": f"One {what}: " + "; ".join(f"{k}: {v}" for k, v in values.items()),
    }
    return Annotated[str, AfterValidator(check), WithJsonSchema(schema)]


Verdict = _in(vocab.VERDICTS, "verdict")
Certainty = _in(vocab.CERTAINTIES, "certainty")
Relation = _in(vocab.RELATIONS, "relation")
Flag = _in(vocab.FLAGS, "flag")
Design = _in(vocab.DESIGNS, "study design")
Downgrade = _in(vocab.DOWNGRADES, "reason to rate certainty down")
Upgrade = _in(vocab.UPGRADES, "reason to rate certainty up")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: ``<cite key>#<finding id>``: a finding of a study appraisal.
FINDING_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_:.\-]*#[a-z0-9]+(?:-[a-z0-9]+)*$"
FindingRef = Annotated[str, StringConstraints(pattern=FINDING_PATTERN, max_length=201)]
Directness = _in(vocab.DIRECTNESS, "directness")
QuestionPart = _in(vocab.QUESTION_PARTS, "part of the question")
Direction = _in(vocab.DIRECTIONS, "direction")
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class EvidenceItem(_Strict):
    """A finding that bears on the claim (``finding``), or a source cited as background (``cite``, ``mentions``).

    Whether a finding supports or contradicts the claim is not typed here: it follows from the
    finding's direction against the claim's (``asserts``), the same on every claim that cites it.
    """

    finding: FindingRef | None = Field(
        None, description="`<cite key>#<finding id>`: a finding in content/studies/<cite key>.yml that tests the claim."
    )
    directness: Directness | None = Field(  # type: ignore[valid-type]
        None, description="For a finding: direct, or indirect when the population, exposure, comparison or outcome differs."
    )
    differs: list[QuestionPart] = Field(  # type: ignore[valid-type]
        default_factory=list, description="For an indirect finding: which parts of the question differ from the claim's."
    )
    opposite: Annotated[str, StringConstraints(pattern=r"^(exposure|outcome)$")] | None = Field(
        None,
        description="For a finding that measures the opposite of the claim's exposure (stopping what the claim says to "
        "start) or outcome (the share who pass for a claim about the share who fail): its direction is read the other "
        "way for this claim.",
    )
    cite: CiteKey | None = Field(
        None, description="Key of a source in references.bib cited as background (with `relation: mentions`)."
    )
    relation: Relation | None = Field(  # type: ignore[valid-type]
        None,
        description="Only `mentions`, for background that does not test the claim; a finding's support or contradiction "
        "is derived (check: relation-typed-by-hand).",
    )
    locator: Text | None = Field(
        None,
        description="Where in the source: page, table, figure or 'abstract'; needed when the note states a figure "
        "(check: number-without-locator). A finding carries its own.",
    )
    note: Text | None = Field(None, description="What this source shows for this claim, in plain words.")

    @property
    def key(self) -> str:
        """The cited reference's key (of the finding's study, or of the background source)."""
        return self.finding.partition("#")[0] if self.finding else (self.cite or "")

    @property
    def finding_id(self) -> str:
        """The finding's id within its study, or "" for background."""
        return self.finding.partition("#")[2] if self.finding else ""


class QuestionItem(_Strict):
    """What the claim asserts, in GRADE's terms: the question its evidence must answer."""

    population: Short = Field(description="Who the claim is about.")
    exposure: Short = Field(description="The exposure or intervention.")
    comparison: Short | None = Field(None, description="What it is compared with.")
    outcome: Short = Field(description="The outcome, worded as the findings word it (e.g. 'reaction time').")
    direction: Direction = Field(  # type: ignore[valid-type]
        description="What the claim says the exposure does to the outcome: increases, decreases or no-difference."
    )
    size: Short | None = Field(
        None, description="The effect's size as the statement gives it ('40 %'); a supported claim needs a finding that shows it."
    )
    kind: Annotated[str, StringConstraints(pattern=r"^(effect|descriptive)$")] = Field(
        "effect",
        description="effect (the default), or descriptive for a claim about how things are rather than what causes what.",
    )


class OverrideItem(_Strict):
    """A GRADE domain the computed profile rates down that the reviewers judge not serious, with why."""

    reason: Downgrade = Field(description="The domain judged not serious.")  # type: ignore[valid-type]
    note: Text = Field(description="Why, in plain words (shown to readers).")


class AppearanceItem(_Strict):
    """A place where the claim circulates, quoted exactly as stated there."""

    cite: CiteKey = Field(description="Key of the article in references.bib.")
    quote: Text = Field(
        description="The article's words, verbatim: checked against the article's snapshot (check: quote-not-verbatim)."
    )
    flags: list[Flag] = Field(default_factory=list, description="Problems with how the claim is made here.")  # type: ignore[valid-type]
    flag_note: Text | None = Field(None, description="Plain words explaining the flags.")


class DowngradeItem(_Strict):
    """A GRADE reason the certainty is lower than the study design alone would allow."""

    reason: Downgrade = Field(description="Why certainty is rated down one level.")  # type: ignore[valid-type]
    note: Text | None = Field(None, description="Plain words: what the problem is in these studies.")
    levels: Annotated[int, Field(ge=1, le=2)] = Field(
        1, description="1 for a serious problem, 2 for a very serious one (GRADE rates a domain down at most two levels)."
    )


class UpgradeItem(_Strict):
    """A GRADE reason to rate certainty up one level; shown to readers, so it needs a note."""

    reason: Upgrade = Field(description="Why certainty is rated up one level.")  # type: ignore[valid-type]
    note: Text = Field(description="Plain words: what in the studies justifies rating up.")


class SearchItem(_Strict):
    """A search made for research that tests the claim, so "no study found" says where nobody found one."""

    source: Text = Field(description="Where was searched, e.g. PubMed.")
    query: Text = Field(description="The query exactly as run.")
    date: dt.date = Field(description="When it was run (YYYY-MM-DD).")
    found: Text = Field(description="What it found: the relevant studies, or that none tests the claim.")
    excluded: list[Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,9}$|^10\.\d{4,9}/\S+$", max_length=300)]] = Field(
        default_factory=list,
        description="PMIDs or DOIs of records this search found and judged not to test the claim: `evidence watch` "
        "does not list them again when it re-runs the search.",
    )


class CorrectionItem(_Strict):
    """A change to the claim's verdict, certainty or sources after it was first published."""

    date: dt.date = Field(description="When the change was made (YYYY-MM-DD).")
    what: Text = Field(description="What changed, e.g. 'certainty moderate → low'.")
    why: Text = Field(description="Why it changed.")


class ClaimFile(_Strict):
    """A claim file under ``content/claims/``: one claim, its verdict and its sources."""

    id: Slug = Field(description="Slug naming the claim; equals the file name without `.yml`.")
    statement: Text = Field(description="The claim, as one neutral sentence.")
    topics: list[Slug] = Field(min_length=1, description="Topic ids from content/topics.yml.")
    verdict: Verdict = Field(description="How the claim as stated holds up.")  # type: ignore[valid-type]
    certainty: Certainty = Field(  # type: ignore[valid-type]
        description=(
            "GRADE certainty of the research behind the verdict: the level of the computed evidence profile, "
            "after the reviewers' recorded downgrades and overrides (check: certainty-differs-from-profile)."
        )
    )
    asserts: QuestionItem | None = Field(
        None,
        description="What the claim asserts: population, exposure, comparison, outcome and direction (needed to cite findings).",
    )
    downgrades: list[DowngradeItem] = Field(
        default_factory=list,
        description="Reviewers' notes on GRADE domains: a domain the profile rates down gets the note as its footnote; "
        "one it does not rate down is rated down one level more for each entry.",
    )
    overrides: list[OverrideItem] = Field(
        default_factory=list,
        description="Domains the computed profile rates down that the reviewers judge not serious, with why.",
    )
    upgrades: list[UpgradeItem] = Field(
        default_factory=list, description="GRADE reasons certainty is rated up, each one level above the design's start."
    )
    reason: Text | None = Field(None, description="One line on why this verdict.")
    bottom_line: Text | None = Field(
        None,
        description="One plain sentence for a lay reader: what this means for them (shown first on the page and in handouts).",
    )
    summary: Text = Field(description="One to three plain-language sentences on what the research shows.")
    evidence: list[EvidenceItem] = Field(default_factory=list, description="Research behind the verdict (at least one).")
    appearances: list[AppearanceItem] = Field(default_factory=list, description="Where the claim circulates, quoted.")
    related: list[Slug] = Field(default_factory=list, description="Ids of related claims.")
    searches: list[SearchItem] = Field(
        default_factory=list,
        description=(
            "Searches made for research testing the claim; required when the verdict is unsupported or no source "
            "supports or contradicts it (check: search-not-recorded)."
        ),
    )
    reviewed: dt.date = Field(description="When the evidence was last reviewed (YYYY-MM-DD).")
    corrections: list[CorrectionItem] = Field(
        default_factory=list,
        description="Every change of verdict or certainty after publication, newest last (check: correction-not-recorded).",
    )


class SnapshotHeader(_Strict):
    """The header of an article snapshot: where the text was taken from, and when."""

    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] = Field(description="The article's address.")
    retrieved: dt.date = Field(description="When the text was taken (YYYY-MM-DD).")
    note: Text | None = Field(None, description="How the copy was made, if worth saying.")


class TopicItem(_Strict):
    """A topic in ``content/topics.yml``."""

    id: Slug = Field(description="Slug naming the topic; its page is topics/<id>/.")
    title: Text = Field(description="Title shown in navigation and headings.")
    description: Text | None = Field(None, description="One line shown in lists of topics.")


class GlossaryItem(_Strict):
    """A term in the glossary file."""

    term: Text = Field(description="The term as the glossary lists it, e.g. 'Randomised trial'.")
    also: list[Text] = Field(default_factory=list, description="Other forms linked to the same entry ('randomised trials').")
    definition: Text = Field(description="What it means, in plain words (Markdown allowed).")


class GlossaryFile(_Strict):
    """The glossary file (``glossary_file``): terms explained on the glossary page."""

    terms: list[GlossaryItem] = Field(min_length=1)


class TopicsFile(_Strict):
    """``content/topics.yml``: the topics claims are filed under."""

    topics: list[TopicItem] = Field(min_length=1)


def error_messages(exc: ValidationError, lines: LineMap, model: type[BaseModel]) -> list[tuple[int, str]]:
    """Turn pydantic errors into ``(line, message)`` pairs a contributor can act on."""
    out: list[tuple[int, str]] = []
    errors = exc.errors()
    # A misspelled field is reported once, as unknown with a suggestion, not also as missing.
    misspelled: set[Loc] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent, name = tuple(err["loc"][:-1]), str(err["loc"][-1])
            close = difflib.get_close_matches(name, _fields_at(model, parent), n=1, cutoff=0.6)
            misspelled.update((*parent, c) for c in close)
    for err in errors:
        loc: Loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in misspelled:
            continue
        where = ".".join(str(p) for p in loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            name = str(loc[-1])
            known = _fields_at(model, loc[:-1])
            message = f"unknown field {name!r}{suggest(name, known)}"
        elif kind == "missing":
            message = f"missing required field {where!r}"
        elif kind == "string_pattern_mismatch":
            message = f"{where}: {err['input']!r} is not a slug (lower-case letters, digits and single hyphens)"
        else:
            message = f"{where}: {err['msg']}"
        out.append((lines.line(loc), message))
    return out


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed at ``loc`` inside ``model`` (for did-you-mean hints)."""
    current: type[BaseModel] = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        inner = _model_in(info.annotation) if info else None
        if inner is None:
            return []
        current = inner
    return list(current.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def claim_json_schema() -> dict[str, Any]:
    """JSON Schema for claim files (draft 2020-12), for editors and other tools."""
    schema = ClaimFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "mkdocs-evidence claim"
    return schema
