"""Checks across files: every problem is yielded as an :class:`~mkdocs_evidence.issues.Issue`.

Schema problems (types, vocabularies, unknown fields) are found while loading; this module checks
what needs the whole project: cite keys, topics, related claims, duplicate ids, unused references.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from . import assess, profile, prose, vocab
from .issues import Issue, issue
from .load import ClaimRecord, ProsePage, Snapshot
from .model import Graph, Reference, Topic
from .paths import shown
from .schema import ClaimFile, suggest
from .yamlsrc import Loc

#: How every text ``evidence new`` leaves for the contributor begins; none of it may reach a page.
PLACEHOLDER = "Replace this with"
#: A figure: a number not glued to a letter (``T2`` is a name) and not a year.
FIGURE = re.compile(r"(?<![A-Za-z0-9.])(?!(?:19|20)\d\d(?![\d.]))\d+(?:[.,]\d+)?")


def check_claims(records: list[ClaimRecord], references: Mapping[str, Reference], topics: Mapping[str, Topic]) -> Iterator[Issue]:
    """Problems in claims that only show once references, topics and other claims are known."""
    first: dict[str, ClaimRecord] = {}
    ids = {r.data.id for r in records}
    for r in records:
        d, line, path = r.data, r.lines.line, r.path
        if d.id in first:
            yield issue("duplicate-claim-id", f"claim id {d.id!r} is already used by {first[d.id].path}", path, line(("id",)))
        else:
            first[d.id] = r
        if not d.evidence:
            where = ("evidence",) if ("evidence",) in r.lines.lines else ("id",)
            yield issue("claim-without-source", f"claim {d.id!r} has no evidence", path, line(where))
        else:
            known = [references[e.key] for e in d.evidence if e.key in references]
            if known and all(ref.design == vocab.POPULAR for ref in known):
                message = f"claim {d.id!r} cites no research, only popular articles"
                yield issue("claim-without-source", message, path, line(("evidence",)))
        for i, e in enumerate(d.evidence):
            at: Loc = ("evidence", i, "finding" if e.finding else "cite")
            if not e.key:
                continue  # neither a finding nor a cite: reported by check_findings
            if e.key not in references:
                yield _unknown_key(e.key, references, path, line(at))
            elif references[e.key].design == vocab.POPULAR:
                yield issue("popular-source-as-evidence", f"{e.key!r} is a popular article, not research", path, line(at))
        for i, a in enumerate(d.appearances):
            if a.cite not in references:
                yield _unknown_key(a.cite, references, path, line(("appearances", i, "cite")))
        for i, t in enumerate(d.topics):
            if t not in topics:
                yield issue("unknown-topic", f"unknown topic {t!r}{suggest(t, topics)}", path, line(("topics", i)))
        yield from _check_repeats(r)
        for i, other in enumerate(d.related):
            if other not in ids or other == d.id:
                what = (
                    "a claim cannot be related to itself" if other == d.id else f"no claim has id {other!r}{suggest(other, ids)}"
                )
                yield issue("dangling-related-claim", what, path, line(("related", i)))


def _has_repeats(d: ClaimFile) -> bool:
    """Whether :func:`_check_repeats` has anything to say (cheap: it runs for every claim)."""
    return (
        (len(d.topics) > 1 and len(set(d.topics)) < len(d.topics))
        or (len(d.evidence) > 1 and len({(e.key, e.finding or e.relation) for e in d.evidence}) < len(d.evidence))
        or (len(d.appearances) > 1 and len({(a.cite, a.quote) for a in d.appearances}) < len(d.appearances))
    )


def _check_repeats(r: ClaimRecord) -> Iterator[Issue]:
    """A topic listed twice, a source cited twice with the same relation, the same quote twice.

    Repeats would count the claim or the source more than once (a topic's claim count, a source's
    weight), so they are errors; the graph keeps the first of each either way.
    """
    d = r.data
    yield from _repeats(r, "duplicate-topic-in-claim", d.topics, ("topics",), lambda t: f"topic {t!r} is listed")
    cites = [(e.key, e.finding or e.relation) for e in d.evidence]
    yield from _repeats(
        r, "duplicate-citation", cites, ("evidence",), lambda k: f"{k[1] if '#' in str(k[1]) else repr(k[0])} is cited"
    )
    quotes = [(a.cite, a.quote) for a in d.appearances]
    yield from _repeats(
        r, "duplicate-citation", quotes, ("appearances", "cite"), lambda k: f"{k[0]!r} is listed with the same quote"
    )


def _repeats(r: ClaimRecord, code: str, keys: Sequence[Any], where: Loc, what: Callable[[Any], str]) -> Iterator[Issue]:
    """One issue per repeated key, at its second place, however many times it is repeated.

    ``where`` is the list's location and, after it, the field inside each item that the line points at.
    """
    if len(set(keys)) == len(keys):
        return  # the usual case, decided without building locations
    places: dict[Any, list[Loc]] = {}
    for i, key in enumerate(keys):
        places.setdefault(key, []).append((*where[:1], i, *where[1:]))
    for key, locs in places.items():
        if len(locs) > 1:
            times = "twice" if len(locs) == 2 else f"{len(locs)} times"
            message = f"{what(key)} {times} (first at line {r.lines.line(locs[0])}); list it once"
            yield issue(code, message, r.path, r.lines.line(locs[1]))


def check_grading(records: list[ClaimRecord], graph: Graph) -> Iterator[Issue]:
    """Upgrades GRADE allows, searches behind every absence, figures with locators.

    Whether the certainty is the profile's is :func:`mkdocs_evidence.validate_studies.check_profiles`.
    """
    by_path = {c.path: c for c in graph.claims.values()}
    for r in records:
        d, line, path = r.data, r.lines.line, r.path
        claim = by_path.get(path)
        p = profile.compute(claim, graph) if claim is not None else None
        if p is not None and d.upgrades:
            down = sum(x.levels for x in p.ratings)
            for problem in assess.allowed_upgrades(p.start, [u.reason for u in d.upgrades], down)[1]:
                yield issue("invalid-field", f"upgrades: {problem}", path, line(("upgrades",)))
        if not d.searches and (d.verdict == "unsupported" or (p is not None and not p.tested)):
            why = "an 'unsupported' verdict" if d.verdict == "unsupported" else "a claim no cited finding tests"
            message = f"{why} must say where research testing it was looked for"
            yield issue("search-not-recorded", message, path, line(("verdict",)))
        for i, e in enumerate(d.evidence):
            if e.note and not e.locator and not e.finding and FIGURE.search(e.note):
                figure = FIGURE.search(e.note)
                assert figure is not None
                message = f"{e.key}: the note states a figure ({figure.group()!r}) but gives no locator"
                yield issue("number-without-locator", message, path, line(("evidence", i, "note")))


def check_placeholders(records: list[ClaimRecord]) -> Iterator[Issue]:
    """Text still as ``evidence new`` wrote it: it would reach the page, the JSON-LD and the handout."""
    for r in records:
        # The claim as JSON holds the placeholder wherever one of its texts does (JSON never escapes
        # letters or spaces): most claims are ruled out without walking every field in Python.
        if PLACEHOLDER not in r.data.model_dump_json():
            continue
        for loc, text in _texts(r.data.model_dump(), ()):
            if PLACEHOLDER in text:
                yield issue(
                    "placeholder-text", f"{_where(loc)} still holds the text `evidence new` wrote", r.path, r.lines.line(loc)
                )


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*loc, i))


def _where(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def check_quotes(
    records: list[ClaimRecord], snapshots: Mapping[str, Snapshot], references: Mapping[str, Reference]
) -> Iterator[Issue]:
    """Every quote verbatim (whitespace aside) in the snapshot of the article it is attributed to."""
    texts = {key: _normalise(s.text) for key, s in snapshots.items()}
    for r in records:
        for i, a in enumerate(r.data.appearances):
            if a.cite not in references:
                continue  # reported as unknown-cite-key
            if a.cite not in texts:
                message = f"{a.cite!r} has no snapshot, so its quotes cannot be checked"
                yield issue("article-without-snapshot", message, r.path, r.lines.line(("appearances", i, "cite")))
            elif not _verbatim(_normalise(a.quote), texts[a.cite]):
                short = a.quote if len(a.quote) <= 60 else a.quote[:57] + "..."
                message = f"quote {short!r} is not in {snapshots[a.cite].path} word for word"
                yield issue("quote-not-verbatim", message, r.path, r.lines.line(("appearances", i, "quote")))


def _verbatim(quote: str, text: str) -> bool:
    """The quote stands in the text as whole words ("active" is not in "inactive") and is at least two words.

    Linear in the text: occurrences are looked for one after the other while they do not overlap (each
    search then reads new text); overlapping ones (a quote that repeats itself, "ab ab ab") are all
    found in one Knuth-Morris-Pratt pass instead of one search per occurrence.
    """
    if len(quote.split()) < 2:
        return False
    start, end = text.find(quote), 0
    while start >= 0:
        if start < end:
            return any(_whole_words(quote, text, s) for s in _occurrences(quote, text, start))
        if _whole_words(quote, text, start):
            return True
        end = start + len(quote)
        start = text.find(quote, start + 1)
    return False


def _whole_words(quote: str, text: str, start: int) -> bool:
    end = start + len(quote)
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and quote[0].isalnum()) and not (after.isalnum() and quote[-1].isalnum())


def _occurrences(needle: str, text: str, start: int) -> Iterator[int]:
    """Every start of ``needle`` in ``text`` from ``start`` on, overlapping ones included (Knuth-Morris-Pratt)."""
    fail = [0] * len(needle)
    k = 0
    for i in range(1, len(needle)):
        while k and needle[i] != needle[k]:
            k = fail[k - 1]
        if needle[i] == needle[k]:
            k += 1
        fail[i] = k
    k = 0
    for i in range(start, len(text)):
        while k and text[i] != needle[k]:
            k = fail[k - 1]
        if text[i] == needle[k]:
            k += 1
            if k == len(needle):
                yield i - k + 1
                k = fail[k - 1]


def check_corrections(records: list[ClaimRecord], previous: Mapping[str, Mapping[str, Any]]) -> Iterator[Issue]:
    """A verdict or certainty that changed since ``previous`` (claim path → its data then) needs a new correction."""
    for r in records:
        old = previous.get(r.path)
        if not isinstance(old, Mapping):
            continue  # a new claim: nothing was published to correct
        old_corrections = old.get("corrections")
        before = len(old_corrections) if isinstance(old_corrections, list) else 0
        if len(r.data.corrections) < before:
            message = f"{before - len(r.data.corrections)} published correction(s) removed; corrections are kept, never deleted"
            yield issue("correction-not-recorded", message, r.path, r.lines.line(("corrections",)))
        for field in ("verdict", "certainty"):
            was, now = old.get(field), getattr(r.data, field)
            if was != now and len(r.data.corrections) <= before:
                message = f"{field} changed from {was!r} to {now!r} with no new `corrections` entry"
                yield issue("correction-not-recorded", message, r.path, r.lines.line((field,)))


def _unknown_key(key: str, references: Mapping[str, Reference], path: str, line: int) -> Issue:
    return issue("unknown-cite-key", f"unknown cite key {key!r}{suggest(key, references)}", path, line)


def check_prose(pages: list[ProsePage], references: Mapping[str, Reference], claim_ids: set[str]) -> Iterator[Issue]:
    """Unknown cite keys and claim ids in prose pages, and pages with more citations than are expanded."""
    for page in pages:
        if len(page.mentions) > prose.MAX_EXPANSIONS:
            message = f"{len(page.mentions)} citations and claim links; only the first {prose.MAX_EXPANSIONS} are shown as links"
            yield issue("too-large", message, page.path, page.mentions[prose.MAX_EXPANSIONS].line)
        for m in page.mentions:
            if m.kind == "claim" and m.claim not in claim_ids:
                yield issue("unknown-claim-link", f"no claim has id {m.claim!r}{suggest(m.claim, claim_ids)}", page.path, m.line)
            for item in m.items:
                if item.key not in references:
                    yield _unknown_key(item.key, references, page.path, m.line)


def check_references(references: Mapping[str, Reference], records: list[ClaimRecord], pages: list[ProsePage]) -> Iterator[Issue]:
    """References nobody cites, and references readers could not find or weigh."""
    used = {e.key for r in records for e in r.data.evidence}
    used |= {a.cite for r in records for a in r.data.appearances}
    used |= {item.key for p in pages for m in p.mentions for item in m.items}
    for ref in references.values():
        if ref.key not in used:
            yield issue("unused-reference", f"reference {ref.key!r} is not cited by any claim or page", ref.path, ref.line)
        if not (ref.doi or ref.get("pmid") or ref.get("url")):
            yield issue("reference-without-link", f"reference {ref.key!r} has no doi, pmid or url", ref.path, ref.line)
        if not ref.design:  # an invalid design is reported while parsing
            yield issue("reference-without-design", f"reference {ref.key!r} has no design field", ref.path, ref.line)
        yield from _check_counts(ref)


def _check_counts(ref: Reference) -> Iterator[Issue]:
    """``participants``, ``studies`` and ``pooled``: the fields the certainty ceiling and the pages read."""
    for name in ("participants", "studies"):
        value = ref.get(name)
        if value and not (value.isdigit() and int(value) > 0):
            yield issue("invalid-field", f"{ref.key}: {name} {value!r} must be a whole number, 1 or more", ref.path, ref.line)
    for design in ref.pooled:
        if design not in vocab.DESIGN_START:
            message = f"{ref.key}: pooled design {design!r} is not a primary study design{suggest(design, vocab.DESIGN_START)}"
            yield issue("invalid-field", message, ref.path, ref.line)
    if ref.design in vocab.POOLING_DESIGNS and not ref.pooled:
        message = f"reference {ref.key!r} is a {ref.design} but does not record which designs it pooled"
        yield issue("review-without-pooled", message, ref.path, ref.line)


def check_reviews(records: list[ClaimRecord], today: dt.date, after_days: int) -> Iterator[Issue]:
    """Claims whose evidence was last reviewed more than ``after_days`` ago."""
    for r in records:
        age = (today - r.data.reviewed).days
        if age > after_days:
            when = r.data.reviewed.isoformat()
            message = f"claim {r.data.id!r} was last reviewed {when}, {age} days ago (review every {after_days} days)"
            yield issue("review-overdue", message, r.path, r.lines.line(("reviewed",)))


def check_html(pages: Mapping[str, str]) -> Iterator[Issue]:
    """Raw HTML in contributor Markdown (prose pages, topic introductions): one issue per line.

    It is escaped when rendered whatever the severity (see :func:`mkdocs_evidence.prose.neutralize`).
    """
    for path, text in pages.items():
        for line, tag in prose.raw_html(text):
            yield issue("raw-html", f"raw HTML {shown(tag)} is not allowed in pages", path, line)


def check_deployment(site_url: str, deploy: bool, config_display: str) -> Iterator[Issue]:
    """A site built for publication must know its address; a local build does not need to."""
    if deploy and not site_url:
        yield issue("site-url-missing", "the site is built for deployment but has no site_url", config_display)
