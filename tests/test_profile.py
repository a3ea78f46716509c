"""The computed evidence profile (GRADE per claim) and the checks on appraisals and findings, in-process.

Every case is built from objects or a few lines of YAML, so the whole file runs in well under a second:
where GRADE starts for each design, each domain's rule, the reviewers' downgrades and overrides, the
upgrades, and each check code of :mod:`mkdocs_evidence.validate_studies` at the line it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

import pytest

from mkdocs_evidence import profile, vocab
from mkdocs_evidence.graph import build_graph, derive_relation
from mkdocs_evidence.issues import Issue
from mkdocs_evidence.load import ClaimRecord, StudyRecord
from mkdocs_evidence.model import Claim, Domain, Effect, Evidence, Finding, Grading, Graph, Identity, Question, Reference, Study
from mkdocs_evidence.schema import ClaimFile
from mkdocs_evidence.study_schema import StudyFile
from mkdocs_evidence.validate_studies import check_findings, check_profiles, check_studies
from mkdocs_evidence.yamlsrc import load

DAY = dt.date(2026, 11, 20)


# --- building blocks ----------------------------------------------------------------------------------


def ref(key: str, design: str, **fields: str) -> Reference:
    return Reference(key, "article", MappingProxyType({"design": design, **fields}), (), "references.bib", 1)


def finding(
    key: str,
    fid: str = "f",
    direction: str = "decreases",
    *,
    ci: tuple[str, str] | None = None,
    measure: str = "MD",
    n: int | None = None,
) -> Finding:
    return Finding(key, fid, "pain", "exercise", direction, Effect("As reported.", measure, "", ci), "Table 2", analysed=n)


def study(key: str, design: str, *findings: Finding, overall: str = "low", participants: int | None = 500) -> Study:
    return Study(
        key=key,
        design=design,
        population="Adults",
        identity=Identity("crossref", "10.1/x", DAY, ("title",)),
        tool=vocab.ROB_TOOL_FOR_DESIGN.get(design, "none"),
        path=f"content/studies/{key}.yml",
        appraised=DAY,
        appraised_by="tester",
        domains=(Domain("d", overall, "Why."),) if overall else (),
        overall=overall,
        findings=findings or (finding(key),),
        participants=participants,
    )


def graph(studies: Iterable[Study], extra: Iterable[Reference] = ()) -> Graph:
    found = {s.key: s for s in studies}
    refs = {k: ref(k, s.design, **({"pooled": ", ".join(s.pooled)} if s.pooled else {})) for k, s in found.items()}
    refs.update({r.key: r for r in extra})
    return Graph(claims={}, references=refs, topics={}, studies=found)


def claim(
    g: Graph,
    *cites: str | tuple[str, str, tuple[str, ...]],
    direction: str = "decreases",
    downgrades: Iterable[str] = (),
    overrides: Iterable[str] = (),
    upgrades: Iterable[str] = (),
    mentions: Iterable[str] = (),
) -> Claim:
    """A resolved claim citing ``key#id`` findings (direct, or ``(ref, "indirect", differs)``) as build_graph would."""
    evidence = []
    for c in cites:
        ref_, directness, differs = (c, "direct", ()) if isinstance(c, str) else c
        key, _, fid = ref_.partition("#")
        f = g.studies[key].finding(fid)
        assert f is not None
        evidence.append(Evidence(key, derive_relation(direction, f.direction), f.locator, "", fid, directness, differs))
    evidence += [Evidence(k, "mentions") for k in mentions]
    return Claim(
        "c",
        "A claim.",
        ("t",),
        "supported",
        "low",
        "Summary.",
        DAY,
        "content/claims/c.yml",
        evidence=tuple(evidence),
        downgrades=tuple(Grading(r, "Reviewers' note.") for r in downgrades),
        overrides=tuple(Grading(r, "Not serious here.") for r in overrides),
        upgrades=tuple(Grading(r, "Why.") for r in upgrades),
        asserts=Question("adults", "exercise", "pain", direction),
    )


def compute(g: Graph, *cites: Any, **kwargs: Any) -> profile.Profile:
    return profile.compute(claim(g, *cites, **kwargs), g)


def levels(p: profile.Profile) -> dict[str, int]:
    return {r.domain: r.levels for r in p.ratings if r.levels}


# --- where GRADE starts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("design", "pooled", "start"),
    [
        ("rct", (), "high"),
        ("cohort", (), "low"),
        ("case-control", (), "low"),
        ("cross-sectional", (), "low"),
        ("lab-biomechanics", (), "low"),
        ("pre-post", (), "low"),
        ("case-series", (), "very-low"),
        ("narrative-review", (), "very-low"),
        ("expert-opinion", (), "very-low"),
        # Reviews start where the designs they pooled start; unrecorded, as if non-randomised.
        ("meta-analysis", ("rct", "cohort"), "high"),
        ("systematic-review", ("cohort",), "low"),
        ("meta-analysis", (), "low"),
    ],
)
def test_the_start_is_the_designs(design: str, pooled: tuple[str, ...], start: str) -> None:
    s = study("s", design)
    if pooled:
        s = Study(**{**s.__dict__, "pooled": pooled})
    p = compute(graph([s]), "s#f")
    assert (p.start, p.design, p.level) == (start, design, start)  # 500 analysed, low risk, direct, one finding
    assert p.down == 0 and p.explain() == f"starts {start} ({vocab.DESIGN_LABELS[design].lower()}) → {start}"


def test_the_strongest_design_sets_the_start_and_only_its_studies_are_judged() -> None:
    g = graph([study("trial", "rct"), study("lab", "lab-biomechanics", overall="high", participants=8)])
    p = compute(g, "lab#f", "trial#f")
    assert (p.start, p.design) == ("high", "rct")
    assert [t.study.key for t in p.tested] == ["trial", "lab"]  # strongest first
    assert [t.study.key for t in p.body] == ["trial"]  # the lab's bias and size do not count against the trial
    assert p.level == "high" and p.studies == ("trial", "lab") and p.participants == 508


def test_nothing_tested_is_very_low_and_background_or_popular_sources_test_nothing() -> None:
    g = graph([study("trial", "rct"), study("blog", "popular-article")])
    p = compute(g, "blog#f", mentions=["trial"])
    assert (p.tested, p.start, p.design, p.level) == ((), "very-low", "", "very-low")
    assert p.explain() == "no cited finding tests the claim, so GRADE allows no more than very low"
    # A reviewers' downgrade cannot take it below the bottom of the scale.
    assert compute(g, downgrades=["publication-bias"]).level == "very-low"


# --- each domain ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overalls", "down"),
    [
        (("high",), 1),
        (("high", "low"), 0),  # half is not more than half
        (("high", "high", "some-concerns"), 1),
        (("some-concerns", "some-concerns"), 0),
        (("", "low", ""), 1),  # no overall judgement counts as high: unknown is not low
    ],
)
def test_risk_of_bias_is_serious_when_more_than_half_the_studies_are_at_high_risk(overalls: tuple[str, ...], down: int) -> None:
    studies = [study(f"s{i}", "rct", overall=o, participants=200) for i, o in enumerate(overalls)]
    p = compute(graph(studies), *(f"s{i}#f" for i in range(len(overalls))))
    rating = next(r for r in p.ratings if r.domain == "risk-of-bias")
    assert rating.computed == down
    high = sum(o in ("high", "") for o in overalls)
    assert rating.why.startswith(f"{high} of {len(overalls)} ")


@pytest.mark.parametrize("against", ["increases", "no-difference"])
def test_inconsistency_is_serious_when_findings_point_both_ways(against: str) -> None:
    g = graph([study("a", "rct"), study("b", "rct", finding("b", direction=against))])
    p = compute(g, "a#f", "b#f")
    assert levels(p) == {"inconsistency": 1}
    assert [t.evidence.relation for t in p.tested] == ["supports", "contradicts"]
    assert len(p.supporting) == len(p.contradicting) == 1
    assert "1 for the claim, 1 against it" in next(r.why for r in p.ratings if r.domain == "inconsistency")
    # The same findings for a claim that says the opposite: still split, the other way round.
    q = compute(g, "a#f", "b#f", direction=against)
    assert levels(q) == {"inconsistency": 1} and [t.evidence.relation for t in q.tested] == ["contradicts", "supports"]


def test_findings_the_same_way_are_consistent() -> None:
    g = graph([study("a", "rct"), study("b", "rct")])
    assert levels(compute(g, "a#f", "b#f")) == {}
    assert "single finding" in next(r.why for r in compute(g, "a#f").ratings if r.domain == "inconsistency")


def test_indirectness_is_serious_only_when_no_finding_is_direct() -> None:
    g = graph([study("a", "rct"), study("b", "rct")])
    indirect_a = ("a#f", "indirect", ("population",))
    indirect_b = ("b#f", "indirect", ("outcome",))
    p = compute(g, indirect_a, indirect_b)
    assert levels(p) == {"indirectness": 1}
    assert next(r.why for r in p.ratings if r.domain == "indirectness").endswith("(it differs in outcome, population)")
    assert levels(compute(g, indirect_a, "b#f")) == {}


@pytest.mark.parametrize(
    ("participants", "analysed", "ci", "measure", "down"),
    [
        (400, None, None, "MD", 0),
        (399, None, None, "MD", 1),
        (None, None, None, "MD", 1),  # no number: imprecise
        (8, 450, None, "MD", 0),  # the finding's own number wins over the study's
        (500, None, ("-3", "-1"), "MD", 0),
        (500, None, ("-1.5", "0.2"), "MD", 1),  # includes 0
        (500, None, ("0.7", "1.3"), "OR", 1),  # a ratio's no effect is 1
        (500, None, ("1.1", "2.0"), "OR", 0),
        (500, None, ("< 0.5", "0.9"), "RR", 0),  # printed with a sign
    ],
)
def test_imprecision_is_fewer_than_400_analysed_or_an_interval_including_no_effect(
    participants: int | None, analysed: int | None, ci: tuple[str, str] | None, measure: str, down: int
) -> None:
    s = study("a", "rct", finding("a", ci=ci, measure=measure, n=analysed), participants=participants)
    assert levels(compute(graph([s]), "a#f")) == ({"imprecision": 1} if down else {})


def test_participants_add_up_across_studies_each_counted_once() -> None:
    g = graph([study("a", "rct", finding("a", "x"), finding("a", "y"), participants=250), study("b", "rct", participants=200)])
    p = compute(g, "a#x", "a#y", "b#f")
    assert p.participants == 450 and levels(p) == {}


def test_a_no_difference_finding_is_not_imprecise_for_its_interval() -> None:
    s = study("a", "rct", finding("a", direction="no-difference", ci=("-1", "1")))
    assert levels(compute(graph([s]), "a#f", direction="no-difference")) == {}


# --- the reviewers' notes, overrides and upgrades -------------------------------------------------------


def test_a_reviewers_downgrade_adds_a_level_where_the_engine_sees_none_at_most_two() -> None:
    g = graph([study("a", "rct")])
    assert compute(g, "a#f", downgrades=["publication-bias"]).level == "moderate"
    assert compute(g, "a#f", downgrades=["publication-bias"] * 2).level == "low"
    p = compute(g, "a#f", downgrades=["publication-bias"] * 3)
    assert p.level == "low" and levels(p) == {"publication-bias": 2}
    assert compute(g, "a#f", downgrades=["publication-bias", "inconsistency"]).level == "low"


def test_a_note_on_a_domain_the_engine_rates_down_is_its_footnote_not_another_level() -> None:
    g = graph([study("a", "rct", participants=40)])
    p = compute(g, "a#f", downgrades=["imprecision"])
    rating = next(r for r in p.ratings if r.domain == "imprecision")
    assert (rating.computed, rating.levels, rating.note, p.level) == (1, 1, "Reviewers' note.", "moderate")


def test_an_override_judges_a_flagged_domain_not_serious() -> None:
    g = graph([study("a", "rct", participants=40)])
    p = compute(g, "a#f", overrides=["imprecision"])
    rating = next(r for r in p.ratings if r.domain == "imprecision")
    assert (rating.computed, rating.levels, rating.override, p.level) == (1, 0, "Not serious here.", "high")


@pytest.mark.parametrize(
    ("design", "ups", "extra", "level", "counted"),
    [
        ("lab-biomechanics", ["large-effect"], {}, "moderate", 1),
        ("lab-biomechanics", ["large-effect", "dose-response"], {}, "high", 2),
        ("lab-biomechanics", ["large-effect", "dose-response", "opposing-confounding"], {}, "high", 2),  # at most two
        ("lab-biomechanics", ["large-effect", "large-effect"], {}, "moderate", 1),  # each reason once
        ("lab-biomechanics", ["large-effect"], {"downgrades": ["publication-bias"]}, "very-low", 0),  # not when rated down
        ("lab-biomechanics", ["large-effect"], {"overrides": []}, "moderate", 1),
        ("rct", ["large-effect"], {}, "high", 0),  # trials start high already
        ("expert-opinion", ["large-effect", "dose-response"], {}, "very-low", 0),  # opinion is not evidence of an effect
    ],
)
def test_upgrades_only_for_non_randomised_evidence_with_no_serious_problem(
    design: str, ups: list[str], extra: dict[str, Any], level: str, counted: int
) -> None:
    p = compute(graph([study("a", design)]), "a#f", upgrades=ups, **extra)
    assert (p.level, p.upgrades) == (level, counted)


def test_an_override_lets_a_flagged_body_be_rated_up() -> None:
    g = graph([study("a", "lab-biomechanics", participants=8)])
    assert compute(g, "a#f", upgrades=["large-effect"]).level == "very-low"
    p = compute(g, "a#f", upgrades=["large-effect"], overrides=["imprecision"])
    assert p.level == "moderate" and p.explain() == "starts low (lab study), rated up +1 → moderate"


# --- validate_studies: the appraisal files --------------------------------------------------------------


STUDY = """key: s2020
design: rct
participants: 100
population: Adults with hip pain
identity:
  record: crossref
  id: 10.1/s
  seen: 2026-11-20
  fields: [title, authors, doi]
risk_of_bias:
  tool: rob2
  domains:
    - {domain: randomisation, judgement: low, reason: Concealed.}
    - {domain: deviations, judgement: low, reason: Blinded.}
    - {domain: missing-data, judgement: low, reason: All analysed.}
    - {domain: measurement, judgement: low, reason: Blinded assessors.}
    - {domain: reporting, judgement: low, reason: As registered.}
  overall: low
findings:
  - id: pain
    outcome: hip pain
    exposure: hip exercise
    direction: decreases
    effect: {text: Less pain.}
    locator: Table 2
appraised: 2026-11-20
appraised_by: tester
"""
BIB = {"s2020": ref("s2020", "rct", doi="10.1/s"), "blog": ref("blog", "popular-article"), "other": ref("other", "cohort")}


def study_record(text: str = STUDY, path: str = "content/studies/s2020.yml") -> StudyRecord:
    data, lines = load(text)
    return StudyRecord(StudyFile.model_validate(data), path, lines)


def found(issues: Iterable[Issue]) -> list[tuple[int, str, str]]:
    return [(i.line, i.code, i.message) for i in issues]


def test_a_sound_appraisal_has_nothing_to_report() -> None:
    assert found(check_studies([study_record()], BIB)) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "code", "words"),
    [
        # Another tool: a warning, and its domains are not the ones listed.
        ("tool: rob2", "tool: robins-i", 11, "rob-tool-mismatch+invalid-field", "a rct is appraised with 'rob2', not 'robins-i'"),
        ("domain: deviations", "domain: deviation", 12, "invalid-field", "the rob2 domains are, in order: randomisation,"),
        ("  overall: low", "  overall: low\n  # worse domains below", 0, "", ""),
        ("reporting, judgement: low", "reporting, judgement: high", 18, "invalid-field", "overall 'low' is better than"),
        ("fields: [title, authors, doi]", "fields: [authors, doi]", 9, "identity-unverified", "neither the title of 's2020'"),
        ("id: 10.1/s", "id: 10.1/t", 7, "identity-unverified", "the crossref record '10.1/t' is not the one"),
        ("key: s2020", "key: s2021", 1, "unknown-cite-key", "unknown cite key 's2021' (did you mean 's2020'?)"),
        (
            "design: rct",
            "design: popular-article",
            2,
            "invalid-field+rob-tool-mismatch",
            "a popular article: it is quoted, not appraised",
        ),
        ("participants: 100", "pooled: [rct]", 3, "invalid-field", "only reviews pool designs"),
        ("fields: [title, authors, doi]", "fields: [title, doi]\n  unseen: [doi]", 10, "invalid-field", "'doi' is listed both"),
    ],
)
def test_each_appraisal_problem_at_its_line(old: str, new: str, line: int, code: str, words: str) -> None:
    assert old in STUDY
    issues = found(check_studies([study_record(STUDY.replace(old, new))], BIB))
    if not code:
        assert issues == []
        return
    assert [(ln, c) for ln, c, _ in issues][:1] == [(line, code.split("+")[0])], issues
    assert [c for _, c, _ in issues] == code.split("+")
    assert words in issues[0][2]


def test_a_review_records_its_pooled_designs_and_each_key_is_appraised_once() -> None:
    review = STUDY.replace("design: rct", "design: systematic-review").replace("tool: rob2", "tool: robis")
    issues = found(check_studies([study_record(review)], BIB))
    assert ("review-without-pooled" in {c for _, c, _ in issues}) and (2, "review-without-pooled") in [
        (ln, c) for ln, c, _ in issues
    ]
    twice = found(check_studies([study_record(), study_record(path="content/studies/copy.yml")], BIB))
    assert twice == [(1, "invalid-field", "'s2020' is already appraised in content/studies/s2020.yml")]
    repeated = STUDY.replace(
        "appraised: 2026", STUDY[STUDY.index("  - id: pain") : STUDY.index("appraised:")] + "appraised: 2026"
    )
    assert found(check_studies([study_record(repeated)], BIB)) == [
        (26, "invalid-field", "finding id 'pain' is used twice in this study")
    ]


# --- validate_studies: the claims that cite findings -----------------------------------------------------


CLAIM = """id: c
statement: Hip exercise eases hip pain.
topics: [t]
verdict: supported
certainty: high
summary: A trial found less pain.
asserts:
  population: adults with hip pain
  exposure: hip exercise
  outcome: hip pain
  direction: decreases
evidence:
  - finding: s2020#pain
    directness: direct
reviewed: 2026-11-20
"""


def claim_record(text: str) -> ClaimRecord:
    data, lines = load(text)
    return ClaimRecord(ClaimFile.model_validate(data), "content/claims/c.yml", lines)


def claim_issues(text: str) -> list[tuple[int, str, str]]:
    """check_findings and check_profiles on one claim, with the study s2020 (100 analysed: imprecise)."""
    r, s = claim_record(text), study_record()
    issues = list(check_findings([r], BIB, {"s2020": s}))
    g = build_graph([r], BIB, {}, [s])
    return found([*issues, *check_profiles(g, [r])])


def test_a_claim_citing_a_finding_at_its_profiles_level_has_nothing_to_report() -> None:
    assert claim_issues(CLAIM.replace("certainty: high", "certainty: moderate")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("certainty: high", "certainty: high", [(5, "certainty-differs-from-profile", "imprecision -1 → moderate")]),
        ("#pain", "#pian", [(13, "finding-unknown", "has no finding 'pian' (did you mean 'pain'?)")]),
        ("    directness: direct\n", "    directness: direct\n    relation: supports\n", [(15, "relation-typed-by-hand", "")]),
        (
            CLAIM[CLAIM.index("asserts:") : CLAIM.index("evidence:")],
            "",
            [(8, "question-missing", "")],
        ),
        ("finding: s2020#pain", "finding: other#pain", [(13, "appraisal-missing", "'other' is cited but has no appraisal")]),
        ("    directness: direct\n", "", [(13, "invalid-field", "say whether it is `directness: direct` or `indirect`")]),
        ("directness: direct", "directness: indirect", [(14, "invalid-field", "an indirect finding lists what `differs`")]),
        (
            "directness: direct",
            "directness: direct\n    differs: [outcome]",
            [(15, "invalid-field", "a direct finding differs in nothing")],
        ),
        (
            "  - finding: s2020#pain\n",
            "  - finding: s2020#pain\n    cite: s2020\n",
            [(13, "invalid-field", "either a `finding:`")],
        ),
        (
            "direction: decreases",
            "direction: increases",
            [(4, "verdict-ignores-evidence", "no cited finding goes the claim's way (1 against it)")],
        ),
        ("verdict: supported", "verdict: unsupported", [(4, "verdict-ignores-evidence", "'unsupported' means none does")]),
        (
            "verdict: supported",
            "verdict: mixed",
            [(4, "verdict-ignores-evidence", "'mixed' needs findings both ways; 1 for and 0 against")],
        ),
        (
            "verdict: supported",
            "verdict: contradicted",
            [(4, "verdict-ignores-evidence", "no cited finding goes against the claim")],
        ),
        (
            "  direction: decreases\n",
            "  direction: decreases\n  size: 40 %\n",
            [(4, "verdict-ignores-evidence", "gives a size ('40 %')")],
        ),
        (
            "reviewed:",
            "overrides:\n  - reason: inconsistency\n    note: One trial.\nreviewed:",
            [(16, "invalid-field", "nothing to override")],
        ),
    ],
)
def test_each_claim_problem_at_its_line(old: str, new: str, expected: list[tuple[int, str, str]]) -> None:
    text = CLAIM.replace("certainty: high", "certainty: moderate") if "certainty" not in old else CLAIM
    assert old in text
    issues = claim_issues(text.replace(old, new))
    # An unknown, unappraised or unknowable finding tests nothing: the verdict and certainty then say so too.
    issues = [
        i for i in issues if i[1] not in {"verdict-ignores-evidence", "certainty-differs-from-profile"} or expected[0][1] == i[1]
    ]
    assert [(ln, c) for ln, c, _ in issues] == [(ln, c) for ln, c, _ in expected], issues
    assert expected[0][2] in issues[0][2]


def test_background_is_cited_with_mentions_and_nothing_else() -> None:
    background = CLAIM.replace("  - finding: s2020#pain\n    directness: direct\n", "  - cite: s2020\n    relation: qualifies\n")
    issues = claim_issues(background.replace("verdict: supported", "verdict: unsupported").replace("high", "very-low"))
    assert [(ln, c) for ln, c, _ in issues] == [(14, "relation-typed-by-hand")]
    bare = background.replace("    relation: qualifies\n", "")
    assert (13, "invalid-field") in [(ln, c) for ln, c, _ in claim_issues(bare)]
