"""Checks on study appraisals, on the findings claims cite, and on verdicts and certainties against them.

Each rule is a small generator of :class:`~mkdocs_evidence.issues.Issue`; :func:`check_studies` and
:func:`check_findings` read the files as written (with lines), :func:`check_profiles` the resolved
graph with the same lines, so every message points at the field to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from . import profile, vocab
from .issues import Issue, issue
from .load import ClaimRecord, StudyRecord
from .model import Graph, Reference
from .schema import suggest

#: A figure in a claimed size ("40 %", "up to 30 percent"): the number a finding must show.
SIZE_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def check_studies(records: list[StudyRecord], references: Mapping[str, Reference]) -> Iterator[Issue]:
    """Each appraisal: a known research reference, the tool for its design, every domain, a confirmed identity."""
    seen: dict[str, str] = {}
    for r in records:
        d, line, path = r.data, r.lines.line, r.path
        if d.key in seen:
            yield issue("invalid-field", f"{d.key!r} is already appraised in {seen[d.key]}", path, line(("key",)))
            continue
        seen[d.key] = path
        ref = references.get(d.key)
        if ref is None:
            yield issue("unknown-cite-key", f"unknown cite key {d.key!r}{suggest(d.key, references)}", path, line(("key",)))
            continue
        if d.design == vocab.POPULAR:
            yield issue("invalid-field", f"{d.key!r} is a popular article: it is quoted, not appraised", path, line(("design",)))
        yield from _check_tool(r)
        yield from _check_identity(r, ref)
        # One line per repeated id, at its first repeat, however many times it is repeated.
        at: dict[str, list[int]] = {}
        for i, f in enumerate(d.findings):
            at.setdefault(f.id, []).append(i)
        for fid, places in at.items():
            if len(places) > 1:
                times = "twice" if len(places) == 2 else f"{len(places)} times"
                message = f"finding id {fid!r} is used {times} in this study"
                yield issue("invalid-field", message, path, line(("findings", places[1], "id")))
        if d.pooled and d.design not in vocab.POOLING_DESIGNS:
            yield issue("invalid-field", f"only reviews pool designs; {d.design!r} does not", path, line(("pooled",)))
        if d.design in vocab.POOLING_DESIGNS and not d.pooled and "pooled" not in d.unseen:
            message = f"{d.key!r} is a {d.design} but does not record which designs it pooled"
            yield issue("review-without-pooled", message, path, line(("design",)))


def _check_tool(r: StudyRecord) -> Iterator[Issue]:
    d, line, path = r.data, r.lines.line, r.path
    rob = d.risk_of_bias
    suited = vocab.ROB_TOOL_FOR_DESIGN.get(d.design, "")
    if rob.tool != suited:
        message = f"a {d.design} is appraised with {suited!r}, not {rob.tool!r}"
        yield issue("rob-tool-mismatch", message, path, line(("risk_of_bias", "tool")))
    want = list(vocab.ROB_TOOLS[rob.tool])
    got = [x.domain for x in rob.domains]
    if got != want:
        where = ("risk_of_bias", "domains") if ("risk_of_bias", "domains") in r.lines.lines else ("risk_of_bias", "tool")
        listed = ", ".join(want) or "none"
        yield issue("invalid-field", f"the {rob.tool} domains are, in order: {listed}", path, line(where))
    if rob.tool != "none" and rob.overall is None:
        yield issue("invalid-field", "risk_of_bias needs an overall judgement", path, line(("risk_of_bias", "tool")))
    worst = max((vocab_rank(x.judgement) for x in rob.domains), default=0)
    if rob.overall is not None and vocab_rank(rob.overall) < worst:
        message = f"overall {rob.overall!r} is better than the worst domain's judgement"
        yield issue("invalid-field", message, path, line(("risk_of_bias", "overall")))


def vocab_rank(judgement: str) -> int:
    """0 low, 1 some concerns, 2 high."""
    return list(vocab.ROB_JUDGEMENTS).index(judgement)


#: Which field of references.bib an identity record's identifier must match.
_IDENTIFIER_FIELD = {"pubmed": "pmid", "pmc": "pmcid", "crossref": "doi"}


def _check_identity(r: StudyRecord, ref: Reference) -> Iterator[Issue]:
    """The identity record names the same study as the bibliography, and enough of it was seen there.

    Confirmed when the title was seen on the record, or when the record is the one the reference's own
    identifier (DOI, PMID, PMCID or address) leads to and its abstract was seen there: a field that
    was not seen (often the author list) never unconfirms a study.
    """
    i, line, path = r.data.identity, r.lines.line, r.path
    name = _IDENTIFIER_FIELD.get(i.record)
    if name:
        bib = ref.doi if name == "doi" else ref.get(name)
        if bib and _norm(bib) != _norm(i.id):
            message = f"the {i.record} record {i.id!r} is not the one references.bib gives ({name} {bib!r})"
            yield issue("identity-unverified", message, path, line(("identity", "id")))
    if "title" not in i.fields and not ("abstract" in i.fields and _leads_to(ref, i.id)):
        message = f"neither the title of {ref.key!r} nor its abstract at its own identifier was seen on the {i.record} record"
        yield issue("identity-unverified", message, path, line(("identity", "fields")))
    shown = set(i.fields) & set(i.unseen)
    for name in sorted(shown):
        yield issue("invalid-field", f"{name!r} is listed both as seen and as unseen", path, line(("identity", "unseen")))


def _leads_to(ref: Reference, record_id: str) -> bool:
    """Whether the record's identifier is (or is the address of) one of the reference's own identifiers."""
    rid = _norm(record_id)
    own = [_norm(v) for v in (ref.doi, ref.get("pmid"), ref.get("pmcid"), ref.get("url")) if v]
    return any(v and (rid == v or rid.endswith("/" + v) or rid.endswith("/" + v + "/")) for v in own)


def _norm(identifier: str) -> str:
    return identifier.strip().lower().removeprefix("https://doi.org/").removeprefix("pmc")


def check_findings(
    records: list[ClaimRecord], references: Mapping[str, Reference], studies: Mapping[str, StudyRecord]
) -> Iterator[Issue]:
    """Every evidence entry is a known finding or background; every cited research reference is appraised."""
    for r in records:
        d, line, path = r.data, r.lines.line, r.path
        for i, e in enumerate(d.evidence):
            at = ("evidence", i)
            if bool(e.finding) == bool(e.cite):
                message = "an evidence entry cites either a `finding:` (key#id) or, as background, a `cite:` key"
                yield issue("invalid-field", message, path, line(at))
                continue
            if e.cite:
                if e.relation is None:
                    yield issue("invalid-field", f"{e.cite}: background needs `relation: mentions`", path, line((*at, "cite")))
                elif e.relation != "mentions":
                    message = f"{e.cite}: {e.relation!r} is typed by hand; a finding's relation follows from its direction"
                    yield issue("relation-typed-by-hand", message, path, line((*at, "relation")))
                for name in ("directness", "differs", "opposite"):
                    if getattr(e, name):
                        yield issue("invalid-field", f"{name} belongs to a finding, not to background", path, line((*at, name)))
            else:
                yield from _check_finding_entry(r, i, studies)
            key = e.key
            ref = references.get(key)
            if ref is not None and ref.design != vocab.POPULAR and key not in studies:
                message = f"{key!r} is cited but has no appraisal in the studies folder"
                yield issue("appraisal-missing", message, path, line((*at, "finding" if e.finding else "cite")))


def _check_finding_entry(r: ClaimRecord, i: int, studies: Mapping[str, StudyRecord]) -> Iterator[Issue]:
    d, line, path = r.data, r.lines.line, r.path
    e = d.evidence[i]
    at = ("evidence", i)
    if e.relation is not None:
        message = f"{e.finding}: {e.relation!r} is typed by hand; it follows from the finding's direction"
        yield issue("relation-typed-by-hand", message, path, line((*at, "relation")))
    if d.asserts is None:
        message = f"claim {d.id!r} cites a finding but does not say what it asserts"
        yield issue("question-missing", message, path, line((*at, "finding")))
    study = studies.get(e.key)
    if study is not None:
        ids = [f.id for f in study.data.findings]
        if e.finding_id not in ids:
            message = f"{study.path} has no finding {e.finding_id!r}{suggest(e.finding_id, ids)}"
            yield issue("finding-unknown", message, path, line((*at, "finding")))
    if e.directness is None:
        yield issue(
            "invalid-field", f"{e.finding}: say whether it is `directness: direct` or `indirect`", path, line((*at, "finding"))
        )
    elif e.directness == "indirect" and not e.differs:
        message = f"{e.finding}: an indirect finding lists what `differs` (population, exposure, comparison, outcome)"
        yield issue("invalid-field", message, path, line((*at, "directness")))
    elif e.directness == "direct" and e.differs:
        yield issue("invalid-field", f"{e.finding}: a direct finding differs in nothing", path, line((*at, "differs")))


def check_profiles(graph: Graph, records: list[ClaimRecord]) -> Iterator[Issue]:
    """Each verdict follows its findings, and each certainty is its computed profile's."""
    by_id = {r.data.id: r for r in records}
    for cid, claim in graph.claims.items():
        r = by_id.get(cid)
        if r is None or r.path != claim.path:
            continue  # a duplicate id: reported elsewhere
        p = profile.compute(claim, graph)
        line = r.lines.line
        problem = verdict_problem(claim.verdict, p, claim.asserts.size if claim.asserts else "")
        if problem:
            yield issue("verdict-ignores-evidence", f"{claim.verdict!r}: {problem}", r.path, line(("verdict",)))
        if claim.certainty != p.level:
            message = f"certainty {claim.certainty!r} differs from the profile's {p.level!r}: {p.explain()}"
            yield issue("certainty-differs-from-profile", message, r.path, line(("certainty",)))
        for i, o in enumerate(claim.overrides):
            rating = next(x for x in p.ratings if x.domain == o.reason)
            if not rating.computed:
                message = f"the profile does not rate {o.reason} down, so there is nothing to override"
                yield issue("invalid-field", message, r.path, line(("overrides", i, "reason")))


def verdict_problem(verdict: str, p: profile.Profile, size: str) -> str:
    """Why a verdict does not follow the findings, or ""."""
    n_for, n_against = len(p.supporting), len(p.contradicting)
    if verdict == "unsupported" and p.tested:
        return f"{len(p.tested)} cited finding(s) test the claim ({_refs(p.tested)}); 'unsupported' means none does"
    if verdict in ("supported", "overstated") and not n_for:
        return "no cited finding goes the claim's way" + (f" ({n_against} against it)" if n_against else "")
    if verdict == "contradicted" and not n_against:
        return "no cited finding goes against the claim"
    if verdict == "mixed" and not (n_for and n_against):
        return f"'mixed' needs findings both ways; {n_for} for and {n_against} against"
    if verdict == "supported" and size:
        figures = SIZE_NUMBER.findall(size)
        shown = [t for t in p.supporting if all(f in _effect_text(t) for f in figures)]
        if figures and not shown:
            return f"the claim gives a size ({size!r}) that no finding for it shows"
    return ""


def _effect_text(t: profile.Tested) -> str:
    e = t.finding.effect
    return " ".join((e.text, e.estimate))


def _refs(tested: tuple[profile.Tested, ...]) -> str:
    refs = [t.finding.ref for t in tested]
    return ", ".join(refs[:3]) + (f" and {len(refs) - 3} more" if len(refs) > 3 else "")
