"""`evidence init`: a new site that builds at once, whose fictional example a release refuses until it is replaced.

The package as installed from a wheel, in a new environment, is tested in test_package.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import evidence, mkdocs_build
from mkdocs_evidence.starter import FILES, topic_id
from test_repo_files import HARDENING_RULES, lint_workflows

#: The three example records `evidence init` writes, as `evidence check` names them.
EXAMPLES = ("content/claims/example-claim.yml", "content/studies/example2024trial.yml", "references.bib")


def init(tmp_path: Path, *args: str) -> Path:
    """`evidence init tmp_path/x ARGS`; the new site's folder."""
    result = evidence(tmp_path, "init", "x", *args)
    assert result.code == 0, result.text
    return tmp_path / "x"


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_init_writes_a_site_that_builds_strictly_and_flags_its_example(tmp_path: Path) -> None:
    site = init(tmp_path, "--site-name", "Reading & <b>habits</b>", "--topic", "Ernährung und Schlaf", "--language", "de")
    written = set(every_file(site))
    assert {".github/workflows/ci.yml", ".github/workflows/deploy.yml", ".gitignore", ".pre-commit-config.yaml"} <= written
    assert {"mkdocs.yml", "README.md", "content/topics/ernahrung-und-schlaf.md", "schema/claim.schema.json", *EXAMPLES} <= written
    config = yaml.load((site / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # !ENV left as text
    assert config["site_name"] == "Reading & <b>habits</b>" and config["theme"]["language"] == "de"

    build = mkdocs_build(site)
    assert build.code == 0, build.text
    assert (site / "site" / "claims" / "example-claim" / "index.html").is_file()
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    # The name is the home page's heading as text: the check refuses raw HTML in pages.
    assert 'id="reading-bhabitsb">Reading &amp; &lt;b&gt;habits&lt;/b&gt;<a class="headerlink"' in home

    check = evidence(site, "check")
    assert check.code == 0, check.text
    lines = check.out.splitlines()
    assert lines[-1] == "1 claim, 1 reference, 0 errors, 0 warnings, 3 notices"
    for path in EXAMPLES:
        assert any(line.startswith(f"{path}:") and ": notice: " in line and "[example-content]" in line for line in lines), path


def test_a_release_refuses_the_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = init(tmp_path)
    check = evidence(site, "check", "--release")
    assert check.code == 1
    assert [line.split(":")[0] for line in check.out.splitlines() if "error: " in line] == sorted(EXAMPLES)
    github = evidence(site, "check", "--format", "github")
    assert github.code == 0 and github.out.count("::notice file=") == 3 and "title=example-content" in github.out
    # The Pages workflow builds with EVIDENCE_DEPLOY set: the example fails that build.
    monkeypatch.setenv("EVIDENCE_DEPLOY", "1")
    monkeypatch.setenv("SITE_URL", "https://example.org/site/")
    deploy = mkdocs_build(site)
    assert deploy.code != 0 and "[example-content]" in deploy.text, deploy.text


def test_each_example_record_is_flagged_until_it_is_replaced(tmp_path: Path) -> None:
    site = init(tmp_path)
    claim = site / "content" / "claims" / "example-claim.yml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("Replace this example with your first claim. ", "").replace("Replace this example: ", ""))
    check = evidence(site, "check")
    assert check.code == 0 and check.out.splitlines()[-1].endswith("0 errors, 0 warnings, 2 notices"), check.text
    assert "example-claim.yml" not in check.out


def test_the_generated_workflows_pass_actionlint_and_the_hardening_rules(tmp_path: Path) -> None:
    site = init(tmp_path)
    workflows = sorted((site / ".github" / "workflows").glob("*.yml"))
    for path in workflows:
        problems = [p for rule in HARDENING_RULES for p in rule(path.name, path.read_text(encoding="utf-8"))]
        assert not problems, problems
    ci = yaml.safe_load((site / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    runs = [s.get("run", "") for job in ci["jobs"].values() for s in job["steps"]]
    assert "evidence check --format github --release" in runs and "mkdocs build --strict" in runs
    result = lint_workflows(site, ".github/workflows/*.yml")
    assert f"Checking {len(workflows)} workflow file(s)" in result.out and result.code == 0, result.text


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    result = evidence(tmp_path, "init", "x")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("evidence init: x: the folder is not empty"), result.err
    assert every_file(folder) == {"mkdocs.yml": b"site_name: Mine\n"}


def test_init_refuses_a_file_and_bad_choices_writing_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("mine\n", encoding="utf-8")
    cases = [
        (["file"], "exists and is not a folder"),
        (["x", "--language", "English"], "--language: 'English' is not a language code"),
        (["x", "--topic", "???"], "--topic: '???' has no letter or digit"),
        (["x", "--site-name", "two\nlines"], "--site-name: give one line of text"),
    ]
    for args, message in cases:
        result = evidence(tmp_path, "init", *args)
        assert result.code == 2 and result.err.count("\n") == 1 and message in result.err, result.text
    assert every_file(tmp_path) == {"file": b"mine\n"}


def test_init_writes_into_an_empty_folder_and_every_starter_file_is_used(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    site = init(tmp_path, "--topic", "Sleep")
    targets = {target.replace("${topic_id}", "sleep") for _, target in FILES}
    assert targets | {"schema/claim.schema.json", "schema/study.schema.json"} == set(every_file(site))


@pytest.mark.parametrize(("title", "slug"), [("Sleep", "sleep"), ("Ernährung & Schlaf", "ernahrung-schlaf"), ("  A--b  ", "a-b")])
def test_topic_ids_are_slugs(title: str, slug: str) -> None:
    assert topic_id(title) == slug
