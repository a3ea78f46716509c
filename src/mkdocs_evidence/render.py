"""The resolved graph → Markdown pages (HTML blocks inside), from overridable Jinja2 templates.

:class:`Renderer` holds what every page of one build shares (the graph, the one template
environment, the URL scheme, the site's settings); :mod:`mkdocs_evidence.pages` has one function per
kind of page. The MkDocs plugin hands the pages to MkDocs; ``evidence render`` writes them to a
folder for any other generator.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import posixpath
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from . import pages, profile, prose, sanitize
from .export import data_files
from .model import Claim, Graph
from .options import Options
from .picture import evidence_picture
from .settings import Settings, today
from .templates import environment, short_citation
from .urls import Scheme, Urls, claim_src

#: Placeholder a prose page (the method page) can use to show every vocabulary with its meaning.
VOCABULARY_MARKER = "<!-- evidence:vocabularies -->"
#: Placeholder a prose page (the home page) can use to show the picture of all claims and sources.
GRAPH_MARKER = "<!-- evidence:graph -->"
#: Placeholder for how to contribute: a link to the contributor guide when the repository is known.
CONTRIBUTING_MARKER = "<!-- evidence:contributing -->"


class Once:
    """The ``once`` of the templates for one build: a macro's output for a value, rendered the first time only.

    A claim page cites each source with its full reference (the tooltip), and thousands of pages
    cite the same sources: rendering the reference macro once per reference rather than once per
    citation is most of a claim page's time saved. Values are the graph's records, alive for the whole
    build; each is kept with its output, so an id is never mistaken for a later object's.
    """

    def __init__(self) -> None:
        self._html: dict[tuple[str, int], tuple[object, Markup]] = {}

    def __call__(self, macro: Callable[[object], Markup], value: object) -> Markup:
        key = (getattr(macro, "name", ""), id(value))
        known = self._html.get(key)
        if known is not None and known[0] is value:
            return known[1]
        html = macro(value)
        self._html[key] = (value, html)
        return html


class Renderer:
    """What every generated page of one build shares. Build once per site build."""

    def __init__(
        self,
        graph: Graph,
        templates_dir: Path | None = None,
        use_directory_urls: bool = True,
        *,
        scheme: Scheme = "site",
        claim_edit_base: str = "",
        review_after_days: int = 365,
        on: dt.date | None = None,
        handout_links: bool = False,
        site_name: str = "",
        site_url: str = "",
        picture_max_claims: int = 120,
        repo_url: str = "",
        memo: pages.PageMemo | None = None,
        options: Options | None = None,
    ) -> None:
        self.graph = graph
        self.memo = memo  # pages of earlier builds of ``mkdocs serve``, reused where nothing they show changed
        #: Who publishes the reviews (schema.org ``author``) and where the site lives ("" if unknown).
        self.site_name = site_name or "mkdocs-evidence"
        self.site_url = site_url
        self.repo_url = repo_url
        self.picture_max_claims = picture_max_claims
        self._pictures = itertools.count(1)  # several pictures may share a page: each needs its own ids
        self.urls = Urls(use_directory_urls, scheme=scheme)
        #: URL that a claim file's name is appended to for its "edit this claim" link; "" for no link.
        self.claim_edit_base = claim_edit_base
        self.review_after_days = review_after_days
        self.today = on or today()
        self.env = environment(templates_dir)
        #: Set by the MkDocs plugin, whose Markdown extension cleans pages after Markdown: pages holding
        #: contributor Markdown (topic pages) hold their own HTML aside (:class:`~mkdocs_evidence.sanitize.Slots`).
        self.holds_own_html = False
        # Off by default: only the site build writes the PDFs, other generators would get dead links.
        # The plugin's options whole: templates read the site's own wording (``options.claim_note``) from them.
        self.env.globals.update(graph=graph, handout_links=handout_links, edit_url=self.edit_url, options=options or Options())
        # A site's own macros may make a reference depend on the page (a link, an id): then every call renders.
        if templates_dir is None or not (templates_dir / "macros.html.j2").is_file():
            self.env.globals["once"] = Once()

    @classmethod
    def for_settings(
        cls,
        graph: Graph,
        settings: Settings,
        *,
        scheme: Scheme = "site",
        handout_links: bool = False,
        memo: pages.PageMemo | None = None,
    ) -> Renderer:
        """A renderer using a project's templates, URL style, edit links and review period."""
        edit_base = ""
        if settings.edit_base:
            claims = settings.claims_dir.relative_to(settings.docs_dir).as_posix()
            edit_base = f"{settings.edit_base}{claims}/"
        return cls(
            graph,
            settings.templates_dir,
            settings.use_directory_urls,
            scheme=scheme,
            claim_edit_base=edit_base,
            review_after_days=settings.review_after_days,
            handout_links=handout_links,
            site_name=settings.site_name,
            site_url=settings.site_url,
            picture_max_claims=settings.picture_max_claims,
            repo_url=settings.repo_url,
            memo=memo,
            options=settings.options,
        )

    def edit_url(self, claim: Claim) -> str:
        """Where to edit a claim's YAML file in the repository, or ``""`` without ``repo_url``."""
        return f"{self.claim_edit_base}{posixpath.basename(claim.path)}" if self.claim_edit_base else ""

    def page_url(self, src_uri: str) -> str:
        """A page's address: absolute with ``site_url``, otherwise relative to the site's root."""
        url = self.urls.url(src_uri)
        return f"{self.site_url.rstrip('/')}/{url}" if self.site_url else url

    def context(self, src_uri: str, prefix: str) -> dict[str, object]:
        """Per-page helpers: links relative to the page, and ids unique within it."""
        counter = itertools.count(1)
        return {
            "link": lambda to_src: self.urls.relative(src_uri, to_src),
            "file_link": lambda path: self.urls.relative_file(src_uri, path),
            "page_src": src_uri,
            "new_id": lambda: f"ev-{prefix}{next(counter)}",
        }

    def render(self, template: str, src_uri: str, **context: object) -> str:
        """A template rendered for the page at ``src_uri``."""
        return self.env.get_template(template).render(**self.context(src_uri, "t"), **context)

    def macros(self, src_uri: str, prefix: str = "p") -> object:
        """The shared macros (``macros.html.j2``), bound to the page at ``src_uri``."""
        return self.env.get_template("macros.html.j2").make_module(self.context(src_uri, prefix))

    def picture(self, src_uri: str, claims: list[Claim], *, with_topics: bool, caption: str) -> Markup:
        """The evidence picture (inline SVG) of some claims, linked from the page at ``src_uri``.

        Above ``picture_max_claims`` claims a short note replaces it: the layout stays linear, but a
        picture thousands of rows tall helps nobody.
        """
        if not claims or not self.picture_max_claims:
            return Markup("")
        if len(claims) > self.picture_max_claims:
            omitted: Markup = self.macros(src_uri).picture_omitted(len(claims), self.picture_max_claims)  # type: ignore[attr-defined]
            return omitted
        pic = evidence_picture(
            self.graph,
            claims,
            lambda to: self.urls.relative(src_uri, to),
            lambda key: short_citation(self.graph.references[key]),
            list(self.graph.topics.values()) if with_topics else (),
        )
        gid = f"ev-graph-{next(self._pictures)}"
        return Markup(self.render("graph.svg.j2", src_uri, pic=pic, gid=gid, caption=caption))  # noqa: S704 - autoescaped

    @functools.cached_property
    def finding_users(self) -> dict[str, list[tuple[str, str]]]:
        """``key#id`` → the claims citing the finding, with their relations: once per build, not per source page."""
        return profile.finding_users(self.graph)

    def page_list(self) -> list[pages.Page]:
        """Every generated page, with whether it belongs in the navigation."""
        return list(pages.all_pages(self))

    def data_files(self) -> dict[str, bytes]:
        """Machine-readable files published with the site: ``claims.json`` and the claim JSON Schema."""
        return data_files(self.graph, lambda path: self.page_url(f"{path}.md"), site_name=self.site_name)

    def expand_prose(self, text: str, src_uri: str, slots: sanitize.Slots | None = None) -> str:
        """A prose page with its citations and claim links expanded: see :func:`expand_prose`."""
        return expand_prose(self, text, src_uri, slots)


def expand_prose(r: Renderer, text: str, src_uri: str, slots: sanitize.Slots | None = None) -> str:
    """Replace ``[@key]`` and ``[[claim-id]]`` in a prose page with links (unknown ones stay as text).

    What the expansion inserts is the site's own HTML. With ``slots`` (the MkDocs plugin and the
    Markdown extension), each piece is held aside and a token stands in the text, so that Markdown
    never parses it and the page's cleaner never sees it; without ``slots``, it is made
    :func:`~mkdocs_evidence.sanitize.inert` for the Markdown tool that converts the text.
    """
    m = r.macros(src_uri)
    put = slots.hold if slots else sanitize.inert

    def cite(items: tuple[prose.CiteItem, ...]) -> str:
        found = [(r.graph.references.get(item.key), item) for item in items]
        return put(str(m.cites(found)))  # type: ignore[attr-defined]

    def claim(claim_id: str, label: str) -> str:
        target = r.graph.claims.get(claim_id)
        href = r.urls.relative(src_uri, claim_src(claim_id))
        return put(str(m.claim_link(target, label, claim_id, href)))  # type: ignore[attr-defined]

    # Contributor markup that could carry script is made inert first (and reported by the check).
    text = prose.expand(prose.neutralize(text), cite, claim)
    # Markers are filled in after expansion: what they insert holds contributor text, never expanded.
    block = slots.hold if slots else str  # a marker stands alone on its line: what replaces it is a block of HTML

    def vocabularies() -> str:
        # The site's own template: Markdown headings (for the table of contents) between HTML blocks.
        text = r.render("vocabularies.md.j2", src_uri, enough_participants=profile.ENOUGH_PARTICIPANTS)
        return sanitize.hold_blocks(text, slots) if slots else text

    def contributing() -> str:
        guide = f"{r.repo_url.rstrip('/')}/blob/HEAD/CONTRIBUTING.md" if r.repo_url else ""
        return block(str(r.macros(src_uri).contributing(guide)))  # type: ignore[attr-defined]

    def graph() -> str:
        every = list(r.graph.claims.values())
        return block(str(r.picture(src_uri, every, with_topics=True, caption="Evidence picture: every claim")))

    fills = {VOCABULARY_MARKER: vocabularies, CONTRIBUTING_MARKER: contributing, GRAPH_MARKER: graph}
    return prose.fill_markers(text, fills) if "<!-- evidence:" in text else text
