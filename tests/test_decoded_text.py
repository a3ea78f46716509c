"""Control, bidirectional and zero-width characters are refused in the text as decoded, not only as written.

YAML escapes (``"\\u202E"``), front matter and LaTeX decoding make characters the raw file never
held; each is reported at its line with ``control-character``. (YAML escapes and tags in claim
files: tests/test_yamlsrc.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mkdocs_evidence.bibliography import _Fields, _keep_visible, parse_bibliography
from mkdocs_evidence.chars import INVISIBLE_RE, describe
from mkdocs_evidence.front_matter import check_front_matter
from mkdocs_evidence.issues import Issue
from mkdocs_evidence.latex import latex_to_text
from mkdocs_evidence.project import load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


def project_with(tmp_path: Path, files: dict[str, str]) -> tuple[Path, list[Issue]]:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    for relative, text in files.items():
        (root / relative).write_text(text, encoding="utf-8")
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    return root, list(project.issues)


def found(issues: list[Issue], code: str) -> list[tuple[str, int]]:
    return [(i.path, i.line) for i in issues if i.code == code]


@pytest.mark.parametrize(
    ("char", "words"),
    [
        ("\x1b", "control character U+001B"),
        ("\u202e", "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u200f", "bidirectional control U+200F (RIGHT-TO-LEFT MARK)"),
        ("\u200b", "invisible character U+200B (ZERO WIDTH SPACE)"),
        ("\u2060", "invisible character U+2060 (WORD JOINER)"),
        ("\U000e0041", "invisible character U+E0041 (TAG LATIN CAPITAL LETTER A)"),
    ],
)
def test_each_kind_is_named_in_words(char: str, words: str) -> None:
    assert INVISIBLE_RE.fullmatch(char)
    assert describe(char) == words


@pytest.mark.parametrize("char", ["\t", "\n", "é", "\u00a0", "\u2009", "\u00ad", "\ufe0f", "–"])
def test_visible_and_ordinary_characters_pass(char: str) -> None:
    assert not INVISIBLE_RE.search(char)


def test_a_zero_width_space_in_a_claim_file_is_reported_at_its_line(tmp_path: Path) -> None:
    claim = MINIMAL / "content" / "claims" / "other-claim.yml"
    text = claim.read_text(encoding="utf-8").replace("statement: ", "statement: Zero\u200bwidth ", 1)
    line = text.split("\n").index(next(x for x in text.split("\n") if "\u200b" in x)) + 1
    _, issues = project_with(tmp_path, {"content/claims/other-claim.yml": text})
    assert found(issues, "control-character") == [("content/claims/other-claim.yml", line)]


def test_a_byte_order_mark_may_open_a_file_but_not_stand_inside_it(tmp_path: Path) -> None:
    index = (MINIMAL / "content" / "index.md").read_text(encoding="utf-8")
    _, issues = project_with(tmp_path, {"content/index.md": "\ufeff" + index})
    assert found(issues, "control-character") == []
    _, issues = project_with(tmp_path / "again", {"content/index.md": index + "inside\ufeffwords\n"})
    assert found(issues, "control-character") == [("content/index.md", index.count("\n") + 1)]


@pytest.mark.parametrize(
    ("front", "line", "code", "words"),
    [
        ('title: "Home\\u202Eemoh"\n', 2, "control-character", "bidirectional control U+202E"),
        ('description: ok\ntitle: "\\x1b[2J"\n', 3, "control-character", "control character U+001B"),
        ("title: !!binary aGk=\n", 2, "unsafe-yaml", "tag '!!binary' is not allowed"),
        ("title: a\ntitle: b\n", 3, "invalid-yaml", "duplicate key 'title'"),
        ("a: &x [1]\ntitle: *x\n", 2, "unsafe-yaml", "anchor &x is not allowed"),
    ],
)
def test_front_matter_is_checked_as_decoded_and_never_reaches_mkdocs(front: str, line: int, code: str, words: str) -> None:
    text = f"---\n{front}---\n# Page\n\nBody.\n"
    issues, rendered = check_front_matter(text, "content/page.md")
    assert [(i.code, i.line) for i in issues] == [(code, line)]
    assert words in issues[0].message and issues[0].message.startswith("front matter: ")
    # What MkDocs renders: an empty mapping where the front matter was, the body on the same lines.
    assert rendered.startswith("---\n{}\n") and "title" not in rendered and "Home" not in rendered
    assert rendered.split("\n").index("# Page") == text.split("\n").index("# Page")


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Home\ndescription: 'A plain page, \\u202E stays six characters'\n---\n# Page\n",
        "---\ntitle: [unclosed\n---\n# Page\n",  # not YAML: MkDocs shows it as page text (checked as Markdown)
        "# Page\n---\ntitle: x\n---\n",  # not at the start: not front matter
    ],
)
def test_other_front_matter_and_pages_are_left_alone(text: str) -> None:
    assert check_front_matter(text, "content/page.md") == ([], text)


def test_an_escaped_bidi_control_in_a_prose_page_title_fails_the_check(tmp_path: Path) -> None:
    index = (MINIMAL / "content" / "index.md").read_text(encoding="utf-8")
    _, issues = project_with(tmp_path, {"content/index.md": '---\ntitle: "\\u2067Home"\n---\n' + index})
    assert found(issues, "control-character") == [("content/index.md", 2)]


@pytest.mark.parametrize("latex", [r"\char'33", r'\char"202E', "^^e2^^80^^ae", "^^[", r"\symbol{8238}", r"\unichar{8238}"])
def test_latex_decoding_makes_no_invisible_character(latex: str) -> None:
    # TeX's own ways of writing any character: the decoder leaves them as visible text.
    assert not INVISIBLE_RE.search(latex_to_text(f"A {latex} title"))


def test_a_decoded_field_holding_an_invisible_character_is_reported_and_replaced() -> None:
    issues: list[Issue] = []
    plain = _Fields(values={"title": "Plain title"})
    _keep_visible("k", "title", plain, "references.bib", 4, issues)
    assert plain.values["title"] == "Plain title"
    assert issues == []
    evil = _Fields(values={"title": "Evil\u202etitle"})
    _keep_visible("k", "title", evil, "references.bib", 4, issues)
    assert evil.values["title"] == "Evil\ufffdtitle"
    assert [(i.code, i.line) for i in issues] == [("control-character", 4)]
    assert "k: field 'title', decoded, holds bidirectional control U+202E" in issues[0].message


def test_bibtex_with_an_invisible_character_is_reported_at_its_field(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@article{a,\n  title = {One},\n  journal = {Two\u200d Three},\n}\n", encoding="utf-8")
    refs, issues = parse_bibliography(path, "refs.bib")
    assert [(i.code, i.line) for i in issues] == [("control-character", 3)]
    assert "\u200d" not in refs["a"].get("journal")


#: Every character the search refuses, one from each range, and text around it that reads normally.
_REFUSED = ["\x00", "\x1b", "\x7f", "\x85", "\u061c", "\u200b", "\u202e", "\u2066", "\u3164", "\ufeff", "\ufffb", "\U000e0041"]


@pytest.mark.parametrize("char", _REFUSED)
@pytest.mark.parametrize("around", ["plain ascii", "caf\u00e9 \u2013 na\u00efve", "\u4e2d\u6587"])
def test_a_file_is_searched_for_invisible_characters_wherever_they_are(tmp_path: Path, char: str, around: str) -> None:
    """The search that skips printable ASCII first finds each refused character at its line, in any surrounding text."""
    from mkdocs_evidence.load import read_source
    from mkdocs_evidence.settings import make_settings

    path = tmp_path / "page.md"
    path.write_text(f"# Title\n\n{around}\n{around} {char} {around}\n", encoding="utf-8")
    _, issues = read_source(path, make_settings(tmp_path, ".", {}), 10_000, "bytes")
    assert [(i.code, i.line) for i in issues] == [("control-character", 4)]
    path.write_text(f"# Title\n\n{around}\n", encoding="utf-8")
    assert read_source(path, make_settings(tmp_path, ".", {}), 10_000, "bytes")[1] == []
