"""The project's own content: every claim sourced, every quote verbatim, the strict build green.

These are the tests a contributor's pull request meets. A failure names the claim file, the line
and the check code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, evidence, mkdocs_build
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


def test_the_real_site_builds_strict(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT, tmp_path / "site")
    assert result.code == 0, result.text
    site = tmp_path / "site"
    project = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml"))
    for claim_id in project.graph.claims:
        assert (site / "claims" / claim_id / "index.html").is_file()
    for key in project.graph.references:
        assert (site / "sources" / key / "index.html").is_file()
    for topic in project.graph.topics:
        assert (site / "topics" / topic / "index.html").is_file()
    assert (site / "claims" / "index.html").is_file()
    assert (site / "sources" / "index.html").is_file()
