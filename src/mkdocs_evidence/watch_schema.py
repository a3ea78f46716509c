"""The shape of the watch record (``watch.yml``): what ``evidence watch`` found online, for the offline build.

Only ``evidence watch`` writes the file, but it is committed like any other input, so a pull request
can edit it: it is read as untrusted input (size limit, YAML safety, this schema) like a claim file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from . import vocab
from .schema import CiteKey, Slug, _in

NoticeType = _in(vocab.NOTICES, "notice type")
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Doi = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^10\.\d{4,9}/\S+$", max_length=300)]
Pmid = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,9}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeItem(_Strict):
    """A notice published about a study: a retraction, an expression of concern or a correction."""

    type: NoticeType = Field(description="What the notice does to the study.")  # type: ignore[valid-type]
    date: dt.date = Field(description="When the notice was published (Crossref's `updated` date).")
    doi: Doi = Field(description="The notice's own DOI.")
    label: Short | None = Field(None, description="The notice's label as Crossref gives it, e.g. Retraction.")


class SourceItem(_Strict):
    """What was asked about one reference, and what came back."""

    doi: Doi = Field(description="The DOI that was looked up.")
    checked: dt.date = Field(description="When it was looked up.")
    notices: list[NoticeItem] = Field(default_factory=list, description="Notices found (none: nothing changed).")


class NewRecord(_Strict):
    """A record a re-run search found that the claim does not cite and its search did not exclude."""

    pmid: Pmid = Field(description="The PubMed id.")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] = Field(
        description="The title as PubMed gives it."
    )
    year: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] | None = Field(None, description="Publication year.")
    doi: Doi | None = Field(None, description="The DOI, when PubMed lists one.")


class SearchRun(_Strict):
    """A recorded search run again for records added since its date."""

    claim: Slug = Field(description="The claim whose search this is.")
    query: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] = Field(
        description="The query, exactly as the claim records it."
    )
    since: dt.date = Field(description="The search's own date: only records added after it are listed.")
    run: dt.date = Field(description="When it was run again.")
    new: list[NewRecord] = Field(default_factory=list, description="Records added since, not cited and not excluded.")


class WatchFile(_Strict):
    """The watch record: one run of ``evidence watch``, whole (it is replaced, never appended to)."""

    run: dt.date = Field(description="When `evidence watch` last ran to completion.")
    sources: dict[CiteKey, SourceItem] = Field(default_factory=dict, description="Looked-up references, by cite key.")
    searches: list[SearchRun] = Field(default_factory=list, description="Searches run again.")
