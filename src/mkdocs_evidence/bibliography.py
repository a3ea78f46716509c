"""references.bib → :class:`~mkdocs_evidence.model.Reference` records, with clear parse errors.

bibtexparser 2 never raises on broken input: failed blocks, duplicate keys and undefined
``@string`` macros are reported here as issues with the file's path and line. Names are split
before LaTeX is decoded (so ``{Barnes and Noble}`` stays one author, see :mod:`.names`); every text
field is decoded by :mod:`.latex` (cached), identifiers and URLs never are. biblatex aliases and
``crossref`` inheritance are resolved by :mod:`.biblatex`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import bibtexparser
from bibtexparser import library as bib_library
from bibtexparser import model as bib

from . import paths, vocab
from .biblatex import MAX_CROSSREF_DEPTH, add_aliases, inherit_crossrefs
from .chars import INVISIBLE_RE, describe
from .issues import Issue, issue
from .latex import TooDeep, latex_to_text, unwrap_url
from .load import read_source
from .model import Person, Reference
from .names import split_names
from .schema import suggest
from .settings import Settings, make_settings

#: Fields that are identifiers or addresses: never LaTeX-decoded (``~`` and ``%`` are meaningful).
VERBATIM_FIELDS = frozenset({"url", "doi", "pmid", "pmcid", "eprint", "isbn", "issn", "file"})
NAME_FIELDS = ("author", "editor")
#: Fields this project adds to BibTeX; left out of the BibTeX readers copy from a source page.
#: Fields left out of "cite this" as well: the project's own, and private ones reference managers add.
PRIVATE_FIELDS = frozenset({"design", "file", "abstract", "keywords", "annote", "annotation", "owner", "timestamp"})
#: Link schemes a reference's ``url`` may use; anything else (``javascript:``) is refused.
URL_SCHEMES = ("http://", "https://")
MONTHS = {
    m: str(i) for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


def _split_concatenation(raw: str) -> list[str]:
    """Split a BibTeX value on top-level ``#`` (outside braces and quotes)."""
    if "#" not in raw:
        return [raw.strip()]  # nearly every value: no character-by-character walk
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i].strip())
            start = i + 1
    parts.append(raw[start:].strip())
    return parts


def _resolve_value(raw: str, strings: dict[str, str], limit: int) -> tuple[str | None, list[str]]:
    """A field's raw value with enclosing braces/quotes removed and macros expanded.

    Returns the value (None when it would be longer than ``limit`` characters, found before it is
    built) and the names of undefined macros (bibtexparser would keep them silently).
    """
    out, undefined = [], []
    for part in _split_concatenation(raw):
        if (len(part) >= 2 and part[0] == "{" and part[-1] == "}") or (len(part) >= 2 and part[0] == '"' and part[-1] == '"'):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in MONTHS:
            out.append(MONTHS[part.lower()])
        else:
            undefined.append(part)
            out.append(part)
    if sum(map(len, out)) > limit:
        return None, undefined
    return "".join(out), undefined


class _Expansion:
    """``@string`` macros, and how many characters all values together may still expand to.

    Each macro may hold others, so 31 doubling macros in a kilobyte would make 16 GiB: every value
    (macro or field) is counted against one budget, a few times the file's size, and its length is
    known before it is built. The first value over the budget is reported (``too-large``) and left
    empty, as is every one after it.
    """

    def __init__(self, text: str, display_path: str, issues: list[Issue]) -> None:
        self.strings: dict[str, str] = {}
        self.budget = 4 * len(text) + 1_000_000
        self.left = self.budget
        self.display_path = display_path
        self.issues = issues
        self.refused = False

    def value(self, raw: str, what: str, line: int) -> tuple[str, list[str]]:
        """``raw`` with its macros expanded (empty once over the budget), and the undefined ones."""
        value, undefined = _resolve_value(raw, self.strings, self.left)
        if value is None:
            if not self.refused:
                message = f"{what} would take the @string macros past {self.budget:,} characters in all; it is left empty"
                self.issues.append(issue("too-large", message, self.display_path, line))
            self.refused = True
            return "", undefined
        self.left -= len(value)
        return value, undefined


#: Plain Unicode for a LaTeX string (kept under its old name for callers of this module).
decode_latex = latex_to_text


def parse_bibliography(
    path: Path, display_path: str, *, settings: Settings | None = None
) -> tuple[dict[str, Reference], list[Issue]]:
    """Parse a BibTeX file; return references by key and the problems found.

    A missing file is reported as an issue rather than raised, so every front end shows it alike.
    With ``settings`` the file is read as untrusted input (:func:`~mkdocs_evidence.load.read_source`:
    inside the project, at most ``max_bib_bytes``, encoding problems at their line).
    """
    if not path.exists():
        return {}, [issue("bib-parse-error", "bibliography file not found", display_path)]
    if settings is None:
        settings = make_settings(path.parent, ".", {})
    text, issues = read_source(path, settings, settings.max_bib_bytes, "bytes")
    if text is None:
        return {}, issues
    references, parse_issues = parse_bibliography_text(text, display_path)
    return references, issues + parse_issues


def parse_bibliography_text(text: str, display_path: str) -> tuple[dict[str, Reference], list[Issue]]:
    """The references in a bibliography's text (already read and checked), and the problems found.

    No file is touched, so a big project parses its bibliography in a worker process while this
    one waits for the claim files (:class:`~mkdocs_evidence.load.PendingClaims`).
    """
    issues: list[Issue] = []
    library = _parse(text)
    issues += _failed_blocks(library, display_path)
    expansion = _Expansion(text, display_path, issues)
    _string_macros(library, expansion)
    references: dict[str, Reference] = {}
    folded: dict[str, str] = {}
    for entry in library.entries:
        # The key names a file and a link: an unsafe one is refused and nothing is rendered from its entry.
        line = (entry.start_line or 0) + 1
        if problem := paths.name_problem(entry.key, "sources"):
            issues.append(
                issue("invalid-key", f"key {paths.shown(entry.key)} {problem}; the entry is ignored", display_path, line)
            )
            continue
        if (fold := paths.folded(entry.key)) in folded:
            message = (
                f"key {paths.shown(entry.key)} differs from {folded[fold]!r} only in upper/lower case: "
                "one page file on macOS and Windows; the entry is ignored"
            )
            issues.append(issue("name-clash", message, display_path, line))
            continue
        if problem := paths.portable_problem(entry.key, allowed=":"):
            # The key names its page (sources/<key>/); the entry is still read, the check fails.
            issues.append(issue("unportable-name", f"key {paths.shown(entry.key)} {problem}", display_path, line))
        folded[fold] = entry.key
        references[entry.key] = _reference(entry, expansion, display_path, issues)
    cut: list[str] = []
    resolved = inherit_crossrefs(references, cut)
    if cut:
        first = min((references[key] for key in cut), key=lambda ref: ref.line)
        message = (
            f"{first.key}: its crossref chain is more than {MAX_CROSSREF_DEPTH} entries deep "
            f"({len(cut)} such entries); fields are taken from the {MAX_CROSSREF_DEPTH} nearest parents only"
        )
        issues.append(issue("bib-parse-error", message, display_path, first.line))
    return resolved, issues


def _parse(text: str) -> bib_library.Library:
    # bibtexparser logs its own copy of every parse failure; ours carry path, line and code.
    bib_logger = logging.getLogger("bibtexparser")
    previous = bib_logger.level
    bib_logger.setLevel(logging.CRITICAL)
    try:
        return bibtexparser.parse_string(text, parse_stack=[])  # type: ignore[attr-defined]
    finally:
        bib_logger.setLevel(previous)


def _string_macros(library: bib_library.Library, expansion: _Expansion) -> None:
    """``@string`` macros by lower-case name, each expanded with the ones defined before it."""
    for s in library.strings:
        value, _ = expansion.value(s.value, f"@string {s.key!r}", (s.start_line or 0) + 1)
        expansion.strings[s.key.lower()] = value


def _failed_blocks(library: bib_library.Library, display_path: str) -> list[Issue]:
    """What bibtexparser could not read, duplicate keys and duplicate fields, at their lines."""
    issues = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bib.DuplicateBlockKeyBlock):
            message = f"duplicate entry key {block.key!r}"
        elif isinstance(block, bib.DuplicateFieldKeyBlock):
            message = f"entry has a field twice: {', '.join(sorted(block.duplicate_keys))}"
        else:
            reason = getattr(block.error, "abort_reason", "") or "could not parse this entry"
            message = f"unparsable entry: {reason.strip()}"
        issues.append(issue("bib-parse-error", message, display_path, line))
    return issues


@dataclass
class _Fields:
    """An entry's fields as they are decoded one by one."""

    values: dict[str, str] = field(default_factory=dict)
    authors: tuple[Person, ...] = ()
    et_al: bool = False
    exported: list[str] = field(default_factory=list)


def _reference(entry: bib.Entry, expansion: _Expansion, display_path: str, issues: list[Issue]) -> Reference:
    """One entry as a :class:`Reference`; problems in its fields are added to ``issues``."""
    out = _Fields()
    for f in entry.fields:
        _field(entry.key, f, expansion, display_path, out, issues)
    add_aliases(out.values)
    design = out.values.get("design", "")
    line = (entry.start_line or 0) + 1
    if design and design not in vocab.DESIGNS:
        message = f"{entry.key}: {design!r} is not a valid study design{suggest(design, vocab.DESIGNS)}"
        issues.append(issue("invalid-field", message, display_path, line))
    return Reference(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        fields=MappingProxyType(out.values),
        authors=out.authors,
        path=display_path,
        line=line,
        bibtex=f"@{entry.entry_type.lower()}{{{entry.key},\n" + ",\n".join(out.exported) + "\n}\n",
        et_al=out.et_al,
    )


def _field(key: str, f: bib.Field, expansion: _Expansion, display_path: str, out: _Fields, issues: list[Issue]) -> None:
    """Decode one field into ``out``: names split before decoding, identifiers never decoded."""
    name = f.key.lower()
    line = (f.start_line or 0) + 1
    value, undefined = expansion.value(str(f.value), f"{key}: field {name!r}", line)
    if name == "url":
        value = unwrap_url(value)
        if not value.strip().lower().startswith(URL_SCHEMES):
            message = f"{key}: url {value.strip()!r} must start with http:// or https://; the field is ignored"
            issues.append(issue("invalid-field", message, display_path, line))
            return
    if name not in PRIVATE_FIELDS:
        out.exported.append(f"  {name} = {{{value}}}")
    for macro in undefined:
        issues.append(issue("bib-parse-error", f"{key}: field {name!r} uses undefined @string {macro!r}", display_path, line))
    try:
        problems = _decode(name, value, out)
    except TooDeep as exc:  # a hostile field: reported, and no stack spent on it
        issues.append(issue("bib-parse-error", f"{key}: field {name!r} {exc}; the field is ignored", display_path, line))
        return
    issues.extend(issue("malformed-name", f"{key}: {name}: {problem}", display_path, line) for problem in problems)
    _keep_visible(key, name, out, display_path, line, issues)


def _decode(name: str, value: str, out: _Fields) -> tuple[str, ...]:
    """Decode one field's value into ``out``; the problems of its names. Raises :class:`TooDeep`."""
    if name in NAME_FIELDS:
        names = split_names(value)
        if name == "author":
            out.authors, out.et_al = names.people, names.et_al
        out.values[name] = "; ".join([p.surname for p in names.people] + (["et al."] if names.et_al else []))
        return names.problems
    elif name in VERBATIM_FIELDS:
        out.values[name] = re.sub(r"\s+", " ", value).strip()
    else:
        out.values[name] = latex_to_text(value)
    return ()


def _keep_visible(key: str, name: str, out: _Fields, display_path: str, line: int, issues: list[Issue]) -> None:
    """A decoded field with no control, bidirectional or zero-width character (see :mod:`.chars`).

    The raw file is checked when it is read; this catches what LaTeX decoding itself could make
    (a ``\\char"202E`` or ``^^`` notation, should the decoder ever learn them). Such characters are
    reported at the field's line and replaced, so they reach no page whatever the severity.
    """
    if name in VERBATIM_FIELDS or name not in out.values:
        return
    people = out.authors if name == "author" else ()
    whole = " ".join([out.values[name], *(f"{p.first} {p.von} {p.last} {p.jr}" for p in people)])
    found = INVISIBLE_RE.search(whole)
    if not found:
        return
    message = f"{key}: field {name!r}, decoded, holds {describe(found.group())}"
    issues.append(issue("control-character", message, display_path, line))
    out.values[name] = INVISIBLE_RE.sub("\ufffd", out.values[name])
    if people:
        out.authors = tuple(Person(*(INVISIBLE_RE.sub("\ufffd", t) for t in (p.first, p.von, p.last, p.jr))) for p in people)
