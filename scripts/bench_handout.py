"""Print how long handouts take: each real topic, and a synthetic topic of 15 claims.

Run with ``make bench``. Timings are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

from mkdocs_evidence.handout import make_handout, pdf_bytes, render_html, select_claims, write_handout
from mkdocs_evidence.model import Graph
from mkdocs_evidence.project import load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml

ROOT = Path(__file__).resolve().parent.parent


def fifteen_claims(graph: Graph) -> Graph:
    """The real claims repeated under new ids until there are 15, all in one topic."""
    base = list(graph.claims.values())
    claims = {}
    for i in range(15):
        c = base[i % len(base)]
        claims[f"{c.id}-{i}"] = dataclasses.replace(c, id=f"{c.id}-{i}", related=())
    return dataclasses.replace(graph, claims=claims, claims_by_topic={**graph.claims_by_topic, "hip-pain": tuple(claims)})


def main() -> None:
    start = time.perf_counter()
    project = load_project(settings_from_mkdocs_yml(ROOT / "mkdocs.yml"))
    print(f"load project: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    pdf_bytes("<p>warm-up</p>")  # the first render loads Pango and fonts
    print(f"first render (loads WeasyPrint, Pango, fonts): {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for topic in project.graph.topics:
            n = len(project.graph.claims_by_topic.get(topic, ()))
            start = time.perf_counter()
            write_handout(project.graph, Path(tmp) / f"{topic}.pdf", topic=topic, project_root=ROOT)
            size = (Path(tmp) / f"{topic}.pdf").stat().st_size
            print(f"topic {topic}: {n} claims, {time.perf_counter() - start:.2f} s, {size / 1024:.0f} KiB")
    graph = fifteen_claims(project.graph)
    title, claims = select_claims(graph, topic="hip-pain")
    for paper in ("a4", "letter"):
        start = time.perf_counter()
        data = pdf_bytes(render_html(make_handout(graph, title, claims, site_url="https://example.org/"), paper))
        print(
            f"synthetic topic, 15 claims with QR codes, {paper}: {time.perf_counter() - start:.2f} s, {len(data) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
