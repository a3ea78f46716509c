"""Duplicates are errors at their lines, and every id, key and file name can be checked out on Windows and macOS."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from mkdocs_evidence.issues import Issue
from mkdocs_evidence.paths import folded, portable_problem
from mkdocs_evidence.portable import check_names
from mkdocs_evidence.project import Project, load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
CLAIM = (MINIMAL / "content" / "claims" / "exercise-helps.yml").read_text(encoding="utf-8")
TOPICS = (MINIMAL / "content" / "topics.yml").read_text(encoding="utf-8")
BIB = (MINIMAL / "references.bib").read_text(encoding="utf-8")


def project(tmp_path: Path, files: dict[str, str]) -> tuple[Project, list[Issue]]:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    loaded = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    return loaded, list(loaded.issues)


def at(issues: list[Issue], code: str) -> list[tuple[str, int]]:
    return [(i.path, i.line) for i in issues if i.code == code]


# --- Duplicates ---------------------------------------------------------------------------------------


def test_a_second_topic_with_the_same_id_is_an_error_and_does_not_replace_the_first(tmp_path: Path) -> None:
    topics = TOPICS + "  - id: feet\n    title: Hijacked\n    description: Replaced.\n"
    loaded, issues = project(tmp_path, {"content/topics.yml": topics})
    assert at(issues, "duplicate-topic") == [("content/topics.yml", 5)]
    assert "topic id 'feet' is already defined at line 2" in next(i.message for i in issues if i.code == "duplicate-topic")
    assert loaded.graph.topics["feet"].title == "Feet"


def test_a_topic_listed_twice_in_a_claim_is_an_error_and_counts_once(tmp_path: Path) -> None:
    claim = CLAIM.replace("topics: [feet]", "topics:\n  - feet\n  - feet\n  - feet")
    loaded, issues = project(tmp_path, {"content/claims/exercise-helps.yml": claim})
    # One line however many repeats, at the first repeat.
    assert at(issues, "duplicate-topic-in-claim") == [("content/claims/exercise-helps.yml", 5)]
    message = next(i.message for i in issues if i.code == "duplicate-topic-in-claim")
    assert message == "topic 'feet' is listed 3 times (first at line 4); list it once"
    assert loaded.graph.claims["exercise-helps"].topics == ("feet",)
    assert loaded.graph.claims_by_topic["feet"].count("exercise-helps") == 1


def test_a_finding_cited_twice_is_an_error_and_counts_once(tmp_path: Path) -> None:
    repeat = "  - finding: smith2020trial#pain\n    directness: direct\n    note: Again.\n"
    claim = CLAIM.replace("appearances:\n", repeat * 2 + "appearances:\n")
    loaded, issues = project(tmp_path, {"content/claims/exercise-helps.yml": claim})
    assert at(issues, "duplicate-citation") == [("content/claims/exercise-helps.yml", 18)]
    message = next(i.message for i in issues if i.code == "duplicate-citation")
    assert message == "smith2020trial#pain is cited 3 times (first at line 15); list it once"
    assert [(e.key, e.finding, e.note) for e in loaded.graph.claims["exercise-helps"].evidence] == [
        ("smith2020trial", "pain", "Pain fell.")
    ]


def test_the_same_source_as_background_or_another_quote_is_fine(tmp_path: Path) -> None:
    other = "  - cite: smith2020trial\n    relation: mentions\n    locator: Table 3\n"
    quote = "  - cite: blog-post\n    quote: Feet are everything\n"
    claim = CLAIM.replace("appearances:\n", other + "appearances:\n" + quote)
    loaded, issues = project(tmp_path, {"content/claims/exercise-helps.yml": claim})
    assert at(issues, "duplicate-citation") == []
    assert len(loaded.graph.claims["exercise-helps"].evidence) == 2


def test_the_same_quote_of_the_same_article_twice_is_an_error(tmp_path: Path) -> None:
    quote = '  - cite: blog-post\n    quote: "Feet are everything & more"\n'
    claim = CLAIM.replace("related:", quote.rstrip("\n") + "\nrelated:")
    loaded, issues = project(tmp_path, {"content/claims/exercise-helps.yml": claim})
    assert at(issues, "duplicate-citation") == [("content/claims/exercise-helps.yml", 23)]
    assert "'blog-post' is listed with the same quote twice (first at line 19); list it once" in [i.message for i in issues]
    assert len(loaded.graph.claims["exercise-helps"].appearances) == 1


# --- Portable names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("con", "is CON, a device name Windows reserves"),
        ("CON.md", "is CON"),
        ("Nul.tar.gz", "is NUL"),
        ("aux .md", "is AUX"),
        ("com1", "is COM1"),
        ("LPT9.txt", "is LPT9"),
        ("com\u00b9", "is COM\u00b9"),
        ("smith.", "ends with a dot or a space"),
        ("notes ", "ends with a dot or a space"),
        ("Smith:2020", "holds ':', which Windows does not allow"),
        ('a<b>c"d|e?f*', "holds '<', '>', '\"', '|', '?', '*'"),
        ("back\\slash", "holds '\\\\'"),
        ("tab\tname", "holds '\\t'"),
        (unicodedata.normalize("NFD", "café.md"), "is not in Unicode NFC form"),
    ],
)
def test_unportable_names_are_named_with_the_reason(name: str, words: str) -> None:
    assert words in portable_problem(name)


@pytest.mark.parametrize(
    "name", ["console", "con-trial", "com0", "lpt10", "smith2020trial", "café.md", ".pages", "a.b.c", "x-1_2"]
)
def test_portable_names_pass(name: str) -> None:
    assert portable_problem(name) == ""


def test_names_fold_as_macos_and_windows_compare_them() -> None:
    assert folded("Page.MD") == folded("page.md")
    assert folded(unicodedata.normalize("NFD", "Café")) == folded("café")
    assert folded("page-1") != folded("page-2")


def test_unportable_and_clashing_files_and_folders_under_the_docs_folder(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "café.md")
    files = {
        "content/CON.md": "# x\n",
        "content/notes./a.md": "# x\n",
        "content/Index.md": "# x\n",  # next to index.md (reported at the later name in sort order)
        "content/Sources/x.md": "# x\n",  # the site writes sources/
        f"content/{nfd}": "# x\n",
        "content/guide/Page.md": "# x\n",
        "content/guide/page.md": "# x\n",
        "content/guide/other.md": "# x\n",
        "content/snapshots/AUX.txt": "url: https://example.org/\nretrieved: 2026-01-01\n---\ntext\n",
    }
    _, issues = project(tmp_path, files)
    assert sorted(at(issues, "unportable-name")) == [
        ("content/CON.md", 0),
        (f"content/{nfd}", 0),
        ("content/notes.", 0),
        ("content/snapshots/AUX.txt", 0),
    ]
    assert sorted(at(issues, "name-clash")) == [("content/Sources", 0), ("content/guide/page.md", 0), ("content/index.md", 0)]
    messages = {i.path: i.message for i in issues if i.code == "name-clash"}
    assert messages["content/Sources"].startswith("folder name 'Sources' differs from the site's own sources/ only in")
    assert messages["content/guide/page.md"].startswith("file name 'page.md' differs from 'Page.md' only in")


def test_the_fixture_and_the_real_content_have_portable_names() -> None:
    for config in (MINIMAL / "mkdocs.yml", Path(__file__).parent.parent / "mkdocs.yml"):
        assert check_names(settings_from_mkdocs_yml(config)) == []


def test_a_claim_file_is_checked_once_through_its_id(tmp_path: Path) -> None:
    _, issues = project(tmp_path, {"content/claims/con.yml": CLAIM.replace("id: exercise-helps", "id: con")})
    assert at(issues, "unportable-name") == [("content/claims/con.yml", 1)]


def test_a_topic_id_must_be_portable(tmp_path: Path) -> None:
    _, issues = project(tmp_path, {"content/topics.yml": TOPICS + "  - id: nul\n    title: Nothing\n"})
    assert at(issues, "unportable-name") == [("content/topics.yml", 5)]


@pytest.mark.parametrize(("key", "words"), [("con", "is CON"), ("smith.", "ends with a dot")])
def test_an_unportable_key_is_an_error_and_the_entry_is_still_read(tmp_path: Path, key: str, words: str) -> None:
    entry = f"\n@article{{{key},\n  title = {{A title}},\n  year = {{2020}},\n  doi = {{10.1/x}},\n  design = {{rct}}\n}}\n"
    loaded, issues = project(tmp_path, {"references.bib": BIB + entry})
    assert at(issues, "unportable-name") == [("references.bib", 23)]
    assert words in next(i.message for i in issues if i.code == "unportable-name")
    assert key in loaded.graph.references


def test_a_key_may_hold_a_colon(tmp_path: Path) -> None:
    """Keys name only published pages, never a file of the repository: ``Smith:2020`` and ``doi:…`` stay valid."""
    entry = "\n@article{Smith:2020,\n  title = {A title},\n  year = {2020},\n  doi = {10.1/x},\n  design = {rct}\n}\n"
    loaded, issues = project(tmp_path, {"references.bib": BIB + entry})
    assert at(issues, "unportable-name") == []
    assert "Smith:2020" in loaded.graph.references


def test_keys_that_differ_only_in_case_clash_and_the_later_is_left_out(tmp_path: Path) -> None:
    entry = "\n@article{Smith2020Trial,\n  title = {Other},\n  year = {2020},\n  doi = {10.1/x},\n  design = {rct}\n}\n"
    loaded, issues = project(tmp_path, {"references.bib": BIB + entry})
    assert at(issues, "name-clash") == [("references.bib", 23)]
    assert "key 'Smith2020Trial' differs from 'smith2020trial' only in upper/lower case" in next(
        i.message for i in issues if i.code == "name-clash"
    )
    assert "Smith2020Trial" not in loaded.graph.references
