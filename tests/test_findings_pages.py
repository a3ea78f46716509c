"""What readers see of study appraisals: a claim's summary of findings, a study's appraisal on its source
page, the handout's table and ``claims.json``. Rendered in process from the minimal fixture (no build):
the fixture's trial is appraised once and one claim cites its finding, the other cites it as background."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from functools import cache

import jsonschema
import pytest
import yaml

from conftest import FIXTURES
from mkdocs_evidence import Renderer, export, load_project, settings_from_mkdocs_yml, sof
from mkdocs_evidence.handout import make_handout, render_html, select_claims
from mkdocs_evidence.model import Claim, Grading, Graph
from mkdocs_evidence.pages import claim_page
from mkdocs_evidence.study_schema import study_json_schema

SVG_NS = "{http://www.w3.org/2000/svg}"


@cache
def graph() -> Graph:
    return load_project(settings_from_mkdocs_yml(FIXTURES / "minimal" / "mkdocs.yml")).graph


@cache
def pages() -> dict[str, str]:
    return {p.src: p.text for p in Renderer(graph()).page_list()}


def section(text: str, heading: str) -> str:
    """A page's Markdown section under ``## heading``, up to the next ``##`` heading."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def with_claim(g: Graph, claim: Claim) -> Graph:
    return dataclasses.replace(g, claims={**g.claims, claim.id: claim})


# --- the claim page: a GRADE summary of findings above the evidence ------------------------------------


def test_tested_claim_shows_a_summary_of_findings_table_above_the_evidence() -> None:
    text = pages()["claims/exercise-helps.md"]
    assert text.index("## Summary of findings") < text.index("## Evidence")
    sof_html = section(text, "Summary of findings")
    # A real table a screen reader can navigate: caption, column and row headers.
    caption = re.search(r'<caption id="([^"]+)">([^<]+)</caption>', sof_html)
    assert (
        caption and caption.group(2) == "Summary of findings: foot exercises compared with usual care for adults with foot pain"
    )
    cols = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', sof_html)
    assert cols == ["Outcome", "Studies and participants", "Effect as reported", "Certainty"]
    assert re.search(r'<th scope="row"[^>]*>.*foot pain</span>', sof_html)
    # The scroll region is named by the caption and reachable by keyboard.
    assert f'role="region" aria-labelledby="{caption.group(1)}" tabindex="0"' in sof_html
    # Studies and participants; the effect as reported, for or against, with its study and locator.
    assert "1 study; 40 analysed" in sof_html and "Randomised trial" in sof_html
    assert "For the claim</span> Pain fell by 2 points more with exercises (95% CI 1 to 3)." in sof_html
    assert '(<a href="../../sources/smith2020trial/">Smith et al. 2020</a>, Table 2)' in sof_html
    # The certainty as the site shows it, with a lettered note for the domain rated down.
    marker = f'<a href="#{caption.group(1)}-a"><span class="ev-sr-only">note </span>a</a>'
    assert "Moderate certainty</span><sup" in sof_html and marker in sof_html
    note = re.search(rf'<li id="{caption.group(1)}-a"[^>]*>(.*?)</li>', sof_html)
    assert note and "Rated down one level for imprecision" in note.group(1) and "40 participants analysed" in note.group(1)


def test_untested_claim_says_plainly_that_nothing_tested_it() -> None:
    text = pages()["claims/other-claim.md"]
    assert "<strong>Not tested:</strong> no study in our searches tested this." in section(text, "Summary of findings")
    assert "<table" not in section(text, "Summary of findings")
    assert "no finding cited here tests the claim" in text


def test_a_tested_claim_never_reads_as_untested() -> None:
    text = pages()["claims/exercise-helps.md"]
    # Its own parts only: a related claim's verdict badge may read "Not tested".
    own = text.split("\n## Evidence\n", 1)[0]
    for untested in ("Not tested", "nothing tests", "None of the sources cited here tests", "no finding cited here tests"):
        assert untested not in own, untested
    assert "<strong>1</strong> supporting" in own and "qualifying" not in own


def test_no_effect_is_told_apart_from_untested() -> None:
    g = graph()
    study = g.studies["smith2020trial"]
    null = dataclasses.replace(study.findings[0], direction="no-difference")
    claim = g.claims["exercise-helps"]
    contra = dataclasses.replace(claim.evidence[0], relation="contradicts")
    g = dataclasses.replace(
        with_claim(g, dataclasses.replace(claim, evidence=(contra,))),
        studies={**g.studies, study.key: dataclasses.replace(study, findings=(null,))},
    )
    s = sof.summary(g.claims["exercise-helps"], g)
    assert s.status == sof.NO_EFFECT and s.tested
    text = claim_page(Renderer(g), g.claims["exercise-helps"]).text
    table = section(text, "Summary of findings")
    assert "Tested, and the studies found no such effect." in table and "Not tested" not in table
    assert "Against the claim</span>" in table


def test_reviewers_notes_and_overrides_are_footnotes() -> None:
    g = graph()
    claim = g.claims["exercise-helps"]
    noted = dataclasses.replace(claim, downgrades=(Grading("imprecision", "Forty people, one trial."),))
    s = sof.summary(noted, with_claim(g, noted))
    assert [(n.marker, n.domain, n.levels, n.note) for n in s.footnotes] == [("a", "imprecision", 1, "Forty people, one trial.")]
    overridden = dataclasses.replace(claim, overrides=(Grading("imprecision", "The interval excludes no effect."),))
    g2 = with_claim(g, overridden)
    s = sof.summary(overridden, g2)
    assert s.profile.level == "high" and [(n.domain, n.levels, n.override) for n in s.footnotes] == [
        ("imprecision", 0, "The interval excludes no effect.")
    ]
    table = section(claim_page(Renderer(g2), overridden).text, "Summary of findings")
    assert "<strong>Not rated down for imprecision</strong>: the method flags it (40 participants analysed" in table
    assert "The interval excludes no effect." in table


# --- the source page: the study's appraisal ------------------------------------------------------------


def test_source_page_shows_the_appraisal_identity_and_findings() -> None:
    text = pages()["sources/smith2020trial.md"]
    appraisal = section(text, "Appraisal")
    assert "<dt>Design</dt><dd>Randomised trial</dd>" in appraisal
    assert "<dt>Participants analysed</dt><dd>40</dd>" in appraisal
    assert "<dt>Population</dt><dd>Adults with foot pain</dd>" in appraisal
    assert "fixture-author, checked by fixture-reader" in appraisal
    identity = text.split("### Identity record", 1)[1].split("###", 1)[0]
    assert 'Crossref record <a class="ev-link" href="https://doi.org/10.1000/xyz_1~2">10.1000/xyz_1~2</a>' in identity
    assert 'seen on <time datetime="2026-11-20">' in identity and "Fields seen there: title, authors" in identity
    assert "An unseen field never removes a study from the evidence." in identity
    findings = text.split("### Findings", 1)[1].split("\n## ", 1)[0]
    for shown in ("<h4>foot pain</h4>", "foot exercises vs usual care", "Decreases:", "Table 2", "<dt>Analysed</dt><dd>40</dd>"):
        assert shown in findings, shown
    assert 'Supports</span> <a href="../../claims/exercise-helps/">Foot exercises help.</a>' in findings


def test_risk_of_bias_row_reads_without_colour() -> None:
    text = pages()["sources/smith2020trial.md"]
    svg_text = re.search(r"<svg class=\"ev-rob__row\".*?</svg>", text, re.S)
    assert svg_text
    svg = ET.fromstring(svg_text.group())
    assert svg.get("role") == "img" and svg.get("aria-labelledby")
    assert svg.findtext(f"{SVG_NS}title") and "D1 Bias arising from the randomisation process: Low" in svg.findtext(
        f"{SVG_NS}desc", ""
    )
    cells = svg.findall(f"{SVG_NS}g")
    codes = [c.findall(f"{SVG_NS}text")[0].text for c in cells]
    symbols = [c.findall(f"{SVG_NS}text")[1].text for c in cells]
    assert codes == ["D1", "D2", "D3", "D4", "D5", "Overall"]
    assert symbols == ["+", "!", "+", "!", "+", "!"]
    assert all(c.findtext(f"{SVG_NS}title") for c in cells)
    # The legend says the same in text, with each reason.
    legend = re.findall(r"<li><strong>(?:D\d[^<]*|Overall)</strong>: [^\n]*", text)
    assert len(legend) == 6 and "Participants knew their group." in legend[1]


def test_every_judgement_has_its_own_symbol_and_an_unjudged_overall_is_a_question_mark() -> None:
    study = graph().studies["smith2020trial"]
    assert len(set(sof.ROB_SYMBOLS.values())) == len(sof.ROB_SYMBOLS)
    unjudged = dataclasses.replace(study, overall="")
    assert sof.rob_cells(unjudged)[-1].symbol == "?" and sof.rob_cells(unjudged)[-1].words == "No information"
    assert sof.rob_cells(dataclasses.replace(study, domains=(), overall="")) == ()


def test_record_links_only_where_the_record_has_an_address() -> None:
    study = graph().studies["smith2020trial"]

    def link(record: str, ident: str) -> str:
        return sof.record_link(dataclasses.replace(study, identity=dataclasses.replace(study.identity, record=record, id=ident)))

    assert link("pubmed", "123") == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert link("pmc", "PMC9") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC9/"
    assert link("publisher", "https://example.org/a") == "https://example.org/a"
    assert link("publisher", "javascript:alert(1)") == ""


# --- the handout and claims.json -----------------------------------------------------------------------


def test_clinician_handout_carries_each_claims_summary_of_findings() -> None:
    g = graph()
    title, claims = select_claims(g, topic="feet")
    html = render_html(make_handout(g, title, claims))
    tested, untested = html.split('<section class="ho-claim"')[1:3]
    # Inside the claim's own section, which the print CSS keeps whole on a page.
    assert '<table class="ho-sof">' in tested.split("</section>")[0]
    assert '<a href="#ref-1">[1]</a>, Table 2' in tested and "Rated down one level for imprecision" in tested
    assert "Not tested:</strong> no study in our searches tested this." in untested


def test_claims_json_carries_profiles_findings_and_studies() -> None:
    document = export.claims_document(graph(), lambda p: p, site_name="S")
    assert document["schema_version"] == export.CLAIMS_JSON_VERSION == 2
    helps = next(c for c in document["claims"] if c["id"] == "exercise-helps")
    p = helps["profile"]
    assert (p["start"], p["design"], p["level"], p["studies"], p["participants"]) == (
        "high",
        "rct",
        "moderate",
        ["smith2020trial"],
        40,
    )
    assert [(d["domain"], d["levels"]) for d in p["domains"] if d["levels"]] == [("imprecision", 1)]
    assert p["tested"] == [{"finding": "smith2020trial#pain", "relation": "supports", "directness": "direct"}]
    assert helps["evidence"][0]["finding"] == "smith2020trial#pain"
    assert "certainty_ceiling" not in helps  # gave way to the profile (schema_version 2)
    study = document["studies"]["smith2020trial"]
    assert study["risk_of_bias"]["overall"] == "some-concerns" and study["identity"]["record"] == "crossref"
    assert study["findings"][0]["claims"] == [{"claim": "exercise-helps", "relation": "supports"}]


def test_study_schema_is_published_beside_the_claim_schema_and_validates_the_fixture() -> None:
    files = Renderer(graph()).data_files()
    published = json.loads(files[export.STUDY_SCHEMA])
    assert published == study_json_schema() and export.CLAIM_SCHEMA in files
    appraisal = yaml.safe_load((FIXTURES / "minimal" / "content" / "studies" / "smith2020trial.yml").read_text())
    jsonschema.validate(json.loads(json.dumps(appraisal, default=str)), published)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**appraisal, "key": "x", "surprise": 1}, published)
