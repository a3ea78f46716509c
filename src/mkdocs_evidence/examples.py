"""The example a new site starts with (``evidence init``): how it is recognised, and refused for a release.

A freshly initialised site must build with ``mkdocs build --strict`` at once, so its example is no
error and no warning there: it is a *notice* (shown, failing nothing). A release must never publish a
fictional study as if it were research, so ``evidence check --release`` and a deployment build
(``EVIDENCE_DEPLOY`` set, as the generated Pages workflow does) report the same issue as an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from .issues import Issue, Severity, issue
from .load import ClaimRecord, StudyRecord
from .model import Reference
from .validate import _texts  # the walk the placeholder check makes

#: How the texts of the example claim and appraisal begin; readers of the built example see it too.
EXAMPLE = "Replace this example"
#: Crossref's prefix for examples and tests: no real work has a DOI under it, so a reference with one is fictional.
EXAMPLE_DOI_PREFIX = "10.5555/"


def check_examples(
    claims: Iterable[ClaimRecord], studies: Iterable[StudyRecord], references: Mapping[str, Reference], *, release: bool
) -> Iterator[Issue]:
    """One ``example-content`` issue per file still holding the example: a notice, an error for a release."""
    found: list[Issue] = []
    records: list[ClaimRecord | StudyRecord] = [*claims, *studies]
    for record in records:
        # As for placeholders: the JSON holds the marker wherever a text does, so most files are ruled out at once.
        if EXAMPLE not in record.data.model_dump_json():
            continue
        loc = next((loc for loc, text in _texts(record.data.model_dump(), ()) if EXAMPLE in text), ())
        where = ".".join(str(p) for p in loc)
        message = f"{where} is still the example `evidence init` wrote"
        found.append(issue("example-content", message, record.path, record.lines.line(loc)))
    for ref in references.values():
        if ref.get("doi").strip().lower().startswith(EXAMPLE_DOI_PREFIX):
            message = f"{ref.key} is a fictional example (DOI prefix {EXAMPLE_DOI_PREFIX.rstrip('/')}), not a real work"
            found.append(issue("example-content", message, ref.path, ref.line))
    for item in found:
        yield replace(item, severity=Severity.ERROR) if release else item


__all__ = ["EXAMPLE", "EXAMPLE_DOI_PREFIX", "check_examples"]
