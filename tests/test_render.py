"""Golden files for the generated pages of the fixture project.

After an intended change to a template, regenerate them with ``UPDATE_GOLDEN=1 make test`` and
review the diff like any other change.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from mkdocs_evidence import Renderer, load_project, settings_from_mkdocs_yml
from mkdocs_evidence.options import Options
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
