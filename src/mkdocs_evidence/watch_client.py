"""The only code that goes online: a polite client of Crossref's REST API and NCBI's E-utilities.

``evidence watch`` asks Crossref whether a cited study has been retracted, corrected or put under
an expression of concern (both relation directions: the study's ``updated-by`` list, and notices
whose ``update-to`` names it, found with the ``updates:`` filter), and runs recorded PubMed searches
again for records added since. Nothing here writes a file; every failure is one :class:`WatchError`.

Etiquette, as each service documents it: Crossref wants a ``mailto`` (parameter and User-Agent);
NCBI wants ``tool`` and ``email`` and at most 3 requests a second without an API key (10 with one).
429 and 5xx answers are retried after ``Retry-After`` (else a doubling pause), a bounded number of times.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import vocab

# The notices and records found are the model's own: the site reads them back from watch.yml as the same types.
from .model import NewRecord, Notice
from .version import __version__

CROSSREF_URL = "https://api.crossref.org"
EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
#: Largest answer read, in bytes: a work record or a page of search results is far smaller.
MAX_BYTES = 5_000_000
#: Most PubMed records listed for one search run: more means the query needs a reviewer anyway.
MAX_RECORDS = 100


class WatchError(Exception):
    """A request that failed for good: the message is one line naming the service, what was asked and why."""


@dataclass(frozen=True)
class ClientOptions:
    """Where the services are and how politely to ask them."""

    crossref_url: str = CROSSREF_URL
    eutils_url: str = EUTILS_URL
    #: A contact address for both services (Crossref's polite pool, NCBI's ``email``); "" leaves it out.
    mailto: str = ""
    ncbi_api_key: str = ""
    timeout: float = 30.0
    retries: int = 3
    #: The longest pause accepted before a retry; a longer ``Retry-After`` ends the run instead.
    max_wait: float = 60.0


@dataclass
class Client:
    """HTTP GET with timeouts, retries and a per-service pace; answers are bytes, bounded."""

    options: ClientOptions
    _last: dict[str, float] = field(default_factory=dict)

    def _interval(self, service: str) -> float:
        if service == "pubmed":
            return 0.1 if self.options.ncbi_api_key else 0.34  # 10 or 3 requests a second
        return 0.2  # Crossref's public pool asks for no more than 5 a second

    def get(self, service: str, url: str, params: Mapping[str, str]) -> bytes:
        """The body of a 200 answer (``None``-free); :class:`WatchError` for anything else after the retries."""
        full = f"{url}?{urllib.parse.urlencode(params)}" if params else url
        agent = f"mkdocs-evidence/{__version__}" + (f" (mailto:{self.options.mailto})" if self.options.mailto else "")
        if not full.startswith(("http://", "https://")):
            raise WatchError(f"{service}: {url} is not an http:// or https:// address")
        request = urllib.request.Request(full, headers={"User-Agent": agent, "Accept": "*/*"})  # noqa: S310 - checked above
        for attempt in range(self.options.retries + 1):
            self._pace(service)
            try:
                with urllib.request.urlopen(request, timeout=self.options.timeout) as answer:  # noqa: S310 - http(s) base URLs only
                    body: bytes = answer.read(MAX_BYTES + 1)
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    raise NotFound(full) from None
                if exc.code != 429 and exc.code < 500:
                    raise WatchError(f"{service}: HTTP {exc.code} {exc.reason} for {full}") from None
                wait = _retry_after(exc.headers.get("Retry-After"), attempt)
                if attempt == self.options.retries or wait > self.options.max_wait:
                    raise WatchError(
                        f"{service}: HTTP {exc.code} {exc.reason} for {full}; gave up after {attempt + 1} attempts "
                        f"(Retry-After {exc.headers.get('Retry-After') or 'not given'})"
                    ) from None
                time.sleep(wait)
                continue
            except TimeoutError:
                raise WatchError(f"{service}: no answer within {self.options.timeout:g} s from {full}") from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError | socket.timeout):
                    raise WatchError(f"{service}: no answer within {self.options.timeout:g} s from {full}") from None
                raise WatchError(f"{service}: cannot reach {full}: {exc.reason}") from None
            except OSError as exc:
                raise WatchError(f"{service}: connection failed for {full}: {exc}") from None
            if len(body) > MAX_BYTES:
                raise WatchError(f"{service}: answer larger than {MAX_BYTES} bytes from {full}")
            return body
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _pace(self, service: str) -> None:
        wait = self._last.get(service, 0.0) + self._interval(service) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[service] = time.monotonic()


class NotFound(WatchError):
    """The service has no such record (HTTP 404)."""


def _retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait: ``Retry-After`` in seconds when given, else 1, 2, 4 … (an HTTP date counts as 'not given')."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return float(2**attempt)


# ---------------------------------------------------------------------------------------- Crossref


def crossref_notices(client: Client, doi: str) -> list[Notice]:
    """Retractions, corrections and expressions of concern of ``doi``, from both sides of Crossref's relation."""
    base = client.options.crossref_url.rstrip("/")
    polite = {"mailto": client.options.mailto} if client.options.mailto else {}
    found: dict[str, Notice] = {}
    what = f"crossref: the record of {doi}"
    try:
        work = _message(client.get("crossref", f"{base}/works/{urllib.parse.quote(doi, safe='/')}", polite), what)
    except NotFound:
        work = {}  # not a Crossref DOI (or not yet): notices may still name it
    for relation in _list(work.get("updated-by"), what):
        notice = _notice(relation, what, str(_field(relation, "DOI", what)))
        if notice:
            found.setdefault(notice.doi.lower(), notice)
    what = f"crossref: the notices updating {doi}"
    params = {"filter": f"updates:{doi}", "rows": "100", **polite}
    listing = _message(client.get("crossref", f"{base}/works", params), what)
    for item in _list(listing.get("items"), what):
        if not isinstance(item, dict):
            raise WatchError(f"{what}: malformed answer (an item is not an object)")
        for relation in _list(item.get("update-to"), what):
            if str(_field(relation, "DOI", what)).lower() == doi.lower():
                notice = _notice(relation, what, str(_field(item, "DOI", what)))
                if notice:
                    found.setdefault(notice.doi.lower(), notice)
    return sorted(found.values(), key=lambda n: (n.date, n.doi))


def _message(body: bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise WatchError(f"{what}: malformed answer (not JSON)") from None
    if not isinstance(data, dict) or data.get("status") != "ok" or not isinstance(data.get("message"), dict):
        raise WatchError(f"{what}: malformed answer (no 'message' object with status 'ok')")
    message: dict[str, Any] = data["message"]
    return message


def _list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise WatchError(f"{what}: malformed answer (a list was expected)")
    return value


def _field(item: object, name: str, what: str) -> object:
    if not isinstance(item, dict) or not isinstance(item.get(name), str) or not item[name]:
        raise WatchError(f"{what}: malformed answer (no {name!r} where one is required)")
    return item[name]


def _notice(relation: dict[str, Any], what: str, notice_doi: str) -> Notice | None:
    """A relation as a notice, or None for types that change nothing a claim relies on (new versions)."""
    kind = vocab.CROSSREF_NOTICE_TYPES.get(str(relation.get("type", "")).lower().replace("-", "_"))
    if kind is None:
        return None
    parts = relation.get("updated", {}).get("date-parts") if isinstance(relation.get("updated"), dict) else None
    try:
        year, month, day = ([*parts[0], 1, 1])[:3]  # type: ignore[index]
        date = dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError, IndexError, KeyError):
        raise WatchError(f"{what}: malformed answer (a {kind} without an 'updated' date)") from None
    label = relation.get("label")
    return Notice(kind, date, notice_doi, label if isinstance(label, str) else "")


# ------------------------------------------------------------------------------------------ PubMed


def pubmed_new(client: Client, query: str, since: dt.date, until: dt.date, skip: frozenset[str]) -> list[NewRecord]:
    """PubMed records added (Entrez date) after ``since`` up to ``until``, without those whose PMID or DOI is in ``skip``."""
    base = client.options.eutils_url.rstrip("/")
    polite = {"tool": "mkdocs-evidence", **({"email": client.options.mailto} if client.options.mailto else {})}
    if client.options.ncbi_api_key:
        polite["api_key"] = client.options.ncbi_api_key
    after = since + dt.timedelta(days=1)  # "added after the search": its own day was already seen
    dates = {"datetype": "edat", "mindate": after.strftime("%Y/%m/%d"), "maxdate": until.strftime("%Y/%m/%d")}
    params = {"db": "pubmed", "term": query, "retmax": str(MAX_RECORDS), **dates, **polite}
    what = f"pubmed: the search {query!r}"
    root = _xml(client.get("pubmed", f"{base}/esearch.fcgi", params), what, "eSearchResult")
    ids = [i.text.strip() for i in root.iterfind("IdList/Id") if i.text and i.text.strip().isdigit()]
    ids = [i for i in ids if i not in skip]
    if not ids:
        return []
    answer = client.get("pubmed", f"{base}/esummary.fcgi", {"db": "pubmed", "id": ",".join(ids), **polite})
    summary = _xml(answer, what, "eSummaryResult")
    records = [_record(doc, what) for doc in summary.iterfind("DocSum")]
    return [r for r in records if r.pmid in ids and r.doi.lower() not in skip]


def _xml(body: bytes, what: str, root_tag: str) -> ET.Element:
    # E-utilities answers carry a DOCTYPE but never entity declarations: refusing those keeps expansion out.
    if b"<!ENTITY" in body:
        raise WatchError(f"{what}: malformed answer (entity declarations)")
    try:
        root = ET.fromstring(body)  # noqa: S314 - no entities (checked above), bounded size
    except ET.ParseError as exc:
        raise WatchError(f"{what}: malformed answer (not XML: {exc})") from None
    if root.tag != root_tag:
        raise WatchError(f"{what}: malformed answer ({root.tag!r} where {root_tag!r} was expected)")
    error = root.findtext("ERROR")
    if error:
        raise WatchError(f"{what}: PubMed answered with an error: {' '.join(error.split())[:200]}")
    return root


def _record(doc: ET.Element, what: str) -> NewRecord:
    pmid = (doc.findtext("Id") or "").strip()
    title = " ".join((doc.findtext("Item[@Name='Title']") or "").split())
    if not pmid.isdigit() or not title:
        raise WatchError(f"{what}: malformed answer (a summary without an Id or a Title)")
    year = (doc.findtext("Item[@Name='PubDate']") or "")[:4]
    doi = (doc.findtext("Item[@Name='DOI']") or "").strip()
    if not doi:
        doi = next((i.text or "" for i in doc.iterfind("Item[@Name='ArticleIds']/Item[@Name='doi']")), "").strip()
    return NewRecord(pmid, title[:2000], year if year.isdigit() else "", doi if doi.startswith("10.") else "")
