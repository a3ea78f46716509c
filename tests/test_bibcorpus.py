"""Real bibliographies (tests/bibcorpus/, see its README) read by us and by pybtex, compared entry by entry.

pybtex is an independent BibTeX implementation: it splits names and turns LaTeX into text on its own.
We compare what a reader sees (author surnames and count, "et al.", titles, journals, book titles)
after normalising what legitimately differs (non-breaking spaces, dash and quote characters). pybtex
leaves some LaTeX as it is (``\\TeX``, ``$k$``, ``\\mkbibquote``); those are compared by meaning, and
the places where pybtex itself is wrong are listed in :data:`PYBTEX_WRONG` with the reason.
"""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pybtex.errors
import pytest
from pybtex.database import Entry, parse_file
from pybtex.database import Person as PybtexPerson
from pybtex.richtext import Text

from mkdocs_evidence.bibliography import parse_bibliography
from mkdocs_evidence.latex import WORDS
from mkdocs_evidence.model import Reference

CORPUS = Path(__file__).parent / "bibcorpus"
FILES = sorted(p.name for p in CORPUS.glob("*.bib"))
TEXT_FIELDS = ("title", "journal", "booktitle")

#: (file, key, field) → why pybtex's text is not the right answer there.
PYBTEX_WRONG = {
    ("d2l-trimmed.bib", "Abadi.Barham.Chen.ea.2016", "booktitle"): (
        r"`$\{$USENIX$\}$` is a brace inside math; pybtex drops the brace and keeps `\$`, LaTeX prints {USENIX}"
    ),
    ("biblatex-examples-trimmed.bib", "kastenholz", "title"): (
        r"`\hyphen` is biblatex's breakable hyphen; pybtex keeps the macro name, LaTeX prints methodology-independent"
    ),
    ("biblatex-examples-trimmed.bib", "spiegelberg", "title"): (
        r"`\mkbibquote{…}` is biblatex's quotation; pybtex keeps the macro name, LaTeX prints “Intention”"
    ),
}
#: (file, key) → why pybtex's author list is not the right answer there.
PYBTEX_WRONG_AUTHORS = {
    ("biber-names.bib", "L27"): (
        "'Smith, Jr., Bill, Lee' has one comma too many; pybtex folds the extra part into the first name, biber (whose "
        "test this is) skips the name, as we do, with a malformed-name warning"
    ),
    ("biber-names.bib", "L31"): (
        r"`{\~ Z}elly` is a tilde accent on Z (TeX allows the space before the argument); pybtex leaves `\~` in the text"
    ),
}
#: Warnings the corpus is meant to produce: (file, key) for each malformed-name.
EXPECTED_WARNINGS = {("biber-names.bib", "L27")}

# pybtex raises on a malformed name by default; here it should read on, as we do, and be compared.
pybtex.errors.set_strict_mode(False)


def parsed(name: str) -> tuple[dict[str, Reference], dict[str, Entry]]:
    """Our references and pybtex's entries for the same keys.

    An entry we leave out (a check may refuse a key) must be reported at its line; nothing else may be
    reported but the malformed names the corpus is known for.
    """
    path = CORPUS / name
    source = path.read_text(encoding="utf-8")
    refs, issues = parse_bibliography(path, name)
    theirs = parse_file(str(path), bib_format="bibtex").entries
    refused = {line_of(source, key) for key in theirs if key not in refs}
    assert all(refused), "an entry left out has no line"
    expected = [i for i in issues if i.code == "malformed-name" and (name, i.message.split(":")[0]) in EXPECTED_WARNINGS]
    unexpected = [i for i in issues if i.line not in refused and i not in expected]
    assert unexpected == [], [i.format() for i in unexpected]
    assert refused <= {i.line for i in issues}, "an entry was left out without a word"
    return refs, {key: entry for key, entry in theirs.items() if key in refs}


def line_of(source: str, key: str) -> int:
    match = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,", source)
    return source.count("\n", 0, match.start()) + 1 if match else 0


def pybtex_text(latex: str) -> str:
    return str(Text.from_latex(latex).render_as("text"))


def normalise(text: str) -> str:
    """What a reader would not call a difference."""
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    # pybtex keeps macros it does not know: a logo is its word (\TeX → TeX), anything else markup (\textsc).
    text = re.sub(r"\\([A-Za-z]+)", lambda m: WORDS.get(m.group(1), " "), text)
    text = text.replace("$", "")  # pybtex keeps math delimiters; we keep math's content
    text = re.sub(r"\s+([:;,.!?])", r"\1", text)  # pybtex writes "\\TeX : The Program"
    text = re.sub("[–—‐-]+", "-", text)
    text = re.sub(r"``|''|[“”„\"]", '"', text)
    text = re.sub("[‘’`]", "'", text)
    return " ".join(text.split())


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text))


def surname(person: PybtexPerson) -> str:
    return normalise(pybtex_text(" ".join(person.prelast_names + person.last_names)))


def pybtex_authors(entry: Entry) -> tuple[list[str], bool]:
    people = list(entry.persons.get("author", []))
    et_al = bool(people) and str(people[-1]) == "others"
    return [surname(p) for p in people if str(p) != "others"], et_al


def pybtex_field(entry: Entry, field: str) -> str:
    value = entry.fields.get(field, "") or (entry.fields.get("journaltitle", "") if field == "journal" else "")
    return pybtex_text(value) if value else ""


def test_corpus_is_small_and_documented() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert FILES, "no corpus files"
    for name in FILES:
        assert f"`{name}`" in readme, f"{name} has no row (origin, version, licence) in tests/bibcorpus/README.md"
        assert (CORPUS / name).stat().st_size < 64_000, f"{name}: keep corpus files small"


@pytest.mark.parametrize("name", FILES)
def test_same_entries_as_pybtex(name: str) -> None:
    refs, theirs = parsed(name)
    assert set(refs) == set(theirs)  # after the entries left out with a reason


@pytest.mark.parametrize("name", FILES)
def test_authors_match_pybtex(name: str) -> None:
    refs, theirs = parsed(name)
    for key, entry in theirs.items():
        if "crossref" in entry.fields and "author" not in entry.persons:
            continue  # inherited: see test_crossref_children_take_the_parents_fields
        if (name, key) in PYBTEX_WRONG_AUTHORS:
            continue
        expected, et_al = pybtex_authors(entry)
        ref = refs[key]
        assert [normalise(p.surname) for p in ref.authors] == expected, key
        assert ref.et_al == et_al, key


@pytest.mark.parametrize("name", FILES)
def test_titles_and_journals_match_pybtex(name: str) -> None:
    refs, theirs = parsed(name)
    compared = 0
    for key, entry in theirs.items():
        for field in TEXT_FIELDS:
            expected = pybtex_field(entry, field)
            if not expected or (name, key, field) in PYBTEX_WRONG:
                continue
            compared += 1
            assert normalise(refs[key].get(field)) == normalise(expected), f"{key} {field}"
    assert compared or not any(f in e.fields for e in theirs.values() for f in TEXT_FIELDS)


@pytest.mark.parametrize("name", FILES)
def test_no_word_is_lost(name: str) -> None:
    """Every word of pybtex's text is in ours (logos such as TeX included)."""
    refs, theirs = parsed(name)
    for key, entry in theirs.items():
        for field in TEXT_FIELDS:
            expected = pybtex_field(entry, field)
            ours = words(refs[key].get(field))
            for word in words(normalise(expected)):
                assert word in ours, f"{key} {field}: {word!r} lost from {refs[key].get(field)!r}"


@pytest.mark.parametrize("name", FILES)
def test_no_latex_markup_is_left(name: str) -> None:
    source = (CORPUS / name).read_text(encoding="utf-8")
    literal_braces = r"\{" in source or r"\}" in source
    refs, _ = parsed(name)
    for key, ref in refs.items():
        shown = [ref.title, ref.get("journal"), ref.get("booktitle")]
        shown += [part for p in ref.authors for part in (p.first, p.von, p.last, p.jr)]
        for text in shown:
            assert not re.search(r"[\\$~]", text), f"{key}: {text!r}"
            assert literal_braces or not re.search(r"[{}]", text), f"{key}: {text!r}"


def test_crossref_children_take_the_parents_fields() -> None:
    """biblatex rules (README): missing fields from the parent, its title as the child's booktitle."""
    for name in FILES:
        refs, theirs = parsed(name)
        for key, entry in theirs.items():
            parent_key = entry.fields.get("crossref")
            if parent_key not in theirs:
                continue
            parent = theirs[parent_key]
            ref = refs[key]
            assert normalise(ref.get("booktitle")) == normalise(pybtex_text(parent.fields["title"])), key
            assert ref.year == (parent.fields.get("year") or parent.fields.get("date", ""))[:4], key
            assert ref.get("publisher") == pybtex_text(parent.fields.get("publisher", "")), key
            if "author" not in entry.persons:
                assert [normalise(p.surname) for p in ref.authors] == pybtex_authors(parent)[0], key


def test_pybtex_exceptions_are_still_needed() -> None:
    """An exception that no longer differs should be removed from PYBTEX_WRONG."""
    for (name, key, field), reason in PYBTEX_WRONG.items():
        refs, theirs = parsed(name)
        if key not in refs:
            continue
        expected = pybtex_field(theirs[key], field)
        assert normalise(refs[key].get(field)) != normalise(expected), f"{key} {field}: drop the exception ({reason})"


@pytest.mark.parametrize("name", FILES)
def test_corpus_parses_fast(name: str) -> None:
    start = time.process_time()
    parse_bibliography(CORPUS / name, name)
    assert time.process_time() - start < 2.0  # CPU time: a busy machine does not count


def test_a_malformed_name_is_skipped_and_reported_as_biber_does() -> None:
    refs, issues = parse_bibliography(CORPUS / "biber-names.bib", "biber-names.bib")
    assert [p.surname for p in refs["L27"].authors] == ["Smith"]  # James Smith; the malformed name is left out
    assert refs["L27"].authors[0].first == "James"
    assert [(i.code, i.line) for i in issues] == [("malformed-name", 114)]
