"""The ``evidence`` plugin's options: one model, read by the MkDocs plugin and by the CLI alike.

MkDocs validates plugin options with its own ``config_options``; defining them a second time for the
CLI let the two drift apart (``evidence check`` accepted options ``mkdocs build`` rejected). Here they
are defined once, typed, with a description each, unknown keys rejected with a did-you-mean.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, field_validator

from .issues import CODES

Paper = Literal["a4", "letter"]
Level = Literal["error", "warning", "ignore"]
Count = Annotated[StrictInt, Field(ge=1)]


class OptionsError(Exception):
    """Plugin options that cannot be used: one line per problem, naming the option."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))
        self.problems = problems


class Note(BaseModel):
    """A section of the site's own wording: a heading and a paragraph of inline Markdown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(description="The section's heading.")
    text: str = Field(description="The paragraph under it, in inline Markdown (**bold**, *italic*, links).")


class Options(BaseModel):
    """Options of the ``evidence`` plugin in ``mkdocs.yml`` (``plugins: - evidence: {…}``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: StrictBool = Field(True, description="Turn the plugin off (for example for a quick preview) without removing it.")
    bibliography: str = Field("references.bib", description="BibTeX file with every source, relative to mkdocs.yml.")
    claims_dir: str = Field("claims", description="Folder of claim files (*.yml), relative to docs_dir.")
    studies_dir: str = Field(
        "studies", description="Folder of study appraisals (<cite key>.yml), relative to docs_dir; never published as files."
    )
    watch_file: str = Field(
        "watch.yml",
        description="The watch record `evidence watch` writes (retractions, corrections, new search results), relative "
        "to mkdocs.yml; never published as a file.",
    )
    topics_file: str = Field("topics.yml", description="YAML file listing the topics, relative to docs_dir.")
    glossary_file: str = Field(
        "glossary.yml",
        description="YAML file of terms the glossary page explains and each claim page links on first use, relative to "
        "docs_dir; no glossary when it does not exist.",
    )
    topics_dir: str = Field("topics", description="Folder of topic introductions (<topic-id>.md), relative to docs_dir.")
    snapshots_dir: str = Field(
        "snapshots", description="Folder of dated article snapshots that quotes are checked against; never published."
    )
    templates_dir: str | None = Field(None, description="Folder of Jinja2 templates overriding the built-in ones.")
    severities: dict[str, Level] = Field(
        default_factory=dict, description="Severity per check code, e.g. {unused-reference: error}; ignore hides a code."
    )
    # The site's own wording: what only the site can say about its subject (a disclaimer, where readers get help).
    claim_note: str = Field(
        "",
        description="A note on every claim page under the verdict, in inline Markdown, such as a disclaimer: "
        "'**Not professional advice.** This page sums up research about a claim.'; empty: none.",
    )
    handouts: StrictBool = Field(True, description="Write a printable PDF per topic into site_dir/handouts/.")
    handout_paper: Paper = Field("a4", description="Paper size of the topic handouts: a4 or letter.")
    handout_max_claims: Count = Field(
        300,
        description="Most claims in one topic handout; a bigger topic's handout holds the first ones and says so in its title.",
    )
    handout_note: str = Field(
        "", description="Inline Markdown opening the note at the top of every handout (before what the handout is); empty: none."
    )
    handout_footer: str = Field(
        "Evidence handout", description="Plain text at the bottom of every handout page, left of its number."
    )
    patient_handout_note: Note | None = Field(
        None,
        description="A closing section of the patient handout, {title: …, text: …}: for example where readers can "
        "get help with their own case; none by default.",
    )
    review_after_days: Count = Field(365, description="Claims reviewed longer ago than this get a review-overdue warning.")
    picture_max_claims: Annotated[StrictInt, Field(ge=0)] = Field(
        120, description="Most claims drawn in an evidence picture; 0 turns pictures off."
    )
    publish_files: list[str] = Field(
        default_factory=list,
        description="Files of docs_dir published although their type is not (HTML, scripts, data), relative to docs_dir.",
    )
    cache: StrictBool = Field(
        True, description="Keep check results and handout PDFs in .cache/evidence/ next to mkdocs.yml; safe to delete."
    )
    # Limits on untrusted input (a pull request): each keeps check and build time and memory bounded.
    max_claim_bytes: Count = Field(65_536, description="Largest claim file (and topics file) in bytes.")
    max_evidence: Count = Field(50, description="Most evidence entries one claim may list.")
    max_bib_bytes: Count = Field(5_242_880, description="Largest bibliography file in bytes.")
    max_page_bytes: Count = Field(1_048_576, description="Largest Markdown page (prose page, topic introduction) in bytes.")

    @field_validator("severities", mode="before")
    @classmethod
    def _known_codes(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            for code in value:
                if code not in CODES:
                    close = difflib.get_close_matches(str(code), list(CODES), n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise ValueError(f"unknown check code {code!r}{hint}")
        return value


#: The options that are a :class:`Note` (a mapping with its own keys).
NOTES = frozenset(name for name, info in Options.model_fields.items() if Note in get_args(info.annotation))


def parse_options(raw: Mapping[str, Any] | None) -> Options:
    """Validate the plugin's options; :class:`OptionsError` lists every problem, one per option."""
    try:
        return Options.model_validate(dict(raw or {}))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "evidence"
            # The keys allowed where the error is: the options, or a note's own keys inside one.
            nested = len(err["loc"]) > 1 and str(err["loc"][0]) in NOTES
            keys = list(Note.model_fields) if nested else list(Options.model_fields)
            if err["type"] == "extra_forbidden":
                close = difflib.get_close_matches(str(err["loc"][-1]), keys, n=1, cutoff=0.6)
                message = ("unknown key" if nested else "unknown option") + (f" (did you mean {close[0]!r}?)" if close else "")
            elif err["type"] == "missing":
                message = "missing"
            elif err["type"] == "model_type":
                message = f"{err['input']!r} must be a mapping: {{{', '.join(f'{k}: …' for k in Note.model_fields)}}}"
            elif err["type"] == "literal_error":
                message = f"{err['input']!r} is not allowed: {err['msg'].removeprefix('Input should be ')}"
            elif err["type"] == "value_error":
                message = err["msg"].removeprefix("Value error, ")
            else:
                message = f"{err['input']!r} must be {err['msg'].lower().removeprefix('input should be ')}"
            problems.append((name, message))
        raise OptionsError(problems) from None
