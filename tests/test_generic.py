"""The generator names no subject: every word about feet and hips is the site's, in its own files.

A team starting a site on another subject installs the same package; a disclaimer, an example or a
help text that speaks of this site's subject would reach their readers and contributors. The site
says such things through its options (``claim_note``, ``handout_note``, ``handout_footer``,
``patient_handout_note`` in mkdocs.yml).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import mkdocs_evidence
from mkdocs_evidence.schema import claim_json_schema
from mkdocs_evidence.study_schema import study_json_schema

#: The package folder as imported: what the wheel carries (modules, templates, assets, py.typed).
PACKAGE = Path(mkdocs_evidence.__file__).parent

#: Whole words of the foot–hip subject, and of its disclaimers ("footnote" and "footer" are not among them).
SUBJECT = re.compile(
    r"\b(hips?|knees?|foot|feet|ankles?|glute\w*|valgus|varus|orthos[ie]s|orthotics?|arch(?:es)?|physiotherap\w*"
    r"|physios?|plantar|pronat\w*|supinat\w*|barefoot|doctors?|pain(?:ful)?|injur(?:y|ies|ed)|medical|insoles?"
    r"|shoes?|footwear|pelvi[cs]|adduction|abduction|gait)\b",
    re.IGNORECASE,
)


def subject_words(name: str, text: str) -> list[str]:
    """``name:line: word`` for every subject word in ``text``."""
    return [
        f"{name}:{number}: {match.group(0)}"
        for number, line in enumerate(text.splitlines(), start=1)
        for match in SUBJECT.finditer(line)
    ]


def package_files() -> list[Path]:
    """Every file of the package folder but Python's byte-code caches."""
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def test_the_word_list_finds_subject_words_and_only_them() -> None:
    text = "Sore Hips and flat FEET.\nA footnote in the footer; research on archives.\nNot medical advice."
    assert subject_words("x", text) == ["x:1: Hips", "x:1: FEET", "x:3: medical"]


def test_the_package_holds_no_word_of_the_sites_subject() -> None:
    files = package_files()
    # Templates and assets are what a site's pages and handouts are made of: they must be among the files read.
    kinds = {p.relative_to(PACKAGE).parts[0] for p in files if p.parent != PACKAGE}
    assert {"templates", "assets"} <= kinds and any(p.suffix == ".py" for p in files)
    found = [
        hit
        for path in files
        for hit in subject_words(path.relative_to(PACKAGE.parent).as_posix(), path.read_bytes().decode("utf-8", "replace"))
    ]
    assert not found, "words of the site's subject in the package (move them to the site's options):\n" + "\n".join(found)


def test_the_generated_schemas_hold_no_word_of_the_sites_subject() -> None:
    for name, schema in (("claim.schema.json", claim_json_schema()), ("study.schema.json", study_json_schema())):
        found = subject_words(name, json.dumps(schema, indent=2, ensure_ascii=False))
        assert not found, "\n".join(found)
