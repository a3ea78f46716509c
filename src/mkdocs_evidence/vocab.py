"""Controlled vocabularies: the only values claim files and references may use.

Each vocabulary maps a value to a one-line meaning. The meanings are shown on the method page
and in the JSON Schema, so contributors see them while typing.
"""

from __future__ import annotations

from typing import Final

VERDICTS: Final[dict[str, str]] = {
    "supported": "The research backs the claim as stated.",
    "overstated": "Right direction, but the claim inflates the size, certainty or reach of the effect.",
    "mixed": "Studies disagree, or the claim holds in some settings and not in others.",
    "misleading": "Built on something true, but framed so that readers draw a wrong conclusion.",
    "unsupported": "No research found that tests the claim; it may be true but is not shown.",
    "contradicted": "The research points the other way.",
}

CERTAINTIES: Final[dict[str, str]] = {
    "high": "Further research is very unlikely to change the picture.",
    "moderate": "Further research may change the size of the effect.",
    "low": "Further research is likely to change the picture.",
    "very-low": "Any estimate of the effect is very uncertain.",
}

#: How the GRADE working group words a finding at each certainty level.
CERTAINTY_WORDING: Final[dict[str, str]] = {
    "high": "The evidence shows",
    "moderate": "The evidence suggests (probably)",
    "low": "The evidence is limited (may)",
    "very-low": "The evidence is very uncertain",
}

RELATIONS: Final[dict[str, str]] = {
    "supports": "The source's findings back the claim.",
    "contradicts": "The source's findings go against the claim.",
    "qualifies": "The source limits the claim: true only in part, for some people, or smaller.",
    "mentions": "The source discusses the claim without testing it.",
}

#: Study designs, strongest first. The order is used to pick the best available evidence.
DESIGNS: Final[dict[str, str]] = {
    "meta-analysis": "Systematic review that pools the numbers of several studies.",
    "systematic-review": "Review that searches for and appraises all studies on a question.",
    "rct": "Randomised controlled trial.",
    "cohort": "Follows a group over time to see who develops an outcome.",
    "case-control": "Compares people with a condition against people without it.",
    "cross-sectional": "Measures a group once, at one point in time.",
    "lab-biomechanics": "Laboratory study of movement or muscle activity, usually small and short.",
    "pre-post": "One group measured before and after an intervention, without a control group.",
    "case-series": "Describes a few patients, without a comparison group.",
    "narrative-review": "Expert summary of the literature without a systematic search.",
    "expert-opinion": "Opinion, theory or hypothesis, not tested by the authors.",
    "popular-article": "Article for the general public (where a claim circulates, not evidence).",
}

FLAGS: Final[dict[str, str]] = {
    "citation-needed": "A figure or fact is given without any source.",
    "who": "The authority quoted cannot be identified.",
    "misattributed": "The source cited is real but credited to the wrong authors, or does not say this.",
    "promotional": "The claim promotes a product, device or paid programme.",
}

#: How each design is named on the pages.
DESIGN_LABELS: Final[dict[str, str]] = {
    "meta-analysis": "Meta-analysis",
    "systematic-review": "Systematic review",
    "rct": "Randomised trial",
    "cohort": "Cohort study",
    "case-control": "Case-control study",
    "cross-sectional": "Cross-sectional study",
    "lab-biomechanics": "Lab study",
    "pre-post": "Before-and-after study",
    "case-series": "Case series",
    "narrative-review": "Narrative review",
    "expert-opinion": "Expert opinion",
    "popular-article": "Popular article",
}

#: Designs that count as research evidence (everything but where claims circulate).
RESEARCH_DESIGNS: Final[frozenset[str]] = frozenset(DESIGNS) - {"popular-article"}

#: A verdict as a 1–5 rating (5 = the claim holds), for schema.org ``ClaimReview``'s ``ratingValue``;
#: ``alternateName`` carries the verdict's own name, which is what readers and fact-check tools show.
VERDICT_RATING: Final[dict[str, int]] = {
    "supported": 5,
    "overstated": 4,
    "mixed": 3,
    "misleading": 2,
    "unsupported": 2,
    "contradicted": 1,
}

#: The verdict said with GRADE's hedges: high certainty states it, moderate says "probably", low says
#: "may", very low says the evidence is very uncertain. One sentence per verdict and certainty.
VERDICT_IN_WORDS: Final[dict[str, dict[str, str]]] = {
    "supported": {
        "high": "The claim holds.",
        "moderate": "The claim probably holds.",
        "low": "The claim may hold.",
        "very-low": "The evidence is very uncertain, but what there is backs the claim.",
    },
    "overstated": {
        "high": "The claim overstates the effect.",
        "moderate": "The claim probably overstates the effect.",
        "low": "The claim may overstate the effect.",
        "very-low": "The evidence is very uncertain, and the claim goes beyond it.",
    },
    "mixed": {
        "high": "The claim holds in some settings and not in others.",
        "moderate": "The claim probably holds only in some settings.",
        "low": "The claim may hold only in some settings.",
        "very-low": "The evidence is very uncertain, and the studies disagree.",
    },
    "misleading": {
        "high": "The claim misleads.",
        "moderate": "The claim is probably misleading.",
        "low": "The claim may be misleading.",
        "very-low": "The evidence is very uncertain, and the claim's framing goes beyond it.",
    },
    "unsupported": {
        "high": "We found no study that shows the claim.",
        "moderate": "We found no study that shows the claim; related research probably does not back it.",
        "low": "We found no study that shows the claim; related research may not back it.",
        "very-low": "The evidence is very uncertain: we found no study that tests the claim as stated.",
    },
    "contradicted": {
        "high": "The claim is wrong.",
        "moderate": "The claim is probably wrong.",
        "low": "The claim may be wrong.",
        "very-low": "The evidence is very uncertain, but what there is goes against the claim.",
    },
}

#: Designs named in the plural, for "only lab studies so far".
DESIGN_PLURALS: Final[dict[str, str]] = {
    "meta-analysis": "meta-analyses",
    "systematic-review": "systematic reviews",
    "rct": "randomised trials",
    "cohort": "cohort studies",
    "case-control": "case-control studies",
    "cross-sectional": "cross-sectional studies",
    "lab-biomechanics": "lab studies",
    "pre-post": "before-and-after studies",
    "case-series": "case series",
    "narrative-review": "narrative reviews",
    "expert-opinion": "expert opinion",
    "popular-article": "popular articles",
}

#: Relations that test a claim: the source's findings bear on it directly, for or against.
TESTING_RELATIONS: Final[tuple[str, ...]] = ("supports", "contradicts")
