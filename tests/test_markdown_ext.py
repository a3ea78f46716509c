"""The Python-Markdown extension: the plugin's prose expansion, loadable by any Python-Markdown generator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from zensical.extensions.context import ContextExtension, Page

from conftest import BIN, run
from mkdocs_evidence import markdown_ext

EXT = "mkdocs_evidence.markdown_ext"


@pytest.fixture
def project(site: Callable[[str], Path]) -> Path:
    markdown_ext.project_renderer.cache_clear()
    return site("minimal") / "mkdocs.yml"


def test_plain_python_markdown_expands_citations_links_and_markers(project: Path) -> None:
    text = (
        "Cited [@smith2020trial, p. 3; @blog-post] and [[exercise-helps|this claim]].\n\n"
        "<script>alert(1)</script>\n\n<!-- evidence:vocabularies -->\n\n`[@kept]`\n"
    )
    html = markdown.markdown(text, extensions=[EXT], extension_configs={EXT: {"config": str(project), "page": "topics/feet.md"}})
    # Links point at the Markdown files, relative to the page the option names.
    assert 'href="../sources/smith2020trial.md"' in html and ", p. 3" in html
    assert 'href="../claims/exercise-helps.md">this claim</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # contributor HTML made inert
    assert "Supported" in html and "<code>[@kept]</code>" in html  # the vocabularies marker; code left alone


def test_zensical_page_is_detected(project: Path) -> None:
    page = Page(url="topics/feet/", path="topics/feet.md")
    md = markdown.Markdown(extensions=[ContextExtension(page=page, config={}), markdown_ext.makeExtension(config=str(project))])
    html = md.convert("See [[exercise-helps]].")
    assert markdown_ext.page_being_rendered(md) == ("topics/feet.md", "files")
    assert 'href="../claims/exercise-helps.md"' in html


def test_zensical_build_with_the_extension(project: Path) -> None:
    """Zensical loads the extension from its markdown_extensions and resolves the links it writes."""
    root = project.parent
    (root / "zensical.yml").write_text(
        "site_name: X\ndocs_dir: content\ntheme: {name: material, font: false}\n"
        f"markdown_extensions:\n  - {EXT}:\n      config: mkdocs.yml\n",
        encoding="utf-8",
    )
    result = run([str(BIN / "zensical"), "build", "--strict", "-f", "zensical.yml"], root)
    assert result.code == 0, result.text
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="sources/smith2020trial/"' in home and 'href="claims/exercise-helps/"' in home
    topic = (root / "site" / "topics" / "feet" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../sources/smith2020trial/"' in topic
