"""Contributing by pull request: `evidence new`, check formats, edit links, review dates, repo files."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import BIN, evidence, mkdocs_build
from mkdocs_evidence.issues import CODES

NEW = [
    "new",
    "--id",
    "arch-drills-help",
    "--topic",
    "feet",
    "--statement",
    "Arch drills help: a 6-week programme, for most people.",
    "--finding",
    "smith2020trial#pain",
    "--direction",
    "decreases",
    "--verdict",
    "supported",
    "--certainty",
    "moderate",
]

#: The text `evidence new` leaves for the contributor, in the order it stands in the file.
PLACEHOLDERS = {
    "Replace this with one to three plain sentences on what the research shows.": "One trial found less pain.",
    "Replace this with who the claim is about.": "adults with foot pain",
    "Replace this with the exposure or intervention the claim names.": "arch drills",
    "Replace this with the outcome, worded as the findings word it.": "foot pain",
    "Replace this with what this finding shows for the claim.": "Pain fell in the exercise group.",
}


def write_the_text(path: Path) -> None:
    """What a contributor does after `evidence new`: replace every placeholder with their own words."""
    text = path.read_text(encoding="utf-8")
    for placeholder, words in PLACEHOLDERS.items():
        text = text.replace(placeholder, words)
    path.write_text(text, encoding="utf-8")


def git(root: Path, *args: str) -> None:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


# --- evidence new ---------------------------------------------------------------------------------


def test_new_claim_fails_the_check_until_its_text_is_written(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    result = evidence(root, *NEW)
    assert result.code == 0, result.text
    path = root / "content" / "claims" / "arch-drills-help.yml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/claim.schema.json"
    assert "reviewed: 2026-11-21" in text  # today, as pinned by conftest
    assert yaml.safe_load(text)["statement"] == "Arch drills help: a 6-week programme, for most people."

    # Straight after `evidence new` the placeholders are errors: they must never reach a page or a handout.
    check = evidence(root, "check")
    assert check.code == 1
    assert [line.split(" [")[1].split("]")[0] for line in check.out.splitlines()[:-1]] == ["placeholder-text"] * 5
    fields = [line.split(": error: ")[1].split(" still holds")[0] for line in check.out.splitlines()[:-1]]
    assert fields == ["summary", "asserts.population", "asserts.exposure", "asserts.outcome", "evidence.0.note"]
    assert check.out.splitlines()[0].startswith("content/claims/arch-drills-help.yml:8: error: summary still holds")
    data = yaml.safe_load(text)
    assert data["asserts"]["direction"] == "decreases"
    assert data["evidence"] == [
        {
            "finding": "smith2020trial#pain",
            "directness": "direct",
            "note": "Replace this with what this finding shows for the claim.",
        }
    ]
    assert mkdocs_build(root).code == 1

    write_the_text(path)
    check = evidence(root, "check")
    assert check.code == 0, check.text
    assert check.out.strip() == "3 claims, 2 references, 0 errors, 0 warnings"
    built = mkdocs_build(root)
    assert built.code == 0, built.text
    page = (root / "site" / "claims" / "arch-drills-help" / "index.html").read_text(encoding="utf-8")
    assert "Arch drills help: a 6-week programme, for most people." in page
    assert "Replace this with" not in page
    text = path.read_text(encoding="utf-8")

    again = evidence(root, *NEW)
    assert again.code == 1
    assert again.err.strip() == (
        "evidence new: a claim with id 'arch-drills-help' already exists (content/claims/arch-drills-help.yml)"
    )
    assert path.read_text(encoding="utf-8") == text  # not overwritten


def test_new_unsupported_claim_asks_for_the_search_behind_it(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    args = list(NEW)
    i = args.index("--finding")
    args[i : i + 4] = ["--mentions", "smith2020trial"]  # background only: nothing tests the claim
    args[args.index("supported")] = "unsupported"
    args[args.index("moderate")] = "very-low"
    result = evidence(root, *args)
    assert result.code == 0, result.text
    data = yaml.safe_load((root / "content" / "claims" / "arch-drills-help.yml").read_text(encoding="utf-8"))
    assert data["searches"][0]["source"] == "PubMed"
    assert "asserts" not in data and data["evidence"][0]["relation"] == "mentions"
    check = evidence(root, "check")
    assert check.code == 1
    assert "searches.0.query still holds the text `evidence new` wrote [placeholder-text]" in check.out


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        (
            "--certainty",
            "low",
            "evidence new: certainty 'low' is not what these findings give, 'moderate':"
            " starts high (randomised trial), imprecision -1 → moderate",
        ),
        ("--verdict", "contradicted", "evidence new: verdict 'contradicted': no cited finding goes against the claim"),
        # A claim that exercises increase pain: the trial's finding (pain decreases) goes against it.
        ("--direction", "increases", "evidence new: verdict 'supported': no cited finding goes the claim's way (1 against it)"),
    ],
)
def test_new_refuses_a_verdict_or_certainty_its_findings_do_not_give(
    site: Callable[[str], Path], flag: str, value: str, message: str
) -> None:
    root = site("minimal")
    args = list(NEW)
    args[args.index(flag) + 1] = value
    result = evidence(root, *args)
    assert result.code == 1
    assert result.err.strip() == message


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--topic", "fet", "evidence new: unknown topic 'fet' (did you mean 'feet'?); topics: feet"),
        ("--finding", "smith2020trail#pain", "evidence new: unknown cite key 'smith2020trail' (did you mean 'smith2020trial'?);"),
        ("--finding", "blog-post#pain", "evidence new: 'blog-post' is a popular article, not research"),
        ("--finding", "smith2020trial#pian", "evidence new: content/studies/smith2020trial.yml has no finding 'pian'"),
        ("--finding", "smith2020trial", "evidence new: 'smith2020trial' is not a finding: write <cite key>#<finding id>"),
        ("--direction", "down", "evidence new: 'down' is not a valid direction"),
        ("--verdict", "true-ish", "evidence new: 'true-ish' is not a valid verdict"),
        ("--id", "Not A Slug", "evidence new: id 'Not A Slug' is not a slug"),
    ],
)
def test_new_refuses_with_one_line(site: Callable[[str], Path], flag: str, value: str, message: str) -> None:
    root = site("minimal")
    args = list(NEW)
    args[args.index(flag) + 1] = value
    result = evidence(root, *args)
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and result.err.startswith(message), result.err
    assert sorted(p.name for p in (root / "content" / "claims").iterdir()) == ["exercise-helps.yml", "other-claim.yml"]


def test_new_without_a_terminal_lists_the_missing_flags(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    proc = subprocess.run(
        [str(BIN / "evidence"), "new", "--id", "x-y", "--topic", "feet"],
        cwd=root,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "evidence new: missing --statement, --finding or --mentions, --verdict, --certainty (or run it in a terminal to be asked)"
    )


def test_new_asks_for_missing_values_in_a_terminal(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [str(BIN / "evidence"), "new", "--id", "asked-claim"],
        cwd=root,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(secondary)
    # The terminal buffers typed lines, so all answers can be typed ahead of the prompts.
    os.write(primary, b"feet\nFeet adapt to load.\nsmith2020trial#pain\ndecreases\nsupported\nmoderate\n")
    out, err = proc.communicate(timeout=60)
    os.close(primary)
    assert proc.returncode == 0, out + err
    assert "Topics, separated by commas (feet):" in out
    data = yaml.safe_load((root / "content" / "claims" / "asked-claim.yml").read_text(encoding="utf-8"))
    assert data["topics"] == ["feet"] and data["verdict"] == "supported" and data["certainty"] == "moderate"
    assert data["evidence"][0]["finding"] == "smith2020trial#pain" and data["asserts"]["direction"] == "decreases"
    check = evidence(root, "check")
    assert check.code == 1 and check.out.count("[placeholder-text]") == 5, check.text


# --- evidence check --format / --changed-since ------------------------------------------------------


def with_unknown_key(root: Path) -> None:
    path = root / "content" / "claims" / "exercise-helps.yml"
    path.write_text(
        path.read_text().replace("    note: Pain fell.\n", "    note: Pain fell.\n  - cite: nobody1999\n    relation: mentions\n")
    )


def test_github_format_annotates_file_and_line(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    with_unknown_key(root)
    result = evidence(root, "check", "--format", "github")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "::error file=content/claims/exercise-helps.yml,line=18,title=unknown-cite-key::unknown cite key 'nobody1999'"
        " (hint: use a key defined in references.bib, or add the reference there first)"
    )
    assert result.out.splitlines()[-1].endswith("1 error, 0 warnings")


def test_json_format_is_parseable(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    with_unknown_key(root)
    result = evidence(root, "check", "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["summary"] == {"claims": 2, "references": 2, "errors": 1, "warnings": 0, "notices": 0}
    assert data["issues"] == [
        {
            "path": "content/claims/exercise-helps.yml",
            "line": 18,
            "severity": "error",
            "code": "unknown-cite-key",
            "message": "unknown cite key 'nobody1999'",
            "hint": CODES["unknown-cite-key"].hint,
        }
    ]


def test_changed_since_reports_only_changed_files(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{lonely, title={Alone}, doi={10.1/x}, design={rct}}\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "my-claim")
    with_unknown_key(root)  # uncommitted change on the branch
    assert evidence(root, *NEW).code == 0  # a new, untracked file
    write_the_text(root / "content" / "claims" / "arch-drills-help.yml")
    git(root, "add", "content/claims/arch-drills-help.yml")
    git(root, "commit", "-q", "-m", "new claim")

    everything = evidence(root, "check")
    assert any("[unused-reference]" in line for line in everything.out.splitlines())

    changed = evidence(root, "check", "--changed-since", "main")
    assert changed.code == 1
    lines = changed.out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["content/claims/exercise-helps.yml"]
    assert lines[-1] == "3 claims, 3 references, 1 error, 0 warnings (in files changed since main)"

    bad = evidence(root, "check", "--changed-since", "no-such-ref")
    assert bad.code == 2
    assert bad.err.strip() == (
        "evidence: --changed-since: 'no-such-ref' is not a branch or commit in this clone (try origin/main, or git fetch first)"
    )


# --- review dates and edit links --------------------------------------------------------------------


def test_old_review_is_a_warning_and_listed_for_review(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    path = root / "content" / "claims" / "other-claim.yml"
    path.write_text(path.read_text().replace("reviewed: 2026-11-20", "reviewed: 2025-01-01"))
    result = evidence(root, "check")
    assert result.code == 0  # a warning: the claim still publishes
    assert result.out.splitlines()[0] == (
        "content/claims/other-claim.yml:15: warning: claim 'other-claim' was last reviewed 2025-01-01, 689 days ago"
        f" (review every 365 days) [review-overdue] (hint: {CODES['review-overdue'].hint})"
    )
    built = mkdocs_build(root)
    assert built.code == 1 and "[review-overdue]" in built.text  # --strict fails on warnings

    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - evidence\n", "  - evidence:\n      review_after_days: 700\n"))
    assert evidence(root, "check").out.strip() == "2 claims, 2 references, 0 errors, 0 warnings"

    cfg.write_text(cfg.read_text().replace("review_after_days: 700", "review_after_days: 30"))
    path.write_text(path.read_text().replace("reviewed: 2025-01-01", "reviewed: 2026-10-01"))
    out = root / "out"
    assert evidence(root, "render", "-o", str(out)).code == 0
    review = (out / "claims" / "review.md").read_text(encoding="utf-8")
    assert "1 claim is due for review" in review
    assert '<a href="other-claim.md">Feet are everything.</a>' in review  # render links the Markdown files
    assert "<td>2026-10-01</td><td>51</td>" in review
    assert "exercise-helps" not in review


def test_bad_review_after_days_is_a_settings_error(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - evidence\n", "  - evidence:\n      review_after_days: soon\n"))
    result = evidence(root, "check")
    assert result.code == 2
    assert result.err.strip() == "evidence: review_after_days: 'soon' must be a valid integer"


def test_claim_page_links_to_its_file_when_repo_url_is_set(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    built = mkdocs_build(root, root / "plain")
    assert built.code == 0, built.text
    assert "ev-edit" not in (root / "plain" / "claims" / "exercise-helps" / "index.html").read_text(encoding="utf-8")

    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text() + "repo_url: https://example.org/repo\nedit_uri: edit/main/content/\n")
    built = mkdocs_build(root)
    assert built.code == 0, built.text
    page = (root / "site" / "claims" / "exercise-helps" / "index.html").read_text(encoding="utf-8")
    assert '<a class="ev-edit" href="https://example.org/repo/edit/main/content/claims/exercise-helps.yml">' in page


def test_changed_since_still_fails_on_errors_the_change_caused_elsewhere(site: Callable[[str], Path]) -> None:
    """Renaming a claim breaks a link to it in a page the change did not touch."""
    root = site("minimal")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    claims = root / "content" / "claims"
    text = (claims / "other-claim.yml").read_text()
    (claims / "other-claim.yml").unlink()
    (claims / "another-claim.yml").write_text(text.replace("id: other-claim", "id: another-claim"))
    pages_linking = [p for p in (root / "content").rglob("*") if p.is_file() and "other-claim" in p.read_text()]
    assert pages_linking, "the fixture needs a file that links to other-claim"
    result = evidence(root, "check", "--changed-since", "main")
    assert result.code == 1
    lines = result.out.splitlines()
    assert any(line.startswith(tuple(p.relative_to(root).as_posix() for p in pages_linking)) for line in lines[:-1])
    assert lines[-1].endswith("errors in other files)") or lines[-1].endswith("error in other files)")
