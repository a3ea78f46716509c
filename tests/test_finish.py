"""Generated pages handed to the theme as finished HTML are exactly what Python-Markdown would make of them.

The finisher converts only a page's headings and puts its HTML blocks back as they are; these tests
hold it to a full conversion with the site's own Markdown extensions, page by page, on the real
content, the fixtures and contributor text written to trip it up.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from markdown import Markdown
from mkdocs.config import load_config

from conftest import FIXTURES, ROOT, mkdocs_build
from mkdocs_evidence import Renderer, load_project, settings_from_mkdocs_yml
from mkdocs_evidence.finish import Finisher, NotFinishable, split_front_matter


def markdown_of(project: Path) -> Markdown:
    """A Markdown instance configured as MkDocs configures it for the project's pages."""
    config = load_config(str(project / "mkdocs.yml"))
    return Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


#: The Markdown extensions sites commonly list (admonitions, attribute lists, tables, heading permalinks).
EXTENSIONS = "markdown_extensions:\n  - admonition\n  - attr_list\n  - tables\n  - toc:\n      permalink: true\n"


@pytest.fixture(scope="module")
def styled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture with those extensions: a plugin test needs no site's own configuration."""
    project = tmp_path_factory.mktemp("styled") / "styled"
    shutil.copytree(FIXTURES / "minimal", project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + EXTENSIONS, encoding="utf-8")
    return project


def tricky(tmp_path: Path) -> Path:
    """The minimal fixture with contributor text that looks like Markdown inside the page's HTML."""
    project = tmp_path / "tricky"
    shutil.copytree(FIXTURES / "minimal", project)
    claim = project / "content" / "claims" / "exercise-helps.yml"
    data = yaml.safe_load(claim.read_text(encoding="utf-8"))
    data["statement"] = "Feet <b>drive</b> hips\n\n## not a heading"
    data["summary"] = (
        'First.\n\n    indented code\n\n\n    after blank lines\n\n# A heading in a summary\n\n<div markdown="1">*x*</div>'
    )
    data["appearances"][0]["quote"] = "Feet are everything & more"
    data["evidence"][0]["note"] = "Line one\n\n\n# hash at a line start\n    four spaces"
    claim.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def projects(tmp_path: Path) -> list[Path]:
    return [ROOT, FIXTURES / "minimal", FIXTURES / "overgraded", tricky(tmp_path)]


def test_finished_pages_equal_a_full_markdown_conversion(tmp_path: Path) -> None:
    checked = 0
    for project in projects(tmp_path):
        settings = settings_from_mkdocs_yml(project / "mkdocs.yml")
        pages = Renderer(load_project(settings).graph).page_list()
        finisher = Finisher(lambda project=project: markdown_of(project))  # type: ignore[misc]
        md = markdown_of(project)
        for page in pages:
            try:
                finished = finisher.finish(page.text)
            except NotFinishable:
                # Only pages holding Markdown prose (a topic's introduction) may need the full conversion.
                assert page.src.startswith("topics/"), f"{project.name}: {page.src} was not finished"
                continue
            meta, body = split_front_matter(page.text)
            md.reset()
            assert finished.html == md.convert(body), f"{project.name}: {page.src}"
            assert finished.toc_tokens == md.toc_tokens, f"{project.name}: {page.src}"  # type: ignore[attr-defined]
            assert finished.meta == meta
            checked += 1
    assert checked > 100  # the real content's claim and source pages are among them


@pytest.mark.parametrize(
    "text",
    [
        "<div>a</div>\n\n\n\n<p>b</p>\n## H\n<p>c</p>",
        "## H\n\n\n<div>\n\n<p>x</p>\n\n\n</div>\n\n   \n<p>y</p>   \n\n## H2\n\n<pre>a\n\n\nb</pre>\n",
        "<div>a</div>\n<div>b</div>\n## H\n## H\n<p>z</p>",
        "<blockquote>a\n# not a heading\n</blockquote>\n## Real\n<p>x</p>",
        "## A\n\n## B\n<p>x</p>\n\n",
        "<details><summary>s</summary>\n\n<p>x</p>\n</details>",
    ],
)
def test_blocks_and_headings_come_out_as_markdown_gives_them(text: str, styled: Path) -> None:
    md = markdown_of(styled)
    finished = Finisher(lambda: markdown_of(styled)).finish(text)
    assert finished.html == md.convert(text)


@pytest.mark.parametrize(
    "text",
    [
        "<p>a</p>\t\n\t\n<p>b</p>",  # a tab-indented line: Markdown reads a code block
        "<p>a</p><p>b</p>",  # two blocks on one line
        "Some *Markdown* text\n\n<p>b</p>",
        "<span>inline at the top</span>",
        '<div markdown="1">*Markdown inside*</div>',
        "<div>never closed",
        "    <div>indented</div>",
        "<hr>",
    ],
)
def test_anything_else_is_left_to_markdown(text: str, styled: Path) -> None:
    with pytest.raises(NotFinishable):
        Finisher(lambda: markdown_of(styled)).finish(text)


def test_search_finds_generated_pages_by_their_own_data(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One search entry per claim and source page, from the claim's data, escaped for the theme."""
    project = site("minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n"), encoding="utf-8")
    claim = project / "content" / "claims" / "exercise-helps.yml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("Foot exercises help.", "Foot exercises <script>help</script>."), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.code == 0, result.text
    docs = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = [d for d in docs if d["location"] == "claims/exercise-helps/"]
    assert len(entries) == 1  # the page's HTML was not indexed a second time, section by section
    entry = entries[0]
    assert entry["title"].startswith("Supported: Foot exercises")
    assert "Foot exercises &lt;script&gt;help&lt;/script&gt;." in entry["text"]
    assert "<script>" not in entry["text"]
    assert "A trial found that foot exercises helped." in entry["text"]  # the summary, as plain text
    assert "Feet are everything &amp; more" in entry["text"]  # the article's words, as quoted
    assert [d for d in docs if d["location"] == "sources/smith2020trial/"]
    assert any(d["location"] == "" for d in docs)  # prose pages are indexed by the theme as before
