"""The whole pipeline up to the graph: load → resolve → validate, shared by the CLI and the plugin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .bibliography import parse_bibliography
from .graph import build_graph, load_topic_pages
from .issues import Issue, apply_severities, summary
from .load import ClaimRecord, ProsePage, Snapshot, load_claims, load_markdown, load_prose, load_snapshots, load_topics
from .model import Graph
from .settings import Settings, today
from .validate import (
    check_claims,
    check_deployment,
    check_grading,
    check_html,
    check_placeholders,
    check_prose,
    check_quotes,
    check_references,
    check_reviews,
)


@dataclass(frozen=True)
class Project:
    """A loaded project: its resolved graph and every problem found, severities applied."""

    settings: Settings
    graph: Graph
    issues: tuple[Issue, ...]
    prose: tuple[ProsePage, ...]
    #: Every Markdown page as read (by display path): the build renders these, never a second read.
    markdown: Mapping[str, str] = field(default_factory=dict)
    #: The claim files as written (with their lines), for checks that compare them with older versions.
    records: tuple[ClaimRecord, ...] = ()
    snapshots: tuple[Snapshot, ...] = ()

    @property
    def summary(self) -> str:
        """``48 claims, 61 references, 0 errors, 1 warning``."""
        return summary(len(self.graph.claims), len(self.graph.references), list(self.issues))

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(i.severity.value == "error" for i in self.issues)


def load_project(settings: Settings) -> Project:
    """Parse every file once, build the graph once, and validate it."""
    references, issues = parse_bibliography(settings.bibliography, settings.display(settings.bibliography), settings=settings)
    records, claim_issues = load_claims(settings)
    topics_file, _, topic_issues = load_topics(settings)
    markdown, markdown_issues = load_markdown(settings)
    topics = load_topic_pages(settings, topics_file, markdown)
    pages = load_prose(markdown)
    snapshots, snapshot_issues = load_snapshots(settings)
    graph = build_graph(records, references, topics)
    issues += claim_issues + topic_issues + markdown_issues + snapshot_issues
    issues += check_html(markdown)
    issues += check_claims(records, references, topics)
    issues += check_grading(records, references)
    issues += check_placeholders(records)
    issues += check_quotes(records, snapshots, references)
    issues += check_prose(pages, references, set(graph.claims))
    issues += check_references(references, records, pages)
    issues += check_reviews(records, today(), settings.review_after_days)
    issues += check_deployment(settings.site_url, settings.deploy, settings.config_display)
    # dict.fromkeys: a file seen twice (a link found while walking and again when read) is reported once.
    unique = list(dict.fromkeys(issues))
    return Project(
        settings,
        graph,
        tuple(apply_severities(unique, settings.severities)),
        tuple(pages),
        MappingProxyType(markdown),
        tuple(records),
        tuple(snapshots.values()),
    )
