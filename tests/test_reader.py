"""What readers and other tools get from a built site: verdicts at a glance, the evidence picture,
ClaimReview JSON-LD, claims.json, the published JSON Schema and "cite this"."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlparse

import bibtexparser
import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, mkdocs_build
from mkdocs_evidence import export, load_project, settings_from_mkdocs_yml, sof, vocab
from mkdocs_evidence.assess import best_evidence, claim_ceiling, evidence_matrix, grade_sentence, relation_counts
from mkdocs_evidence.export import CLAIMS_JSON_VERSION
from mkdocs_evidence.model import Claim, Evidence, Graph, Reference
from mkdocs_evidence.picture import ROW, evidence_picture
from mkdocs_evidence.schema import claim_json_schema

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml"))


# --- unit: what a claim page says at a glance -------------------------------------------------


def ref(key: str, design: str, year: str = "2020") -> Reference:
    return Reference(key, "article", {"title": f"Title {key}", "year": year, "design": design}, (), "refs.bib", 1)


def claim(*evidence: tuple[str, str], verdict: str = "supported", certainty: str = "moderate") -> Claim:
    return Claim(
        id="c",
        statement="S.",
        topics=("t",),
        verdict=verdict,
        certainty=certainty,
        summary="x",
        reviewed=dt.date(2026, 1, 1),
        path="c.yml",
        evidence=tuple(Evidence(k, r) for k, r in evidence),
    )


REFS = {
    "sr": ref("sr", "systematic-review", "2019"),
    "trial": ref("trial", "rct"),
    "lab1": ref("lab1", "lab-biomechanics", "2010"),
    "lab2": ref("lab2", "lab-biomechanics", "2015"),
    "xs": ref("xs", "cross-sectional"),
    "op": ref("op", "expert-opinion"),
    "nodesign": ref("nodesign", ""),
    "blog": ref("blog", "popular-article"),
    "sr-rct": Reference(
        "sr-rct", "article", {"title": "T", "year": "2021", "design": "systematic-review", "pooled": "rct"}, (), "refs.bib", 1
    ),
}


def test_counts_are_per_relation_and_per_distinct_source() -> None:
    c = claim(
        ("sr", "supports"),
        ("trial", "contradicts"),
        ("lab1", "qualifies"),
        ("lab1", "qualifies"),
        ("op", "mentions"),
        ("blog", "supports"),
    )
    assert relation_counts(c, REFS) == {"supports": 1, "contradicts": 1, "qualifies": 1, "mentions": 1}


@pytest.mark.parametrize(
    ("evidence", "headline", "items"),
    [
        (
            (("lab1", "supports"), ("sr-rct", "supports"), ("trial", "supports")),
            "Best available evidence: a systematic review.",
            ["sr-rct"],
        ),
        # A review whose pooled designs are not recorded starts low (GRADE): the trial is the best evidence,
        # as the certainty ceiling has it.
        (
            (("lab1", "supports"), ("sr", "supports"), ("trial", "supports")),
            "Best available evidence: a randomised trial; "
            "the systematic review cited here pools designs that start lower, or does not record which.",
            ["trial"],
        ),
        (
            (("lab1", "supports"), ("sr", "qualifies"), ("trial", "contradicts")),
            "Best available evidence: a randomised trial; no systematic review among the sources cited here.",
            ["trial"],
        ),
        (
            (("lab1", "supports"), ("lab2", "supports"), ("xs", "contradicts")),
            "Only cross-sectional studies and lab studies so far: "
            "no randomised trial or systematic review among the sources cited here.",
            ["xs"],
        ),
        (
            (("lab1", "supports"), ("lab2", "supports")),
            "Only lab studies so far: no randomised trial or systematic review among the sources cited here.",
            ["lab2", "lab1"],
        ),
        ((("op", "supports"),), "Only expert opinion so far: none of the sources cited here tests the claim itself.", ["op"]),
        # A source that only qualifies the claim does not test it: it is named as the closest research.
        (
            (("sr", "qualifies"), ("lab1", "qualifies")),
            "None of the sources cited here tests this claim directly; the closest is a systematic review.",
            ["sr"],
        ),
        # A review that only mentions the claim is not evidence for or against it.
        ((("sr", "mentions"),), "None of the sources cited here tests this claim.", []),
        # Without a recorded design a source might be a trial: no absence is claimed.
        (
            (("lab1", "supports"), ("nodesign", "supports")),
            "Strongest recorded design: a lab study; 1 source without a recorded design.",
            ["lab1"],
        ),
        # Popular articles are not evidence, and a source listed twice counts once.
        (
            (("blog", "supports"), ("trial", "supports"), ("trial", "qualifies")),
            "Best available evidence: a randomised trial; no systematic review among the sources cited here.",
            ["trial"],
        ),
    ],
)
def test_best_available_evidence(evidence: tuple[tuple[str, str], ...], headline: str, items: list[str]) -> None:
    best = best_evidence(claim(*evidence), REFS)
    assert best.headline == headline
    assert [e.key for e in best.items] == items
    if items:  # the box and the certainty ceiling name the same strongest design
        assert best.design == claim_ceiling(claim(*evidence), REFS).design or best.level == "indirect"


def test_every_verdict_is_worded_for_every_certainty_as_grade_does() -> None:
    for verdict in vocab.VERDICTS:
        words = {c: grade_sentence(claim(verdict=verdict, certainty=c)) for c in vocab.CERTAINTIES}
        assert "very uncertain" in words["very-low"]
        if verdict != "unsupported":  # "not shown" is not hedged: no study exists to be more or less sure of
            assert "probably" in words["moderate"] and "may" in words["low"]
            assert "probably" not in words["high"] and "may" not in words["high"]


def test_matrix_counts_claims_and_distinct_sources() -> None:
    a = claim(("sr", "supports"), ("trial", "supports"))
    b = claim(("sr", "supports"), ("lab1", "qualifies"))
    c = claim(("op", "mentions"), ("blog", "supports"), verdict="unsupported", certainty="very-low")
    m = evidence_matrix([a, b, c], REFS)
    assert len(m.cell("supported", "moderate").claims) == 2
    assert m.cell("supported", "moderate").sources == 3
    assert m.cell("unsupported", "very-low").sources == 0  # one that only mentions it is not behind it, nor an article
    assert m.cell("contradicted", "high").claims == ()
    assert [m.row_total(v) for v in m.verdicts] == [2, 0, 0, 0, 1, 0]


def test_picture_draws_each_link_once_and_keeps_labels_apart() -> None:
    claims = [
        claim(("sr", "supports"), ("trial", "contradicts"), ("trial", "contradicts")),
        claim(("sr", "qualifies"), ("lab1", "supports"), ("lab2", "supports"), ("xs", "mentions")),
    ]
    claims[1] = Claim(**{**claims[1].__dict__, "id": "d", "statement": "A much longer statement " * 4})
    graph = Graph(claims={c.id: c for c in claims}, references=REFS, topics={})
    pic = evidence_picture(graph, claims, lambda src: src, lambda key: key)
    assert len(pic.edges) == 6
    assert pic.relations == ("supports", "contradicts", "qualifies", "mentions")
    ys = sorted(n.y for n in pic.nodes if n.kind == "source")
    assert all(b - a >= ROW for a, b in itertools.pairwise(ys))
    long = next(n for n in pic.nodes if n.href == "claims/d.md")
    assert long.label.endswith("…") and long.title == "Supported, moderate certainty: " + "A much longer statement " * 4


# --- built site: claim pages -------------------------------------------------------------------


def json_ld(page: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]


def test_every_claim_page_carries_claim_review_json_ld(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    graph = project.graph
    for claim_id, c in graph.claims.items():
        page = (real_site / "claims" / claim_id / "index.html").read_text(encoding="utf-8")
        blocks = json_ld(page)
        assert len(blocks) == 1, claim_id
        review = blocks[0]
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == c.statement
        assert review["url"] == "./"  # no site_url: relative to the page itself
        assert review["author"] == {"@type": "Organization", "name": "Foot–hip evidence"}
        assert dt.date.fromisoformat(review["datePublished"]) == c.reviewed
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert rating["ratingValue"] == vocab.VERDICT_RATING[c.verdict]
        assert rating["alternateName"] == c.verdict.capitalize()
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["name"] == c.statement
        appearances = item.get("appearance", [])
        articles = dict.fromkeys(a.key for a in c.appearances)
        assert [a["name"] for a in appearances] == [graph.references[k].get("title") for k in articles]
        assert all(urlparse(a["url"]).scheme == "https" for a in appearances if "url" in a)
        assert rating["ratingExplanation"] == c.reason


def test_claim_review_url_is_absolute_with_site_url_and_text_is_plain(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: https://evidence.example.org/site/\n", encoding="utf-8")
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    page = (root / "site/claims/exercise-helps/index.html").read_text(encoding="utf-8")
    (review,) = json_ld(page)
    assert review["url"] == "https://evidence.example.org/site/claims/exercise-helps/"
    assert review["author"] == {"@type": "Organization", "name": "Fixture", "url": "https://evidence.example.org/site/"}
    # Markdown and HTML from the claim file end up as plain text, never as markup or links.
    assert review["reviewBody"] == "A trial found that foot exercises helped. <script>alert(1)</script> bad"
    assert "javascript:" not in page.split('<script type="application/ld+json">')[1]
    assert "<script>alert" not in page


def test_claim_page_shows_verdict_in_words_counts_and_best_evidence(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    for c in project.graph.claims.values():
        page = (real_site / "claims" / c.id / "index.html").read_text(encoding="utf-8")
        assert html.escape(grade_sentence(c), quote=False) in page
        # The tally and the best evidence count what the profile counts ("qualifies" is shown only if used).
        view = sof.tested_view(c, sof.summary(c, project.graph))
        counts = {k: n for k, n in relation_counts(view, project.graph.references).items() if n or k != "qualifies"}
        shown = dict(re.findall(r"ev-tally__item--(\w+)[^>]*><strong>(\d+)</strong>", page))
        assert {k: int(v) for k, v in shown.items()} == counts, c.id
        best = best_evidence(view, project.graph.references)
        # A glossary term in the headline is linked where a reader first meets it: compare the words.
        words = re.sub(r'<a class="ev-term" href="[^"]*">([^<]*)</a>', r"\1", page)
        assert html.escape(best.headline, quote=False) in words


def test_every_citation_describes_itself_with_its_full_reference(real_site: Path) -> None:
    pages = [*(real_site / "claims").glob("*/index.html"), *(real_site / "topics").glob("*/index.html")]
    cited = 0
    for page_path in pages:
        page = page_path.read_text(encoding="utf-8")
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), f"{page_path}: duplicate ids"
        for tip_id in re.findall(r'class="ev-cite" href="[^"]+" aria-describedby="([^"]+)"', page):
            cited += 1
            tip = re.search(rf'<span class="ev-tip" role="tooltip" id="{tip_id}">(.*?)</span></span>', page, re.S)
            assert tip and 'class="ev-ref__title"' in tip.group(1), f"{page_path}: {tip_id}"
    assert cited > 100


# --- built site: topic pages and the evidence picture ------------------------------------------


def svg_of(page: str) -> ET.Element:
    match = re.search(r'<svg class="ev-graph".*?</svg>', page, re.S)
    assert match, "no evidence picture on the page"
    return ET.fromstring(match.group(0))


def check_picture(svg: ET.Element, page_path: Path, site: Path) -> list[str]:
    """Every link of the picture resolves inside the site; nothing points outside. Returns the hrefs."""
    hrefs = []
    for el in svg.iter():
        for name, value in el.attrib.items():
            if name != "xmlns" and ("//" in value or value.startswith(("http:", "https:", "data:"))):
                pytest.fail(f"{page_path}: external reference in the picture: {name}={value}")
        if el.tag == f"{SVG_NS}a":
            href = el.attrib["href"]
            target = urlparse(urljoin(page_path.relative_to(site).as_posix(), href)).path
            assert (site / target / "index.html").is_file(), f"{page_path}: {href} is broken"
            hrefs.append(target)
    return hrefs


def test_topic_pages_show_the_matrix_and_the_picture(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    graph = project.graph
    for topic_id in graph.topics:
        claims = [graph.claims[c] for c in graph.claims_by_topic.get(topic_id, ())]
        page_path = real_site / "topics" / topic_id / "index.html"
        page = page_path.read_text(encoding="utf-8")
        # Matrix: one row per verdict, claim counts adding up to the topic's claims.
        matrix = re.search(r'<table class="ev-matrix">.*?</table>', page, re.S)
        assert matrix
        counts = [int(n) for n in re.findall(r"<strong>(\d+)</strong> claims?", matrix.group(0))]
        assert sum(counts) == len(claims)
        assert len(re.findall(r'<tr class="ev-matrix__row', matrix.group(0))) == len(vocab.VERDICTS)
        # Picture: a node per claim and per research source, an edge per (claim, source) link.
        svg = svg_of(page)
        hrefs = check_picture(svg, page_path, real_site)
        assert {h for h in hrefs if h.startswith("claims/")} == {f"claims/{c.id}/" for c in claims}
        research = {e.key for c in claims for e in c.evidence if graph.references[e.key].design != "popular-article"}
        assert {h for h in hrefs if h.startswith("sources/")} == {f"sources/{k}/" for k in research}
        links = {(c.id, e.key) for c in claims for e in c.evidence if e.key in research}
        assert len(svg.findall(f"{SVG_NS}g[@class='evg-edges']/{SVG_NS}path")) == len(links)
        assert svg.find(f"{SVG_NS}title") is not None
        described = svg.attrib["aria-describedby"]
        assert f'id="{described}"' in page and "research sources they cite" in page.split(f'id="{described}"')[1][:300]


def test_home_page_pictures_every_claim_with_its_topics(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    page_path = real_site / "index.html"
    svg = svg_of(page_path.read_text(encoding="utf-8"))
    hrefs = check_picture(svg, page_path, real_site)
    assert {h for h in hrefs if h.startswith("claims/")} == {f"claims/{c}/" for c in project.graph.claims}
    assert {h for h in hrefs if h.startswith("topics/")} == {f"topics/{t}/" for t in project.graph.topics}
    # Readable at the size shown: drawn at its natural size (the page scrolls it sideways on a phone).
    assert int(svg.attrib["width"]) <= 720 and svg.attrib["viewBox"] == f"0 0 {svg.attrib['width']} {svg.attrib['height']}"


def test_no_page_loads_anything_from_the_internet(real_site: Path) -> None:
    for page_path in real_site.rglob("*.html"):
        page = page_path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|img|link|iframe|source)\b[^>]*>", page):
            for url in re.findall(r'\b(?:src|href)="([^"]+)"', tag):
                if (
                    tag.startswith("<link")
                    and ' rel="' in tag
                    and not re.search(r'rel="(stylesheet|icon|preload|modulepreload)"', tag)
                ):
                    continue  # canonical, prev/next: addresses, not downloads
                assert not re.match(r"(https?:)?//", url), f"{page_path}: {tag}"


# --- built site: machine-readable outputs ------------------------------------------------------


def test_claims_json_is_published_with_a_schema_version(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == CLAIMS_JSON_VERSION
    graph = project.graph
    assert [c["id"] for c in data["claims"]] == list(graph.claims)
    assert set(data["sources"]) == set(graph.references)
    assert [t["id"] for t in data["topics"]] == list(graph.topics)
    for c in data["claims"]:
        assert (real_site / c["url"] / "index.html").is_file()
        assert c["verdict"] in data["vocabularies"]["verdicts"]
        assert c["source_counts"] == relation_counts(graph.claims[c["id"]], graph.references)
        assert all(e["source"] in data["sources"] for e in c["evidence"])
        assert "](" not in c["summary"]  # plain text; the HTML version is in summary_html
    wei = data["sources"]["wei2022effect"]
    assert wei["design"] == graph.references["wei2022effect"].design
    assert wei["csl"]["type"] == "article-journal" and wei["csl"]["DOI"] == graph.references["wei2022effect"].doi


def test_the_claim_json_schema_is_published_and_validates_claim_files(real_site: Path, tmp_path: Path) -> None:
    published = json.loads((real_site / "schema" / "claim.schema.json").read_text(encoding="utf-8"))
    assert published == claim_json_schema()
    assert published == json.loads((ROOT / "schema" / "claim.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(published)
    files = sorted((ROOT / "content" / "claims").glob("*.yml"))
    assert files
    for path in files:
        # YAML dates are dates; in a JSON document (what editors validate) they are strings.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"
    broken = json.loads(json.dumps(yaml.safe_load(files[0].read_text(encoding="utf-8")), default=str))
    broken["verdict"] = "true"
    broken["sources"] = []
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "'true' is not one of" in messages and "'sources' was unexpected" in messages


def test_method_page_links_the_machine_readable_outputs(real_site: Path) -> None:
    page = (real_site / "method" / "index.html").read_text(encoding="utf-8")
    assert 'href="../claims.json"' in page and 'href="../schema/claim.schema.json"' in page


def test_source_pages_offer_bibtex_and_csl_json(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    for key, reference in project.graph.references.items():
        page = (real_site / "sources" / key / "index.html").read_text(encoding="utf-8")
        bib = re.search(r'<code class="language-bibtex">(.*?)</code>', page, re.S)
        csl = re.search(r'<code class="language-json">(.*?)</code>', page, re.S)
        assert bib and csl, key
        library = bibtexparser.parse_string(html.unescape(bib.group(1)))
        assert not library.failed_blocks, key
        (entry,) = library.entries
        assert entry.key == key and "design" not in entry.fields_dict
        (item,) = json.loads(html.unescape(csl.group(1)))
        assert item["id"] == key and item.get("title") == (reference.get("title") or None)  # no title seen: none given
        if reference.doi:
            assert item["DOI"] == reference.doi and f"doi = {{{reference.doi}}}" in html.unescape(bib.group(1))
        if reference.authors:
            assert [a["family"] for a in item["author"]] == [p.last for p in reference.authors]


# --- variants of the fixture site: hostile input, other settings --------------------------------


def fixture_copy(tmp_path: Path) -> Path:
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


def add_to_config(root: Path, text: str, plugin_options: str = "") -> None:
    config = root / "mkdocs.yml"
    body = config.read_text(encoding="utf-8")
    if plugin_options:
        body = body.replace("  - evidence\n", f"  - evidence:\n{plugin_options}")
    config.write_text(body + text, encoding="utf-8")


def test_hostile_statement_stays_text_everywhere(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    claim_file = root / "content/claims/other-claim.yml"
    hostile = 'Feet "rule" </script><script>alert(1)</script> see [[exercise-helps]] and [@smith2020trial].'
    claim_file.write_text(
        claim_file.read_text(encoding="utf-8").replace("statement: Feet are everything.", f"statement: {json.dumps(hostile)}"),
        encoding="utf-8",
    )
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    for page_path in (root / "site").rglob("*.html"):
        page = page_path.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in page, page_path
    page = (root / "site/claims/other-claim/index.html").read_text(encoding="utf-8")
    (review,) = json_ld(page)  # still valid JSON
    assert review["claimReviewed"] == hostile  # contributor text is data: [[...]] and [@...] are not expanded
    assert (
        "<h1>Not tested: Feet &#34;rule&#34; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; see [[exercise-helps]]" in page
    )
    # The topic page's picture carries the statement as text in a tooltip, not as links.
    topic = (root / "site/topics/feet/index.html").read_text(encoding="utf-8")
    picture = topic.split('<svg class="ev-graph"')[1].split("</svg>")[0]
    assert "see [[exercise-helps]] and [@smith2020trial].</title>" in picture


def test_reference_url_must_be_http(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("https://example.org/blog", "javascript:alert(3)"), encoding="utf-8")
    line = next(i for i, text in enumerate(bib.read_text(encoding="utf-8").splitlines(), 1) if "javascript:" in text)
    result = mkdocs_build(root)
    assert result.code != 0
    assert f"references.bib:{line}: error: blog-post: url 'javascript:alert(3)' must start with http://" in result.text
    assert "[invalid-field]" in result.text
    assert "Traceback" not in result.text


def test_site_without_directory_urls(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    add_to_config(root, "use_directory_urls: false\n")
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    site = root / "site"
    page_path = site / "claims/exercise-helps.html"
    page = page_path.read_text(encoding="utf-8")
    (review,) = json_ld(page)
    assert review["url"] == "exercise-helps.html"
    for href in re.findall(r'class="ev-cite" href="([^"]+)"', page):
        assert (page_path.parent / href).resolve().is_file(), href
    topic_path = site / "topics/feet.html"
    for href in re.findall(r'<a class="evg-node[^"]*" href="([^"]+)"', topic_path.read_text(encoding="utf-8")):
        assert (topic_path.parent / href).resolve().is_file(), href
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    assert all((site / c["url"]).is_file() for c in data["claims"])


def test_picture_in_a_topic_introduction_and_its_limit(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path)
    intro = root / "content/topics/feet.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n<!-- evidence:graph -->\n", encoding="utf-8")
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    page = (root / "site/topics/feet/index.html").read_text(encoding="utf-8")
    assert page.count('<svg class="ev-graph"') == 2  # the whole-site picture and the topic's own
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))

    add_to_config(root, "", "      picture_max_claims: 1\n")
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    page = (root / "site/topics/feet/index.html").read_text(encoding="utf-8")
    assert '<svg class="ev-graph"' not in page
    assert "No evidence picture: 2 claims are more than can be drawn readably (picture_max_claims: 1)." in page


def _url(path: str) -> str:
    return f"{path}/"


def test_claims_json_is_written_as_the_document_would_be() -> None:
    """claims.json is written claim by claim; it must be the same text as dumping the whole document."""
    url = _url
    for project in (ROOT, FIXTURES / "minimal", FIXTURES / "overgraded"):
        graph = load_project(settings_from_mkdocs_yml(project / "mkdocs.yml")).graph
        document = export.claims_document(graph, url, site_name="Site")
        written = "".join(export.claims_json_pieces(graph, url, site_name="Site"))
        assert written == json.dumps(document, ensure_ascii=False, indent=2)
    empty = Graph(claims={}, references={}, topics={})
    written = "".join(export.claims_json_pieces(empty, url, site_name=""))
    assert json.loads(written) == export.claims_document(empty, url, site_name="")


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, derandomize=True, database=None)
@given(_VALUES, st.sampled_from([1, 2, 4]))
def test_json_outputs_are_written_as_the_standard_library_writes_them(value: object, indent: int) -> None:
    """claims.json and the pages' JSON-LD: the same text as ``json.dumps``, for any JSON value."""
    assert export.indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_json_outputs_refuse_what_json_cannot_write() -> None:
    for value in ({"when": dt.date(2020, 1, 1)}, {("a", "b"): 1}):
        with pytest.raises(TypeError):
            export.indented_json(value)
