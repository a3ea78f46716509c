"""Problems found in claims, references and prose pages, each with a stable code.

Every stage yields :class:`Issue` objects instead of raising or logging; one place
(:func:`apply_severities`) decides how serious each code is, and the front ends (CLI, MkDocs plugin)
decide what to do with them.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Final


class Severity(enum.Enum):
    """How serious an issue is. ``IGNORE`` hides it altogether.

    A ``NOTICE`` is shown but fails nothing, not even a strict build: it says what a release would
    refuse (the example a new site starts with) without stopping the first local build.
    """

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"
    IGNORE = "ignore"


#: The logging level each severity is reported at by the plugin: a notice is information, so a strict build passes.
LOG_LEVELS: Final[dict[Severity, int]] = {
    Severity.ERROR: logging.ERROR,
    Severity.WARNING: logging.WARNING,
    Severity.NOTICE: logging.INFO,
    Severity.IGNORE: logging.DEBUG,
}


@dataclass(frozen=True)
class Code:
    """A kind of problem: its stable name, default severity and a hint on how to fix it."""

    name: str
    severity: Severity
    hint: str


def _codes(*codes: Code) -> dict[str, Code]:
    return {c.name: c for c in codes}


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

#: Every code the validator can emit. Names are stable: CI scripts and severity settings use them.
CODES: Final[dict[str, Code]] = _codes(
    Code("claim-without-source", E, "add an `evidence:` list citing at least one research paper from references.bib"),
    Code("unknown-cite-key", E, "use a key defined in references.bib, or add the reference there first"),
    Code("duplicate-claim-id", E, "claim ids must be unique; rename one of the files and its `id`"),
    Code("unknown-topic", E, "use a topic id defined in content/topics.yml"),
    Code("duplicate-topic", E, "each topic is defined once in content/topics.yml; remove or rename the repeat"),
    Code("duplicate-topic-in-claim", E, "list each topic once in the claim's `topics`"),
    Code(
        "duplicate-citation",
        E,
        "cite each source once per relation (put everything it shows in one entry's note), and each quote once",
    ),
    Code("dangling-related-claim", E, "`related` must name existing claim ids"),
    Code("unknown-claim-link", E, "link only to existing claim ids"),
    Code("invalid-field", E, "see the claim format and 'Adding a reference' in CONTRIBUTING.md"),
    Code("invalid-yaml", E, "fix the YAML syntax at this line (indentation, quotes, a missing colon)"),
    Code("bib-parse-error", E, "fix the BibTeX entry at this line (braces, commas, duplicate keys)"),
    Code(
        "certainty-differs-from-profile",
        E,
        "set `certainty` to the level the profile computes from the cited findings (shown here), or record why the "
        "reviewers rate differently: a `downgrades:` entry per extra level down, an `overrides:` entry per domain "
        "judged not serious",
    ),
    Code(
        "verdict-ignores-evidence",
        E,
        "make the verdict follow the cited findings: 'unsupported' only when none tests the claim, 'supported' and "
        "'overstated' need a finding for it, 'contradicted' one against it, 'mixed' both; a claimed size needs a "
        "finding showing it",
    ),
    Code("finding-unknown", E, "cite a finding id listed under `findings:` in content/studies/<key>.yml (`finding: <key>#<id>`)"),
    Code(
        "appraisal-missing",
        E,
        "add content/studies/<key>.yml appraising the study once (design, identity, risk of bias, findings); see CONTRIBUTING.md",
    ),
    Code(
        "identity-unverified",
        E,
        "record in `identity:` an official record (PubMed, PMC, Crossref or the publisher) whose identifier matches "
        "references.bib and on which the title was seen",
    ),
    Code(
        "relation-typed-by-hand",
        E,
        "cite the study's finding instead (`finding: <key>#<id>` with `directness`): whether it supports or contradicts the "
        "claim follows from its direction; keep `cite:` with `relation: mentions` for background only",
    ),
    Code(
        "question-missing",
        E,
        "add `asserts:` (population, exposure, outcome, direction) so the findings can be compared with the claim",
    ),
    Code(
        "rob-tool-mismatch",
        W,
        "appraise risk of bias with the tool for the study's design (see the method page), domains in its order",
    ),
    Code(
        "quote-not-verbatim",
        E,
        "copy the quote exactly as it stands in the article's snapshot (content/snapshots/<article key>.txt); "
        "only whitespace may differ",
    ),
    Code(
        "article-without-snapshot",
        E,
        "add content/snapshots/<article key>.txt: a `url:` and a `retrieved:` line, a line `---`, then the article's text",
    ),
    Code("placeholder-text", E, "replace the text `evidence new` wrote with your own words"),
    Code(
        "example-content",
        N,
        "replace the example `evidence init` wrote (claim, study appraisal and reference) with your own; a release "
        "(`evidence check --release`, a build with EVIDENCE_DEPLOY set) refuses it",
    ),
    Code(
        "search-not-recorded",
        E,
        "add a `searches:` entry (source, query, date, found) for the search that looked for research testing the claim",
    ),
    Code("correction-not-recorded", E, "add a `corrections:` entry (date, what, why) saying what changed and why"),
    Code(
        "retracted-source",
        E,
        "the study's findings no longer count: regrade the claim (verdict and certainty from the profile without them, "
        "or cite other research), then add a `corrections:` entry dated on or after the notice that names the cite key",
    ),
    Code(
        "source-of-concern",
        W,
        "read the journal's expression of concern; record what it means for the claim in a `corrections:` entry dated on "
        "or after the notice that names the cite key",
    ),
    Code(
        "corrected-source",
        W,
        "read the correction and check the cited findings still read as appraised; then add a `corrections:` entry dated "
        "on or after the notice that names the cite key",
    ),
    Code("unused-reference", W, "cite the reference from a claim or prose page, or remove it"),
    Code("reference-without-link", W, "add a `doi`, `pmid` or `url` field so readers can find the source"),
    Code("reference-without-design", W, "add a `design` field (e.g. rct, meta-analysis) to the BibTeX entry"),
    Code("popular-source-as-evidence", W, "evidence should be research; popular articles belong in `appearances`"),
    Code(
        "number-without-locator",
        W,
        "add a `locator` (page, table, figure or 'abstract') saying where in the source the figure stands",
    ),
    Code(
        "review-without-pooled",
        W,
        "add a `pooled` field with the designs the review included (e.g. pooled = {rct, cohort}); until then it counts as "
        "pooling non-randomised studies",
    ),
    Code(
        "site-url-missing",
        W,
        "building for deployment (EVIDENCE_DEPLOY is set) without site_url: set SITE_URL (the Pages workflow does) so the "
        "sitemap, ClaimReview URLs, QR codes and edit links know the site's address",
    ),
    Code("review-overdue", W, "re-read the evidence, update the claim if needed, and set `reviewed` to today's date"),
    Code(
        "malformed-name",
        W,
        "separate names with ' and ', write each as 'First Last' or 'Last, First' (at most 'Last, Jr., First'), "
        "and brace a name that contains a comma or 'and'",
    ),
    # Untrusted input: what a pull request may not do. The file or entry is refused whatever the severity.
    Code("invalid-key", E, "use a BibTeX key of ASCII letters, digits and _ : . - (no '..', not 'index'), e.g. smith2020trial"),
    Code("outside-project", E, "replace the symbolic link with the file itself; files must live inside the project folder"),
    Code("invalid-encoding", E, "save the file as UTF-8 (your editor's 'Save with encoding' or 'Reopen with encoding')"),
    Code(
        "control-character",
        E,
        "delete the invisible character at this line (often pasted from a PDF or a word processor, or written as an "
        "escape such as \\u202e or \\x1b in a double-quoted value)",
    ),
    Code(
        "unsafe-yaml",
        E,
        "write the values out as plain text, lists and mappings: YAML anchors (&), aliases (*), tags (!!binary, !!set, "
        "!name) and deeply nested structures are not allowed",
    ),
    Code(
        "too-large",
        E,
        "split the content, or raise the limit in mkdocs.yml (max_claim_bytes, max_evidence, max_bib_bytes, max_page_bytes)",
    ),
    Code(
        "raw-html", E, "write Markdown instead of HTML; only the site's own markers such as <!-- evidence:graph --> are allowed"
    ),
    Code(
        "unpublishable-file",
        E,
        "only Markdown, pictures (PNG, JPEG, GIF, WebP, AVIF, ICO, BMP, SVG), PDF, fonts and text are published; a stylesheet "
        "or script must be listed in mkdocs.yml (extra_css, extra_javascript), any other file under the evidence "
        "plugin's publish_files by a maintainer",
    ),
    Code("unsafe-svg", W, "remove scripts, event handlers, styles and links to other files from the picture"),
    Code("symbolic-link", E, "commit the file itself instead of a link to it"),
    Code("page-template", E, "remove `template:` from the page's front matter; page templates belong in the theme's custom_dir"),
    Code("theme-file", E, "rename or move the file: it stands where a file of the theme does"),
    Code("unexpected-file", E, "name claim files <id>.yml (lower-case extension)"),
    Code(
        "unportable-name",
        E,
        'rename it: names must open on Windows and macOS (Unicode NFC; no < > : " \\ | ? *; no trailing dot or space; '
        "not CON, PRN, AUX, NUL, COM1-9 or LPT1-9, with or without an extension)",
    ),
    Code(
        "name-clash",
        E,
        "rename one of the two: Windows and macOS do not tell upper from lower case (or Unicode forms) in file names",
    ),
)


@dataclass(frozen=True)
class Issue:
    """One problem at one place. ``line`` is 1-based; 0 means the whole file."""

    code: str
    message: str
    path: str
    line: int = 0
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """One line, as compilers print it: ``path:line: severity: message [code] (hint: …)``."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        hint = CODES[self.code].hint if self.code in CODES else ""
        tail = f" (hint: {hint})" if hint else ""
        return f"{where}: {self.severity.value}: {self.message} [{self.code}]{tail}"


def issue(code: str, message: str, path: str, line: int = 0) -> Issue:
    """Make an issue with the code's default severity.

    The message is one line whatever a parser put in it (PyYAML and bibtexparser write several).
    """
    if "\n" in message or "\r" in message:
        message = " ".join(message.split())
    return Issue(code, message, path, line, CODES[code].severity)


def apply_severities(issues: Iterable[Issue], overrides: Mapping[str, str]) -> list[Issue]:
    """Apply configured severities, drop ignored issues and sort by place."""
    out: list[Issue] = []
    for item in issues:
        severity = Severity(overrides[item.code]) if item.code in overrides else item.severity
        if severity is not Severity.IGNORE:
            out.append(replace(item, severity=severity))
    return sorted(out, key=lambda i: (i.path, i.line, i.code))


def count(issues: Iterable[Issue], severity: Severity) -> int:
    """How many issues have this severity."""
    return sum(1 for i in issues if i.severity is severity)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(claims: int, references: int, issues: list[Issue]) -> str:
    """The closing line, e.g. ``48 claims, 61 references, 0 errors, 1 warning`` (and ``, 1 notice`` when there is one)."""
    parts = [
        _plural(claims, "claim"),
        _plural(references, "reference"),
        _plural(count(issues, Severity.ERROR), "error"),
        _plural(count(issues, Severity.WARNING), "warning"),
    ]
    notices = count(issues, Severity.NOTICE)
    if notices:
        parts.append(_plural(notices, "notice"))
    return ", ".join(parts)
