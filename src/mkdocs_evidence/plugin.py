"""MkDocs adapter: wires MkDocs events to the core. No evidence logic lives here."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.base import ValidationError as ConfigValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import paths
from .csp import with_policy
from .docs_tree import ASSETS
from .handout import HANDOUTS_DIR, HandoutError, PendingHandouts, start_site_handouts
from .issues import LOG_LEVELS, issue
from .load import ClaimMemo, templates_stamp, unsafe_folders
from .markdown_ext import EvidenceExtension
from .mkdocs_pages import (
    FinishedPage,
    TrackedFile,
    add_search_entry,
    finished_pages,
    keep_search_entries_of_pages_not_built,
    publishable_files,
)
from .options import Options, OptionsError, parse_options
from .pages import PageMemo, all_pages
from .project import Project, load_project
from .render import Renderer
from .sanitize import Slots, escape_strings
from .settings import Settings, SettingsError, declared_files, make_settings, today
from .staging import GuardedBuild
from .urls import CSS_URI, JS_URI

# MkDocs' own logger tree: warnings and errors here fail `mkdocs build --strict`.
log = get_plugin_logger(__name__)


class _GuardedBuildEvents:
    """The events that guard a build: ``mkdocs build`` writes into a staged folder that replaces site_dir only when it
    succeeded (staging.py), and SIGINT or SIGTERM stop the handout workers and remove what they leave."""

    active: bool
    handouts: PendingHandouts | None
    guard: GuardedBuild

    def on_shutdown(self) -> None:
        self.guard.shutdown()

    @event_priority(100)  # before other plugins read site_dir
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """``mkdocs build`` writes into a staged folder (see staging.py)."""
        if self.active:
            self.guard.stage(config, self._kill_handouts)

    def _kill_handouts(self) -> None:
        """SIGINT or SIGTERM during a build: the handout workers are killed at once (no lock is taken)."""
        pending, self.handouts = self.handouts, None
        if pending is not None:
            pending.kill()

    @event_priority(-100)  # after every other plugin has written its files
    def _publish_site(self, *, config: MkDocsConfig) -> None:
        try:
            self.guard.publish(config)
        except OSError as exc:
            raise PluginError(f"evidence: cannot move the built site into {config.site_dir}: {exc.strerror}") from None

    def on_build_error(self, *, error: Exception) -> None:
        """Nothing is written: the handout workers stop and a staged site is removed; the previous site stays."""
        gc.unfreeze()  # the project frozen in on_files can be collected again
        pending, self.handouts = self.handouts, None
        if pending is not None:
            pending.cancel()
        self.guard.failed()


class _SafeOutputEvents:
    """What the theme prints of a contributor's page beyond its content: front matter, templates, the policy of 404.html."""

    active: bool
    serving: bool
    generated: set[str]
    settings: Settings

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A contributor page's front matter escaped (the theme prints it as HTML), its template only the maintainers'."""
        if self.active and page.file.src_uri not in self.generated:
            page.meta = escape_strings(page.meta)
            refuse_theme_template(page, config, self.settings)
        return markdown

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's other pages (404.html) get the policy too."""
        wanted = self.active and not self.serving and template_name.endswith(".html")
        return with_policy(output_content, "") if wanted else output_content


class EvidencePlugin(_GuardedBuildEvents, _SafeOutputEvents, BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Generates claim, source and topic pages, the claim index, the bibliography and claims.json."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.generated: set[str] = set()
        self.options = Options()
        self.active = False
        #: Expands citations, claim links and markers of prose pages: the same extension other generators load.
        self.extension = EvidenceExtension()
        # Across ``mkdocs serve`` rebuilds: claim files parsed and pages rendered before, the hash of each generated
        # file (``--dirty`` rebuilds only changed ones), the pages this build built (their search entries replace the old).
        self.claim_memo: ClaimMemo = {}
        self.page_memo = PageMemo()
        self.serving = False
        self.handouts: PendingHandouts | None = None
        self.previous: dict[str, bytes] = {}
        self.built: set[str] = set()
        #: `mkdocs build` into a staged folder that replaces site_dir only when it succeeded, stopped cleanly by signals.
        self.guard = GuardedBuild()

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[Any, Any]:
        """Validate the options with the same model ``evidence check`` uses (unknown keys, wrong types, did-you-mean)."""
        try:
            self.options = parse_options(options)
        except OptionsError as exc:
            self.options = Options()
            return [(name, ConfigValidationError(message)) for name, message in exc.problems], []
        return [], []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that ``mkdocs serve`` keeps one plugin instance; only a server keeps pages for the next build."""
        self.serving = command == "serve"
        self.guard.startup(command, dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve paths, watch files outside ``docs_dir``, add the stylesheet."""
        # `enabled: false` builds the site as if the plugin were not listed (MkDocs' convention).
        self.active = self.options.enabled
        if not self.active:
            return config
        self.settings = site_settings(config, self.options)
        config.watch.append(str(self.settings.bibliography))
        if self.settings.watch_file.is_file():
            config.watch.append(str(self.settings.watch_file))
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
        self.built = set()
        project = load_project(self.settings, self.claim_memo if self.serving else None)
        self.project = project
        # The project (a million objects at ten thousand claims) lives until the build ends: frozen, the
        # collector stops walking all of it again at each full collection while the pages are made.
        # Let go after the build (on_post_build, on_build_error), so a server's old projects can be collected.
        gc.freeze()
        for item in project.issues:
            log.log(LOG_LEVELS[item.severity], item.format())
        log.info(project.summary)

        stamp = (self.settings, templates_stamp(self.settings), today())
        if self.page_memo.stamp != stamp:  # other settings, templates or day: nothing made before is reused
            self.page_memo = PageMemo(stamp)
            self.previous = {}
        memo = self.page_memo if self.serving else None
        renderer = Renderer.for_settings(project.graph, self.settings, handout_links=self.settings.handouts, memo=memo)
        renderer.holds_own_html = True  # the extension cleans topic pages whole
        files = publishable_files(files, self.settings, project, config)
        self._add_generated(files, config, renderer)
        self.extension.renderer = renderer
        if self.settings.handouts and project.ok:  # a project with errors fails the build anyway: no PDFs
            with _handout_errors():
                self.handouts = start_site_handouts(project.graph, self.settings, Path(config.site_dir))
        # Generated pages are finished Markdown: contributor text in them must not be expanded again.
        self.extension.skip = frozenset(self.generated)
        return files

    def _add_generated(self, files: Files, config: MkDocsConfig, renderer: Renderer) -> None:
        """The generated pages (in the nav or not, as each page says), claims.json, the schema, CSS and JS."""
        site_dir = Path(config.site_dir)
        # One page at a time: each is packed as it comes, a big site's pages are never all in memory as text.
        held: dict[str, Slots] = {}
        generated = finished_pages(config, all_pages(renderer), held)
        self.extension.held = held
        self.generated = {file.src_uri for file in generated}
        generated += [TrackedFile.of(config, path, text) for path, text in renderer.data_files().items()]
        generated += [TrackedFile.of(config, uri, path.read_text(encoding="utf-8")) for uri, path in ASSETS.items()]
        previous, self.previous = self.previous, {file.src_uri: file.digest for file in generated}
        for file in generated:
            file.modified = previous.get(file.src_uri) != file.digest
            _inside(site_dir, file.dest_uri)  # MkDocs joins dest_uri to site_dir unchecked
            files.append(file)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A page's text as the check read it: bounded, UTF-8 problems reported and replaced, never read twice."""
        if not self.active or self.project is None or not page.file.abs_src_path:
            return None
        return self.project.markdown.get(self.settings.display(Path(page.file.abs_src_path)), "")

    @event_priority(-100)  # after every other plugin has seen the page's HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's HTML is packed away until needed (big builds); a contributor page's title made safe."""
        if self.active and not isinstance(page, FinishedPage):
            safe_title(page)
        return page.park(html) if isinstance(page, FinishedPage) else html

    @event_priority(100)  # before the other plugins see the context
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """A generated page's HTML back for the theme; its search entry, from the plugin's own data instead of its HTML."""
        self.built.add(page.url)
        if isinstance(page, FinishedPage):
            page.unpark()
        add_search_entry(page, config)
        return context

    @event_priority(-100)  # last: the policy lists the theme's inline scripts as the page finally has them
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Every page gets the Content-Security-Policy; a generated page's HTML is let go once written."""
        # Not under `mkdocs serve`: its live reload adds an inline script of its own to every page it serves.
        if self.active and not self.serving:
            output = with_policy(output, page.content or "")
        if isinstance(page, FinishedPage):
            page.content = ""
        return output

    @event_priority(100)  # before the search plugin writes its index
    def _finish_handouts(self, *, config: MkDocsConfig) -> None:
        """Put the topic handouts (PDF) next to the pages that link to them; complete the search index."""
        gc.unfreeze()
        if self.active:
            keep_search_entries_of_pages_not_built(config, self.built)
        pending, self.handouts = self.handouts, None
        if pending is not None:
            with _handout_errors():
                written = pending.finish()
            log.info(f"{len(written)} topic handouts written to {HANDOUTS_DIR}/")

    on_post_build = CombinedEvent(_finish_handouts, _GuardedBuildEvents._publish_site)


def site_settings(config: MkDocsConfig, options: Options) -> Settings:
    """The project's settings from MkDocs' configuration; a docs folder that is unsafe to list stops the build."""
    root = Path(config.config_file_path).parent
    try:
        settings = make_settings(
            root,
            config.docs_dir,
            options,
            config.site_url or "",
            # MkDocs has already filled in edit_uri's default for known hosts when repo_url is set.
            config.repo_url or "",
            config.edit_uri or "",
            config.site_name,
            use_directory_urls=config.use_directory_urls,
            # Before the plugin adds its own: what the site's maintainers listed.
            declared=declared_files(list(config.extra_css), [str(getattr(s, "path", s)) for s in config.extra_javascript]),
        )
    except SettingsError as exc:
        raise PluginError(f"evidence: {exc}") from None
    # Before MkDocs lists the docs folder (it follows links): a link to .git or a loop stops the build here.
    unsafe = unsafe_folders(root, Path(config.docs_dir))
    if unsafe:
        raise PluginError("evidence: " + "\n".join(item.format() for item in unsafe))
    return settings


def _inside(site_dir: Path, dest_uri: str) -> None:
    try:
        paths.inside(site_dir, dest_uri)
    except paths.UnsafePathError as exc:
        raise PluginError(f"evidence: {exc}") from None


def safe_title(page: Page) -> None:
    """The page's title, as the theme would show it, also in ``meta`` as escaped text.

    Material writes ``page.title | striptags`` into ``<title>``, and ``striptags`` decodes entities: a
    heading ``# &lt;/title&gt;&lt;script&gt;…`` would end the title and open a script outside the page's
    content, where the policy lists inline scripts as the theme's. A ``meta`` title is printed as it is.
    (The home page's ``<title>`` is the site's name.)
    """
    if "title" in page.meta or page.is_homepage or not page.title:
        return
    page.meta["title"] = str(escape(Markup(page.title).striptags()))  # noqa: S704 - only its text is kept, escaped


def refuse_theme_template(page: Page, config: MkDocsConfig, settings: Settings) -> None:
    """A contributor page's ``template`` is dropped, with an error, unless it is one of the maintainers' overrides."""
    template = page.meta.get("template")
    if template is None or maintainer_template(template, config.theme.custom_dir, settings.docs_dir):
        return
    where = settings.display(Path(page.file.abs_src_path)) if page.file.abs_src_path else page.file.src_uri
    message = f"front matter 'template: {template}' is not a template of the site's overrides; not used"
    log.error(issue("page-template", message, where).format())
    del page.meta["template"]


def maintainer_template(template: object, custom_dir: str | None, docs_dir: Path) -> bool:
    """Whether a page's front matter ``template`` names a file of the site's overrides (``custom_dir``).

    The theme's own templates are the theme's choice for its pages: ``redirect.html`` sends the
    reader to the page's ``location``, any address. Overrides are the maintainers' files, unless the
    folder lies in the docs folder, where a pull request writes.
    """
    if template == "main.html":
        return True
    if not isinstance(template, str) or not custom_dir:
        return False
    folder = Path(custom_dir).resolve()
    if folder.is_relative_to(docs_dir.resolve()):
        return False
    target = (folder / template).resolve()
    return target.is_relative_to(folder) and target.is_file()


@contextlib.contextmanager
def _handout_errors() -> Iterator[None]:
    try:
        yield
    except HandoutError as exc:
        raise PluginError(f"evidence: {exc} (set 'handouts: false' to build without handouts)") from None
