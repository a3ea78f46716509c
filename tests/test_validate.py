"""Every check code, on a real fixture project loaded through the whole pipeline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_evidence import load_project, settings_from_mkdocs_yml
from mkdocs_evidence.issues import Severity


def codes(root: Path) -> list[tuple[str, int, str]]:
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    return [(i.path, i.line, i.code) for i in project.issues]


def write_claim(root: Path, name: str, text: str) -> None:
    (root / "content" / "claims" / name).write_text(text, encoding="utf-8")


CLAIM = """id: {id}
statement: Something.
topics: [feet]
verdict: unsupported
certainty: very-low
summary: Nothing tests it.
evidence:
  - cite: smith2020trial
    relation: mentions
reviewed: 2026-11-20
searches:
  - source: PubMed
    query: something
    date: 2026-11-19
    found: Nothing that tests it.
"""

#: The same claim citing the fixture trial's finding (foot pain decreases with foot exercises).
FINDING = CLAIM.replace(
    "evidence:\n  - cite: smith2020trial\n    relation: mentions\n",
    "asserts:\n  population: adults with foot pain\n  exposure: foot exercises\n  outcome: foot pain\n"
    "  direction: decreases\n"
    "evidence:\n  - finding: smith2020trial#pain\n    directness: direct\n",
).replace("verdict: unsupported\ncertainty: very-low", "verdict: supported\ncertainty: moderate")


def test_fixture_is_clean(site: Callable[[str], Path]) -> None:
    assert codes(site("minimal")) == []


@pytest.mark.parametrize(
    ("text", "line", "code", "words"),
    [
        (
            CLAIM.replace("evidence:\n  - cite: smith2020trial\n    relation: mentions\n", "evidence: []\n"),
            7,
            "claim-without-source",
            "has no evidence",
        ),
        (
            CLAIM.replace("evidence:\n  - cite: smith2020trial\n    relation: mentions\n", ""),
            1,
            "claim-without-source",
            "has no evidence",
        ),
        (CLAIM.replace("cite: smith2020trial", "cite: smith2020trail"), 8, "unknown-cite-key", "did you mean 'smith2020trial'"),
        (CLAIM.replace("topics: [feet]", "topics: [fet]"), 3, "unknown-topic", "did you mean 'feet'"),
        (
            CLAIM.replace("summary: Nothing tests it.", "sumary: Nothing tests it."),
            6,
            "invalid-field",
            "unknown field 'sumary' (did you mean 'summary'?)",
        ),
        (
            CLAIM.replace("verdict: unsupported", "verdict: true-ish"),
            4,
            "invalid-field",
            "verdict: 'true-ish' is not a valid verdict",
        ),
        (
            CLAIM.replace("relation: mentions", "relation: proves"),
            9,
            "invalid-field",
            "'proves' is not a valid relation; use one of: supports",
        ),
        (CLAIM.replace("reviewed: 2026-11-20", "reviewed: last week"), 10, "invalid-field", "reviewed"),
        (CLAIM.replace("statement: Something.", "statement: [a, b]"), 2, "invalid-field", "statement"),
        (CLAIM + "related: [no-such-claim]\n", 16, "dangling-related-claim", "no claim has id 'no-such-claim'"),
        # The certainty is the computed profile's: nothing tests this claim, so very low.
        (
            CLAIM.replace("certainty: very-low", "certainty: low"),
            5,
            "certainty-differs-from-profile",
            "certainty 'low' differs from the profile's 'very-low': no cited finding tests the claim",
        ),
        (CLAIM.replace("topics: [feet]", "topics: [feet"), 4, "invalid-yaml", ""),
        (CLAIM.replace("id: {id}", "id: Not A Slug"), 1, "invalid-field", "not a slug"),
        # Support or contradiction is derived from a finding's direction, never typed.
        (
            CLAIM.replace("relation: mentions", "relation: supports"),
            9,
            "relation-typed-by-hand",
            "'supports' is typed by hand",
        ),
        (
            # An unknown finding tests nothing: the claim stays unsupported at very low.
            FINDING.replace("#pain", "#pian").replace(
                "verdict: supported\ncertainty: moderate", "verdict: unsupported\ncertainty: very-low"
            ),
            13,
            "finding-unknown",
            "content/studies/smith2020trial.yml has no finding 'pian' (did you mean 'pain'?)",
        ),
        (
            FINDING.replace("verdict: supported", "verdict: contradicted"),
            4,
            "verdict-ignores-evidence",
            "no cited finding goes against the claim",
        ),
        (
            FINDING.replace("certainty: moderate", "certainty: high"),
            5,
            "certainty-differs-from-profile",
            "starts high (randomised trial), imprecision -1 → moderate",
        ),
    ],
)
def test_each_problem_has_its_code_and_line(site: Callable[[str], Path], text: str, line: int, code: str, words: str) -> None:
    root = site("minimal")
    write_claim(root, "new-claim.yml", text.replace("{id}", "new-claim"))
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    found = [i for i in project.issues if i.path == "content/claims/new-claim.yml"]
    assert [(i.line, i.code) for i in found] == [(line, code)], [i.format() for i in project.issues]
    assert words in found[0].message
    assert found[0].severity is Severity.ERROR
    assert not project.ok


def test_duplicate_id_names_both_files(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    # The id matches the other file's id; the file name differs, which is its own error.
    write_claim(root, "zz-copy.yml", CLAIM.replace("{id}", "other-claim"))
    found = codes(root)
    assert ("content/claims/zz-copy.yml", 1, "duplicate-claim-id") in found
    assert ("content/claims/zz-copy.yml", 1, "invalid-field") in found  # id != file name
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    dup = next(i for i in project.issues if i.code == "duplicate-claim-id")
    assert "content/claims/other-claim.yml" in dup.message


def test_unknown_keys_in_prose_pages(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    (root / "content" / "extra.md").write_text("# X\n\nSee [@nobody2000].\n\nAnd [[no-claim]].\n", encoding="utf-8")
    found = codes(root)
    assert ("content/extra.md", 3, "unknown-cite-key") in found
    assert ("content/extra.md", 5, "unknown-claim-link") in found


def test_unused_reference_is_a_warning_and_severity_is_configurable(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{lonely, title={Alone}, doi={10.1/x}, design={rct}}\n")
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    unused = [i for i in project.issues if i.code == "unused-reference"]
    assert [(i.severity, i.path) for i in unused] == [(Severity.WARNING, "references.bib")]
    assert project.ok  # warnings alone do not make a project fail `evidence check`

    cfg = root / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text().replace("  - evidence\n", "  - evidence:\n      severities:\n        unused-reference: error\n")
    )
    project = load_project(settings_from_mkdocs_yml(cfg))
    assert [i.severity for i in project.issues if i.code == "unused-reference"] == [Severity.ERROR]

    cfg.write_text(cfg.read_text().replace("unused-reference: error", "unused-reference: ignore"))
    assert load_project(settings_from_mkdocs_yml(cfg)).issues == ()


def test_related_claims_link_both_ways(site: Callable[[str], Path]) -> None:
    graph = load_project(settings_from_mkdocs_yml(site("minimal") / "mkdocs.yml")).graph
    assert graph.claims["exercise-helps"].related == ("other-claim",)
    assert graph.claims["other-claim"].related == ("exercise-helps",)
    assert [c.claim for c in graph.cited_by["smith2020trial"]] == ["exercise-helps", "other-claim"]
    assert [(c.claim, c.relation) for c in graph.cited_by["blog-post"]] == [("exercise-helps", "appears")]


def test_vocabulary_errors_show_the_value_not_a_placeholder(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    write_claim(root, "new-claim.yml", CLAIM.replace("{id}", "new-claim").replace("verdict: unsupported", "verdict: unsuported"))
    project = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))
    (found,) = [i for i in project.issues if i.path == "content/claims/new-claim.yml"]
    assert found.message.startswith(
        "verdict: 'unsuported' is not a valid verdict (did you mean 'unsupported'?); use one of: supported,"
    )
    assert "{" not in found.message
