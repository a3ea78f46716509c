"""``evidence render``: the whole site as a docs folder for another generator (ProperDocs, Zensical, …).

The folder holds what the MkDocs plugin hands to MkDocs: every generated page, every prose page of
``docs_dir`` with its citations, claim links and markers expanded (the topic introductions merged
into their topic pages), the other files of ``docs_dir`` (pictures), the stylesheet and script,
``claims.json`` and the claim schema. Never the claim files, the topics file or the snapshots.
Links point at the Markdown files (``../sources/x.md``), which generators resolve for their own URL style.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import publish
from .load import read_picture, walk
from .project import Project
from .render import Renderer
from .settings import Settings
from .svg import UnusableSvg, clean_svg
from .urls import CSS_URI, JS_URI, topic_src

ASSETS_DIR = Path(__file__).parent / "assets"
#: The plugin's stylesheet and script: where they go in the site → the packaged file.
ASSETS = {CSS_URI: ASSETS_DIR / "evidence.css", JS_URI: ASSETS_DIR / "evidence.js"}


def is_data(src_uri: str, settings: Settings, topic_ids: Iterable[str]) -> bool:
    """Whether a file of ``docs_dir`` is data rather than a page.

    Claim YAML, study appraisals, the topics and glossary files, snapshots and topic introductions are data.
    """
    s = settings
    claims = s.claims_dir.relative_to(s.docs_dir).as_posix() + "/"
    snapshots = s.snapshots_dir.relative_to(s.docs_dir).as_posix() + "/"
    studies = s.studies_dir.relative_to(s.docs_dir).as_posix() + "/"
    topics_file = s.topics_file.relative_to(s.docs_dir).as_posix()
    glossary_file = s.glossary_file.relative_to(s.docs_dir).as_posix()
    return (
        # Everything in the claims folder but pages: claim files, and whatever the claim loader refuses there.
        (src_uri.startswith(claims) and not src_uri.endswith(".md"))
        # Article snapshots only check quotes: the articles are not ours to republish.
        or src_uri.startswith(snapshots)
        # Appraisals are shown on the source pages, not as files.
        or (src_uri.startswith(studies) and not src_uri.endswith(".md"))
        or src_uri in (topics_file, glossary_file)
        # Topic introductions are merged into the generated topic pages.
        or src_uri in {topic_src(t) for t in topic_ids}
    )


@dataclass(frozen=True)
class Tree:
    """A docs folder: texts to write and files of ``docs_dir`` to copy, by their path in the folder."""

    texts: dict[str, str]
    copies: dict[str, Path]

    @property
    def pages(self) -> int:
        """How many Markdown pages the folder holds."""
        return sum(src.endswith(".md") for src in self.texts)


def docs_tree(project: Project, renderer: Renderer) -> Tree:
    """Every file of the docs folder for another generator, rendered by ``renderer`` (``files`` links)."""
    s = project.settings
    texts: dict[str, str] = {}
    for display, text in project.markdown.items():  # as read and bounded by the check, never read twice
        path = s.root / display
        if path.is_relative_to(s.docs_dir):
            src = path.relative_to(s.docs_dir).as_posix()
            if not is_data(src, s, project.graph.topics):
                texts[src] = renderer.expand_prose(text, src)
    texts.update({page.src: page.text for page in renderer.page_list()})
    texts.update({src: data.decode("utf-8") for src, data in renderer.data_files().items()})
    texts.update({uri: asset.read_text(encoding="utf-8") for uri, asset in ASSETS.items()})
    copies: dict[str, Path] = {}
    for path in walk(s.docs_dir) if s.docs_dir.is_dir() else ():
        src = path.relative_to(s.docs_dir).as_posix()
        if path.suffix == ".md" or path.is_symlink() or not path.is_file() or is_data(src, s, project.graph.topics):
            continue  # pages are expanded above; links and data are never published (the check reports them)
        if publish.refusal(src, s.declared_files) or src in ASSETS:
            continue
        if path.suffix == publish.SVG:
            with contextlib.suppress(OSError, UnusableSvg):
                texts[src] = clean_svg(read_picture(path, s)).data.decode("utf-8")
            continue
        copies[src] = path
    return Tree(texts, copies)


def config_lines(out: str) -> str:
    """What to add to the other generator's configuration (mkdocs.yml, properdocs.yml, zensical.toml's equivalents)."""
    return "\n".join(
        [
            "Add to the other generator's configuration (mkdocs.yml or properdocs.yml; Zensical reads mkdocs.yml too),",
            "without the evidence plugin (its pages are already in the folder):",
            f"  docs_dir: {out}",
            "  extra_css: [" + CSS_URI + "]",
            "  extra_javascript: [" + JS_URI + "]",
            "  theme:",
            "    font: false   # Material and Zensical: no Google Fonts, the site builds and reads offline",
        ]
    )
