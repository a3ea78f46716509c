"""What the MkDocs adapter hands to MkDocs: finished pages, files that know whether they changed, search entries.

MkDocs-specific, like :mod:`mkdocs_evidence.plugin`; the evidence logic stays in the core.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .finish import Finished, Finisher, NotFinishable, split_front_matter


class FinishedPage(Page):
    """A generated page handed to MkDocs as finished HTML (:mod:`mkdocs_evidence.finish`).

    A page the finisher cannot vouch for is converted by Python-Markdown as any page is.
    """

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, finisher: Finisher, search: str) -> None:
        super().__init__(title, file, config)
        self._finisher = finisher
        self._finished: Finished | None = None
        #: What the site search finds the page by, given to the search index as one entry ("": index the HTML).
        self.search_text = search
        # Title and metadata are known before the page is read: a ``--dirty`` rebuild that skips this
        # page still names it right in the navigation of the pages it does build.
        text = file.content_string
        meta, body = split_front_matter(text)
        self.meta, self.markdown = meta, text
        self._body_at = len(text) - len(body)  # where the body starts: no second copy of every page in memory

    def read_source(self, config: MkDocsConfig) -> None:
        try:
            self._finished = self._finisher.finish_body(dict(self.meta), self.file.content_string[self._body_at :])
        except NotFinishable:
            self._finished = None
            super().read_source(config)
            return
        self.meta = dict(self._finished.meta)
        if self.search_text:
            # The search plugin would parse the finished HTML again; the plugin gives it one entry instead.
            self.meta["search"] = {**(self.meta.get("search") or {}), "exclude": True}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self._finished is None:
            super().render(config, files)
            return
        self.content = self._finished.html
        self.toc = get_toc(self._finished.toc_tokens)  # type: ignore[arg-type] # the tokens Markdown's toc made
        # MkDocs checks links to anchors of this page against these (its own raw-HTML scan finds the same).
        self.present_anchor_ids = set(_ID.findall(self.content))


_ID = re.compile(r"""<[^>]*?\sid=["']([^"']+)["']""")


def search_plugin(config: MkDocsConfig) -> Any:
    """Material's search plugin, if the site uses it (other search plugins parse every page)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and isinstance(getattr(index, "entries", None), list):
            return plugin
    return None


def search_index(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries of Material's search index, if the site uses it."""
    plugin = search_plugin(config)
    return None if plugin is None else plugin.search_index.entries


def shows_evidence(markdown: str) -> bool:
    """Whether a prose page cites, links a claim or holds a marker (its output depends on the claims)."""
    return "[@" in markdown or "[[" in markdown or "<!-- evidence:" in markdown


class TrackedFile(File):
    """A file that knows whether it changed since the previous build (``--dirty`` rebuilds only those)."""

    modified: bool | None = None

    def is_modified(self) -> bool:
        return super().is_modified() if self.modified is None else self.modified

    @classmethod
    def of(cls, config: MkDocsConfig, src: str, text: str, inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> TrackedFile:
        """A generated file (``File.generated``) of this class."""
        file = cls.generated(config, src, content=text, inclusion=inclusion)
        assert isinstance(file, TrackedFile)  # File.generated makes an instance of the class it is called on
        return file

    @classmethod
    def copy_of(cls, file: File, *, modified: bool) -> TrackedFile:
        copy = cls(file.src_path, file.src_dir, file.dest_dir, file.use_directory_urls, inclusion=file.inclusion)
        copy.modified = modified
        return copy


def nav_titles(items: list[Any]) -> Iterator[tuple[str, str]]:
    """(page path, title) for every page the ``nav`` setting names with a title."""
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield value, str(title)
                elif isinstance(value, list):
                    yield from nav_titles(value)


def finished_pages(config: MkDocsConfig, pages: list[tuple[str, str, bool, str]]) -> list[TrackedFile]:
    """Files of the generated pages (path, text, in the nav, search text), each with its :class:`FinishedPage`."""
    finisher = Finisher(lambda: markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs))
    titles = dict(nav_titles(config.nav or []))  # the nav still gives titles where it names one
    with_search = search_index(config) is not None
    files = []
    for src, text, in_nav, search in pages:
        file = TrackedFile.of(config, src, text, InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV)
        FinishedPage(titles.get(src), file, config, finisher, search if with_search else "")
        files.append(file)
    return files


def add_search_entry(page: Page, config: MkDocsConfig) -> None:
    """A finished page's one search entry, from the plugin's data, where the search plugin was told to skip it."""
    if isinstance(page, FinishedPage) and page.search_text and page.meta.get("search", {}).get("exclude"):
        index = search_index(config)
        if index is not None:
            index.append({"location": page.url, "title": page.title, "text": page.search_text})


def keep_search_entries_of_pages_not_built(config: MkDocsConfig, built: set[str]) -> None:
    """Under ``--dirty``: the search index keeps the previous entries of every page not built this time.

    Material's own merge assumes one page was rebuilt; an edited claim also rebuilds its topic,
    the claim index and the pages citing it.
    """
    plugin = search_plugin(config)
    prev = getattr(plugin, "search_index_prev", None)
    if plugin is None or prev is None:
        return
    kept = [e for e in prev.entries if e["location"].split("#")[0] not in built]
    plugin.search_index.entries[:0] = kept
    plugin.search_index_prev = None
