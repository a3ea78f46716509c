"""Golden files for the generated pages of the fixture project.

After an intended change to a template, regenerate them with ``UPDATE_GOLDEN=1 make test`` and
review the diff like any other change.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_evidence import Renderer, load_project, settings_from_mkdocs_yml
from mkdocs_evidence.options import Options
from mkdocs_evidence.paths import safe_href
from mkdocs_evidence.urls import Urls

GOLDEN = Path(__file__).parent / "golden"
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


def rendered() -> dict[str, str]:
    project = load_project(settings_from_mkdocs_yml(FIXTURE / "mkdocs.yml"))
    return {page.src: page.text for page in Renderer(project.graph).page_list()}


PAGES = sorted(rendered())


@pytest.mark.parametrize("src", PAGES)
def test_generated_page_matches_golden(src: str) -> None:
    text = rendered()[src]
    golden = GOLDEN / src
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {src}; run UPDATE_GOLDEN=1 make test"
    assert text == golden.read_text(encoding="utf-8")


def test_pages_start_with_front_matter_title() -> None:
    for src, text in rendered().items():
        assert text.startswith("---\ntitle: "), src


@pytest.mark.parametrize(
    ("use_dirs", "from_src", "to_src", "expected"),
    [
        (True, "claims/a.md", "sources/b.md", "../../sources/b/"),
        (True, "index.md", "claims/a.md", "claims/a/"),
        (True, "claims/index.md", "claims/a.md", "a/"),
        (True, "claims/a.md", "index.md", "../../"),
        (False, "claims/a.md", "sources/b.md", "../sources/b.html"),
        (False, "index.md", "claims/index.md", "claims/"),
    ],
)
def test_relative_urls(use_dirs: bool, from_src: str, to_src: str, expected: str) -> None:
    assert Urls(use_dirs).relative(from_src, to_src) == expected


def test_claim_pages_carry_the_sites_own_note() -> None:
    """The note under the verdict is the site's (``claim_note``); without one a claim page has none."""
    settings = settings_from_mkdocs_yml(FIXTURE / "mkdocs.yml")
    project = load_project(settings)
    note = "**Not a recommendation.** Ask [someone](https://example.org/) who knows <script>x</script>."
    renderer = Renderer.for_settings(project.graph, replace(settings, options=Options(claim_note=note)))
    page = next(p for p in renderer.page_list() if p.src == "claims/exercise-helps.md").text
    assert (
        '</div>\n\n<p class="ev-advice" role="note"><strong>Not a recommendation.</strong> '
        'Ask <a href="https://example.org/" rel="nofollow noopener">someone</a> who knows &lt;script&gt;x&lt;/script&gt;.</p>\n\n'
        "## Summary of findings" in page
    )
    assert "ev-advice" not in rendered()["claims/exercise-helps.md"]


def test_a_sites_own_reference_macro_may_depend_on_the_page(tmp_path: Path) -> None:
    # The built-in reference is rendered once per source and reused; a site's own may link, so it renders every time.
    builtin = Path(__file__).parents[1] / "src" / "mkdocs_evidence" / "templates" / "macros.html.j2"
    macros = builtin.read_text(encoding="utf-8").replace(
        '<span class="ev-ref">', '<span class="ev-ref" data-page="{{ link(source_src(ref.key)) }}">', 1
    )
    (tmp_path / "macros.html.j2").write_text(macros, encoding="utf-8")
    project = load_project(settings_from_mkdocs_yml(FIXTURE / "mkdocs.yml"))
    pages = {page.src: page.text for page in Renderer(project.graph, tmp_path).page_list()}
    assert 'data-page="../../sources/smith2020trial/"' in pages["claims/exercise-helps.md"]
    assert 'data-page="../../sources/smith2020trial/"' in pages["claims/other-claim.md"]
    assert 'data-page="smith2020trial/"' in pages["sources/index.md"]
    assert 'data-page="smith2020trial/"' not in pages["claims/exercise-helps.md"]


def test_every_citation_of_a_source_shows_its_full_reference() -> None:
    pages = rendered()
    tip = '<span class="ev-tip" role="tooltip" id="ev-t{}"><span class="ev-ref">Smith JA, van der Berg P'
    assert all(tip.format(n) in pages["claims/exercise-helps.md"] for n in (1, 3))
    assert tip.format(1) in pages["claims/other-claim.md"]


_SEGMENT = st.sampled_from(["claims", "sources", "a", "index", "x.y", ".", "..", "a:b", ""])


@settings(max_examples=400, derandomize=True, database=None)
@given(st.lists(_SEGMENT, max_size=4), st.lists(_SEGMENT, max_size=4), st.booleans())
def test_links_between_pages_are_relative_as_posixpath_makes_them(a: list[str], b: list[str], use_dirs: bool) -> None:
    """Every link between two pages (any folder depth, index pages, odd names) leads where posixpath says."""
    from_src, to_src = "/".join([*a, "page.md"]), "/".join([*b, "index.md" if len(b) % 2 else "other.md"])
    urls = Urls(use_dirs)
    from_url, to_url = urls.url(from_src), urls.url(to_src)
    base = from_url.rstrip("/") if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    rel = posixpath.relpath(to_url or ".", base or ".")
    if to_url.endswith("/") or not to_url:
        rel = rel.rstrip("/") + "/"
    expected = "./" if rel == "./" else safe_href(rel.removeprefix("./"))
    assert urls.relative(from_src, to_src) == expected
    assert urls.relative(from_src, to_src) == expected  # and again, from the parts it keeps
