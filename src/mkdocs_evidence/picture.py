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
    with_topics = bool(topics)
    # Column positions: a topic column only on the home page.
    topic_x = 100.0
    claim_x = 128.0 if with_topics else 8.0
    label_chars = LABEL_CHARS if with_topics else LABEL_CHARS_WIDE
    claim_text_w = label_chars * 6.4
    source_x = claim_x + claim_text_w + 90
    width = int(source_x + 8 + SOURCE_CHARS * 6.6)

    if with_topics:
        order = {t.id: i for i, t in enumerate(topics)}
        verdict_order = {v: i for i, v in enumerate(vocab.VERDICTS)}
        claims = sorted(
            claims,
            key=lambda c: (min((order.get(t, len(order)) for t in c.topics), default=len(order)), verdict_order[c.verdict], c.id),
        )
    claim_y = {c.id: TOP + ROW * i + ROW / 2 for i, c in enumerate(claims)}

    # Sources: barycentre of the claims that cite them, then pushed apart to one row each.
    cited: dict[str, list[float]] = {}
    for c in claims:
        for e in c.evidence:
            if graph.references[e.key].design != "popular-article":
                cited.setdefault(e.key, []).append(claim_y[c.id])
    keys = sorted(cited, key=lambda k: (sum(cited[k]) / len(cited[k]), k))
    source_y: dict[str, float] = {}
    last = TOP - ROW / 2
    for k in keys:
        last = max(sum(cited[k]) / len(cited[k]), last + ROW)
        source_y[k] = last
    rows_bottom = max([*claim_y.values(), *source_y.values(), TOP]) + ROW / 2

    nodes: list[Node] = []
    edges: list[Edge] = []
    for c in claims:
        y = claim_y[c.id]
        title = f"{c.verdict.replace('-', ' ').capitalize()}, {c.certainty.replace('-', ' ')} certainty: {c.statement}"
        nodes.append(Node(claim_x, y, _cut(c.statement, label_chars), title, link(f"claims/{c.id}.md"), "claim", c.verdict))
    for k in keys:
        ref = graph.references[k]
        design = vocab.DESIGN_LABELS.get(ref.design, "design not recorded")
        nodes.append(
            Node(
                source_x,
                source_y[k],
                _cut(short(k), SOURCE_CHARS),
                f"{ref.title} ({design})",
                link(f"sources/{k}.md"),
                "source",
                ref.design,
            )
        )
    relations: set[str] = set()
    for c in claims:
        seen: set[str] = set()
        for e in c.evidence:
            if e.key in source_y and e.key not in seen:
                seen.add(e.key)
                relations.add(e.relation)
                edges.append(Edge(claim_x + claim_text_w + 6, claim_y[c.id], source_x - 6, source_y[e.key], e.relation))
    if with_topics:
        span = rows_bottom - TOP
        for i, t in enumerate(topics):
            y = TOP + span * (i + 0.5) / len(topics)
            members = [c for c in claims if t.id in c.topics]
            nodes.append(Node(topic_x, y, t.title, f"{t.title}: {len(members)} claims", link(f"topics/{t.id}.md"), "topic", ""))
            edges.extend(Edge(topic_x + 6, y, claim_x - 6, claim_y[c.id], "topic") for c in members)

    links = [e for e in edges if e.relation != "topic"]
    counts = ", ".join(f"{sum(1 for e in links if e.relation == r)} {r}" for r in vocab.RELATIONS if r in relations)
    description = (
        f"{len(claims)} claims and the {len(keys)} research sources they cite"
        + (f", grouped into {len(topics)} topics" if with_topics else "")
        + (f". Links: {counts}." if counts else ". No research sources yet.")
    )
    return Picture(
        width=width,
        height=int(rows_bottom + 6),
        nodes=tuple(nodes),
        edges=tuple(edges),
        relations=tuple(r for r in vocab.RELATIONS if r in relations),
        description=description,
        heading_x=(claim_x, source_x, topic_x if with_topics else -1),
    )
