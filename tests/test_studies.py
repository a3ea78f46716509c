"""Study appraisals on whole fixture projects: one finding, one direction, whichever claim cites it.

In-process (load, check, render) where the build adds nothing; one strict build and one ``evidence
check`` prove that a verdict ignoring its evidence stops both front ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import evidence, mkdocs_build
from mkdocs_evidence import Renderer, load_project, settings_from_mkdocs_yml

CLAIMS = ("exercise-eases-foot-pain", "exercise-eases-runners-pain")
STUDY = Path("content/studies/smith2020trial.yml")


def _load(root: Path) -> tuple[dict[str, str], dict[str, list[tuple[str, str, int]]], dict[str, str]]:
    """Each claim's derived relation, each claim file's issues (code, severity, line), each claim page."""
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    relations = {cid: project.graph.claims[cid].evidence[0].relation for cid in CLAIMS}
    issues: dict[str, list[tuple[str, str, int]]] = {cid: [] for cid in CLAIMS}
    for i in project.issues:
        for cid in CLAIMS:
            if i.path.endswith(f"/{cid}.yml"):
                issues[cid].append((i.code, i.severity.value, i.line))
    pages = {page.src: page.text for page in Renderer(project.graph).page_list()}
    return relations, issues, {cid: pages[f"claims/{cid}.md"] for cid in CLAIMS}


def test_two_claims_citing_one_finding_follow_its_one_direction(site: Callable[[str], Path]) -> None:
    root = site("shared-finding")
    relations, issues, pages = _load(root)
    assert relations == dict.fromkeys(CLAIMS, "supports")
    assert issues == {cid: [] for cid in CLAIMS}
    for text in pages.values():
        assert "ev-relation--supports" in text and "ev-relation--contradicts" not in text

    # The finding's direction is changed once, in its study's record: both claims follow.
    study = root / STUDY
    study.write_text(study.read_text(encoding="utf-8").replace("direction: decreases", "direction: increases"), "utf-8")
    relations, issues, pages = _load(root)
    assert relations == dict.fromkeys(CLAIMS, "contradicts")
    for cid in CLAIMS:
        # "supported" with nothing for it, at the verdict's line (4) in each claim file.
        assert ("verdict-ignores-evidence", "error", 4) in issues[cid], issues[cid]
        assert "ev-relation--contradicts" in pages[cid] and "ev-relation--supports" not in pages[cid]


def test_the_profile_rates_an_indirect_finding_down_where_the_direct_one_is_not(site: Callable[[str], Path]) -> None:
    project = load_project(settings_from_mkdocs_yml(site("shared-finding") / "mkdocs.yml"))
    # One trial of 40: high, down for imprecision; the runners' claim also for indirectness (population).
    assert project.graph.claims["exercise-eases-foot-pain"].certainty == "moderate"
    assert project.graph.claims["exercise-eases-runners-pain"].certainty == "low"
    assert project.ok


def test_unsupported_with_a_testing_finding_fails_check_and_strict_build(site: Callable[[str], Path]) -> None:
    root = site("unsupported-with-finding")
    checked = evidence(root, "check")
    assert checked.code == 1
    first = checked.out.splitlines()[0]
    assert first.startswith("content/claims/exercise-eases-foot-pain.yml:4: error: 'unsupported':"), first
    assert first.endswith("[verdict-ignores-evidence]") or "[verdict-ignores-evidence] (hint:" in first
    built = mkdocs_build(root)
    assert built.code == 1
    assert "content/claims/exercise-eases-foot-pain.yml:4" in built.text and "[verdict-ignores-evidence]" in built.text


def test_a_source_cited_twice_by_one_claim_lists_both_in_the_claims_order_on_every_run() -> None:
    """'Cited by' on a source page is the same on every build (a set's order changed with the hash seed)."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT

    code = (
        "import json, pathlib\n"
        "from mkdocs_evidence import load_project, settings_from_mkdocs_yml\n"
        "g = load_project(settings_from_mkdocs_yml(pathlib.Path('mkdocs.yml'))).graph\n"
        "print(json.dumps([[c.claim, c.relation] for c in g.cited_by['dowling2014dynamic']]))\n"
    )
    runs = set()
    for seed in ("0", "1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        runs.add(done.stdout)
    assert len(runs) == 1
    cited = json.loads(runs.pop())
    claims = [claim for claim, _ in cited]
    assert claims == sorted(claims) and len(claims) > len(set(claims))  # one claim cites it twice
