"""Grades the engine can defend: the certainty profile, verbatim quotes, placeholders, searches, locators, corrections."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from conftest import evidence, mkdocs_build
from mkdocs_evidence import assess, load_project, settings_from_mkdocs_yml, vocab
from mkdocs_evidence.model import Reference

CLAIMS = Path("content") / "claims"


def ref(key: str, design: str, **fields: str) -> Reference:
    return Reference(key, "article", MappingProxyType({"design": design, **fields}), (), "references.bib", 1)


REFS = {
    r.key: r
    for r in (
        ref("trial", "rct"),
        ref("lab", "lab-biomechanics"),
        ref("opinion", "narrative-review"),
        ref("pooled-trials", "meta-analysis", pooled="rct, cohort"),
        ref("pooled-cohorts", "systematic-review", pooled="cohort"),
        ref("pooled-unknown", "meta-analysis"),
        ref("blog", "popular-article"),
        ref("nodesign", ""),
    )
}


@pytest.mark.parametrize(
    ("evidence_", "kwargs", "level", "design"),
    [
        ([("trial", "supports")], {}, "high", "rct"),
        ([("trial", "contradicts")], {}, "high", "rct"),
        ([("lab", "supports"), ("opinion", "supports")], {}, "low", "lab-biomechanics"),
        ([("opinion", "supports")], {}, "very-low", "narrative-review"),
        # Sources that only qualify or mention a claim do not test it: they never raise the ceiling.
        ([("trial", "qualifies"), ("lab", "supports")], {}, "low", "lab-biomechanics"),
        ([("trial", "mentions")], {}, "very-low", ""),
        ([("blog", "supports")], {}, "very-low", ""),
        ([], {}, "very-low", ""),
        # Reviews start where the designs they pooled start; unrecorded, as if non-randomised.
        ([("pooled-trials", "supports")], {}, "high", "meta-analysis"),
        ([("pooled-cohorts", "supports")], {}, "low", "systematic-review"),
        ([("pooled-unknown", "supports")], {}, "low", "meta-analysis"),
        ([("nodesign", "supports")], {}, "very-low", "unrecorded"),
        # Each downgrade lowers it one level, each upgrade raises it one; never past the ends of the scale.
        ([("trial", "supports")], {"downgrades": 2}, "low", "rct"),
        ([("lab", "supports")], {"downgrades": 3}, "very-low", "lab-biomechanics"),
        ([("lab", "supports")], {"upgrades": ["large-effect"]}, "moderate", "lab-biomechanics"),
        (
            [("lab", "supports")],
            {"upgrades": ["large-effect", "dose-response", "opposing-confounding"]},
            "high",
            "lab-biomechanics",
        ),
        # Upgrades count only for non-randomised evidence with no downgrade, each reason once.
        ([("lab", "supports")], {"upgrades": ["large-effect", "large-effect"]}, "moderate", "lab-biomechanics"),
        ([("lab", "supports")], {"upgrades": ["large-effect"], "downgrades": 1}, "very-low", "lab-biomechanics"),
        ([("opinion", "supports")], {"upgrades": ["large-effect", "dose-response"]}, "very-low", "narrative-review"),
        ([("trial", "supports")], {"downgrades": 2, "upgrades": ["large-effect"]}, "low", "rct"),
    ],
)
def test_ceiling_starts_from_the_strongest_design_that_tests_the_claim(
    evidence_: list[tuple[str, str]], kwargs: dict[str, Any], level: str, design: str
) -> None:
    c = assess.ceiling(evidence_, REFS, **kwargs)
    assert (c.level, c.design) == (level, design)


def test_every_primary_design_has_a_start_and_reviews_have_none() -> None:
    primary = set(vocab.DESIGNS) - vocab.POOLING_DESIGNS - {"popular-article"}
    assert set(vocab.DESIGN_START) == primary
    assert set(vocab.DESIGN_START.values()) <= set(vocab.CERTAINTY_ORDER)


# --- the overgraded fixture: a moderate claim on a lab study of 8 runners and a narrative review ----------


def test_overgraded_claim_fails_check_and_build_naming_the_profile(site: Callable[[str], Path]) -> None:
    root = site("overgraded")
    result = evidence(root, "check")
    assert result.code == 1
    line = result.out.splitlines()[0]
    assert line.startswith(
        "content/claims/foot-drills-build-arch.yml:5: error: certainty 'moderate' differs from the profile's 'very-low':"
        " starts low (lab study), imprecision -1 → very-low [certainty-differs-from-profile]"
    ), line
    built = mkdocs_build(root)
    assert built.code == 1 and "[certainty-differs-from-profile]" in built.text


def test_the_profiles_level_or_a_reasoned_override_and_upgrade_passes_and_is_shown(site: Callable[[str], Path]) -> None:
    root = site("overgraded")
    path = root / CLAIMS / "foot-drills-build-arch.yml"
    original = path.read_text(encoding="utf-8")

    path.write_text(original.replace("certainty: moderate", "certainty: very-low"), encoding="utf-8")
    assert evidence(root, "check").code == 0
    path.write_text(original.replace("certainty: moderate", "certainty: low"), encoding="utf-8")
    assert "[certainty-differs-from-profile]" in evidence(root, "check").out  # neither above nor below

    # The reviewers judge the flagged imprecision not serious, and rate a large effect up: low + 1.
    upgraded = original.replace(
        "reviewed: 2026-11-20",
        "overrides:\n  - reason: imprecision\n    note: Every runner's arch rose, far beyond the measurement error.\n"
        "upgrades:\n  - reason: large-effect\n    note: The arch rose by a third in every runner.\nreviewed: 2026-11-20",
    )
    path.write_text(upgraded, encoding="utf-8")
    result = evidence(root, "check")
    assert result.code == 0, result.out
    assert mkdocs_build(root).code == 0
    page = (root / "site" / "claims" / "foot-drills-build-arch" / "index.html").read_text(encoding="utf-8")
    assert "Rated up for large effect</strong>: The arch rose by a third in every runner." in page
    assert "Lab study, 8 people" in page

    # GRADE does not rate up evidence it rated down: a reviewers' downgrade cancels the upgrade.
    downgraded = upgraded.replace("upgrades:", "downgrades:\n  - reason: publication-bias\n    note: One small lab.\nupgrades:")
    path.write_text(downgraded, encoding="utf-8")
    result = evidence(root, "check")
    assert result.code == 1
    assert "upgrades: upgrades do not apply to evidence rated down for a serious problem [invalid-field]" in result.out
    expected = (
        "certainty 'moderate' differs from the profile's 'very-low': starts low (lab study), publication-bias -1 → very-low"
        " [certainty-differs-from-profile]"
    )
    assert expected in result.out


def test_an_override_of_a_domain_the_profile_does_not_rate_down_is_an_error(site: Callable[[str], Path]) -> None:
    root = site("overgraded")
    path = root / CLAIMS / "foot-drills-build-arch.yml"
    text = path.read_text(encoding="utf-8").replace("certainty: moderate", "certainty: very-low")
    path.write_text(text.replace("reviewed:", "overrides:\n  - reason: inconsistency\n    note: One study.\nreviewed:"))
    result = evidence(root, "check")
    assert result.code == 1
    assert (
        "content/claims/foot-drills-build-arch.yml:21: error: the profile does not rate inconsistency down,"
        " so there is nothing to override [invalid-field]"
    ) in result.out


def test_opinion_cannot_be_upgraded_to_high(site: Callable[[str], Path]) -> None:
    root = site("overgraded")
    path = root / CLAIMS / "foot-drills-build-arch.yml"
    # The lab study as background only: the review's finding alone tests the claim, and starts very low.
    text = path.read_text(encoding="utf-8").replace(
        "  - finding: lab2019study#arch-height\n    directness: direct\n", "  - cite: lab2019study\n    relation: mentions\n"
    )
    ups = "".join("  - reason: large-effect\n    note: Huge.\n" for _ in range(3))
    path.write_text(text.replace("certainty: moderate", "certainty: high").replace("reviewed:", f"upgrades:\n{ups}reviewed:"))
    result = evidence(root, "check")
    assert result.code == 1
    assert "certainty 'high' differs from the profile's 'very-low': starts very-low (narrative review)" in result.out
    assert "upgrades apply only to non-randomised studies" in result.out


def test_an_upgrade_needs_a_note(site: Callable[[str], Path]) -> None:
    root = site("overgraded")
    path = root / CLAIMS / "foot-drills-build-arch.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("reviewed:", "upgrades:\n  - reason: large-effect\nreviewed:"),
        encoding="utf-8",
    )
    result = evidence(root, "check")
    assert result.code == 1
    assert "content/claims/foot-drills-build-arch.yml:21: error: missing required field 'upgrades.0.note'" in result.out


def test_downgrades_are_shown_next_to_the_certainty(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    path = root / CLAIMS / "exercise-helps.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "reviewed:", "downgrades:\n  - reason: imprecision\n    note: One trial of 40 people.\nreviewed:"
        ),
        encoding="utf-8",
    )
    assert evidence(root, "check").code == 0
    assert mkdocs_build(root).code == 0
    page = (root / "site" / "claims" / "exercise-helps" / "index.html").read_text(encoding="utf-8")
    why = page[page.index('class="ev-why-certainty"') :]
    assert "GRADE starts at high; rated down one level (see the notes under the summary of findings)" in why
    # The footnote carries the rule's reason and the reviewers' note.
    assert "Rated down one level for imprecision</strong>: 40 participants analysed, fewer than the 400" in page
    assert "Reviewers&#39; note: One trial of 40 people." in page or "Reviewers' note: One trial of 40 people." in page


# --- quotes ----------------------------------------------------------------------------------------------


def test_a_changed_word_in_a_quote_fails_check_and_build_at_its_line(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    path = root / CLAIMS / "exercise-helps.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Feet are everything & more", "Feet are nothing & more"))
    result = evidence(root, "check")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "content/claims/exercise-helps.yml:20: error: quote 'Feet are nothing & more' is not in"
        " content/snapshots/blog-post.txt word for word [quote-not-verbatim]"
        " (hint: copy the quote exactly as it stands in the article's snapshot (content/snapshots/<article key>.txt);"
        " only whitespace may differ)"
    )
    assert mkdocs_build(root).code == 1


def test_a_quote_without_a_snapshot_is_an_error_and_snapshots_are_not_published(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    assert mkdocs_build(root).code == 0
    assert not (root / "site" / "snapshots").exists()
    assert not list((root / "site").rglob("blog-post.txt"))

    (root / "content" / "snapshots" / "blog-post.txt").unlink()
    result = evidence(root, "check")
    assert result.code == 1
    assert "content/claims/exercise-helps.yml:19: error: 'blog-post' has no snapshot" in result.out
    assert "[article-without-snapshot]" in result.out


def test_a_snapshot_without_its_header_is_reported(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    (root / "content" / "snapshots" / "blog-post.txt").write_text("Feet are everything & more\n", encoding="utf-8")
    result = evidence(root, "check")
    assert result.code == 1
    assert "content/snapshots/blog-post.txt:1: error: a snapshot starts with url: and retrieved: lines" in result.out


# --- searches, locators -----------------------------------------------------------------------------------


def test_unsupported_without_a_search_is_an_error_and_searches_are_shown(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    assert mkdocs_build(root).code == 0
    page = (root / "site" / "claims" / "other-claim" / "index.html").read_text(encoding="utf-8")
    assert "Searched PubMed on" in page and "<q>feet AND everything</q>" in page
    assert "No study in the searches recorded here tests the claim as stated" in page

    path = root / CLAIMS / "other-claim.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("searches:")] + text[text.index("reviewed:") :], encoding="utf-8")
    result = evidence(root, "check")
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(
        "content/claims/other-claim.yml:4: error: an 'unsupported' verdict must say where research testing it was looked for"
        " [search-not-recorded]"
    )


def test_a_figure_without_a_locator_is_a_warning(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    # A finding carries its own locator (in the appraisal); background cited with a figure needs one.
    path = root / CLAIMS / "other-claim.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("relation: mentions\n", "relation: mentions\n    note: Pain fell by 30% in 2020.\n"))
    result = evidence(root, "check")
    assert result.code == 0  # a warning: the strict build fails, the check does not
    assert result.out.splitlines()[0] == (
        "content/claims/other-claim.yml:10: warning: smith2020trial: the note states a figure ('30') but gives no locator"
        " [number-without-locator] (hint: add a `locator` (page, table, figure or 'abstract') saying where in the source"
        " the figure stands)"
    )
    path.write_text(text.replace("relation: mentions\n", "relation: mentions\n    note: Pain fell in 2020, on a T2 scan.\n"))
    assert evidence(root, "check").out.strip().endswith("0 errors, 0 warnings")  # years and names are not figures
    finding = root / CLAIMS / "exercise-helps.yml"
    finding.write_text(finding.read_text(encoding="utf-8").replace("note: Pain fell.", "note: Pain fell by 30%."))
    assert evidence(root, "check").out.strip().endswith("0 errors, 0 warnings")  # the finding says where: Table 2


@pytest.mark.parametrize(
    ("field", "message", "code"),
    [
        (
            "  participants = {eight},\n",
            "smith2020trial: participants 'eight' must be a whole number, 1 or more",
            "invalid-field",
        ),
        (
            "  pooled = {rct, anecdote},\n",
            "smith2020trial: pooled design 'anecdote' is not a primary study design",
            "invalid-field",
        ),
    ],
)
def test_reference_counts_and_pooled_designs_are_checked(
    site: Callable[[str], Path], field: str, message: str, code: str
) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("  participants = {40}\n", field.rstrip(",\n") + "\n"))
    result = evidence(root, "check")
    assert f"references.bib:3: error: {message}" in result.out and "[invalid-field]" in result.out


def test_a_review_without_pooled_designs_is_a_warning(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("design  = {rct}", "design  = {meta-analysis}"))
    result = evidence(root, "check")
    assert "references.bib:3: warning: reference 'smith2020trial' is a meta-analysis but does not record" in result.out
    assert "[review-without-pooled]" in result.out


# --- corrections ------------------------------------------------------------------------------------------


def git(root: Path, *args: str) -> None:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_a_changed_verdict_needs_a_correction(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "published")
    path = root / CLAIMS / "exercise-helps.yml"
    published = path.read_text(encoding="utf-8")

    path.write_text(published.replace("verdict: supported", "verdict: overstated"), encoding="utf-8")
    assert evidence(root, "check").code == 0  # without --changed-since there is nothing to compare with
    result = evidence(root, "check", "--changed-since", "HEAD")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "content/claims/exercise-helps.yml:4: error: verdict changed from 'supported' to 'overstated' with no new"
        " `corrections` entry [correction-not-recorded] (hint: add a `corrections:` entry (date, what, why) saying what"
        " changed and why)"
    )

    corrected = published.replace("verdict: supported", "verdict: overstated") + (
        "corrections:\n  - date: 2026-11-21\n    what: verdict supported → overstated\n"
        "    why: The trial found a smaller effect than the claim says.\n"
    )
    path.write_text(corrected, encoding="utf-8")
    assert evidence(root, "check", "--changed-since", "HEAD").code == 0

    assert mkdocs_build(root).code == 0
    page = (root / "site" / "claims" / "exercise-helps" / "index.html").read_text(encoding="utf-8")
    assert "verdict supported → overstated" in page and "The trial found a smaller effect than the claim says." in page
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert review["datePublished"] == "2026-11-20" and review["dateModified"] == "2026-11-21"

    git(root, "commit", "-qam", "corrected")
    path.write_text(corrected.replace("certainty: moderate", "certainty: low"), encoding="utf-8")
    result = evidence(root, "check", "--changed-since", "HEAD")
    assert result.code == 1 and "certainty changed from 'moderate' to 'low'" in result.out  # a second change, a second entry

    # Deleting a published correction, or renaming the claim while changing it, does not hide a change.
    path.write_text(published.replace("verdict: supported", "verdict: overstated"), encoding="utf-8")
    result = evidence(root, "check", "--changed-since", "HEAD")
    assert "1 published correction(s) removed" in result.out
    path.write_text(corrected, encoding="utf-8")
    moved = root / CLAIMS / "foot-exercises-help.yml"
    git(root, "mv", str(path), str(moved))
    moved.write_text(
        corrected.replace("id: exercise-helps", "id: foot-exercises-help").replace("certainty: moderate", "certainty: low")
    )
    other = root / CLAIMS / "other-claim.yml"
    other.write_text(other.read_text(encoding="utf-8").replace("related: [exercise-helps]", "related: [foot-exercises-help]"))
    result = evidence(root, "check", "--changed-since", "HEAD")
    assert "content/claims/foot-exercises-help.yml:5: error: certainty changed from 'moderate' to 'low'" in result.out


def test_the_method_page_shows_the_ceiling_table(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    (root / "content" / "method.md").write_text("# Method\n\n<!-- evidence:vocabularies -->\n", encoding="utf-8")
    assert mkdocs_build(root).code == 0
    page = (root / "site" / "method" / "index.html").read_text(encoding="utf-8")
    table = page[page.index('class="ev-ceiling-table"') :]
    table = table[: table.index("</table>")]
    assert re.search(r"Randomised trial</span></td><td><span [^>]*>High certainty", table)
    assert re.search(r"Lab study</span></td><td><span [^>]*>Low certainty", table)
    assert re.search(r"Narrative review</span></td><td><span [^>]*>Very low certainty", table)
    assert "No cited finding tests the claim" in table
    load_project(settings_from_mkdocs_yml(root / "mkdocs.yml"))  # the fixture stays loadable with the extra page


@pytest.mark.parametrize("quote", ["eet are everything", "Feet"])
def test_a_quote_is_whole_words_and_more_than_one(site: Callable[[str], Path], quote: str) -> None:
    root = site("minimal")
    path = root / CLAIMS / "exercise-helps.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Feet are everything & more", quote))
    result = evidence(root, "check")
    assert result.code == 1 and "[quote-not-verbatim]" in result.out


def test_a_review_does_not_borrow_its_parents_pooled_designs(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@collection{parent2020, title = {Parent}, doi = {10.1/p}, design = {meta-analysis},"
        + " pooled = {rct}, participants = {5000}}\n"
        + "@incollection{child2021, title = {Child}, crossref = {parent2020}, doi = {10.1/c}, design = {systematic-review}}\n",
        encoding="utf-8",
    )
    refs = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml")).graph.references
    assert refs["child2021"].pooled == () and refs["child2021"].participants is None
    assert assess.design_start(refs["child2021"]) == "low"
