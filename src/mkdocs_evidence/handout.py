"""Printable handouts: a topic's or a selection's claims as a PDF with its own numbered references.

The PDF is made from this package's own HTML (``templates/handout.html.j2``) and print CSS
(``assets/handout.css``) by WeasyPrint. Nothing is fetched while rendering: the fetcher serves
``data:`` URLs only (never a file or the network), and QR codes are inline SVG made by segno.

Only research evidence is numbered and listed; the popular articles a claim appears in are not
evidence and stay on the claim's page on the site. Does not import MkDocs.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import functools
import hashlib
import multiprocessing
import os
import signal
import subprocess
import tempfile
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec

import segno
from markupsafe import Markup

from . import cache, paths, signals
from .model import Claim, Graph, Reference
from .options import Options
from .pages import group_by_verdict
from .settings import Settings, today
from .sof import Summary, summary
from .templates import environment
from .urls import Urls, claim_src
from .version import __version__

#: Paper sizes the CLI and the plugin accept, as CSS ``@page`` sizes.
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}
#: Where the site build and ``make handout`` put topic handouts, relative to the site root.
HANDOUTS_DIR = "handouts"

PANGO_HINT = (
    "WeasyPrint cannot load, so handouts cannot be made. It needs the Pango system library "
    "(Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0; macOS: brew install pango)"
)


class HandoutError(Exception):
    """A handout cannot be made; the message says why in one line."""


@dataclass(frozen=True)
class NumberedReference:
    """A reference with its number in this handout."""

    number: int
    ref: Reference

    @property
    def link(self) -> str:
        """The DOI resolver URL, else the entry's URL, else PubMed, else empty."""
        if self.ref.doi:
            return f"https://doi.org/{self.ref.doi}"
        if self.ref.get("url"):
            return self.ref.get("url")
        if self.ref.get("pmid"):
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.ref.get('pmid')}/"
        return ""


@dataclass(frozen=True)
class HandoutClaim:
    """A claim as the handout shows it: its citation numbers, link and QR code."""

    claim: Claim
    numbers: tuple[int, ...]
    url: str
    qr_svg: Markup
    #: Each numbered source with how it bears on the claim (supports, contradicts, …), for clinicians.
    relations: tuple[tuple[int, str], ...] = ()
    #: The articles the claim was quoted from, each with its flags, so "the article" in a summary has a referent.
    articles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The claim's summary of findings, as its page shows it (the table's study links become reference numbers).
    summary: Summary | None = None


@dataclass(frozen=True)
class Handout:
    """Everything the handout template needs."""

    title: str
    claims: tuple[HandoutClaim, ...]
    references: tuple[NumberedReference, ...]
    made_on: dt.date
    #: What made it (package version and, in a checkout, git describe): PDF metadata, never printed.
    version: str
    #: Without the site's address a link is useless on paper: the handout then prints none.
    links_are_relative: bool
    #: ``clinician`` (every claim with its certainty, downgrades and each source's relation) or
    #: ``patient`` (key messages first, plain words, what the evidence does not show).
    audience: str = "clinician"
    #: Each numbered reference's number by cite key, for the summary-of-findings tables.
    number_of: Mapping[str, int] = field(default_factory=dict)
    #: Who publishes it (``site_name``), printed on every handout; "" for none.
    site_name: str = ""
    #: The site's address and its QR code ("" without ``site_url``): one way back to the full evidence.
    site_url: str = ""
    site_qr: Markup = field(default_factory=Markup)


#: Who a handout is for: the choices of ``evidence handout --audience``.
AUDIENCES = ("clinician", "patient")


def ordered(claims: Sequence[Claim]) -> list[Claim]:
    """A topic's claims as pages list them: by verdict, then alphabetically (never by id)."""
    return [c for _, group in group_by_verdict(claims) for c in group]


def select_claims(graph: Graph, *, topic: str | None = None, claim_ids: Sequence[str] = ()) -> tuple[str, list[Claim]]:
    """The handout's title and claims: a topic's claims, or the named claims in the order given."""
    if topic is not None:
        if topic not in graph.topics:
            known = ", ".join(graph.topics) or "none"
            raise HandoutError(f"unknown topic {topic!r} (known topics: {known})")
        claims = ordered([graph.claims[c] for c in graph.claims_by_topic.get(topic, ())])
        if not claims:
            raise HandoutError(f"topic {topic!r} has no claims; nothing to print")
        return graph.topics[topic].title, claims
    ids = list(dict.fromkeys(i.strip() for i in claim_ids if i.strip()))  # keep order, drop repeats
    if not ids:
        raise HandoutError("no claims selected; pass --topic or --claims id1,id2")
    unknown = [i for i in ids if i not in graph.claims]
    if unknown:
        raise HandoutError(f"unknown claim id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    return "Selected claims", [graph.claims[i] for i in ids]


def number_references(
    graph: Graph, claims: Iterable[Claim]
) -> tuple[list[tuple[Claim, tuple[int, ...]]], list[NumberedReference]]:
    """Number evidence references 1, 2, … in order of first citation across the claims."""
    numbers: dict[str, int] = {}
    cited: list[tuple[Claim, tuple[int, ...]]] = []
    for claim in claims:
        own: list[int] = []
        for e in claim.evidence:
            n = numbers.setdefault(e.key, len(numbers) + 1)
            if n not in own:
                own.append(n)
        cited.append((claim, tuple(own)))
    refs = [NumberedReference(n, graph.references[key]) for key, n in numbers.items()]
    return cited, refs


def claim_url(claim_id: str, site_url: str, relative_base: str = "", use_directory_urls: bool = True) -> str:
    """The claim page's address: absolute under ``site_url``, else relative to ``relative_base``."""
    path = Urls(use_directory_urls).url(claim_src(claim_id))
    if site_url:
        return urllib.parse.urljoin(site_url.rstrip("/") + "/", path)
    return relative_base + path


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of an absolute URL; empty for relative links, which a phone cannot open."""
    if not urllib.parse.urlsplit(url).scheme:
        return Markup("")
    svg = segno.make(url, error="m").svg_inline(scale=2, border=2, omitsize=True)
    return Markup(svg)  # noqa: S704 - SVG generated by segno from a URL, no contributor markup


def git_describe(root: Path) -> str:
    """``git describe --always --dirty`` of the project, or empty outside a git checkout."""
    try:
        proc = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=root, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def make_handout(
    graph: Graph,
    title: str,
    claims: Sequence[Claim],
    *,
    site_url: str = "",
    relative_base: str = "",
    use_directory_urls: bool = True,
    project_root: Path | None = None,
    made_on: dt.date | None = None,
    audience: str = "clinician",
    site_name: str = "",
) -> Handout:
    """Number the references and compute each claim's link and QR code."""
    if audience not in AUDIENCES:
        raise HandoutError(f"unknown audience {audience!r} (use {' or '.join(AUDIENCES)})")
    cited, refs = number_references(graph, claims)
    number_of = {r.ref.key: r.number for r in refs}
    items = []
    for claim, numbers in cited:
        url = claim_url(claim.id, site_url, relative_base, use_directory_urls)
        relations = tuple(dict.fromkeys((number_of[e.key], e.relation) for e in claim.evidence if e.key in number_of))
        articles: dict[str, list[str]] = {}
        for a in claim.appearances:
            flags = articles.setdefault(graph.references[a.key].title, [])
            flags += [f for f in a.flags if f not in flags]
        flagged = tuple((title, tuple(flags)) for title, flags in articles.items())
        items.append(HandoutClaim(claim, numbers, url, qr_svg(url), relations, flagged, summary(claim, graph)))
    described = git_describe(project_root) if project_root else ""
    version = f"mkdocs-evidence {__version__}" + (f", project {described}" if described else "")
    site_qr = qr_svg(site_url) if site_url else Markup("")
    made = made_on or today()
    return Handout(
        title, tuple(items), tuple(refs), made, version, not site_url, audience, number_of,
        site_name=site_name, site_url=site_url, site_qr=site_qr,
    )  # fmt: skip


def render_html(handout: Handout, paper: str = "a4", templates_dir: Path | None = None, options: Options | None = None) -> str:
    """The handout as one self-contained HTML document (print CSS inlined), with the site's wording from ``options``."""
    if paper not in PAPERS:
        raise HandoutError(f"unknown paper size {paper!r} (use {' or '.join(PAPERS)})")
    css = (Path(__file__).parent / "assets" / "handout.css").read_text(encoding="utf-8")
    template = environment(templates_dir).get_template(f"handout_{handout.audience}.html.j2")
    # S704: our own stylesheet.
    return template.render(h=handout, page_size=PAPERS[paper], css=Markup(css), options=options or Options())  # noqa: S704


def _weasyprint() -> Any:
    """Import WeasyPrint, turning a missing Pango (an OSError from cffi) into one clear message."""
    try:
        with warnings.catch_warnings():
            # Only a hint about an optional library (HarfBuzz-Subset); the README lists it.
            warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
            import weasyprint  # imported late: loading Pango is slow and may fail
    except (OSError, ImportError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise HandoutError(f"{PANGO_HINT} ({first_line})") from None
    return weasyprint


def _inline_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs only and refuses every other URL.

    A handout is made from this package's own HTML with its CSS and QR codes inline; a URL anywhere in it
    (an image or stylesheet a contributor's text or a template names, ``file:///…`` or ``http://…``) must
    never be read from disk or the network. WeasyPrint reports a refused URL as a warning and goes on.
    """
    return _inline_only_class()(allowed_protocols={"data"})


@functools.cache
def _inline_only_class() -> Any:
    class InlineOnly(_weasyprint().urls.URLFetcher):  # type: ignore[misc] # WeasyPrint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url[:5].lower() != "data:":
                raise ValueError(f"refused: a handout reads nothing but its own inline data ({url[:80]!r})")
            return super().fetch(url, headers)

    return InlineOnly


def pdf_bytes(html: str, base_dir: Path | None = None) -> bytes:
    """Render HTML to PDF bytes; nothing is fetched from disk or network (see :func:`_inline_only_fetcher`)."""
    weasyprint = _weasyprint()
    base_url = (base_dir or Path.cwd()).resolve().as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_inline_only_fetcher())
    data: bytes = document.write_pdf()
    return data


def check_writable(out: Path) -> None:
    """Fail before rendering when ``out`` cannot be written: its folder is missing, or it is a folder."""
    folder = out.parent
    if not folder.is_dir():
        raise HandoutError(f"{out}: cannot write: folder {folder} does not exist")
    if out.is_dir():
        raise HandoutError(f"{out}: cannot write: is a folder")


def _stage(data: bytes, out: Path) -> Path:
    """Write ``data`` to a temporary file next to ``out`` (same file system, so renaming is atomic)."""
    check_writable(out)
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as exc:
        raise HandoutError(f"{out}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; a handout is meant to be shared
    except BaseException as exc:  # also Ctrl-C and SIGTERM: no temporary file is left behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise HandoutError(f"{out}: cannot write: {exc.strerror}") from None
        raise
    return Path(tmp)


def _commit(staged: Sequence[tuple[Path, Path]]) -> None:
    """Rename staged files into place, all of them or (on any failure) none; remove the leftovers."""
    try:
        with signals.blocked():  # a signal waits until every file is in place
            for tmp, out in staged:
                os.replace(tmp, out)
    except OSError as exc:
        raise HandoutError(f"cannot write: {exc.strerror}") from None
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()


def write_atomically(data: bytes, out: Path) -> None:
    """Write ``out`` via a temporary file in the same folder, so a failure leaves no partial file."""
    _commit([(_stage(data, out), out)])


def write_handout(
    graph: Graph,
    out: Path,
    *,
    topic: str | None = None,
    claim_ids: Sequence[str] = (),
    paper: str = "a4",
    site_url: str = "",
    relative_base: str = "",
    use_directory_urls: bool = True,
    project_root: Path | None = None,
    templates_dir: Path | None = None,
    audience: str = "clinician",
    options: Options | None = None,
    site_name: str = "",
) -> Handout:
    """Select, render and write one handout PDF; raises :class:`HandoutError` with a one-line message."""
    title, claims = select_claims(graph, topic=topic, claim_ids=claim_ids)
    check_writable(out)  # before the slow part
    handout = make_handout(
        graph,
        title,
        claims,
        site_url=site_url,
        relative_base=relative_base,
        use_directory_urls=use_directory_urls,
        project_root=project_root,
        audience=audience,
        site_name=site_name,
    )
    html = render_html(handout, paper, templates_dir, options)
    write_atomically(pdf_bytes(html, project_root), out)
    return handout


def capped(title: str, claims: Sequence[Claim], max_claims: int | None) -> tuple[str, Sequence[Claim]]:
    """At most ``max_claims`` claims; the title then says how many of how many, and where the rest are."""
    if max_claims is None or len(claims) <= max_claims:
        return title, claims
    return f"{title} (the first {max_claims} of {len(claims)} claims; every claim is on the site)", claims[:max_claims]


def _cache_key(html: str, paper: str) -> str:
    """A handout's cache key: what it shows (its HTML, print CSS inlined), the paper and the package itself."""
    return cache.key_of("handout", paper, hashlib.blake2b(html.encode("utf-8"), digest_size=20).hexdigest())


def _start_worker(background: bool) -> None:
    # Ctrl-C reaches the whole process group: the parent alone decides what stops, and stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Started while the parent held signals back (see _Rendering), a worker inherits that mask: let SIGTERM in.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    if background and hasattr(os, "nice"):  # not on Windows
        os.nice(10)  # in the background the workers run at a lower priority: the build goes first


class _Rendering:
    """PDFs being made: in ``jobs`` worker processes when there is more than one to make, else here on demand."""

    def __init__(self, htmls: dict[str, str], base_dir: Path | None, jobs: int, *, background: bool = False) -> None:
        self._htmls, self._base_dir = htmls, base_dir
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._futures: dict[concurrent.futures.Future[bytes], str] = {}
        if htmls and (background or (jobs > 1 and len(htmls) > 1)):
            # A fresh interpreter per worker (not fork): the caller may be MkDocs' server, with threads running.
            context = multiprocessing.get_context("spawn")
            # Submitting starts the workers. A signal waits until each is started and known to the pool: one cut
            # off while it starts is beyond reach of `kill` and dies with a traceback of its own.
            with signals.blocked():
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=min(jobs, len(htmls)), mp_context=context, initializer=_start_worker, initargs=(background,)
                )
                # The biggest first, so a long one does not start last.
                for name in sorted(htmls, key=lambda name: -len(htmls[name])):
                    self._futures[self._pool.submit(pdf_bytes, htmls[name], base_dir)] = name

    def results(self) -> Iterator[tuple[str, bytes]]:
        """PDF bytes per name, as each is made."""
        if self._pool is None:
            for name, html in self._htmls.items():
                yield name, pdf_bytes(html, self._base_dir)
            return
        try:
            for future in concurrent.futures.as_completed(self._futures):
                yield self._futures[future], future.result()
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the workers (the build failed or was interrupted)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def kill(self) -> None:
        """Kill the workers at once, taking no lock (safe in a signal handler); their pool then reports itself broken."""
        if self._pool is not None:
            # The executor has no public way to reach its processes; killing them is what ends a stuck PDF.
            for process in list((self._pool._processes or {}).values()):
                with contextlib.suppress(OSError):
                    process.kill()


def handout_file(topic: str, audience: str) -> str:
    """``<topic>.pdf`` for clinicians (the default handout), ``<topic>-patient.pdf`` for patients."""
    return f"{topic}.pdf" if audience == "clinician" else f"{topic}-{audience}.pdf"


def start_topic_handouts(
    graph: Graph,
    out_dir: Path,
    *,
    paper: str = "a4",
    site_url: str = "",
    relative_base: str = "../",
    use_directory_urls: bool = True,
    project_root: Path | None = None,
    templates_dir: Path | None = None,
    max_claims: int | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
    audiences: Sequence[str] = AUDIENCES,
    background: bool = False,
    options: Options | None = None,
    site_name: str = "",
) -> PendingHandouts:
    """Start making ``out_dir/<topic>.pdf`` (clinicians) and ``<topic>-patient.pdf`` for every topic with claims.

    The PDFs are made in worker processes while the caller goes on; :meth:`PendingHandouts.finish`
    writes them (all or none) and returns the files.

    ``relative_base`` defaults to ``../`` because the handouts sit one folder below the site root.
    A topic with more than ``max_claims`` claims gets a handout of its first ``max_claims``. With
    ``cache_dir``, a PDF whose HTML (what it shows), paper and package are unchanged is copied from
    the cache instead of being rendered again; the others are rendered in up to ``jobs`` processes
    (``background``: in worker processes even when one would do, so that the caller goes on meanwhile).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    htmls: dict[str, str] = {}
    targets: dict[str, Path] = {}
    for topic, audience in ((t, a) for t in graph.topics for a in audiences):
        if not graph.claims_by_topic.get(topic):
            continue  # an empty topic has no handout; its page shows no link either
        name = handout_file(topic, audience)
        try:
            target = paths.inside(out_dir, name)
        except paths.UnsafePathError as exc:
            raise HandoutError(str(exc)) from None
        check_writable(target)
        title, claims = capped(*select_claims(graph, topic=topic), max_claims)
        handout = make_handout(
            graph,
            title,
            claims,
            site_url=site_url,
            relative_base=relative_base,
            use_directory_urls=use_directory_urls,
            project_root=project_root,
            audience=audience,
            site_name=site_name,
        )
        htmls[name] = render_html(handout, paper, templates_dir, options)
        targets[name] = target
    keys = {name: _cache_key(html, paper) for name, html in htmls.items()}
    cached: dict[str, bytes] = {}
    if cache_dir is not None:
        for name, key in keys.items():
            data = cache.read_pdf(cache_dir / f"{key}.pdf")  # None when missing, truncated or damaged
            if data is not None:
                cached[name] = data
    missing = {name: html for name, html in htmls.items() if name not in cached}
    return PendingHandouts(targets, cached, keys, _Rendering(missing, project_root, jobs, background=background), cache_dir)


class PendingHandouts:
    """Topic handouts started by :func:`start_topic_handouts`: cached ones ready, the others being made."""

    def __init__(
        self,
        targets: dict[str, Path],
        cached: dict[str, bytes],
        keys: dict[str, str],
        rendering: _Rendering,
        cache_dir: Path | None,
    ) -> None:
        self.targets, self._cached, self._keys, self._rendering, self._cache_dir = targets, cached, keys, rendering, cache_dir

    def cancel(self) -> None:
        """Nothing is written; the workers stop."""
        self._rendering.cancel()

    def kill(self) -> None:
        """The workers are killed at once (a signal: see :meth:`_Rendering.kill`); nothing is written."""
        self._rendering.kill()

    @staticmethod
    def _stage_into(staged: list[tuple[Path, Path]], data: bytes, target: Path) -> None:
        # A signal between the temporary file's creation and its listing would leave it behind
        # (nobody would know to remove it): it waits until the file is listed for clean-up.
        with signals.blocked():
            staged.append((_stage(data, target), target))

    def finish(self) -> list[Path]:
        """Wait for the PDFs and put every one in place (all or nothing); the files written."""
        cached, targets, keys, cache_dir = self._cached, self.targets, self._keys, self._cache_dir
        for folder in {target.parent for target in targets.values()}:
            folder.mkdir(parents=True, exist_ok=True)  # a site build empties the site folder after the start
        staged: list[tuple[Path, Path]] = []
        try:
            # All or nothing: every PDF is staged (as soon as it is made) first; only then are they renamed into place.
            for name, data in cached.items():
                self._stage_into(staged, data, targets[name])
            for name, data in self._rendering.results():
                self._stage_into(staged, data, targets[name])
                if cache_dir is not None:
                    cache.write_pdf(cache_dir / f"{keys[name]}.pdf", data)
            _commit(staged)
        finally:
            for tmp, _ in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        return list(targets.values())


def write_project_handout(
    graph: Graph,
    settings: Settings,
    out: Path,
    *,
    topic: str | None = None,
    claim_ids: Sequence[str] = (),
    paper: str | None = None,
    audience: str = "clinician",
) -> Handout:
    """One handout with the project's own options (address, URL style, templates, paper), as the site's handouts have."""
    return write_handout(
        graph,
        out,
        topic=topic,
        claim_ids=claim_ids,
        paper=paper or settings.handout_paper,
        site_url=settings.site_url,
        use_directory_urls=settings.use_directory_urls,
        project_root=settings.root,
        templates_dir=settings.templates_dir,
        audience=audience,
        options=settings.options,
        site_name=settings.site_name,
    )


def start_project_handouts(
    graph: Graph,
    settings: Settings,
    out_dir: Path,
    *,
    paper: str | None = None,
    audiences: Sequence[str] = AUDIENCES,
    jobs: int | None = None,
    background: bool = False,
) -> PendingHandouts:
    """Every topic's handouts with the project's own options (address, URL style, templates, cap, cache), so
    the site build, ``evidence render`` and ``evidence handout --all-topics`` write the same PDFs."""
    return start_topic_handouts(
        graph,
        out_dir,
        paper=paper or settings.handout_paper,
        site_url=settings.site_url,
        use_directory_urls=settings.use_directory_urls,
        project_root=settings.root,
        templates_dir=settings.templates_dir,
        max_claims=settings.options.handout_max_claims,
        cache_dir=cache.folder(settings.root) / "handouts" if settings.caching else None,
        jobs=jobs or os.cpu_count() or 1,
        background=background,
        audiences=audiences,
        options=settings.options,
        site_name=settings.site_name,
    )


def start_site_handouts(graph: Graph, settings: Settings, site_dir: Path) -> PendingHandouts:
    """A site build's handouts, made in worker processes at a lower priority while the pages are built."""
    return start_project_handouts(graph, settings, site_dir / HANDOUTS_DIR, background=True)


_Start = ParamSpec("_Start")


def _waiting(start: Callable[_Start, PendingHandouts]) -> Callable[_Start, list[Path]]:
    """``start`` followed by :meth:`PendingHandouts.finish`, with ``start``'s own (checked) parameters."""

    def wait(*args: _Start.args, **kwargs: _Start.kwargs) -> list[Path]:
        return start(*args, **kwargs).finish()

    wait.__doc__ = f":func:`{start.__name__}`, waiting for the PDFs; the files written."
    return wait


write_topic_handouts = _waiting(start_topic_handouts)
write_project_handouts = _waiting(start_project_handouts)
