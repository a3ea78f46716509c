"""One function per kind of generated page: each returns the page's path, its Markdown and whether it is in the nav.

The functions take the :class:`~mkdocs_evidence.render.Renderer` of the build for templates, links
and settings; what each page shows comes from :mod:`mkdocs_evidence.assess`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from . import assess, sof, vocab
from .export import claim_review, csl_json, json_for_html
from .finish import FRONT_MATTER
from .glossary import link_terms
from .model import Appearance, Claim, Graph, Reference, Term, Topic
from .sanitize import Slots, hold_blocks, rich
from .templates import label, short_citation
from .urls import BIBLIOGRAPHY, CLAIMS_INDEX, GLOSSARY, REVIEW, Urls, claim_src, source_src, topic_src

if TYPE_CHECKING:
    from .render import Renderer


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, its Markdown, whether the site's navigation lists it, and its search text.

    ``search`` is what a site search should find the page by, as plain text ("" lets the search
    engine index the page's HTML instead).
    """

    src: str
    text: str
    in_nav: bool = False
    search: str = ""
    #: The page's own HTML held aside while contributor Markdown in it is converted and cleaned (topic pages).
    slots: Slots | None = None


def claim_page(r: Renderer, claim: Claim) -> Page:
    """A claim: verdict, why the certainty, the evidence, where it appears, searches and corrections."""
    g, src = r.graph, claim_src(claim.id)
    # The page's own address, as the finished site has it (JSON-LD is data: no generator rewrites it).
    url = r.page_url(src) if r.site_url else Urls(r.urls.use_directory_urls).relative(src, src)
    review = claim_review(claim, g, url=url, site_name=r.site_name, site_url=r.site_url)
    s = sof.summary(claim, g)
    # The tally and the best-evidence box count only what the profile counts: the page never says that
    # nothing tests the claim beside a table of findings that do (nor the reverse).
    counted = sof.tested_view(claim, s)
    text = r.render(
        "claim.md.j2",
        src,
        claim=claim,
        sof=s,
        counts=assess.relation_counts(counted, g.references),
        best=assess.best_evidence(counted, g.references),
        evidence=assess.ordered_evidence(claim, g.references),
        in_words=assess.grade_sentence(claim),
        ceiling_reason=sof.certainty_reason(s, claim),
        tests=s.tested,
        jsonld=Markup(json_for_html(review)),  # noqa: S704 - escaped for <script> by json_for_html
    )
    if g.glossary:
        macros, glossary_href = r.macros(src), r.urls.relative(src, GLOSSARY)

        def term_link(term: Term, words: str) -> str:
            return str(macros.term_link(f"{glossary_href}#{term.anchor}", Markup(words)))  # type: ignore[attr-defined]  # noqa: S704 - the page's own escaped text

        text = link_terms(text, g.glossary, term_link)
    return Page(src, text, search=claim_search_text(claim, assess.grade_sentence(claim)))


def claim_search_text(claim: Claim, in_words: str) -> str:
    """Verdict, certainty, bottom line, the claim itself, why, the summary and the quotes: what a reader searches by.

    Escaped: the theme shows search text as HTML.
    """
    verdict = f"{label(claim.verdict)}. {label(claim.certainty)} certainty."
    reason, summary = rich(claim.reason).striptags(), rich(claim.summary).striptags()
    quotes = [a.quote for a in claim.appearances]  # readers arrive with an article's words
    words = [verdict, claim.bottom_line or in_words, claim.statement, reason, summary, *quotes]
    return str(escape(" ".join(w for w in words if w)))


def source_page(r: Renderer, ref: Reference) -> Page:
    """A source: the full reference, the claims citing it (or made in it), and "cite this"."""
    src = source_src(ref.key)
    made_here = article_claims(r.graph, ref.key)
    text = r.render(
        "source.md.j2",
        src,
        ref=ref,
        citations=r.graph.cited_by.get(ref.key, ()),
        notices=r.graph.notices.get(ref.key, ()),
        made_here=made_here,
        appraisal=sof.appraisal(r.graph, ref.key, r.finding_users),
        record_link=sof.record_link(r.graph.studies[ref.key]) if ref.key in r.graph.studies else "",
        groups=group_by_verdict(c for c, _ in made_here),
        bibtex=ref.bibtex,
        csl=json.dumps([csl_json(ref)], ensure_ascii=False, indent=2),
    )
    authors = ", ".join(" ".join(p for p in (a.first, a.surname) if p) for a in ref.authors)
    words = [short_citation(ref), ref.title, authors, ref.get("journal"), ref.year]
    return Page(src, text, search=str(escape(" ".join(w for w in words if w))))


def topic_page(r: Renderer, topic: Topic) -> Page:
    """A topic: its introduction, the evidence matrix and picture, its claims by verdict."""
    src = topic_src(topic.id)
    claims = [r.graph.claims[c] for c in r.graph.claims_by_topic.get(topic.id, ())]
    slots = Slots() if r.holds_own_html and topic.intro else None
    # The introduction is a contributor's Markdown: it stands where this token is while the template's own
    # HTML blocks are held aside, so the page can be converted and cleaned whole.
    place = slots.hold("") if slots else ""
    text = r.render(
        "topic.md.j2",
        src,
        topic=topic,
        intro=Markup(place or r.expand_prose(topic.intro, src)),  # noqa: S704 - a token, or Markdown of a prose page made inert
        groups=group_by_verdict(claims),
        claims=claims,
        matrix=assess.evidence_matrix(claims, r.graph.references),
        picture=r.picture(src, claims, with_topics=False, caption=f"Evidence picture: {topic.title}"),
    )
    if slots:
        text = _hold_around(text, place, r.expand_prose(topic.intro, src, slots), slots)
    return Page(src, text, in_nav=True, slots=slots)


def _hold_around(text: str, place: str, intro: str, slots: Slots) -> str:
    """The page with its own HTML blocks held (front matter and headings kept) and ``intro`` at ``place``."""
    match = FRONT_MATTER.match(text)
    head, body = (text[: match.end()], text[match.end() :]) if match else ("", text)
    before, found, after = body.partition(place)
    if not found:  # a site's own topic template that shows no introduction
        return text
    return f"{head}{hold_blocks(before, slots)}\n\n{intro}\n\n{hold_blocks(after, slots)}\n"


def claims_index(r: Renderer) -> Page:
    """Every claim with its verdict and certainty, by verdict and then alphabetically."""
    claims = [c for _, cs in group_by_verdict(r.graph.claims.values()) for c in cs]
    return Page(CLAIMS_INDEX, r.render("claims_index.md.j2", CLAIMS_INDEX, claims=claims), True)


def review_page(r: Renderer) -> Page:
    """Claims due for review, the oldest first."""
    due = [c for c in r.graph.claims.values() if (r.today - c.reviewed).days > r.review_after_days]
    due.sort(key=lambda c: (c.reviewed, c.id))  # the oldest first
    # Claims whose searches, run again by `evidence watch`, found records nobody has looked at yet.
    found = [(r.graph.claims[c], runs) for c, runs in r.graph.search_runs.items() if any(run.new for run in runs)]
    found.sort(key=lambda item: item[0].id)
    text = r.render("review.md.j2", REVIEW, claims=due, found=found, after_days=r.review_after_days, today=r.today)
    return Page(REVIEW, text)


def glossary(r: Renderer) -> Page:
    """The site's glossary: each term and what it means (claim pages link to its entries)."""
    return Page(GLOSSARY, r.render("glossary.md.j2", GLOSSARY, glossary=r.graph.glossary), True)


def bibliography(r: Renderer) -> Page:
    """Every source: research first, then the popular articles claims appear in."""
    research: list[Reference] = []
    popular: list[Reference] = []
    for ref in sorted(r.graph.references.values(), key=_bibliography_order):
        (popular if ref.design == vocab.POPULAR else research).append(ref)
    return Page(BIBLIOGRAPHY, r.render("bibliography.md.j2", BIBLIOGRAPHY, research=research, popular=popular), True)


@dataclass
class PageMemo:
    """Claim and source pages rendered by earlier builds of this process (``mkdocs serve``), with their inputs.

    A page is rendered again only when something it shows changed: its claim or reference, the
    references a claim cites, the claims it links to, its topics, the claims citing a source. Any
    change of the renderer's settings (``stamp``) forgets every page.
    """

    stamp: object = None
    pages: dict[str, tuple[tuple[object, ...], Page]] = field(default_factory=dict)

    def get(self, src: str, inputs: tuple[object, ...], render: Callable[[], Page]) -> Page:
        known = self.pages.get(src)
        # Equal records, not the same objects: every build makes a new graph.
        if known is not None and known[0] == inputs:
            return known[1]
        page = render()
        self.pages[src] = (inputs, page)
        return page


def claim_inputs(g: Graph, claim: Claim) -> tuple[object, ...]:
    """Everything a claim page shows: the claim, what it cites, the claims it links to, its topics."""
    keys = [e.key for e in claim.evidence] + [a.key for a in claim.appearances]
    return (
        claim,
        tuple(g.references.get(k) for k in keys),
        tuple(g.studies.get(e.key) for e in claim.evidence),  # the profile and its table
        tuple(g.claims.get(c) for c in claim.related),
        tuple(g.topics.get(t) for t in claim.topics),
        g.glossary,  # the terms it links
        tuple(g.notices.get(k, ()) for k in keys),  # a retraction changes the profile and marks the source
        g.search_runs.get(claim.id, ()),
    )


def source_inputs(g: Graph, ref: Reference) -> tuple[object, ...]:
    """Everything a source page shows: the reference, its appraisal and the claims citing it."""
    citations = g.cited_by.get(ref.key, ())
    citing = tuple(g.claims.get(c.claim) for c in citations)
    return (ref, g.studies.get(ref.key), tuple(citations), citing, g.notices.get(ref.key, ()))


def all_pages(r: Renderer) -> Iterator[Page]:
    """Every generated page of the graph (claim and source pages from the memo where nothing they show changed)."""
    g, memo = r.graph, r.memo
    if memo is None:
        yield from (claim_page(r, claim) for claim in g.claims.values())
        yield from (source_page(r, ref) for ref in g.references.values())
    else:
        # Pages of claims or sources that are gone are forgotten (a claim's id can come back later).
        live = {claim_src(c) for c in g.claims} | {source_src(k) for k in g.references}
        memo.pages = {src: known for src, known in memo.pages.items() if src in live}
        for claim in g.claims.values():
            yield memo.get(claim_src(claim.id), claim_inputs(g, claim), lambda claim=claim: claim_page(r, claim))  # type: ignore[misc]
        for ref in g.references.values():
            yield memo.get(source_src(ref.key), source_inputs(g, ref), lambda ref=ref: source_page(r, ref))  # type: ignore[misc]
    yield from (topic_page(r, topic) for topic in g.topics.values())
    yield claims_index(r)
    yield review_page(r)
    yield bibliography(r)
    if g.glossary:
        yield glossary(r)


def group_by_verdict(claims: Iterable[Claim]) -> list[tuple[str, list[Claim]]]:
    """Claims grouped by verdict in vocabulary order, alphabetically within a group (never by id), empty groups left out."""
    groups: dict[str, list[Claim]] = {v: [] for v in vocab.VERDICTS}
    for c in sorted(claims, key=lambda c: (c.statement.casefold(), c.id)):
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
