"""The evidence picture: claims, their sources and topics as a static SVG, laid out at build time.

Columns, left to right: topics (home page only), claims, research sources. An edge from a claim to
a source is coloured and dashed by relation, so the picture reads without colour too. Every node
links to its page and carries its full text as a tooltip (SVG ``<title>``). No script, no fonts,
no external requests: the SVG is inlined into the page.

Layout is linear in claims + sources + links: claims keep their topic and verdict order, sources are
placed at the mean height of the claims citing them (the barycentre heuristic, which keeps most
edges short) and then spread out so labels never overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import vocab
from .model import Claim, Graph, Topic

ROW = 18  # px between rows: 12 px text plus room to point at a link on a touch screen
TOP = 34  # room for the legend
LABEL_CHARS = 44  # claim labels longer than this are cut, with the full statement in the tooltip
LABEL_CHARS_WIDE = 60  # the same without a topic column (topic pages)
SOURCE_CHARS = 24
TOPIC_CHARS = 14  # topic names wrap at this width


@dataclass(frozen=True)
class Node:
    """A labelled dot that links to a page."""

    x: float
    y: float
    label: str
    title: str
    href: str
    kind: str  # "topic", "claim" or "source"
    css: str  # verdict (claims), design (sources) or "" (topics)

    @property
    def lines(self) -> tuple[str, ...]:
        """The label over lines: topic names wrap to fit their narrow column, others stay on one."""
        if self.kind != "topic":
            return (self.label,)
        lines: list[str] = []
        for word in self.label.split():
            if lines and len(lines[-1]) + 1 + len(word) <= TOPIC_CHARS:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return tuple(lines)


@dataclass(frozen=True)
class Edge:
    """A link drawn between two nodes."""

    x1: float
    y1: float
    x2: float
    y2: float
    relation: str  # a relation from vocab.RELATIONS, or "topic"

    @property
    def path(self) -> str:
        """A cubic curve leaving and entering horizontally."""
        mid = (self.x1 + self.x2) / 2
        return f"M{self.x1:.0f},{self.y1:.0f} C{mid:.0f},{self.y1:.0f} {mid:.0f},{self.y2:.0f} {self.x2:.0f},{self.y2:.0f}"


@dataclass(frozen=True)
class Picture:
    """Everything the SVG template draws."""

    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    #: Relations that occur, in vocabulary order (for the legend).
    relations: tuple[str, ...]
    #: Plain-text description for screen readers.
    description: str
    #: x of the text column headings: claims, sources, topics (-1 when absent).
    heading_x: tuple[float, float, float]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Columns:
    """x positions of the picture's columns: a topic column only on the home page."""

    with_topics: bool

    @property
    def topic_x(self) -> float:
        return 100.0

    @property
    def claim_x(self) -> float:
        return 128.0 if self.with_topics else 8.0

    @property
    def label_chars(self) -> int:
        return LABEL_CHARS if self.with_topics else LABEL_CHARS_WIDE

    @property
    def claim_text_w(self) -> float:
        return self.label_chars * 6.4

    @property
    def source_x(self) -> float:
        return self.claim_x + self.claim_text_w + 90

    @property
    def width(self) -> int:
        return int(self.source_x + 8 + SOURCE_CHARS * 6.6)


def evidence_picture(
    graph: Graph,
    claims: Sequence[Claim],
    link: Callable[[str], str],
    short: Callable[[str], str],
    topics: Sequence[Topic] = (),
) -> Picture:
    """Lay out ``claims``, the research they cite and (if given) ``topics``.

    ``link`` maps a page's source path (``claims/x.md``) to an href from the page the picture is on;
    ``short`` maps a reference key to its short citation ("Wei et al. 2022").
    """
    col = _Columns(bool(topics))
    if topics:
        claims = _by_topic_and_verdict(claims, topics)
    claim_y = {c.id: TOP + ROW * i + ROW / 2 for i, c in enumerate(claims)}
    source_y = _source_rows(graph, claims, claim_y)
    rows_bottom = max([*claim_y.values(), *source_y.values(), TOP]) + ROW / 2

    nodes = [_claim_node(c, claim_y[c.id], col, link) for c in claims]
    nodes += [_source_node(graph, k, y, col, link, short) for k, y in source_y.items()]
    edges = _evidence_edges(claims, claim_y, source_y, col)
    relations = {e.relation for e in edges}
    for i, t in enumerate(topics):
        y = TOP + (rows_bottom - TOP) * (i + 0.5) / len(topics)
        members = [c for c in claims if t.id in c.topics]
        nodes.append(Node(col.topic_x, y, t.title, f"{t.title}: {len(members)} claims", link(f"topics/{t.id}.md"), "topic", ""))
        edges.extend(Edge(col.topic_x + 6, y, col.claim_x - 6, claim_y[c.id], "topic") for c in members)
    return Picture(
        width=col.width,
        height=int(rows_bottom + 6),
        nodes=tuple(nodes),
        edges=tuple(edges),
        relations=tuple(r for r in vocab.RELATIONS if r in relations),
        description=_description(len(claims), len(source_y), len(topics), edges, relations),
        heading_x=(col.claim_x, col.source_x, col.topic_x if topics else -1),
    )


def _by_topic_and_verdict(claims: Sequence[Claim], topics: Sequence[Topic]) -> list[Claim]:
    order = {t.id: i for i, t in enumerate(topics)}
    verdict_order = {v: i for i, v in enumerate(vocab.VERDICTS)}

    def key(c: Claim) -> tuple[int, int, str]:
        return (min((order.get(t, len(order)) for t in c.topics), default=len(order)), verdict_order[c.verdict], c.id)

    return sorted(claims, key=key)


def _source_rows(graph: Graph, claims: Sequence[Claim], claim_y: dict[str, float]) -> dict[str, float]:
    """Sources at the barycentre of the claims citing them, then pushed apart to one row each (in that order)."""
    cited: dict[str, list[float]] = {}
    for c in claims:
        for e in c.evidence:
            if graph.references[e.key].design != vocab.POPULAR:
                cited.setdefault(e.key, []).append(claim_y[c.id])
    source_y: dict[str, float] = {}
    last = TOP - ROW / 2
    for k in sorted(cited, key=lambda k: (sum(cited[k]) / len(cited[k]), k)):
        last = max(sum(cited[k]) / len(cited[k]), last + ROW)
        source_y[k] = last
    return source_y


def _claim_node(c: Claim, y: float, col: _Columns, link: Callable[[str], str]) -> Node:
    title = f"{c.verdict.replace('-', ' ').capitalize()}, {c.certainty.replace('-', ' ')} certainty: {c.statement}"
    return Node(col.claim_x, y, _cut(c.statement, col.label_chars), title, link(f"claims/{c.id}.md"), "claim", c.verdict)


def _source_node(
    graph: Graph, key: str, y: float, col: _Columns, link: Callable[[str], str], short: Callable[[str], str]
) -> Node:
    ref = graph.references[key]
    design = vocab.DESIGN_LABELS.get(ref.design, "design not recorded")
    label = _cut(short(key), SOURCE_CHARS)
    return Node(col.source_x, y, label, f"{ref.title} ({design})", link(f"sources/{key}.md"), "source", ref.design)


def _evidence_edges(claims: Sequence[Claim], claim_y: dict[str, float], source_y: dict[str, float], col: _Columns) -> list[Edge]:
    """One edge per claim and source (a source cited twice by a claim is drawn once)."""
    edges: list[Edge] = []
    for c in claims:
        seen: set[str] = set()
        for e in c.evidence:
            if e.key in source_y and e.key not in seen:
                seen.add(e.key)
                x1, x2 = col.claim_x + col.claim_text_w + 6, col.source_x - 6
                edges.append(Edge(x1, claim_y[c.id], x2, source_y[e.key], e.relation))
    return edges


def _description(claims: int, sources: int, topics: int, edges: list[Edge], relations: set[str]) -> str:
    """The picture in words, for screen readers."""
    links = [e for e in edges if e.relation != "topic"]
    counts = ", ".join(f"{sum(1 for e in links if e.relation == r)} {r}" for r in vocab.RELATIONS if r in relations)
    return (
        f"{claims} claims and the {sources} research sources they cite"
        + (f", grouped into {topics} topics" if topics else "")
        + (f". Links: {counts}." if counts else ". No research sources yet.")
    )
