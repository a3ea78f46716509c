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
    "unsupported": "Not tested: no study in the searches recorded for the claim tests it; it may or may not be true.",
    "contradicted": "Tested, and it did not hold: the studies found no such effect, or the opposite.",
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
    # Retired: typed by hand, it let one finding read differently on each claim. Kept so that an old
    # claim file is told to cite the finding instead (relation-typed-by-hand), not that the word is unknown.
    "qualifies": "Retired: cite the finding; whether it supports or contradicts the claim follows from its direction.",
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
    "testimonial": "A personal story or testimonial is offered as proof; one person's experience cannot show an effect.",
    "credentials-as-proof": "The author's titles or experience are offered in place of evidence.",
    "from-comments": "Quoted from the page's comment section, not from the article itself.",
}

#: Verdicts whose label is not their name: "unsupported" reads as "not tested" so that no reader takes
#: it for "tested and found wanting" (that is "contradicted").
VERDICT_LABELS: Final[dict[str, str]] = {"unsupported": "Not tested"}

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

#: The design of an article where a claim circulates: never evidence.
POPULAR: Final[str] = "popular-article"

#: Designs that count as research evidence (everything but where claims circulate).
RESEARCH_DESIGNS: Final[frozenset[str]] = frozenset(DESIGNS) - {POPULAR}

#: A verdict as a 1–5 rating for schema.org ``ClaimReview``'s ``ratingValue``, answering "how far does
#: the claim hold *as stated*?": 5 it holds; 3 only in some settings; 2 as stated it does not hold (the
#: effect is inflated, the framing misleads, or nothing tests it); 1 the research goes against it. No
#: verdict is 4: an overstated claim is not "mostly true" to a reader, so a machine must not read it so.
#: ``alternateName`` carries the verdict's own name, which is what readers and fact-check tools show.
VERDICT_RATING: Final[dict[str, int]] = {
    "supported": 5,
    "overstated": 2,
    "mixed": 3,
    "misleading": 2,
    "unsupported": 2,
    "contradicted": 1,
}

#: The verdict said with GRADE's hedges. The verdict is the site's judgement of the claim; the hedge
#: belongs to the research ("probably" at moderate, "may" at low, "very uncertain" at very low), so a
#: verdict such as "overstated" is never itself hedged into "the claim may overstate".
VERDICT_IN_WORDS: Final[dict[str, dict[str, str]]] = {
    "supported": {
        "high": "The claim holds.",
        "moderate": "The claim probably holds.",
        "low": "The claim may hold; the research behind it is limited.",
        "very-low": "The evidence is very uncertain, but what there is backs the claim.",
    },
    "overstated": {
        "high": "The claim goes further than the research: the real effect is smaller or narrower.",
        "moderate": "The claim goes further than the research: the real effect is probably smaller or narrower.",
        "low": "The claim goes further than the research, which is limited: any real effect may be smaller or narrower.",
        "very-low": "The claim goes further than the research, and that research is very uncertain.",
    },
    "mixed": {
        "high": "The research is split: the claim holds in some settings and not in others.",
        "moderate": "The research is split: the claim probably holds only in some settings.",
        "low": "The research is split and limited: the claim may hold only in some settings.",
        "very-low": "The research is split, and very uncertain.",
    },
    "misleading": {
        "high": "The claim misleads: the research behind it is sound but does not lead where the claim says.",
        "moderate": "The claim misleads: the research behind it probably does not lead where the claim says.",
        "low": "The claim misleads: the research behind it is limited and may not lead where the claim says.",
        "very-low": "The claim misleads: the research behind it is very uncertain and does not lead where the claim says.",
    },
    "unsupported": {
        "high": "No study in the searches recorded here tests the claim as stated; related research does not back it.",
        "moderate": (
            "No study in the searches recorded here tests the claim as stated; related research probably does not back it."
        ),
        "low": "No study in the searches recorded here tests the claim as stated; related research may not back it.",
        "very-low": (
            "No study in the searches recorded here tests the claim as stated; what related research there is, is very uncertain."
        ),
    },
    "contradicted": {
        "high": "The claim is wrong.",
        "moderate": "The claim is probably wrong.",
        "low": "The claim may be wrong; the research against it is limited.",
        "very-low": "The evidence is very uncertain, but what there is goes against the claim.",
    },
}

#: For a patient: what the research behind a verdict does not show (handouts), in plain words.
NOT_SHOWN: Final[dict[str, str]] = {
    "supported": "The studies are few or small, so they do not show how much it would help you.",
    "overstated": "The research does not show an effect as large, as sure or as wide as the claim says.",
    "mixed": "The studies disagree, so the research does not show that it works for everyone.",
    "misleading": "The research does not lead to the conclusion the claim suggests.",
    "unsupported": "We found no study that tests it, so the research shows nothing either way.",
    "contradicted": "The research points the other way: it does not back the claim.",
}

#: Certainty levels from lowest to highest, for comparing a claim's certainty with its ceiling.
CERTAINTY_ORDER: Final[tuple[str, ...]] = ("very-low", "low", "moderate", "high")

#: Where certainty starts for a body of evidence whose strongest testing design is this (GRADE):
#: randomised trials start high; non-randomised studies (observational, lab, uncontrolled before-and-after)
#: start low; studies without any comparison start very low; reviews without a search and opinion are not
#: evidence of an effect, so they allow no more than very low. Systematic reviews and meta-analyses are
#: absent on purpose: they start where the designs they pooled start (the reference's ``pooled`` field).
DESIGN_START: Final[dict[str, str]] = {
    "rct": "high",
    "cohort": "low",
    "case-control": "low",
    "cross-sectional": "low",
    "lab-biomechanics": "low",
    "pre-post": "low",
    "case-series": "very-low",
    "narrative-review": "very-low",
    "expert-opinion": "very-low",
}

#: Designs that pool other studies: their starting certainty is that of the designs they pooled.
POOLING_DESIGNS: Final[frozenset[str]] = frozenset({"meta-analysis", "systematic-review"})

#: Where a systematic review or meta-analysis starts when its reference does not record what it pooled:
#: as if it had pooled non-randomised studies, the cautious choice.
UNRECORDED_POOL_START: Final[str] = "low"

#: GRADE's reasons to rate certainty down, each one level.
DOWNGRADES: Final[dict[str, str]] = {
    "risk-of-bias": "Flaws in how the studies were designed or run (no control group, no blinding, selective reporting).",
    "inconsistency": "The studies' results disagree more than chance explains.",
    "indirectness": "The studies answer a different question: other people, an induced posture, a lab task, a proxy outcome.",
    "imprecision": "Few participants or events, so the estimate could be much larger or smaller.",
    "publication-bias": "Studies with unwelcome results are likely missing.",
}

#: GRADE's reasons to rate certainty up, each one level; only for evidence that has none of the problems above.
UPGRADES: Final[dict[str, str]] = {
    "large-effect": "The effect is so large that bias alone is unlikely to explain it.",
    "dose-response": "More exposure gives more effect, in a consistent gradient.",
    "opposing-confounding": "Plausible bias would have shrunk the effect, yet it was still seen.",
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

# ---------------------------------------------------------------- study appraisals and findings

#: What a finding shows: the effect of the exposure or intervention (as named) on the outcome (as named),
#: against the comparison. One axis for trials and observational studies alike, so that a finding's
#: direction and a claim's can be compared: a claim that an intervention *decreases* an outcome is
#: supported by a finding that it decreased it, and contradicted by one that found no difference.
DIRECTIONS: Final[dict[str, str]] = {
    "increases": "More of the outcome with the exposure or intervention than with the comparison.",
    "decreases": "Less of the outcome with the exposure or intervention than with the comparison.",
    "no-difference": "No difference or no association was found.",
}

#: How a cited finding bears on the claim's question (GRADE's directness), recorded per citation.
DIRECTNESS: Final[dict[str, str]] = {
    "direct": "Same population, exposure or intervention, comparison and outcome as the claim.",
    "indirect": "One or more of them differs from the claim's (say which in `differs`, and why in `note`).",
}

#: The parts of a question in which a finding can differ from the claim's (PICO).
QUESTION_PARTS: Final[dict[str, str]] = {
    "population": "Other people than the claim is about (e.g. students for a claim about older adults).",
    "exposure": "Another exposure or intervention (e.g. a condition induced in the lab for one that occurs naturally).",
    "comparison": "Another comparison (e.g. against an active alternative rather than nothing).",
    "outcome": "Another or a proxy outcome (e.g. a laboratory measurement for what people notice in daily life).",
}

#: Risk-of-bias judgements, per domain and overall (RoB 2's words; ROBINS' moderate and serious map to
#: some concerns and high, critical to high).
ROB_JUDGEMENTS: Final[dict[str, str]] = {
    "low": "Low risk of bias.",
    "some-concerns": "Some concerns.",
    "high": "High risk of bias.",
}

#: The risk-of-bias tools, each with its domains in order (robvis columns D1, D2, ...).
ROB_TOOLS: Final[dict[str, dict[str, str]]] = {
    "rob2": {
        "randomisation": "Bias arising from the randomisation process.",
        "deviations": "Bias due to deviations from intended interventions.",
        "missing-data": "Bias due to missing outcome data.",
        "measurement": "Bias in measurement of the outcome.",
        "reporting": "Bias in selection of the reported result.",
    },
    "robins-i": {
        "confounding": "Bias due to confounding.",
        "selection": "Bias in selection of participants into the study.",
        "classification": "Bias in classification of interventions.",
        "deviations": "Bias due to deviations from intended interventions.",
        "missing-data": "Bias due to missing data.",
        "measurement": "Bias in measurement of outcomes.",
        "reporting": "Bias in selection of the reported result.",
    },
    "robins-e": {
        "confounding": "Bias due to confounding.",
        "exposure-measurement": "Bias arising from measurement of the exposure.",
        "selection": "Bias in selection of participants into the study (or into the analysis).",
        "post-exposure": "Bias due to post-exposure interventions.",
        "missing-data": "Bias due to missing data.",
        "measurement": "Bias arising from measurement of the outcome.",
        "reporting": "Bias in selection of the reported result.",
    },
    "robis": {
        "eligibility": "Concerns regarding specification of study eligibility criteria.",
        "identification": "Concerns regarding methods used to identify and/or select studies.",
        "appraisal": "Concerns regarding methods used to collect data and appraise studies.",
        "synthesis": "Concerns regarding the synthesis and findings.",
    },
    "lab-checklist": {
        "sample": "Who was studied and how many: a convenience sample, its size, exclusions.",
        "conditions": "Whether conditions were given in a random or balanced order, with familiarisation.",
        "measurement": "Whether the outcome was measured reliably, and blind to the condition where possible.",
        "missing-data": "Whether everyone tested was analysed.",
        "reporting": "Whether every outcome measured is reported, or only some.",
    },
    "case-series-checklist": {
        "inclusion": "Clear, consecutive inclusion of the patients described.",
        "measurement": "Condition and outcome measured in a standard, reliable way.",
        "follow-up": "Complete and long enough follow-up.",
        "reporting": "Outcomes and demographics fully reported.",
    },
    "none": {},
}

#: What each tool is and which designs it is meant for (shown on the method page).
ROB_TOOL_LABELS: Final[dict[str, str]] = {
    "rob2": "RoB 2 (Cochrane risk-of-bias tool for randomised trials)",
    "robins-i": "ROBINS-I (non-randomised studies of interventions)",
    "robins-e": "ROBINS-E (non-randomised studies of exposures: cohort, case-control, cross-sectional)",
    "robis": "ROBIS (risk of bias in systematic reviews)",
    "lab-checklist": "Simple checklist for laboratory studies (no published tool fits short within-person lab tests)",
    "case-series-checklist": "Simple checklist for case series (after the JBI checklist)",
    "none": "Not appraised for bias: not a study of an effect (expert opinion or a review without a search)",
}

#: The tool suited to each design; a study appraised with another tool gets a warning.
ROB_TOOL_FOR_DESIGN: Final[dict[str, str]] = {
    "meta-analysis": "robis",
    "systematic-review": "robis",
    "rct": "rob2",
    "cohort": "robins-e",
    "case-control": "robins-e",
    "cross-sectional": "robins-e",
    "lab-biomechanics": "lab-checklist",
    "pre-post": "robins-i",
    "case-series": "case-series-checklist",
    "narrative-review": "none",
    "expert-opinion": "none",
}

#: Official records on which a study's identity can be confirmed.
IDENTITY_RECORDS: Final[dict[str, str]] = {
    "pubmed": "The PubMed record (identifier: the PMID).",
    "pmc": "The PubMed Central record (identifier: the PMCID).",
    "crossref": "The Crossref record of the DOI (identifier: the DOI).",
    "publisher": "The publisher's page of the article (identifier: its address).",
}

#: Bibliographic fields an identity record may show (the rest are left out and marked unseen).
IDENTITY_FIELDS: Final[tuple[str, ...]] = (
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "number",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "abstract",
)

#: Effect measures whose "no effect" value is 1 (ratios); every other measure's is 0.
RATIO_MEASURES: Final[frozenset[str]] = frozenset({"OR", "RR", "HR", "IRR", "PR", "aOR", "aRR", "aHR"})

#: What a published notice does to a study (what ``evidence watch`` records from Crossref's update relations).
NOTICES: Final[dict[str, str]] = {
    "retraction": "The article is retracted (or withdrawn, or removed): its findings no longer count for any claim.",
    "expression-of-concern": "The journal has published an expression of concern: the findings still count, flagged.",
    "correction": "The article has been corrected: the findings still count; check they still read as recorded.",
}
#: Crossref's ``update-to`` / ``updated-by`` types → the notice they are. Types not listed (new editions,
#: new versions) change nothing a claim relies on and are left out.
CROSSREF_NOTICE_TYPES: Final[dict[str, str]] = {
    "retraction": "retraction",
    "partial_retraction": "retraction",
    "withdrawal": "retraction",
    "removal": "retraction",
    "expression_of_concern": "expression-of-concern",
    "correction": "correction",
    "corrigendum": "correction",
    "erratum": "correction",
    "addendum": "correction",
    "clarification": "correction",
}
