"""Machine-readable outputs: schema.org ``ClaimReview``, ``claims.json`` and CSL-JSON.

Other tools read the site through these, so their shapes are documented in the README and kept
stable: ``claims.json`` carries :data:`CLAIMS_JSON_VERSION`, raised whenever a field changes meaning
or disappears (adding a field does not raise it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict
from typing import Any

from . import profile, sof, vocab
from .assess import best_evidence, grade_sentence, relation_counts
from .model import Claim, Evidence, Finding, Graph, Reference, Study
from .sanitize import plain, rich
from .schema import claim_json_schema
from .study_schema import study_json_schema
from .version import __version__

#: Machine-readable files published with the site (see the README).
CLAIMS_JSON = "claims.json"
CLAIM_SCHEMA = "schema/claim.schema.json"
STUDY_SCHEMA = "schema/study.schema.json"
#: Version of the ``claims.json`` format. 2: evidence cites findings (relations derived, no ``qualifies``);
#: ``certainty_ceiling`` and ``certainty_reason`` gave way to ``profile``; ``studies`` added.
CLAIMS_JSON_VERSION = 2

#: BibTeX entry types → CSL types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
    "online": "webpage",
    "webpage": "webpage",
    "misc": "document",
}


def indented_json(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, the same text in about half the time.

    With ``indent`` the standard library encodes in Python, a generator per list and mapping; at ten
    thousand claims that was most of the time ``claims.json`` took. Strings go through the same C
    encoder as ``json.dumps``. Unlike ``json.dumps`` it does not look for cycles: the records are trees.
    """
    out: list[str] = []
    _encode(value, out, "\n", " " * indent)
    return "".join(out)


_encode_str = json.encoder.encode_basestring  # the C encoder json.dumps uses with ensure_ascii=False


def _encode(o: Any, out: list[str], newline: str, step: str) -> None:
    # The order of the tests is json.encoder's: a str subclass is a string, a bool is not an int.
    if isinstance(o, str):
        out.append(_encode_str(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, list | tuple):
        if not o:
            out.append("[]")
            return
        inner = newline + step
        out.append("[")
        for n, item in enumerate(o):
            out.append("," + inner if n else inner)
            _encode(item, out, inner, step)
        out.append(newline + "]")
    elif isinstance(o, dict):
        if not o:
            out.append("{}")
            return
        inner = newline + step
        out.append("{")
        for n, (key, item) in enumerate(o.items()):
            out.append("," + inner if n else inner)
            out.append(_encode_str(key if isinstance(key, str) else _key(key)))
            out.append(": ")
            _encode(item, out, inner, step)
        out.append(newline + "}")
    else:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o in (float("inf"), float("-inf")):
        return "Infinity" if o > 0 else "-Infinity"
    return float.__repr__(o)


def _key(key: object) -> str:
    """A mapping key that is not a string, as ``json.dumps`` writes it."""
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def json_for_html(data: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so no text can close the tag."""
    text = indented_json(data, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def claim_review(claim: Claim, graph: Graph, *, url: str, site_name: str, site_url: str) -> dict[str, Any]:
    """schema.org ``ClaimReview`` for a claim page (https://schema.org/ClaimReview).

    ``url`` is the page's address: absolute when the site has a ``site_url``, otherwise relative to
    the page itself (``./``), which a reader of the page resolves to the page.
    """
    author: dict[str, Any] = {"@type": "Organization", "name": site_name}
    if site_url:
        author["url"] = site_url
    appearances = []
    for key in dict.fromkeys(a.key for a in claim.appearances):  # one entry per article, however many quotes
        ref = graph.references[key]
        item: dict[str, Any] = {"@type": "CreativeWork"}
        if ref.get("title"):
            item["name"] = ref.get("title")
        if ref.get("url"):
            item["url"] = ref.get("url")
        if ref.year:
            item["datePublished"] = ref.year
        appearances.append(item)
    item_reviewed: dict[str, Any] = {"@type": "Claim", "name": claim.statement}
    if appearances:
        # No firstAppearance: the articles' publication dates are mostly unknown, so which came first is too.
        item_reviewed["appearance"] = appearances
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.statement,
        "reviewBody": plain(claim.summary),
        "datePublished": claim.reviewed.isoformat(),
        # A correction changes the review: tools that track fact-checks see it through dateModified.
        "dateModified": claim.modified.isoformat(),
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": vocab.VERDICT_RATING[claim.verdict],
            "bestRating": max(vocab.VERDICT_RATING.values()),
            "worstRating": min(vocab.VERDICT_RATING.values()),
            "alternateName": claim.verdict.replace("-", " ").capitalize(),
            "ratingExplanation": plain(claim.reason) if claim.reason else grade_sentence(claim),
        },
        "itemReviewed": item_reviewed,
    }


def profile_record(p: profile.Profile) -> dict[str, Any]:
    """A claim's computed GRADE profile as ``claims.json`` gives it."""
    return {
        "start": p.start,
        "design": p.design,
        "domains": [
            {
                "domain": r.domain,
                "levels": r.levels,
                "computed": r.computed,
                "why": r.why,
                "note": plain(r.note),
                "override": plain(r.override),
            }
            for r in p.ratings
        ],
        "upgrades": p.upgrades,
        "level": p.level,
        "studies": list(p.studies),
        "participants": p.participants,
        "tested": [
            {"finding": t.finding.ref, "relation": t.evidence.relation, "directness": t.evidence.directness} for t in p.tested
        ],
        "explain": p.explain(),
    }


def evidence_record(e: Evidence) -> dict[str, Any]:
    """One evidence entry: a cited finding (with its derived relation) or background."""
    out: dict[str, Any] = {"source": e.key, "relation": e.relation, "locator": e.locator, "note": plain(e.note)}
    if e.finding:
        out.update(finding=f"{e.key}#{e.finding}", directness=e.directness, differs=list(e.differs))
    return out


def claim_record(c: Claim, graph: Graph, url: Callable[[str], str]) -> dict[str, Any]:
    """One claim as ``claims.json`` gives it."""
    s = sof.summary(c, graph)
    p, tested = s.profile, sof.tested_view(c, s)  # counts and best evidence as the claim page shows them
    best = best_evidence(tested, graph.references)
    return {
        "id": c.id,
        "url": url(f"claims/{c.id}"),
        "statement": c.statement,
        "verdict": c.verdict,
        "certainty": c.certainty,
        "verdict_in_words": grade_sentence(c),
        "reason": plain(c.reason),
        "summary": plain(c.summary),
        "summary_html": str(rich(c.summary)),
        "topics": list(c.topics),
        "reviewed": c.reviewed.isoformat(),
        "source_counts": relation_counts(tested, graph.references),
        "best_evidence": {"design": best.design, "level": best.level, "sources": [e.key for e in best.items]},
        "asserts": asdict(c.asserts) if c.asserts else None,
        "profile": profile_record(p),
        "evidence": [evidence_record(e) for e in c.evidence],
        "appearances": [
            {"source": a.key, "quote": a.quote, "flags": list(a.flags), "flag_note": plain(a.flag_note)} for a in c.appearances
        ],
        "related": list(c.related),
        "downgrades": [{"reason": d.reason, "note": plain(d.note)} for d in c.downgrades],
        "overrides": [{"reason": o.reason, "note": plain(o.note)} for o in c.overrides],
        "upgrades": [{"reason": u.reason, "note": plain(u.note)} for u in c.upgrades],
        "searches": [
            {"source": x.source, "query": x.query, "date": x.date.isoformat(), "found": plain(x.found)} for x in c.searches
        ],
        "corrections": [{"date": x.date.isoformat(), "what": plain(x.what), "why": plain(x.why)} for x in c.corrections],
        "modified": c.modified.isoformat(),
    }


def source_record(ref: Reference, url: Callable[[str], str]) -> dict[str, Any]:
    """One source as ``claims.json`` gives it."""
    return {
        "url": url(f"sources/{ref.key}"),
        "design": ref.design,
        "participants": ref.participants,
        "studies": ref.studies,
        "pooled": list(ref.pooled),
        "csl": csl_json(ref),
    }


def finding_record(f: Finding, users: list[tuple[str, str]]) -> dict[str, Any]:
    """One finding of a study, with the claims that cite it and the relation derived for each."""
    effect: dict[str, Any] = {"text": f.effect.text, "measure": f.effect.measure, "estimate": f.effect.estimate, "p": f.effect.p}
    effect["ci"] = list(f.effect.ci) if f.effect.ci else None
    return {
        "id": f.id,
        "ref": f.ref,
        "outcome": f.outcome,
        "exposure": f.exposure,
        "comparison": f.comparison,
        "population": f.population,
        "direction": f.direction,
        "effect": effect,
        "locator": f.locator,
        "analysed": f.analysed,
        "claims": [{"claim": c, "relation": rel} for c, rel in users],
    }


def study_record(s: Study, users: dict[str, list[tuple[str, str]]], url: Callable[[str], str]) -> dict[str, Any]:
    """One study appraisal as ``claims.json`` gives it (under ``studies``, by cite key)."""
    i = s.identity
    return {
        "url": url(f"sources/{s.key}"),
        "design": s.design,
        "pooled": list(s.pooled),
        "studies": s.studies,
        "participants": s.participants,
        "population": plain(s.population),
        "setting": plain(s.setting),
        "identity": {
            "record": i.record,
            "id": i.id,
            "seen": i.seen.isoformat(),
            "fields": list(i.fields),
            "unseen": list(i.unseen),
        },
        "risk_of_bias": {
            "tool": s.tool,
            "domains": [{"domain": d.domain, "judgement": d.judgement, "reason": plain(d.reason)} for d in s.domains],
            "overall": s.overall,
            "reason": plain(s.rob_reason),
        },
        "findings": [finding_record(f, users.get(f.ref, [])) for f in s.findings],
        "appraised": s.appraised.isoformat(),
        "appraised_by": s.appraised_by,
        "second_reader": s.second_reader,
        "notes": plain(s.notes),
    }


def claims_document(graph: Graph, url: Callable[[str], str], *, site_name: str) -> dict[str, Any]:
    """Everything on the site as one JSON document (``claims.json``).

    ``url`` maps a claim id or ``sources/<key>`` to the page's address.
    """
    return {
        **_document_head(graph, site_name),
        "claims": [claim_record(c, graph, url) for c in graph.claims.values()],
        "sources": {ref.key: source_record(ref, url) for ref in graph.references.values()},
        "studies": _studies(graph, url),
    }


def _studies(graph: Graph, url: Callable[[str], str]) -> dict[str, Any]:
    users = profile.finding_users(graph)
    return {key: study_record(s, users, url) for key, s in graph.studies.items()}


def _document_head(graph: Graph, site_name: str) -> dict[str, Any]:
    return {
        "schema_version": CLAIMS_JSON_VERSION,
        "generator": f"mkdocs-evidence {__version__}",
        "site_name": site_name,
        "vocabularies": {
            "verdicts": dict(vocab.VERDICTS),
            "certainties": dict(vocab.CERTAINTIES),
            "relations": dict(vocab.RELATIONS),
            "designs": dict(vocab.DESIGNS),
            "flags": dict(vocab.FLAGS),
            "downgrades": dict(vocab.DOWNGRADES),
            "upgrades": dict(vocab.UPGRADES),
            "design_start": dict(vocab.DESIGN_START),
        },
        "topics": [{"id": t.id, "title": t.title, "description": t.description} for t in graph.topics.values()],
    }


def claims_json_pieces(graph: Graph, url: Callable[[str], str], *, site_name: str) -> Iterator[str]:
    """``json.dumps(claims_document(...), indent=2, ensure_ascii=False)``, one claim and source at a time
    (a test compares the two texts).

    At ten thousand claims the whole document as Python objects is several times the size of its text.
    """

    def dump(value: Any) -> str:
        # a value nested two levels deep: every line after the first indented by four more spaces
        return indented_json(value).replace("\n", "\n    ")

    yield indented_json(_document_head(graph, site_name))[:-2]
    yield ',\n  "claims": '
    for n, c in enumerate(graph.claims.values()):
        yield f"{',' if n else '['}\n    {dump(claim_record(c, graph, url))}"
    yield "\n  ]" if graph.claims else "[]"
    yield ',\n  "sources": '
    for n, r in enumerate(graph.references.values()):
        yield f"{',' if n else '{'}\n    {json.dumps(r.key, ensure_ascii=False)}: {dump(source_record(r, url))}"
    yield "\n  }" if graph.references else "{}"
    # Appraisals are few beside claims (one per study, not per citation): written in one piece.
    yield ',\n  "studies": ' + indented_json(_studies(graph, url)).replace("\n", "\n  ")
    yield "\n}"


def data_files(graph: Graph, url: Callable[[str], str], *, site_name: str) -> dict[str, bytes]:
    """``claims.json`` and the claim and study JSON Schemas, as the UTF-8 bytes of each file by its path in the site."""
    pieces = claims_json_pieces(graph, url, site_name=site_name)
    return {
        CLAIMS_JSON: b"".join(piece.encode("utf-8") for piece in pieces) + b"\n",
        CLAIM_SCHEMA: schema_text(claim_json_schema()).encode("utf-8"),
        STUDY_SCHEMA: schema_text(study_json_schema()).encode("utf-8"),
    }


def schema_text(schema: dict[str, Any]) -> str:
    """A JSON Schema as published (in the site, in the repository and by ``evidence schema``)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def csl_json(ref: Reference) -> dict[str, Any]:
    """A reference as CSL-JSON, the format Zotero, Pandoc and citeproc read."""
    out: dict[str, Any] = {"id": ref.key, "type": CSL_TYPES.get(ref.entry_type, "document")}
    if ref.get("title"):  # never the key in place of a missing title
        out["title"] = ref.get("title")
    if ref.authors:
        authors = []
        for p in ref.authors:
            name: dict[str, str] = {"family": p.last or p.surname}
            if p.first:
                name["given"] = p.first
            if p.von:
                name["non-dropping-particle"] = p.von
            if p.jr:
                name["suffix"] = p.jr
            authors.append(name)
        out["author"] = authors
    elif ref.get("organization"):
        out["author"] = [{"literal": ref.get("organization")}]
    container = ref.get("journal") or ref.get("booktitle")
    if container:
        out["container-title"] = container
    for bib_name, csl_name in (("volume", "volume"), ("number", "issue"), ("publisher", "publisher")):
        if ref.get(bib_name):
            out[csl_name] = ref.get(bib_name)
    if ref.get("pages"):
        out["page"] = ref.get("pages").replace("--", "-")
    if ref.year.isdigit():
        out["issued"] = {"date-parts": [_date_parts(ref)]}
    if ref.doi:
        out["DOI"] = ref.doi
    if ref.get("pmid"):
        out["PMID"] = ref.get("pmid")
    if ref.get("url"):
        out["URL"] = ref.get("url")
    return out


def _date_parts(ref: Reference) -> list[int]:
    """``[year]``, or ``[year, month, day]`` from a biblatex ``date`` such as ``2006-09-13``."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", ref.get("date"))
    if match and match.group(1) == ref.year:
        return [int(part) for part in match.groups() if part]
    return [int(ref.year)]
