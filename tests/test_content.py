"""The project's own content: every claim sourced, every quote verbatim, the strict build green.

These are the tests a contributor's pull request meets. A failure names the claim file, the line
and the check code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, evidence
from mkdocs_evidence import load_project, settings_from_mkdocs_yml
from mkdocs_evidence.issues import Severity

SEEDS = ROOT.parent / "shared" / "seeds"
#: Which seed article each popular-article reference is.
ARTICLES = {
    "article-unlocking-power": "000_",
    "article-surprising-connection": "001_",
    "article-foot-mobility-40": "002_",
    "article-feet-stronger-glutes": "003_",
    "article-feet-talking-glutes": "004_",
}


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml"))


def test_no_claim_is_unsourced_or_broken(project) -> None:  # type: ignore[no-untyped-def]
    problems = [i.format() for i in project.issues if i.severity is Severity.ERROR]
    assert not problems, "\n" + "\n".join(problems)


def test_no_warnings_either(project) -> None:  # type: ignore[no-untyped-def]
    problems = [i.format() for i in project.issues]
    assert not problems, "\n" + "\n".join(problems)


def test_every_claim_cites_research(project) -> None:  # type: ignore[no-untyped-def]
    refs = project.graph.references
    for claim in project.graph.claims.values():
        designs = {refs[e.key].design for e in claim.evidence}
        assert designs - {"popular-article"}, f"{claim.path}: cites no research"


def test_starter_content_covers_every_topic(project) -> None:  # type: ignore[no-untyped-def]
    graph = project.graph
    assert set(graph.topics) == {"foot-mobility", "hip-pain", "valgus", "glute-recruitment"}
    assert len(graph.claims) >= 8
    for topic in graph.topics:
        assert graph.claims_by_topic.get(topic), f"topic {topic} has no claims"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles (../shared/seeds) are not beside this checkout")
def test_quotes_are_verbatim(project) -> None:  # type: ignore[no-untyped-def]
    texts = {key: _normalise(next(SEEDS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")) for key, prefix in ARTICLES.items()}
    wrong = []
    for claim in project.graph.claims.values():
        for a in claim.appearances:
            if a.key in texts and _normalise(a.quote) not in texts[a.key]:
                wrong.append(f"{claim.path}: quote not found verbatim in {a.key}: {a.quote[:60]!r}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_every_reference_can_be_found(project) -> None:  # type: ignore[no-untyped-def]
    for ref in project.graph.references.values():
        assert ref.doi or ref.get("pmid") or ref.get("url"), f"references.bib:{ref.line}: {ref.key} has no doi, pmid or url"


def test_evidence_check_passes_on_the_real_project() -> None:
    result = evidence(ROOT, "check")
    assert result.code == 0, result.text
    assert re.fullmatch(r"\d+ claims, \d+ references, 0 errors, 0 warnings", result.out.strip())


def test_the_real_site_builds_strict(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    for claim_id in project.graph.claims:
        assert (real_site / "claims" / claim_id / "index.html").is_file()
    for key in project.graph.references:
        assert (real_site / "sources" / key / "index.html").is_file()
    for topic in project.graph.topics:
        assert (real_site / "topics" / topic / "index.html").is_file()
    assert (real_site / "claims" / "index.html").is_file()
    assert (real_site / "sources" / "index.html").is_file()


def test_coverage_list_matches_the_claims(project) -> None:  # type: ignore[no-untyped-def]
    """Every article's claims are recorded: the coverage list and the appearances agree both ways."""
    coverage = yaml.safe_load((Path(__file__).parent / "coverage.yml").read_text(encoding="utf-8"))
    assert set(coverage) == set(ARTICLES)
    actual: dict[str, set[str]] = {key: set() for key in ARTICLES}
    for claim in project.graph.claims.values():
        for a in claim.appearances:
            actual[a.key].add(claim.id)
    for key, ids in coverage.items():
        assert set(ids) == actual[key], (
            f"{key}: listed but not recorded {set(ids) - actual[key]}, recorded but not listed {actual[key] - set(ids)}"
        )
    assert len(project.graph.claims) >= 40


@pytest.mark.parametrize(
    ("claim_id", "flag", "words"),
    [
        ("foot-mobility-cuts-hip-pain-40-percent", "citation-needed", "40%"),
        ("foot-hip-work-cuts-injury-30-percent", "citation-needed", "30%"),
        ("poor-foot-mobility-forces-hip-compensation", "who", "Dr. Sarah Jenkins"),
        ("foot-hip-relationship-bidirectional", "who", "Dr. Michael Chen"),
        ("foot-muscle-training-improves-hip-mechanics", "misattributed", "Taddei"),
        ("foosfoot-device-improves-glutes", "promotional", "FoosFoot"),
    ],
)
def test_known_problems_are_flagged_on_the_site(real_site: Path, claim_id: str, flag: str, words: str) -> None:
    html = (real_site / "claims" / claim_id / "index.html").read_text(encoding="utf-8")
    assert f'class="ev-flag ev-flag--{flag}"' in html
    assert words in html
