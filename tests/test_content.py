"""The project's own content: every claim sourced, every quote verbatim, the strict build green.

These are the tests a contributor's pull request meets. A failure names the claim file, the line
and the check code.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, evidence, mkdocs_build
from mkdocs_evidence import load_project, settings_from_mkdocs_yml
from mkdocs_evidence.issues import CODES, Severity
from mkdocs_evidence.templates import label
from sentences import sentences

#: The popular articles claims are quoted from; their dated snapshots live in content/snapshots/.
ARTICLES = (
    "article-unlocking-power",
    "article-surprising-connection",
    "article-foot-mobility-40",
    "article-feet-stronger-glutes",
    "article-feet-talking-glutes",
)
KINDS = {"instruction", "heading", "no-claim"}


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


def test_a_changed_word_in_any_quote_fails_without_anything_beside_the_checkout(tmp_path: Path, project) -> None:  # type: ignore[no-untyped-def]
    """Quotes are checked against the snapshots in the repository, so a fresh clone on any machine catches a bad quote."""
    copy = tmp_path / "clone"
    copy.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", copy)
    shutil.copy(ROOT / "references.bib", copy)
    shutil.copytree(ROOT / "content", copy / "content")
    claim = next(c for c in project.graph.claims.values() if c.appearances)
    path = copy / claim.path
    quote = claim.appearances[0].quote
    words = quote.split()
    changed = " ".join([*words[:-1], words[-1] + "x"])
    text = path.read_text(encoding="utf-8")
    assert quote in text
    path.write_text(text.replace(quote, changed, 1), encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if quote in ln)

    result = evidence(copy, "check")
    assert result.code == 1
    bad = [ln for ln in result.out.splitlines() if "[quote-not-verbatim]" in ln]
    assert len(bad) == 1 and bad[0].startswith(f"{claim.path}:{line}: error: quote "), result.out
    built = mkdocs_build(copy, tmp_path / "site")
    assert built.code == 1 and f"{claim.path}:{line}: error: quote " in built.text


def test_every_article_quoted_has_a_dated_snapshot(project) -> None:  # type: ignore[no-untyped-def]
    snapshots = {s.key: s for s in project.snapshots}
    assert set(snapshots) == set(ARTICLES)
    for key in ARTICLES:
        assert snapshots[key].url == project.graph.references[key].get("url")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", snapshots[key].retrieved)


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


def test_coverage_accounts_for_every_sentence_of_every_article(project) -> None:  # type: ignore[no-untyped-def]
    """Both ways: every sentence of each article is listed, in order, as a claim's or as instruction, heading or
    no-claim; every claim listed quotes that article; every claim quoting an article is listed under one of its sentences."""
    coverage = yaml.safe_load((Path(__file__).parent / "coverage.yml").read_text(encoding="utf-8"))
    assert set(coverage) == set(ARTICLES)
    snapshots = {s.key: s for s in project.snapshots}
    quoting: dict[str, set[str]] = {key: set() for key in ARTICLES}
    for claim in project.graph.claims.values():
        for a in claim.appearances:
            quoting[a.key].add(claim.id)
    for key in ARTICLES:
        listed = [entry["sentence"] for entry in coverage[key]]
        assert listed == sentences(snapshots[key].text), f"{key}: the listed sentences differ from the article's"
        covered: set[str] = set()
        for entry in coverage[key]:
            where = f"{key}: {entry['sentence'][:50]!r}"
            if "claims" in entry:
                assert entry["claims"], where
                for claim_id in entry["claims"]:
                    assert claim_id in quoting[key], f"{where}: {claim_id} does not quote this article"
                covered |= set(entry["claims"])
            else:
                assert entry.get("kind") in KINDS, f"{where}: needs claims or a kind ({', '.join(sorted(KINDS))})"
                if entry["kind"] == "no-claim":
                    assert entry.get("why"), f"{where}: say why it states nothing checkable"
        assert quoting[key] <= covered, f"{key}: claims quoting it but listed under no sentence: {quoting[key] - covered}"


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


def test_every_claim_page_leads_with_its_verdict_and_bottom_line(real_site: Path, project) -> None:  # type: ignore[no-untyped-def]
    for claim in project.graph.claims.values():
        assert claim.bottom_line, f"{claim.path}: no bottom_line"
        html = (real_site / "claims" / claim.id / "index.html").read_text(encoding="utf-8")
        verdict = re.escape(label(claim.verdict))  # "unsupported" reads "Not tested"
        assert re.search(rf"<title>{verdict}: ", html) and re.search(rf"<h1[^>]*>{verdict}: ", html), claim.id
        assert "Bottom line:" in html and "Not medical advice." in html, claim.id


def test_no_page_shows_its_front_matter(real_site: Path) -> None:
    """Generated pages start with YAML front matter; if a template glues it to the content, readers see it as text."""
    leaked = [
        str(p.relative_to(real_site))
        for p in real_site.rglob("*.html")
        if re.search(r">\s*title: ", p.read_text(encoding="utf-8"))
    ]
    assert not leaked, leaked


class _ReaderText(HTMLParser):
    """What a reader sees of a page: its text and tooltips, without scripts, styles or the appraisers' own notes."""

    #: Elements whose content is never shown as text.
    UNSEEN = frozenset({"script", "style", "template"})
    #: The appraisers' notes are their words as recorded (the evidence record), quoted on the source page.
    QUOTED = "ev-appraisal__notes"
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._open: list[bool] = []  # per open element: is it hidden from this check?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hide = tag in self.UNSEEN or self.QUOTED in (values.get("class") or "").split()
        if not any(self._open) and not hide:
            self.parts += [values.get(name) or "" for name in ("title", "aria-label", "alt")]
        if tag not in self.VOID:
            self._open.append(hide)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not any(self._open):
            self.parts.append(data)


def reader_text(html: str) -> str:
    parser = _ReaderText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


#: Workshop words: the labels contributors use for a record, never a reader's words.
INTERNAL_LABELS = ("Claim id", "Citation key", "check code", "cite key")


def test_no_reader_page_shows_an_internal_label_or_a_check_code(real_site: Path) -> None:
    codes = [re.compile(rf"(?<![\w-]){re.escape(code)}(?![\w-])") for code in CODES]
    shown: dict[str, list[str]] = {}
    for page in sorted(real_site.rglob("*.html")):
        text = reader_text(page.read_text(encoding="utf-8"))
        words = [w for w in INTERNAL_LABELS if w.lower() in text.lower()]
        words += [c.pattern for c in codes if c.search(text)]
        if words:
            shown[str(page.relative_to(real_site))] = words
    assert len(list(real_site.rglob("*.html"))) > 50
    assert not shown, shown
