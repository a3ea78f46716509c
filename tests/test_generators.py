"""The real site from three generators: MkDocs and ProperDocs with the plugin, Zensical on `evidence render`'s folder.

Each is built once per test run. For each, the pages of every claim, source and topic exist (no
more claim, source or topic pages than the project has), and a crawler finds no broken internal
link, with the site at the domain root and under a sub-path (``/some-repo/``, as GitHub Pages
serves a project site): absolute ``/…`` links would break there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BIN, ROOT, evidence, run
from crawl import broken_links
from mkdocs_evidence.project import load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml
from mkdocs_evidence.urls import CSS_URI, JS_URI

GENERATORS = ("mkdocs", "properdocs", "zensical")


#: Seconds each build took in this run (printed with -s or on failure; the README quotes them).
def build_zensical(project: Path, work: Path, *extra: str) -> Path:
    """`evidence render` into ``work/docs``, a configuration from scripts/zensical_config.py, then `zensical build --strict`."""
    rendered = evidence(project, "render", "-o", str(work / "docs"), *extra)
    assert rendered.code == 0, rendered.text
    script = ROOT / "scripts" / "zensical_config.py"
    config = run([str(BIN / "python"), str(script), str(project / "mkdocs.yml"), "docs", "site"], work)
    assert config.code == 0, config.text
    (work / "mkdocs.yml").write_text(config.out, encoding="utf-8")
    result = run([str(BIN / "zensical"), "build", "--strict", "-f", "mkdocs.yml"], work)
    assert result.code == 0 and "No issues found" in result.text, result.text
    return work / "site"


@pytest.fixture(scope="session")
def sites(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real site built by each generator, once per test run."""
    built = {"mkdocs": real_site}  # conftest's session build: mkdocs build --strict
    properdocs = tmp_path_factory.mktemp("properdocs") / "site"
    result = run([str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(properdocs)], ROOT)
    assert result.code == 0, result.text
    built["properdocs"] = properdocs
    built["zensical"] = build_zensical(ROOT, tmp_path_factory.mktemp("zensical"))
    return built


def names(folder: Path, page: str = "index.html", skip: tuple[str, ...] = ()) -> set[str]:
    """Sub-folders of ``folder`` that hold a page, e.g. the claim ids under ``claims/``."""
    return {p.name for p in folder.iterdir() if (p / page).is_file() and p.name not in skip}


@pytest.mark.parametrize("generator", GENERATORS)
def test_every_claim_source_and_topic_page(sites: dict[str, Path], generator: str) -> None:
    graph = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml")).graph
    site = sites[generator]
    assert names(site / "claims", skip=("review",)) == set(graph.claims)
    assert names(site / "sources") == set(graph.references)
    assert names(site / "topics") == set(graph.topics)
    for index in ("index.html", "claims/index.html", "claims/review/index.html", "sources/index.html", "method/index.html"):
        assert (site / index).is_file(), index
    for path in ("claims.json", "schema/claim.schema.json", "schema/study.schema.json", CSS_URI, JS_URI):
        assert (site / path).is_file(), path
    with_claims = {t for t in graph.topics if graph.claims_by_topic.get(t)}  # a clinician and a patient handout each
    assert {p.stem for p in (site / "handouts").glob("*.pdf")} == with_claims | {f"{t}-patient" for t in with_claims}
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home  # builds and reads offline
    assert "evg-node" in home and "evidence:graph" not in home  # the marker became the picture
    topic = (site / "topics" / "hip-pain" / "index.html").read_text(encoding="utf-8")
    assert "[@khamis2007effect]" not in topic and 'class="ev-cite"' in topic  # the introduction, expanded
    assert "mkdocs-evidence.css" in topic and "ev-matrix" in topic


@pytest.mark.parametrize("prefix", ["/", "/some-repo/"])
@pytest.mark.parametrize("generator", GENERATORS)
def test_no_broken_internal_links(sites: dict[str, Path], generator: str, prefix: str) -> None:
    broken = broken_links(sites[generator], prefix)
    assert not broken, "\n".join(map(str, broken[:20]))


def test_render_without_directory_urls(site: Callable[[str], Path], tmp_path: Path) -> None:
    """With ``use_directory_urls: false`` the rendered folder builds into ``claims/x.html`` pages, every link intact."""
    project = site("minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    built = build_zensical(project, tmp_path / "zensical", "--no-handouts")
    assert (built / "claims" / "exercise-helps.html").is_file()
    assert 'href="../claims/exercise-helps.html"' in (built / "topics" / "feet.html").read_text(encoding="utf-8")
    for prefix in ("/", "/some-repo/"):
        assert not broken_links(built, prefix), prefix


def test_the_crawler_finds_what_breaks(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "x.css").write_text("", encoding="utf-8")
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="https://example.org/">out</a>', encoding="utf-8")
    page = '<link href="../assets/x.css"><a href="/assets/x.css">abs</a><a href="../b/">gone</a><a href="#top">here</a>'
    (tmp_path / "a" / "index.html").write_text(page, encoding="utf-8")
    at_root = [(b.page, b.link) for b in broken_links(tmp_path, "/")]
    assert at_root == [("a/index.html", "../b/")]
    under = [(b.page, b.link, b.why) for b in broken_links(tmp_path, "/some-repo/")]
    assert under == [
        ("a/index.html", "/assets/x.css", "outside the site folder /some-repo/"),
        ("a/index.html", "../b/", "no such file"),
    ]
