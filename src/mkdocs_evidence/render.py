"""The resolved graph → Markdown pages (HTML blocks inside), from overridable Jinja2 templates.

Pages are returned as ``{src_uri: markdown}``; the MkDocs plugin hands them to MkDocs, and
``evidence render`` writes them to a folder for any other generator. Links are computed here
because MkDocs does not rewrite links inside raw HTML blocks.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import assess, prose, vocab
from .export import claim_review, claims_document, csl_json, json_for_html
from .model import Appearance, Claim, Graph, Reference
from .paths import safe_href
from .picture import evidence_picture
from .sanitize import rich, rich_inline
from .schema import claim_json_schema
from .settings import Settings, today

CLAIMS = "claims"
SOURCES = "sources"
TOPICS = "topics"
#: The generated page listing claims due for review.
REVIEW = f"{CLAIMS}/review.md"
#: Placeholder a prose page (the method page) can use to show every vocabulary with its meaning.
VOCABULARY_MARKER = "<!-- evidence:vocabularies -->"
#: Placeholder a prose page (the home page) can use to show the picture of all claims and sources.
GRAPH_MARKER = "<!-- evidence:graph -->"
#: Machine-readable files published with the site (see export.py and the README).
CLAIMS_JSON = "claims.json"
CLAIM_SCHEMA = "schema/claim.schema.json"


class Urls:
    """Where each generated page lives and how to link to it from another page."""

    def __init__(self, use_directory_urls: bool = True) -> None:
        self.use_directory_urls = use_directory_urls

    def url(self, src_uri: str) -> str:
        """The site URL of a Markdown source path, as MkDocs computes it."""
        stem = src_uri[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/" if self.use_directory_urls else f"{stem}.html"

    def relative_file(self, from_src: str, path: str) -> str:
        """Link from a page to a file that is not a page (``handouts/x.pdf``), relative to the page's URL."""
        from_url = self.url(from_src)
        base = from_url.rstrip("/") if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
        return safe_href(posixpath.relpath(path, base or "."))

    def relative(self, from_src: str, to_src: str) -> str:
        """Link from one page to another, relative, as a static site needs."""
        from_url, to_url = self.url(from_src), self.url(to_src)
        base = from_url.rstrip("/") if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
        rel = posixpath.relpath(to_url or ".", base or ".")
        if to_url.endswith("/") or not to_url:
            rel = rel.rstrip("/") + "/"
        return "./" if rel == "./" else safe_href(rel.removeprefix("./"))


def claim_src(claim_id: str) -> str:
    """Source path of a claim page."""
    return f"{CLAIMS}/{claim_id}.md"


def source_src(key: str) -> str:
    """Source path of a reference's page."""
    return f"{SOURCES}/{key}.md"


def topic_src(topic_id: str) -> str:
    """Source path of a topic page."""
    return f"{TOPICS}/{topic_id}.md"


def short_citation(ref: Reference) -> str:
    """``Wei et al. 2022``, ``Khamis & Yizhar 2007``, or the title for works without authors."""
    names = [a.surname for a in ref.authors]
    if not names:
        who = ref.get("organization") or ref.get("publisher") or ref.title
    elif len(names) > 2 or ref.et_al:  # "Smith and others" is "Smith et al." too
        who = f"{names[0]} et al."
    elif len(names) == 1:
        who = names[0]
    else:
        who = f"{names[0]} & {names[1]}"
    return f"{who} {ref.year}".strip()


def stop(text: str) -> str:
    """The period that ends a reference element, or nothing when the text already ends a sentence."""
    return "" if str(text).rstrip().endswith((".", "?", "!")) else "."


def _design_label(design: str) -> str:
    return vocab.DESIGN_LABELS.get(design, design)


def _label(value: str) -> str:
    return value.replace("-", " ").capitalize()


class Renderer:
    """Renders every generated page of a graph. Build once per site build."""

    def __init__(
        self,
        graph: Graph,
        templates_dir: Path | None = None,
        use_directory_urls: bool = True,
        *,
        claim_edit_base: str = "",
        review_after_days: int = 365,
        on: dt.date | None = None,
        handout_links: bool = False,
        site_name: str = "",
        site_url: str = "",
        picture_max_claims: int = 120,
    ) -> None:
        self.graph = graph
        #: Who publishes the reviews (schema.org ``author``) and where the site lives ("" if unknown).
        self.site_name = site_name or "mkdocs-evidence"
        self.site_url = site_url
        self.picture_max_claims = picture_max_claims
        self._pictures = 0
        self.urls = Urls(use_directory_urls)
        #: URL that a claim file's name is appended to for its "edit this claim" link; "" for no link.
        self.claim_edit_base = claim_edit_base
        self.review_after_days = review_after_days
        self.today = on or today()
        loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("mkdocs_evidence", "templates")]
        if templates_dir is not None:
            loaders.insert(0, jinja2.FileSystemLoader(templates_dir))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters.update(
            rich=rich,
            rich_inline=rich_inline,
            label=_label,
            design_label=_design_label,
            design_plural=lambda d: vocab.DESIGN_PLURALS.get(d, d),
            short=short_citation,
            stop=stop,
            # Front matter: Material prints titles and descriptions without escaping, so escape here.
            front=lambda s: Markup(json.dumps(str(escape(s)), ensure_ascii=False)),  # noqa: S704 - JSON string
        )
        self.env.globals.update(
            graph=graph,
            vocab=vocab,
            verdict_order=list(vocab.VERDICTS),
            claim_src=claim_src,
            source_src=source_src,
            topic_src=topic_src,
            # Off by default: only the site build writes the PDFs, other generators would get dead links.
            handout_links=handout_links,
            edit_url=self.edit_url,
            review_src=REVIEW,
            assess=assess,
        )

    @classmethod
    def for_settings(
        cls,
        graph: Graph,
        settings: Settings,
        use_directory_urls: bool = True,
        *,
        handout_links: bool = False,
    ) -> Renderer:
        """A renderer using a project's templates, edit links and review period."""
        edit_base = ""
        if settings.edit_base:
            claims = settings.claims_dir.relative_to(settings.docs_dir).as_posix()
            edit_base = f"{settings.edit_base}{claims}/"
        return cls(
            graph,
            settings.templates_dir,
            use_directory_urls,
            claim_edit_base=edit_base,
            review_after_days=settings.review_after_days,
            handout_links=handout_links,
            site_name=settings.site_name,
            site_url=settings.site_url,
            picture_max_claims=settings.picture_max_claims,
        )

    def edit_url(self, claim: Claim) -> str:
        """Where to edit a claim's YAML file in the repository, or ``""`` without ``repo_url``."""
        return f"{self.claim_edit_base}{posixpath.basename(claim.path)}" if self.claim_edit_base else ""

    def due_for_review(self) -> list[Claim]:
        """Claims reviewed longer ago than the review period, the oldest first."""
        due = [c for c in self.graph.claims.values() if (self.today - c.reviewed).days > self.review_after_days]
        return sorted(due, key=lambda c: (c.reviewed, c.id))

    def page_url(self, src_uri: str) -> str:
        """A page's address: absolute with ``site_url``, otherwise relative to the site's root."""
        url = self.urls.url(src_uri)
        return f"{self.site_url.rstrip('/')}/{url}" if self.site_url else url

    def _context(self, src_uri: str, prefix: str) -> dict[str, object]:
        """Per-page helpers: links relative to the page, and ids unique within it."""
        counter = iter(range(1, 1_000_000))

        def link(to_src: str) -> str:
            return self.urls.relative(src_uri, to_src)

        def file_link(path: str) -> str:
            return self.urls.relative_file(src_uri, path)

        def new_id() -> str:
            return f"ev-{prefix}{next(counter)}"

        return {"link": link, "file_link": file_link, "page_src": src_uri, "new_id": new_id}

    def _render(self, template: str, src_uri: str, **context: object) -> str:
        return self.env.get_template(template).render(**self._context(src_uri, "t"), **context)

    def picture(self, src_uri: str, claims: list[Claim], *, with_topics: bool, caption: str) -> str:
        """The evidence picture (inline SVG) of some claims, linked from the page at ``src_uri``.

        Above ``picture_max_claims`` claims a short note replaces it: the layout stays linear, but a
        picture thousands of rows tall helps nobody.
        """
        if not claims or not self.picture_max_claims:
            return ""
        if len(claims) > self.picture_max_claims:
            return (
                f'<p class="ev-graph-caption ev-graph-omitted">No evidence picture: {len(claims)} claims are more than '
                f"can be drawn readably (picture_max_claims: {self.picture_max_claims}).</p>"
            )
        pic = evidence_picture(
            self.graph,
            claims,
            lambda to: self.urls.relative(src_uri, to),
            lambda key: short_citation(self.graph.references[key]),
            list(self.graph.topics.values()) if with_topics else (),
        )
        self._pictures += 1  # several pictures may share a page (a marker in a topic introduction)
        gid = f"ev-graph-{self._pictures}"
        return self._render("graph.svg.j2", src_uri, pic=pic, gid=gid, caption=caption)

    def pages(self) -> dict[str, str]:
        """Every generated page: claims, sources, topics, the claim index and the bibliography."""
        g = self.graph
        out: dict[str, str] = {}
        for claim in g.claims.values():
            src = claim_src(claim.id)
            url = self.page_url(src) if self.site_url else self.urls.relative(src, src)
            review = claim_review(claim, g, url=url, site_name=self.site_name, site_url=self.site_url)
            out[src] = self._render(
                "claim.md.j2",
                src,
                claim=claim,
                counts=assess.relation_counts(claim, g.references),
                best=assess.best_evidence(claim, g.references),
                evidence=assess.ordered_evidence(claim, g.references),
                in_words=assess.grade_sentence(claim),
                ceiling_reason=assess.certainty_reason(claim, g.references),
                tests=assess.tests_claim(claim, g.references),
                jsonld=Markup(json_for_html(review)),  # noqa: S704 - escaped for <script> by json_for_html
            )
        for ref in g.references.values():
            src = source_src(ref.key)
            citations = g.cited_by.get(ref.key, ())
            made_here = article_claims(g, ref.key)
            out[src] = self._render(
                "source.md.j2",
                src,
                ref=ref,
                citations=citations,
                made_here=made_here,
                groups=group_by_verdict(c for c, _ in made_here),
                bibtex=ref.bibtex,
                csl=json.dumps([csl_json(ref)], ensure_ascii=False, indent=2),
            )
        for topic in g.topics.values():
            src = topic_src(topic.id)
            claims = [g.claims[c] for c in g.claims_by_topic.get(topic.id, ())]
            picture = self.picture(src, claims, with_topics=False, caption=f"Evidence picture: {topic.title}")
            out[src] = self._render(
                "topic.md.j2",
                src,
                topic=topic,
                intro=Markup(self.expand_prose(topic.intro, src)),  # noqa: S704 - Markdown of a prose page
                groups=group_by_verdict(claims),
                claims=claims,
                matrix=assess.evidence_matrix(claims),
                picture=Markup(picture),  # noqa: S704 - rendered by an autoescaping template
            )
        out[f"{CLAIMS}/index.md"] = self._render("claims_index.md.j2", f"{CLAIMS}/index.md", claims=list(g.claims.values()))
        out[REVIEW] = self._render(
            "review.md.j2", REVIEW, claims=self.due_for_review(), after_days=self.review_after_days, today=self.today
        )
        research: list[Reference] = []
        popular: list[Reference] = []
        for ref in sorted(g.references.values(), key=_bibliography_order):
            (popular if ref.design == "popular-article" else research).append(ref)
        out[f"{SOURCES}/index.md"] = self._render("bibliography.md.j2", f"{SOURCES}/index.md", research=research, popular=popular)
        return out

    def data_files(self) -> dict[str, str]:
        """Machine-readable files published with the site: ``claims.json`` and the claim JSON Schema."""

        def url(path: str) -> str:
            return self.page_url(f"{path}.md")

        document = claims_document(self.graph, url, site_name=self.site_name)
        return {
            CLAIMS_JSON: json.dumps(document, ensure_ascii=False, indent=2) + "\n",
            CLAIM_SCHEMA: json.dumps(claim_json_schema(), ensure_ascii=False, indent=2) + "\n",
        }

    def expand_prose(self, text: str, src_uri: str) -> str:
        """Replace ``[@key]`` and ``[[claim-id]]`` in a prose page with links (unknown ones stay as text)."""

        macros = self.env.get_template("macros.html.j2").make_module(self._context(src_uri, "p"))

        def cite(items: tuple[prose.CiteItem, ...]) -> str:
            parts = []
            for item in items:
                ref = self.graph.references.get(item.key)
                if ref is None:
                    parts.append(str(escape(item.key)))
                    continue
                locator = f", {escape(item.locator)}" if item.locator else ""
                parts.append(f"{macros.cite(ref)}{locator}")  # type: ignore[attr-defined]
            return f'<span class="ev-cites">({"; ".join(parts)})</span>'

        def claim(claim_id: str, label: str) -> str:
            target = self.graph.claims.get(claim_id)
            if target is None:
                return str(escape(label or claim_id))
            href = self.urls.relative(src_uri, claim_src(claim_id))
            badge = f' <span class="ev-verdict ev-verdict--{target.verdict}">{_label(target.verdict)}</span>'
            return f'<a class="ev-claim-link" href="{href}">{escape(label or target.statement)}</a>{badge}'

        # Contributor markup that could carry script is made inert first (and reported by the check);
        # what the expansion and the markers insert afterwards is the site's own HTML.
        text = prose.neutralize(text)
        # Markers are filled in after expansion: what they insert holds contributor text, never expanded.
        text = prose.expand(text, cite, claim)
        if VOCABULARY_MARKER in text:
            text = text.replace(VOCABULARY_MARKER, self._render("vocabularies.md.j2", src_uri))
        if GRAPH_MARKER in text:
            everything = self.picture(
                src_uri, list(self.graph.claims.values()), with_topics=True, caption="Evidence picture: every claim"
            )
            text = text.replace(GRAPH_MARKER, everything)
        return text


def group_by_verdict(claims: Iterable[Claim]) -> list[tuple[str, list[Claim]]]:
    """Claims grouped by verdict, in vocabulary order, empty groups left out."""
    groups: dict[str, list[Claim]] = {v: [] for v in vocab.VERDICTS}
    for c in claims:
        groups[c.verdict].append(c)
    return [(v, cs) for v, cs in groups.items() if cs]


def article_claims(graph: Graph, key: str) -> list[tuple[Claim, list[Appearance]]]:
    """Claims that appear in a source (popular article), each with its appearances there."""
    out = []
    for citation in graph.cited_by.get(key, ()):
        if citation.relation == "appears":
            claim = graph.claims[citation.claim]
            out.append((claim, [a for a in claim.appearances if a.key == key]))
    return out


def _bibliography_order(ref: Reference) -> tuple[str, str, str]:
    first = ref.authors[0].surname.lower() if ref.authors else ref.title.lower()
    return (first, ref.year, ref.key)
