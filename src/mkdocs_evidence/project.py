"""The whole pipeline up to the graph: load → resolve → validate, shared by the CLI and the plugin."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import cache
from .aside import Aside
from .bibliography import parse_bibliography_text
from .examples import check_examples
from .graph import build_graph, load_topic_pages
from .issues import Issue, Severity, apply_severities, summary
from .load import (
    ClaimMemo,
    ClaimRecord,
    PendingClaims,
    ProsePage,
    Snapshot,
    load_glossary,
    load_markdown,
    load_prose,
    load_snapshots,
    load_topics,
    load_watch,
    read_bibliography,
)
from .model import Graph, Reference
from .portable import check_names
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
from .validate_studies import check_findings, check_profiles, check_studies
from .validate_watch import check_notices


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


def load_project(settings: Settings, memo: ClaimMemo | None = None) -> Project:
    """Parse every file once, build the graph once, and validate it.

    ``memo`` keeps parsed claim files between calls (``mkdocs serve``): unchanged ones are not parsed again.
    """
    with _no_gc_pauses():
        return _load_project(settings, memo)


@contextlib.contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """No cyclic garbage collection while a project is loaded.

    Loading makes millions of objects that live on (a 10,000-claim project: a second of full
    collections that find nothing to free); the collector is back to how it was afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_project(settings: Settings, memo: ClaimMemo | None) -> Project:
    # The bibliography is read here and parsed by a worker while the others parse the claim and
    # study files (all of it here in a small project); this process loads the rest meanwhile, then
    # parses the files no worker has started yet (they are not sent back and forth).
    bib_text, issues = read_bibliography(settings)
    display = settings.display(settings.bibliography)
    also = None if bib_text is None else functools.partial(parse_bibliography_text, bib_text, display)
    # Listed now; the workers start once the rest is loaded (starting one waits for the fork server).
    pending = PendingClaims(settings, memo, also)
    try:
        topics_file, _, topic_issues = load_topics(settings)
        glossary, glossary_issues = load_glossary(settings)
        markdown, markdown_issues = load_markdown(settings)
        snapshots, snapshot_issues = load_snapshots(settings)
        name_issues = check_names(settings)
        watch, watch_issues = load_watch(settings)
    finally:
        records, claim_issues = pending.result()
    parsed: tuple[dict[str, Reference], list[Issue]] | None = pending.also_result()
    references, bib_issues = parsed if parsed is not None else ({}, [])
    issues += bib_issues
    topics = load_topic_pages(settings, topics_file, markdown)
    pages = load_prose(markdown)
    studies, study_issues = pending.studies()

    # The checks that need only the parsed files run in a copy of this process (a big project, on
    # more than one core) while this one builds the graph; the issues keep their order either way.
    def graph_free_checks() -> tuple[list[Issue], list[Issue]]:
        first = [*check_html(markdown), *check_claims(records, references, topics), *check_studies(studies, references)]
        first += check_findings(records, references, {s.data.key: s for s in studies})
        then = [*check_placeholders(records), *check_quotes(records, snapshots, references)]
        then += check_prose(pages, references, {r.data.id for r in records})
        then += check_references(references, records, pages)
        then += check_reviews(records, today(), settings.review_after_days)
        then += check_examples(records, studies, references, release=settings.release)
        return first, then

    aside = Aside(graph_free_checks, wanted=pending.parallel)
    graph = dataclasses.replace(build_graph(records, references, topics, studies, watch), glossary=glossary)
    issues += claim_issues + topic_issues + glossary_issues + markdown_issues + snapshot_issues + study_issues
    issues += name_issues + watch_issues
    with_graph = [*check_grading(records, graph), *check_profiles(graph, records), *check_notices(records, graph)]
    first, then = aside.result()
    issues += first + with_graph + then
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


@dataclass(frozen=True)
class CheckResult:
    """What ``evidence check`` reports: the issues (severities applied) and how many claims and references."""

    issues: tuple[Issue, ...]
    claims: int
    references: int
    #: True when the result came from ``.cache/evidence/`` (nothing had changed).
    cached: bool = False
    #: The project the issues come from (None from the cache): kept so a caller about to exit can
    #: leave freeing it to the operating system.
    project: Project | None = field(default=None, compare=False, repr=False)


#: The check's cache file, in :func:`mkdocs_evidence.cache.folder`.
CHECK_CACHE = "check.json"


def check_project(settings: Settings) -> CheckResult:
    """:func:`load_project`'s issues and counts, from the cache when no input has changed since the last check.

    The inputs are the bibliography and everything under the docs, claims and snapshots folders
    and the topics file; the key also holds the settings, today's date and the package itself.
    """
    if not settings.caching:
        return _check(load_project(settings))
    inputs = [
        settings.bibliography,
        settings.docs_dir,
        settings.claims_dir,
        settings.topics_file,
        settings.snapshots_dir,
        settings.studies_dir,
        settings.watch_file,
    ]
    state, newest = cache.inputs_state(inputs, settings.root)
    stamp = cache.Stamp(cache.key_of(settings, today(), state), newest)
    path = cache.folder(settings.root) / CHECK_CACHE
    stored = cache.read_json(path)
    if isinstance(stored, dict) and stored.get("key") == stamp.key:
        try:
            issues = tuple(Issue(c, m, p, int(ln), Severity(sv)) for c, m, p, ln, sv in stored["issues"])
            return CheckResult(issues, int(stored["claims"]), int(stored["references"]), cached=True)
        except (KeyError, TypeError, ValueError):
            pass  # a damaged cache is a miss
    result = _check(load_project(settings))
    if stamp.trustworthy:
        issues_out = [[i.code, i.message, i.path, i.line, i.severity.value] for i in result.issues]
        payload = {"key": stamp.key, "issues": issues_out, "claims": result.claims, "references": result.references}
        cache.write_json(path, payload)
    return result


def _check(project: Project) -> CheckResult:
    return CheckResult(project.issues, len(project.graph.claims), len(project.graph.references), project=project)
