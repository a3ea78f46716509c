"""MkDocs adapter: wires MkDocs events to the core. No evidence logic lives here."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.base import ValidationError as ConfigValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import paths
from .docs_tree import ASSETS, is_data
from .finish import Finished, Finisher, NotFinishable, split_front_matter
from .handout import HANDOUTS_DIR, HandoutError, write_project_handouts
from .issues import Severity
from .load import ClaimMemo, outside_project, templates_stamp
from .markdown_ext import EvidenceExtension
from .options import Options, OptionsError, parse_options
from .pages import PageMemo
from .project import Project, load_project
from .render import Renderer
from .settings import SettingsError, make_settings, today
from .urls import CSS_URI, JS_URI

# MkDocs' own logger tree: warnings and errors here fail `mkdocs build --strict`.
log = get_plugin_logger(__name__)


class EvidencePlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Generates claim, source and topic pages, the claim index, the bibliography and claims.json."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.renderer: Renderer | None = None
        self.generated: set[str] = set()
        self.options = Options()
        self.active = False
        #: Claim files parsed by earlier builds of this ``mkdocs serve`` (unchanged ones are not parsed again).
        self.claim_memo: ClaimMemo = {}
        #: Expands citations, claim links and markers of prose pages: the same extension other generators load.
        self.extension = EvidenceExtension()
        #: Claim and source pages rendered by earlier builds of this ``mkdocs serve``, reused where nothing they show changed.
        self.page_memo = PageMemo()
        #: Hash of each generated file's content at the previous build: with ``--dirty`` only changed ones are rebuilt.
        self.previous: dict[str, bytes] = {}
        #: Pages built by this build (their search entries replace those of the previous build under ``--dirty``).
        self.built: set[str] = set()

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[Any, Any]:
        """Validate the options with the same model ``evidence check`` uses (unknown keys, wrong types, did-you-mean)."""
        try:
            self.options = parse_options(options)
        except OptionsError as exc:
            self.options = Options()
            return [(name, ConfigValidationError(message)) for name, message in exc.problems], []
        return [], []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that ``mkdocs serve`` keeps one plugin instance across rebuilds."""

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.built = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve paths, watch files outside ``docs_dir``, add the stylesheet."""
        # `enabled: false` builds the site as if the plugin were not listed (MkDocs' convention).
        self.active = self.options.enabled
        if not self.active:
            return config
        root = Path(config.config_file_path).parent
        try:
            self.settings = make_settings(
                root,
                config.docs_dir,
                self.options,
                config.site_url or "",
                # MkDocs has already filled in edit_uri's default for known hosts when repo_url is set.
                config.repo_url or "",
                config.edit_uri or "",
                config.site_name,
                use_directory_urls=config.use_directory_urls,
            )
        except SettingsError as exc:
            raise PluginError(f"evidence: {exc}") from None
        config.watch.append(str(self.settings.bibliography))
        if self.settings.templates_dir:
            config.watch.append(str(self.settings.templates_dir))
        config.extra_css.append(CSS_URI)
        config.extra_javascript.append(JS_URI)
        self.extension = EvidenceExtension()
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type] # MkDocs passes instances on to Markdown
        return config

    @event_priority(50)  # before other plugins, so they see the generated pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Load and validate the project once, report issues, add the generated pages."""
        if not self.active:
            return files
        project = load_project(self.settings, self.claim_memo)
        self.project = project
        for item in project.issues:
            (log.error if item.severity is Severity.ERROR else log.warning)(item.format())
        log.info(project.summary)

        stamp = (self.settings, templates_stamp(self.settings), today())
        if self.page_memo.stamp != stamp:  # other settings, templates or day: nothing made before is reused
            self.page_memo = PageMemo(stamp)
            self.previous = {}
        self.renderer = Renderer.for_settings(
            project.graph, self.settings, handout_links=self.settings.handouts, memo=self.page_memo
        )
        files = self._drop_data_files(files, project)
        self._add_generated(files, config, self.renderer)
        self.extension.renderer = self.renderer
        # Generated pages are finished Markdown: contributor text in them must not be expanded again.
        self.extension.skip = frozenset(self.generated)
        return files

    def _keep_search_entries_of_pages_not_built(self, config: MkDocsConfig) -> None:
        """Under ``--dirty``: the search index keeps the previous entries of every page not built this time.

        Material's own merge assumes one page was rebuilt; an edited claim also rebuilds its topic,
        the claim index and the pages citing it.
        """
        plugin = _search_plugin(config)
        prev = getattr(plugin, "search_index_prev", None)
        if plugin is None or prev is None:
            return
        kept = [e for e in prev.entries if e["location"].split("#")[0] not in self.built]
        plugin.search_index.entries[:0] = kept
        plugin.search_index_prev = None

    def _drop_data_files(self, files: Files, project: Project) -> Files:
        """Claim and topic files are data, not pages; topic introductions are merged into topic pages.

        A prose page that cites sources or shows the picture changes with the claims although its
        file does not: it counts as modified, so that ``--dirty`` rebuilds it too.
        """
        s = self.settings
        kept: list[File] = []
        for file in files:
            source = Path(file.abs_src_path) if file.abs_src_path else None
            # Only the docs folder is contributor territory (theme files live in site-packages).
            if source and source.is_relative_to(s.docs_dir) and outside_project(source, s):
                continue  # a link out of the project: reported by load_project, never published
            if is_data(file.src_uri, s, project.graph.topics):
                continue
            if source and file.is_documentation_page() and _shows_evidence(project.markdown.get(s.display(source), "")):
                file = TrackedFile.copy_of(file, modified=True)
            kept.append(file)
        return Files(kept)

    def _add_generated(self, files: Files, config: MkDocsConfig, renderer: Renderer) -> None:
        """The generated pages (in the nav or not, as each page says), claims.json, the schema, CSS and JS."""
        site_dir = Path(config.site_dir)
        pages = renderer.page_list()
        self.generated = {page.src for page in pages}
        generated = [
            TrackedFile.of(config, page.src, page.text, InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV)
            for page in pages
        ]
        # Generated pages reach the theme as finished HTML; the nav still gives titles where it names one.
        finisher = Finisher(
            lambda: markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        )
        titles = dict(_nav_titles(config.nav or []))
        search = _search_index(config)
        for page, file in zip(pages, generated, strict=False):
            FinishedPage(titles.get(file.src_uri), file, config, finisher, page.search if search is not None else "")
        generated += [TrackedFile.of(config, path, text) for path, text in renderer.data_files().items()]
        generated += [TrackedFile.of(config, uri, path.read_text(encoding="utf-8")) for uri, path in ASSETS.items()]
        previous, self.previous = self.previous, {}
        for file in generated:
            digest = hashlib.blake2b(file.content_bytes, digest_size=16).digest()
            file.modified = previous.get(file.src_uri) != digest
            self.previous[file.src_uri] = digest
            try:
                # MkDocs joins dest_uri to site_dir unchecked; a generated file must stay inside.
                paths.inside(site_dir, file.dest_uri)
            except paths.UnsafePathError as exc:
                raise PluginError(f"evidence: {exc}") from None
            files.append(file)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A page's text as the check read it: bounded, UTF-8 problems reported and replaced, never read twice."""
        if not self.active or self.project is None or not page.file.abs_src_path:
            return None
        return self.project.markdown.get(self.settings.display(Path(page.file.abs_src_path)), "")

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """A generated page's search entry, from the plugin's own data instead of its HTML."""
        self.built.add(page.url)
        if isinstance(page, FinishedPage) and page.search_text and page.meta.get("search", {}).get("exclude"):
            index = _search_index(config)
            if index is not None:
                index.append({"location": page.url, "title": page.title, "text": page.search_text})
        return context

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the topic handouts (PDF) next to the pages that link to them; complete the search index."""
        if self.active:
            self._keep_search_entries_of_pages_not_built(config)
        if not self.active or not self.settings.handouts or self.project is None or not self.project.ok:
            return  # a project with errors fails the build anyway; do not spend time on PDFs
        try:
            written = write_project_handouts(self.project.graph, self.settings, Path(config.site_dir) / HANDOUTS_DIR)
        except HandoutError as exc:
            raise PluginError(f"evidence: {exc} (set 'handouts: false' to build without handouts)") from None
        log.info(f"{len(written)} topic handouts written to {HANDOUTS_DIR}/")


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
        self.meta, self._body = split_front_matter(text)
        self.markdown = text

    def read_source(self, config: MkDocsConfig) -> None:
        try:
            self._finished = self._finisher.finish_body(self.meta, self._body)
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


def _search_plugin(config: MkDocsConfig) -> Any:
    """Material's search plugin, if the site uses it (other search plugins parse every page)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and isinstance(getattr(index, "entries", None), list):
            return plugin
    return None


def _search_index(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries of Material's search index, if the site uses it."""
    plugin = _search_plugin(config)
    return None if plugin is None else plugin.search_index.entries


def _shows_evidence(markdown: str) -> bool:
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


def _nav_titles(items: list[Any]) -> Iterator[tuple[str, str]]:
    """(page path, title) for every page the ``nav`` setting names with a title."""
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield value, str(title)
                elif isinstance(value, list):
                    yield from _nav_titles(value)
