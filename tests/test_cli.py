"""The ``evidence`` command as a contributor runs it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import evidence

BROKEN = {
    "unsourced": (
        "claims/exercise-helps.yml",
        (
            "evidence:\n  - finding: smith2020trial#pain\n    directness: direct\n    note: Pain fell.\n",
            "evidence: []\n",
        ),
        "content/claims/exercise-helps.yml:14:",
        "claim-without-source",
    ),
    "unknown key": (
        "claims/exercise-helps.yml",
        ("finding: smith2020trial#pain", "finding: nobody1999#pain"),
        "content/claims/exercise-helps.yml:15:",
        "unknown-cite-key",
    ),
    "misspelled field": (
        "claims/exercise-helps.yml",
        ("summary:", "sumary:"),
        "content/claims/exercise-helps.yml:7:",
        "invalid-field",
    ),
    "broken yaml": (
        "claims/exercise-helps.yml",
        ("topics: [feet]", "topics: [feet"),
        "content/claims/exercise-helps.yml:4:",
        "invalid-yaml",
    ),
    "duplicate id": (
        "claims/other-claim.yml",
        ("id: other-claim", "id: exercise-helps"),
        "content/claims/other-claim.yml:1:",
        "duplicate-claim-id",
    ),
}


def break_site(root: Path, file: str, change: tuple[str, str]) -> None:
    path = root / "content" / file
    text = path.read_text()
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1))


def test_check_passes_on_a_clean_project(site: Callable[[str], Path]) -> None:
    result = evidence(site("minimal"), "check")
    assert result.code == 0, result.text
    assert result.out.strip() == "2 claims, 2 references, 0 errors, 0 warnings"


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_fails_with_one_clear_line(site: Callable[[str], Path], case: str) -> None:
    file, change, where, code = BROKEN[case]
    root = site("minimal")
    break_site(root, file, change)
    result = evidence(root, "check")
    assert result.code == 1
    problem_lines = [line for line in result.out.splitlines() if f"[{code}]" in line]
    assert problem_lines and problem_lines[0].startswith(where), result.out
    assert "hint:" in problem_lines[0]
    assert "Traceback" not in result.text
    assert re.fullmatch(r"\d+ claims?, 2 references, [1-9]\d* errors?, \d+ warnings?", result.out.splitlines()[-1])


def test_broken_bibtex(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text().replace("  pages   = {10--20},", "  pages   = {10--20,"))
    result = evidence(root, "check")
    assert result.code == 1
    assert any(line.startswith("references.bib:") and "[bib-parse-error]" in line for line in result.out.splitlines()), result.out
    assert "Traceback" not in result.text


def test_missing_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = evidence(tmp_path, "check")
    assert result.code == 2
    assert result.err.strip() == "evidence: mkdocs.yml: not found (run from the project folder or pass --config)"


def test_render_writes_a_complete_docs_folder(site: Callable[[str], Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = evidence(site("minimal"), "render", "-o", str(out), "--no-handouts")
    assert result.code == 0, result.text
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # Generated pages, the prose page, assets and data; never claim YAML, topics.yml, snapshots or handouts.
    assert written == [
        ".evidence-render",  # the mark that lets a later render write here again
        "assets/mkdocs-evidence.css",
        "assets/mkdocs-evidence.js",
        "claims.json",
        "claims/exercise-helps.md",
        "claims/index.md",
        "claims/other-claim.md",
        "claims/review.md",
        "index.md",
        "schema/claim.schema.json",
        "schema/study.schema.json",
        "sources/blog-post.md",
        "sources/index.md",
        "sources/smith2020trial.md",
        "topics/feet.md",
    ]
    home = (out / "index.md").read_text(encoding="utf-8")
    # Prose is expanded, with links to the Markdown files; code spans stay as written.
    assert 'href="sources/smith2020trial.md"' in home and 'href="claims/exercise-helps.md">this claim</a>' in home
    assert "[@smith2020trial]" not in home and "`[@not-a-key]`" in home
    topic = (out / "topics" / "feet.md").read_text(encoding="utf-8")
    assert "Feet matter" in topic and 'href="../sources/smith2020trial.md"' in topic  # the introduction, merged
    assert "docs_dir: " + str(out) in result.out and "extra_css: [assets/mkdocs-evidence.css]" in result.out
    assert "font: false" in result.out


def test_render_writes_handouts_when_they_are_on(site: Callable[[str], Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = evidence(site("minimal"), "render", "-o", str(out))
    assert result.code == 0, result.text
    assert (out / "handouts" / "feet.pdf").read_bytes().startswith(b"%PDF")
    assert 'href="../handouts/feet.pdf"' in (out / "topics" / "feet.md").read_text(encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["render", "-o", "content"], "output-over-sources"),
        (["render", "-o", "elsewhere"], "output-over-sources"),  # a link to the docs folder
        (["handout", "--topic", "feet", "-o", "references.bib"], "output-over-sources"),
        (["handout", "--all-topics", "-o", "content/topics"], "output-over-sources"),
    ],
    ids=["render over the docs", "render through a link", "handout over the bibliography", "handouts into the docs"],
)
def test_outputs_onto_the_sources_are_refused_and_write_nothing(site: Callable[[str], Path], args: list[str], code: str) -> None:
    root = site("minimal")
    (root / "elsewhere").symlink_to(root / "content", target_is_directory=True)
    before = _snapshot(root)
    result = evidence(root, *args)
    assert result.code == 2, result.text
    assert "Traceback" not in result.text
    assert result.err.strip() == result.err.strip().splitlines()[0], "one line"
    assert f"{args[-1]}: error: refusing to write there" in result.err and f"[{code}] (hint: " in result.err
    assert _snapshot(root) == before


def test_render_writes_again_only_into_a_folder_it_wrote(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    out = tmp_path / "out"
    assert evidence(root, "render", "-o", str(out), "--no-handouts").code == 0
    again = evidence(root, "render", "-o", str(out), "--no-handouts")
    assert again.code == 0, again.text  # its own folder, marked
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.md").write_text("mine", encoding="utf-8")
    refused = evidence(root, "render", "-o", str(theirs), "--no-handouts")
    assert refused.code == 2 and "[output-folder-not-empty]" in refused.err, refused.text
    assert _snapshot(theirs) == {"notes.md": b"mine"}


def test_output_targets_are_checked_before_anything_is_made(site: Callable[[str], Path], tmp_path: Path) -> None:
    """Every kind of target, in-process: what is refused (links resolved first), and what may be written."""
    from mkdocs_evidence import outputs
    from mkdocs_evidence.settings import settings_from_mkdocs_yml

    root = site("minimal")
    config = root / "mkdocs.yml"
    settings = settings_from_mkdocs_yml(config)
    (root / ".git").mkdir()
    (root / "notes.txt").write_text("not a PDF", encoding="utf-8")
    (root / "old.pdf").write_bytes(b"%PDF-1.7 an earlier handout")
    (root / "bib.pdf").symlink_to(root / "references.bib")
    refused_folders = {
        "content": "output-over-sources",
        "content/claims": "output-over-sources",
        ".": "output-over-sources",  # holds the docs folder
        ".git/out": "output-over-sources",
        "notes.txt": "output-not-a-folder",
    }
    for target, code in refused_folders.items():
        with pytest.raises(outputs.OutputError, match=re.escape(f"[{code}]")):
            outputs.check_render_folder(root / target, settings, config)
    refused_files = {
        "references.bib": "output-over-sources",
        "bib.pdf": "output-over-sources",  # a link to the bibliography
        "mkdocs.yml": "output-over-sources",
        "content/feet.pdf": "output-over-sources",
        "notes.txt": "output-not-pdf",
    }
    for target, code in refused_files.items():
        with pytest.raises(outputs.OutputError, match=re.escape(f"[{code}]")):
            outputs.check_handout_file(root / target, settings, config)
    assert outputs.check_handout_file(root / "old.pdf", settings, config) == (root / "old.pdf").resolve()
    assert outputs.check_handout_file(tmp_path / "new.pdf", settings, config) == (tmp_path / "new.pdf").resolve()
    assert outputs.check_render_folder(root / "build" / "docs", settings, config) == (root / "build" / "docs").resolve()
    (tmp_path / "handouts").mkdir()
    (tmp_path / "handouts" / "feet.pdf").write_text("not a PDF", encoding="utf-8")
    with pytest.raises(outputs.OutputError, match=re.escape("[output-not-pdf]")):
        outputs.check_handout_folder(tmp_path / "handouts", ["feet.pdf"], settings, config)


def test_schema_is_json_with_vocabularies(tmp_path: Path) -> None:
    result = evidence(tmp_path, "schema")
    schema = json.loads(result.out)
    assert schema["additionalProperties"] is False
    assert "supported" in schema["properties"]["verdict"]["enum"]
    assert set(schema["required"]) >= {"id", "statement", "topics", "verdict", "certainty", "summary", "reviewed"}
