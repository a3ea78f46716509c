"""Prose citations as a Python-Markdown extension, for MkDocs, ProperDocs, Zensical or any Python-Markdown tool.

In a generator's configuration::

    markdown_extensions:
      - mkdocs_evidence.markdown_ext:
          config: mkdocs.yml        # the project (its evidence plugin options are used)

it expands ``[@key]``, ``[@key, locator]``, ``[@k1; @k2]``, ``[[claim-id]]``, ``[[claim-id|words]]``
and the markers ``<!-- evidence:graph -->`` and ``<!-- evidence:vocabularies -->`` of every page,
after making contributor HTML inert, exactly as the MkDocs plugin does: the plugin registers this
extension itself, with its own renderer, so both go through :meth:`Renderer.expand_prose`.

Links are relative to the page being rendered, which the extension learns from the generator:
MkDocs and ProperDocs (``site`` links: they leave links in raw HTML alone), Zensical (``files``
links, ``../sources/x.md``: it resolves links in raw HTML against the source file). Elsewhere the
``page`` option names the page (default ``index.md``) and links point at the Markdown files.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import prose
from .issues import LOG_LEVELS
from .project import load_project
from .render import Renderer
from .sanitize import Slots, clean_page
from .settings import settings_from_mkdocs_yml
from .urls import Scheme

log = logging.getLogger(__name__)

#: Before fenced code (25) and raw HTML blocks (20): contributor HTML is made inert before either sees it.
PRIORITY = 28


@functools.cache
def project_renderer(config: str, scheme: Scheme) -> Renderer:
    """The renderer of the project whose ``mkdocs.yml`` is ``config``, loaded once per process and scheme.

    Problems found while loading are logged once; ``evidence check`` reports them with their lines.
    """
    settings = settings_from_mkdocs_yml(Path(config))
    project = load_project(settings)
    for item in project.issues:
        log.log(LOG_LEVELS[item.severity], item.format())
    return Renderer.for_settings(project.graph, settings, scheme=scheme, handout_links=False)


def page_being_rendered(md: Markdown) -> tuple[str, Scheme] | None:
    """The page ``md`` is converting (relative to docs_dir) and the links its generator needs, if it says."""
    if "relpath" in md.treeprocessors:  # MkDocs and ProperDocs register the page's file here
        src_uri = getattr(getattr(md.treeprocessors["relpath"], "file", None), "src_uri", None)
        if isinstance(src_uri, str):
            return src_uri, "site"
    for processor in md.preprocessors:  # Zensical keeps its rendering context in a preprocessor
        path = getattr(getattr(processor, "page", None), "path", None)
        if type(processor).__name__ == "ContextPreprocessor" and isinstance(path, str):
            return path.replace("\\", "/"), "files"
    return None


class PageState:
    """What one conversion of one Markdown instance knows: which page, and the plugin's HTML held aside."""

    def __init__(self) -> None:
        #: The site's own HTML of this page, put back after cleaning; ``None``: not a page to clean.
        self.slots: Slots | None = None


class EvidencePreprocessor(Preprocessor):
    """Expands citations, claim links and markers in the page's Markdown before anything else parses it."""

    def __init__(self, md: Markdown, extension: EvidenceExtension, state: PageState) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        found = page_being_rendered(self.md)
        page, scheme = found or (str(self.extension.getConfig("page")), "files")
        if page in self.extension.skip:
            # A generated page: its HTML is the templates' own, but a page holding contributor Markdown
            # (a topic introduction) has its own HTML held aside and is cleaned whole.
            self.state.slots = self.extension.held.get(page)
            return lines
        self.state.slots = Slots()
        renderer = self.extension.renderer or project_renderer(str(self.extension.getConfig("config")), scheme)
        return renderer.expand_prose("\n".join(lines), page, self.state.slots).split("\n")


class CleanPage(Postprocessor):
    """After Markdown: a contributor's page cleaned with an allow-list, then the site's own HTML put back.

    Runs last, on the HTML Markdown wrote (raw HTML and entities already restored), so no shape of
    Markdown, attribute list or escape can bring a tag or attribute the allow-list does not name.
    """

    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        # Also run by the toc extension on each heading's HTML (for its text): cleaned the same way.
        slots = self.state.slots
        return text if slots is None else slots.splice(clean_page(text))


class SafeLinks(Treeprocessor):
    """The last guard on a page's links, after Markdown has parsed them: a reference definition can put
    its address on the next line or inside a quote, where a line-by-line check does not see it."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for name in ("href", "src"):
                value = element.get(name)
                if value is not None and prose.unsafe_url(value):
                    element.set(name, "#")


class EvidenceExtension(Extension):
    """``[@key]`` citations, ``[[claim-id]]`` links and the evidence markers in Markdown pages."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "config": ["mkdocs.yml", "The project's mkdocs.yml; its evidence plugin options are used."],
            "page": ["index.md", "The page's path in docs_dir, for tools that do not say which page they render."],
        }
        super().__init__(**kwargs)
        #: Set by the MkDocs plugin: its own renderer, and the generated pages, which are finished Markdown.
        self.renderer: Renderer | None = None
        self.skip: frozenset[str] = frozenset()
        #: Generated pages that hold contributor Markdown, with their own HTML held aside (see ``pages.topic_page``).
        self.held: dict[str, Slots] = {}

    def extendMarkdown(self, md: Markdown) -> None:
        state = PageState()
        md.preprocessors.register(EvidencePreprocessor(md, self, state), "evidence", PRIORITY)
        md.treeprocessors.register(SafeLinks(md), "evidence-safe-links", 0)  # after every other tree change
        # After raw HTML is restored (30) and entities (20): the cleaner sees the page as the browser will.
        md.postprocessors.register(CleanPage(md, state), "evidence-clean", 1)


def makeExtension(**kwargs: Any) -> EvidenceExtension:
    """Entry point for ``markdown_extensions: [mkdocs_evidence.markdown_ext]``."""
    return EvidenceExtension(**kwargs)
