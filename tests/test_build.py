"""Real ``mkdocs build --strict`` runs on fixture projects: what readers get, and what fails."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import mkdocs_build
from test_cli import BROKEN, break_site


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.hrefs.append(value)


def internal_links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [h for h in parser.hrefs if not re.match(r"^(https?:|mailto:|#|data:)", h)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import FIXTURES

    root = tmp_path_factory.mktemp("built") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    return root / "site"


def test_strict_build_makes_every_page(built: Path) -> None:
    for page in [
        "index.html",
        "claims/index.html",
        "claims/exercise-helps/index.html",
        "claims/other-claim/index.html",
        "sources/index.html",
        "sources/smith2020trial/index.html",
        "sources/blog-post/index.html",
        "topics/feet/index.html",
        "assets/mkdocs-evidence.css",
        "handouts/feet.pdf",
    ]:
        assert (built / page).is_file(), page
    # Data files are not published as pages.
    assert not (built / "claims" / "exercise-helps.yml").exists()
    assert not (built / "topics.yml").exists()


def test_every_internal_link_resolves(built: Path) -> None:
    # 404.html uses site-absolute links by design (it is served at any depth).
    for page in (p for p in built.rglob("*.html") if p.name != "404.html"):
        for href in internal_links(page):
            target = (page.parent / href.split("#")[0]).resolve()
            if href.split("#")[0].endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(built)} links to missing {href}"


def test_claim_page_shows_evidence_and_sanitises_text(built: Path) -> None:
    html = (built / "claims/exercise-helps/index.html").read_text()
    assert "<h1>Supported: Foot exercises help.</h1>" in html  # the verdict leads, in the heading and the title
    assert "<title>Supported: Foot exercises help. - Fixture</title>" in html
    assert 'class="ev-advice"' not in html  # the fixture sets no claim_note: the generator adds no note of its own
    assert 'class="ev-verdict ev-verdict--supported"' in html
    assert "Moderate certainty" in html
    assert 'href="../../sources/smith2020trial/"' in html
    assert "Table 2" in html and "Randomised trial" in html
    assert "Feet are everything &amp; more" in html  # quote shown verbatim, escaped
    assert "Citation needed" in html and "No source given." in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:" not in html
    assert "<em>trial</em>" in html


def test_topic_page_groups_claims_and_keeps_the_intro(built: Path) -> None:
    html = (built / "topics/feet/index.html").read_text()
    assert "2 claims: 1 supported, 1 not tested." in html
    assert html.index("Supported (1)") < html.index("Not tested (1)")
    # The introduction's citation and claim link were expanded.
    assert 'class="ev-cite" href="../../sources/smith2020trial/"' in html
    # The full reference is attached to the citation (shown on hover and focus), then the locator.
    assert re.search(
        r'aria-describedby="(ev-p\d+)">Smith et al\. 2020</a>'
        r'<span class="ev-tip" role="tooltip" id="\1">.*?</span></span>, p\. 12',
        html,
    )
    assert 'class="ev-claim-link" href="../../claims/exercise-helps/"' in html


def test_source_page_lists_who_cites_it(built: Path) -> None:
    html = (built / "sources/smith2020trial/index.html").read_text()
    assert "Smith JA, van der Berg P, Barnes and Noble." in html
    assert 'href="https://doi.org/10.1000/xyz_1~2"' in html
    assert 'href="../../claims/exercise-helps/"' in html and 'href="../../claims/other-claim/"' in html


def test_inline_code_is_left_alone(built: Path) -> None:
    html = (built / "index.html").read_text()
    assert "<code>[@not-a-key]</code>" in html
    assert ">this claim</a>" in html


def test_no_google_fonts_or_external_requests(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text


@pytest.mark.parametrize("case", list(BROKEN))
def test_strict_build_fails_on_each_broken_input(site: Callable[[str], Path], case: str) -> None:
    file, change, where, code = BROKEN[case]
    root = site("minimal")
    break_site(root, file, change)
    result = mkdocs_build(root)
    assert result.code != 0
    assert f"{where}" in result.text and f"[{code}]" in result.text, result.text
    assert "Traceback" not in result.text


def test_strict_build_fails_on_broken_bibtex(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{broken, title={x}\n")
    result = mkdocs_build(root)
    assert result.code != 0
    assert "references.bib:" in result.text and "[bib-parse-error]" in result.text
    assert "Traceback" not in result.text


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failing_strict_build_leaves_no_site_to_publish(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    site_dir = root / "site"
    assert mkdocs_build(root, site_dir).code == 0
    before = _files(site_dir)
    bib = root / "references.bib"
    good = bib.read_text(encoding="utf-8")
    # A warning, not an error: MkDocs has written every page by the time --strict counts it, at the very end.
    bib.write_text(good + "\n@article{unused2099,\n  title = {Cited by nobody},\n  year = {2099},\n  doi = {10.1/u}\n}\n")
    failed = mkdocs_build(root, site_dir)
    assert failed.code == 1 and "[unused-reference]" in failed.text and "strict mode" in failed.text, failed.text
    assert _files(site_dir) == before  # the previous site, as it was
    shutil.rmtree(site_dir)
    assert mkdocs_build(root, site_dir).code == 1
    assert not site_dir.exists()  # no previous site: none at all
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []  # nothing staged is left behind
    bib.write_text(good, encoding="utf-8")
    site_dir.mkdir()
    (site_dir / ".nojekyll").write_text("")
    (site_dir / "stale.html").write_text("from an older build")
    assert mkdocs_build(root, site_dir).code == 0
    after = _files(site_dir)
    assert after.keys() == before.keys() | {".nojekyll"}  # hidden files stay, as MkDocs leaves them; stale ones go
