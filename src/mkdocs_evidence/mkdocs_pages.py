"""What the MkDocs adapter hands to MkDocs: finished pages, files that know whether they changed, search entries.

MkDocs-specific, like :mod:`mkdocs_evidence.plugin`; the evidence logic stays in the core.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import publish
from .docs_tree import ASSETS, is_data
from .finish import Finished, Finisher, NotFinishable, split_front_matter
from .issues import issue
from .load import read_picture
from .pages import Page as GeneratedPage
from .project import Project
from .sanitize import Slots
from .settings import Settings
from .svg import UnusableSvg, clean_svg

log = get_plugin_logger("mkdocs_evidence.plugin")

#: The MkDocs and Material releases the fast paths below were tested with, as [first, past-last) version
#: prefixes. CI runs the plugin's tests against the oldest and the newest release the package allows.
#: Outside these, a release could have changed what the fast paths rely on (Page's steps, the search
#: plugin's index), so the pages go MkDocs' public way: slower, never broken.
TESTED: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {"mkdocs": ((1, 6), (1, 7)), "material": ((9, 8), (9, 9))}


def _release(version: str) -> tuple[int, ...]:
    """``"9.8.1"`` → ``(9, 8, 1)``; a pre-release or local part stops the reading (``"1.7.0rc1"`` → ``(1, 7)``)."""
    parts = []
    for part in version.split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


def tested_release(versions: dict[str, str]) -> bool:
    """Whether every installed package of ``versions`` (name → version) is within :data:`TESTED`."""
    return all(TESTED[name][0] <= _release(version) < TESTED[name][1] for name, version in versions.items())


def installed_versions() -> dict[str, str]:
    """The installed MkDocs and, if it is installed, Material version (their ``__version__``: cheaper than package metadata)."""
    import mkdocs

    versions = {"mkdocs": str(mkdocs.__version__)}
    try:
        import material  # type: ignore[import-untyped]  # Material ships no type information
    except ImportError:
        return versions
    versions["material"] = str(getattr(material, "__version__", "0"))
    return versions


def fast_paths() -> bool:
    """Whether the installed MkDocs and Material are releases the fast paths were tested with (logged once if not)."""
    global _FAST
    if _FAST is None:
        versions = installed_versions()
        _FAST = tested_release(versions)
        if not _FAST:
            shown = ", ".join(f"{name} {version}" for name, version in versions.items())
            # Info, not a warning: a strict build must not fail for a newer MkDocs or Material.
            log.info("%s: not a release this plugin was tested with; MkDocs converts the generated pages (slower)", shown)
    return _FAST


_FAST: bool | None = None


class FinishedPage(Page):
    """A generated page handed to MkDocs as finished HTML (:mod:`mkdocs_evidence.finish`).

    A page the finisher cannot vouch for is converted by Python-Markdown as any page is. Between
    the steps that need it, a page's text or HTML is kept compressed: MkDocs reads and converts
    every page before it writes any, so a big site would otherwise hold all of them twice over.
    """

    def __init__(
        self, title: str | None, file: File, config: MkDocsConfig, text: str, finisher: Finisher | None, search: str
    ) -> None:
        super().__init__(title, file, config)
        self._finisher = finisher
        self._finished: Finished | None = None
        #: What the site search finds the page by, given to the search index as one entry ("": index the HTML).
        self.search_text = search
        # Title and metadata are known before the page is read: a ``--dirty`` rebuild that skips this
        # page still names it right in the navigation of the pages it does build.
        meta, body = split_front_matter(text)
        self.meta, self.markdown = meta, ""
        self._packed: bytes | None = _pack(body)
        self._given: str | None = None  # the HTML as given to MkDocs, until the last plugin has seen it

    def read_source(self, config: MkDocsConfig) -> None:
        body, self._packed = _unpack(self._packed), None
        try:
            if self._finisher is None:  # not a release the fast path was tested with
                raise NotFinishable
            self._finished = self._finisher.finish_body(dict(self.meta), body)
        except NotFinishable:
            self._finished = None
            self.markdown = body  # the front matter is split off already, as Page.read_source would
            return
        self.meta = dict(self._finished.meta)
        if self.search_text:
            # The search plugin would parse the finished HTML again; the plugin gives it one entry instead.
            self.meta["search"] = {**(self.meta.get("search") or {}), "exclude": True}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self._finished is None:
            super().render(config, files)
            return
        self.content = self._given = self._finished.html
        self.toc = get_toc(self._finished.toc_tokens)  # type: ignore[arg-type] # the tokens Markdown's toc made
        # MkDocs checks links to anchors of this page against these (its own raw-HTML scan finds the same).
        self.present_anchor_ids = set(_ID.findall(self.content))
        self._finished = None

    def park(self, content: str) -> str:
        """After the last plugin has seen the HTML: packed away until the theme needs it (unless a plugin changed it)."""
        if content is not self._given:
            return content
        self._packed, self._given = _pack(content), None
        return ""

    def unpark(self) -> None:
        """The HTML back, for the theme and the plugins that see the page's context."""
        if self._packed is not None and not self.content:
            self.content = _unpack(self._packed)
            self._packed = None


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)  # fastest level: pages compress well anyway


def _unpack(packed: bytes | None) -> str:
    return zlib.decompress(packed).decode("utf-8") if packed is not None else ""


#: An id attribute; a tag stops at the next ``<`` or ``>``, so each attempt reads its own stretch (linear).
_ID = re.compile(r"""<[^<>]*?\sid=["']([^"']++)["']""")


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
    #: Hash of a generated file's content (set by :meth:`of`).
    digest: bytes = b""

    def is_modified(self) -> bool:
        return super().is_modified() if self.modified is None else self.modified

    @classmethod
    def of(
        cls,
        config: MkDocsConfig,
        src: str,
        text: str | bytes,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
        *,
        keep: bool = True,
    ) -> TrackedFile:
        """A generated file (``File.generated``) of this class; ``keep=False``: its page holds the content."""
        # Kept as bytes: one character beyond Latin-1 makes a str take two or four bytes a character.
        data = text.encode("utf-8") if isinstance(text, str) else text
        file = cls.generated(config, src, content=data if keep else b"", inclusion=inclusion)
        assert isinstance(file, TrackedFile)  # File.generated makes an instance of the class it is called on
        file.digest = hashlib.blake2b(data, digest_size=16).digest()
        return file

    @classmethod
    def copy_of(cls, file: File, *, modified: bool) -> TrackedFile:
        copy = cls(file.src_path, file.src_dir, file.dest_dir, file.use_directory_urls, inclusion=file.inclusion)
        copy.modified = modified
        return copy


def publishable_files(files: Files, s: Settings, project: Project, config: MkDocsConfig) -> Files:
    """The files MkDocs found that may be published (:mod:`mkdocs_evidence.publish`; the check reports the others).

    Left out: claim and topic files (data, not pages; topic introductions go into topic pages),
    snapshots, symbolic links, types that are not published, files standing where a theme or plugin
    file stands (the theme's file is published instead). SVG pictures are published cleaned. A prose
    page that cites sources or shows the picture changes with the claims although its file does not:
    it counts as modified, so that ``--dirty`` rebuilds it too.
    """
    kept: list[File] = []
    theme_dirs = [Path(d) for d in config.theme.dirs]
    for file in files:
        source = Path(file.abs_src_path) if file.abs_src_path else None
        # Only the docs folder is contributor territory (theme files live in site-packages).
        if source is None or not source.is_relative_to(s.docs_dir) or file.generated_by:
            kept.append(file)
            continue
        if is_data(file.src_uri, s, project.graph.topics) or file.src_uri in ASSETS:
            continue
        theme_dir = next((d for d in theme_dirs if (d / file.src_uri).is_file()), None)
        if theme_dir is not None:
            # MkDocs lets a docs file replace the theme's (its bundle, say): the theme's own is published instead.
            log.error(issue("theme-file", "stands where a file of the theme does; not published", s.display(source)).format())
            kept.append(File(file.src_uri, str(theme_dir), config.site_dir, config.use_directory_urls))
            continue
        parts = source.relative_to(s.docs_dir).parts
        if any((s.docs_dir.joinpath(*parts[:i])).is_symlink() for i in range(1, len(parts) + 1)):
            continue  # never followed: a link could bring in .git, the claims or files outside (reported by the check)
        if publish.refusal(file.src_uri, s.declared_files):
            continue  # (MkDocs also reads .markdown and .mdown pages; the check reads .md only, so only those are published)
        if file.src_uri.endswith(publish.SVG):
            try:
                cleaned = clean_svg(read_picture(source, s))
            except (OSError, UnusableSvg):
                continue
            kept.append(TrackedFile.of(config, file.src_uri, cleaned.data))
            continue
        if file.is_documentation_page() and shows_evidence(project.markdown.get(s.display(source), "")):
            file = TrackedFile.copy_of(file, modified=True)
        kept.append(file)
    return Files(kept)


def nav_titles(items: list[Any]) -> Iterator[tuple[str, str]]:
    """(page path, title) for every page the ``nav`` setting names with a title."""
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    yield value, str(title)
                elif isinstance(value, list):
                    yield from nav_titles(value)


def finished_pages(config: MkDocsConfig, pages: Iterable[GeneratedPage], held: dict[str, Slots]) -> list[TrackedFile]:
    """Files of the generated pages, each with its :class:`FinishedPage`.

    ``held`` receives the slots of the pages that hold contributor Markdown (the extension cleans those).
    """
    fast = fast_paths()
    finisher = Finisher(lambda: markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs))
    titles = dict(nav_titles(config.nav or []))  # the nav still gives titles where it names one
    with_search = fast and search_index(config) is not None
    files = []
    for page in pages:
        src, text, in_nav, search = page.src, page.text, page.in_nav, page.search
        if page.slots is not None:
            held[src] = page.slots
        # The page holds its text (compressed); the file keeps only its hash.
        file = TrackedFile.of(config, src, text, InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV, keep=False)
        FinishedPage(titles.get(src), file, config, text, finisher if fast else None, search if with_search else "")
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
