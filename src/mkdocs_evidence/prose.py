"""Citations and claim links inside prose pages.

Syntax (documented in the README):

- ``[@wei2022effect]`` cites a reference; ``[@wei2022effect, Fig. 4]`` adds a locator;
  ``[@key1; @key2]`` cites several.
- ``[[claim-id]]`` links a claim by its statement; ``[[claim-id|your words]]`` links it with other text.

Fenced code blocks and inline code are left alone, so the syntax itself can be documented.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Locators and labels are bounded (200 characters): an unclosed `[@a, ` repeated over a long line would
# otherwise make every match attempt run to the end of the line, quadratic time on untrusted input.
CITE_RE = re.compile(
    r"\[(@[A-Za-z0-9][A-Za-z0-9_:.\-]{0,99}(?:\s*,[^\]\n;]{0,200})?"
    r"(?:\s*;\s*@[A-Za-z0-9][A-Za-z0-9_:.\-]{0,99}(?:\s*,[^\]\n;]{0,200})?){0,20})\]"
)
CLAIM_RE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+){0,30})(?:\|([^\]\n]{1,200}))?\]\]")
#: Citations and claim links one page may expand. Each becomes a full reference or a claim's statement on the
#: page: a page of nothing but ``[@a]`` would otherwise grow a hundredfold (a megabyte of text, a hundred of HTML).
MAX_EXPANSIONS = 1_000
FENCE_RE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE_RE = re.compile(r"(`+)(?:.+?)\1")


@dataclass(frozen=True)
class CiteItem:
    """One cited key with its optional locator."""

    key: str
    locator: str = ""


@dataclass(frozen=True)
class Mention:
    """A citation or claim link found in a page: ``kind`` is ``cite`` or ``claim``."""

    kind: str
    line: int
    items: tuple[CiteItem, ...] = ()
    claim: str = ""
    label: str = ""


def _parse_cites(body: str) -> tuple[CiteItem, ...]:
    items = []
    for part in body.split(";"):
        key, _, locator = part.strip().lstrip("@").partition(",")
        items.append(CiteItem(key.strip(), locator.strip()))
    return tuple(items)


def _prose_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """Lines with their 1-based number and whether they are prose (not inside a code fence)."""
    fence = ""
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        match = FENCE_RE.match(line)
        if match and (not fence or match.group(1) == fence):
            fence = "" if fence else match.group(1)
            yield number, line, False
            continue
        yield number, line, not fence


def _outside_code(line: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    code_spans = [m.span() for m in INLINE_CODE_RE.finditer(line)]
    for match in pattern.finditer(line):
        if not any(a <= match.start() < b for a, b in code_spans):
            yield match


def scan(text: str) -> list[Mention]:
    """Every citation and claim link in a Markdown text, with its line."""
    found: list[Mention] = []
    for number, line, prose in _prose_lines(text):
        if not prose:
            continue
        for m in _outside_code(line, CLAIM_RE):
            found.append(Mention("claim", number, claim=m.group(1), label=m.group(2) or ""))
        for m in _outside_code(line, CITE_RE):
            found.append(Mention("cite", number, items=_parse_cites(m.group(1))))
    return found


def expand(
    text: str,
    cite: Callable[[tuple[CiteItem, ...]], str],
    claim: Callable[[str, str], str],
) -> str:
    """Replace the syntax with what ``cite(items)`` and ``claim(id, label)`` return.

    After :data:`MAX_EXPANSIONS` (reported by the check as ``too-large``) the syntax is left as it is.
    """
    out = []
    left = [MAX_EXPANSIONS]

    def once(make: Callable[[], str], m: re.Match[str]) -> str:
        left[0] -= 1
        return make() if left[0] >= 0 else m.group()

    for _, line, prose in _prose_lines(text):
        if prose:
            line = _replace(line, CLAIM_RE, lambda m: once(lambda: claim(m.group(1), m.group(2) or ""), m))
            line = _replace(line, CITE_RE, lambda m: once(lambda: cite(_parse_cites(m.group(1))), m))
        out.append(line)
    return "".join(out)


def _replace(line: str, pattern: re.Pattern[str], fn: Callable[[re.Match[str]], str]) -> str:
    pieces, last = [], 0
    for m in _outside_code(line, pattern):
        pieces.append(line[last : m.start()])
        pieces.append(fn(m))
        last = m.end()
    pieces.append(line[last:])
    return "".join(pieces)


# --- Raw HTML and unsafe links in contributor pages ------------------------------------------------
#
# The safe subset of a contributor's page is Markdown (with the site's extensions) plus the plugin's
# own markers, each alone on its line. Everything that would let a page carry script is found here,
# reported (validate.check_html) and neutralised before rendering, whatever its severity:
# raw HTML tags and comments, links and images whose address is not http, https, mailto or relative,
# and attribute lists with values (``{: onclick=...}``, attr_list).

#: The plugin's markers: the only raw HTML a page may contain (see render.py).
MARKERS = ("<!-- evidence:graph -->", "<!-- evidence:vocabularies -->", "<!-- evidence:contributing -->")
SAFE_SCHEMES = ("http", "https", "mailto")
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])[^>\n]{0,60}>?")
# Autolinks the page may keep: a web address, or an e-mail address of plain characters only (anything
# looser, like `<details/open/ontoggle=alert(1)//@x>`, is an HTML tag that happens to hold an @).
_AUTOLINK_RE = re.compile(r"<(?:https?://[^\s<>\"'`]*|(?:mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>")
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)")
_ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*?[A-Za-z_-]+\s*=[^{}\n]*\}")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _unsafe_url(url: str) -> bool:
    # Browsers decode entities in attributes and ignore control characters and spaces in a scheme.
    plain = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    scheme = _SCHEME_RE.match(plain)
    return bool(scheme) and scheme.group(1).lower() not in SAFE_SCHEMES  # type: ignore[union-attr]


def _unsafe(line: str) -> Iterator[tuple[int, int, str]]:
    """Spans ``(start, end, what)`` of unsafe markup in one prose line, outside code spans."""
    if line.strip() in MARKERS:
        return
    for m in _outside_code(line, _TAG_RE):
        if not _AUTOLINK_RE.match(line, m.start()):
            yield m.start(), m.start() + 1, m.group()
    for pattern in (_LINK_RE, _REF_DEF_RE):
        for m in _outside_code(line, pattern):
            if _unsafe_url(m.group(1)):
                yield m.start(1), m.end(1), m.group(1)
    for m in _outside_code(line, _ATTR_LIST_RE):
        yield m.start(), m.start() + 1, m.group()


def unsafe_url(url: str) -> bool:
    """Whether an address would run or load something other than a web page or a mail address."""
    return _unsafe_url(url)


def raw_html(text: str) -> list[tuple[int, str]]:
    """``(line, snippet)`` for every piece of raw HTML, unsafe link or attribute list in a page."""
    return [(n, what) for n, line, prose in _prose_lines(text) if prose for _, _, what in _unsafe(line)]


def neutralize(text: str) -> str:
    """The page with unsafe markup made inert: ``<`` and ``{`` escaped, unsafe addresses replaced by ``#``."""
    out = []
    for _, line, prose in _prose_lines(text):
        if prose:
            for start, end, what in sorted(_unsafe(line), reverse=True):
                if what.startswith("<"):
                    replacement = "&lt;"
                elif what.startswith("{"):
                    replacement = "&#123;"
                else:
                    replacement = "#"
                line = line[:start] + replacement + line[end:]
        out.append(line)
    return "".join(out)
