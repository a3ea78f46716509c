"""The shape of a study appraisal (``content/studies/<key>.yml``), as pydantic models.

``references.bib`` keeps what a study *is* (bibliographic data, interchangeable with Zotero and
every citation tool); the appraisal keeps what the project *judges* about it, once: design, who was
analysed, where its identity was confirmed, risk of bias, and its findings. Claims cite findings
(``finding: key#id``) and the engine derives the rest. Cross-file checks (does the reference exist,
does the tool suit the design) live in :mod:`mkdocs_evidence.validate_studies`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from . import vocab
from .schema import CiteKey, Design, Slug, Text, _in

Direction = _in(vocab.DIRECTIONS, "direction")
Judgement = _in(vocab.ROB_JUDGEMENTS, "risk-of-bias judgement")
Tool = _in({k: vocab.ROB_TOOL_LABELS[k] for k in vocab.ROB_TOOLS}, "risk-of-bias tool")
Record = _in(vocab.IDENTITY_RECORDS, "identity record")
IdentityField = _in({f: f for f in vocab.IDENTITY_FIELDS}, "bibliographic field")
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
#: A number as the paper prints it ("0.82", "-1.5", "< 0.001" for p): kept as text so nothing is rounded.
Number = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[<>≤≥=]?\s?-?\d+(?:\.\d+)?$", max_length=20)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IdentityItem(_Strict):
    """Where the study's identity was confirmed: an official record, and what was seen on it."""

    record: Record = Field(description="The official record that was seen.")  # type: ignore[valid-type]
    id: Short = Field(description="Its identifier: the PMID, PMCID, DOI or the publisher's address.")
    seen: dt.date = Field(description="When the record was seen (YYYY-MM-DD).")
    fields: list[IdentityField] = Field(  # type: ignore[valid-type]
        min_length=1, description="The bibliographic fields seen on that record."
    )
    unseen: list[IdentityField] = Field(  # type: ignore[valid-type]
        default_factory=list,
        description="Fields not seen on any official record: left out of references.bib. Never a reason to leave a study out.",
    )


class DomainItem(_Strict):
    """One risk-of-bias domain of the study's tool, judged with a one-line reason."""

    domain: Slug = Field(description="A domain of the tool (see the method page), in the tool's order.")
    judgement: Judgement = Field(description="low, some-concerns or high.")  # type: ignore[valid-type]
    reason: Text = Field(description="One line: why, from the paper's record.")


class RiskOfBiasItem(_Strict):
    """Risk of bias with a named tool suited to the design."""

    tool: Tool = Field(description="The tool used (check: rob-tool-mismatch).")  # type: ignore[valid-type]
    domains: list[DomainItem] = Field(default_factory=list, description="Every domain of the tool, in order.")
    overall: Judgement | None = Field(  # type: ignore[valid-type]
        None, description="Overall judgement (at least the worst domain's); absent only for the tool 'none'."
    )
    reason: Text | None = Field(None, description="One line on the overall judgement, or why no tool applies.")


class EffectItem(_Strict):
    """The effect as the paper reports it: its words, and the numbers where given."""

    text: Text = Field(description="The result in plain words, with the paper's figures; nothing computed here.")
    measure: Short | None = Field(None, description="The measure: MD, SMD, OR, RR, HR, r, degrees, percent, ...")
    estimate: Number | None = Field(None, description="The point estimate as printed.")
    ci: list[Number] | None = Field(
        None, min_length=2, max_length=2, description="The 95% confidence interval as printed: [lower, upper]."
    )
    p: Number | None = Field(None, description="The p value as printed, e.g. '0.01' or '< 0.001'.")


class FindingItem(_Strict):
    """One result of the study: one outcome, one exposure or intervention, one comparison, one direction."""

    id: Slug = Field(description="Stable id, unique in this study; claims cite it as `<key>#<id>`.")
    outcome: Short = Field(description="What was measured, e.g. 'reaction time (ms)' or 'test score after 12 weeks'.")
    exposure: Short = Field(description="The exposure or intervention, e.g. 'a 12-week training programme'.")
    comparison: Short | None = Field(None, description="What it was compared with, e.g. 'no programme' or 'a placebo'.")
    population: Short | None = Field(None, description="Who, when narrower than the study's population.")
    direction: Direction = Field(  # type: ignore[valid-type]
        description="The effect of the exposure on the outcome as named: increases, decreases or no-difference."
    )
    effect: EffectItem = Field(description="The effect as reported.")
    locator: Short = Field(description="Where in the paper: 'abstract', 'Table 2', 'p. 5', 'Figure 3'.")
    analysed: Annotated[int, Field(ge=1)] | None = Field(
        None, description="How many were analysed for this finding, when the record states it."
    )


class StudyFile(_Strict):
    """A study appraisal under ``content/studies/``: one research reference, appraised once."""

    key: CiteKey = Field(description="The study's key in references.bib; equals the file name without `.yml`.")
    design: Design = Field(description="The study design (sets GRADE's starting level).")  # type: ignore[valid-type]
    pooled: list[Design] = Field(  # type: ignore[valid-type]
        default_factory=list, description="For systematic reviews and meta-analyses: the designs they pooled."
    )
    studies: Annotated[int, Field(ge=1)] | None = Field(None, description="For reviews: how many studies were included.")
    participants: Annotated[int, Field(ge=1)] | None = Field(
        None, description="How many people were analysed (as analysed, not as recruited), when the record states it."
    )
    unseen: list[Annotated[str, StringConstraints(pattern=r"^(pooled|studies|participants)$")]] = Field(
        default_factory=list,
        description="Appraisal fields the paper's record does not state (pooled, studies, participants): left out on "
        "purpose, not forgotten. A review whose pooled designs are unseen starts as if it pooled non-randomised studies.",
    )
    population: Text = Field(description="Who was studied, in plain words.")
    setting: Text | None = Field(None, description="Where and how: a lab, a clinic, a population survey, a trial's length.")
    identity: IdentityItem = Field(description="The official record that confirms the study exists and is this one.")
    risk_of_bias: RiskOfBiasItem = Field(description="Risk of bias with a named tool suited to the design.")
    findings: list[FindingItem] = Field(
        default_factory=list, description="What the study found, one outcome each (none for opinion and narrative reviews)."
    )
    appraised: dt.date = Field(description="When the appraisal was written (YYYY-MM-DD).")
    appraised_by: Short = Field(description="Who wrote the appraisal (a contributor's handle).")
    second_reader: Short | None = Field(
        None, description="Who checked it against the paper's record, not having written it (a contributor's handle)."
    )
    notes: Text | None = Field(None, description="Anything a methodologist should know: errata, a companion paper.")


def study_json_schema() -> dict[str, Any]:
    """JSON Schema for study appraisals (draft 2020-12), for editors and other tools."""
    schema = StudyFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "mkdocs-evidence study appraisal"
    return schema
