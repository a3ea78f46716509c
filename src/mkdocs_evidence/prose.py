"""Citations and claim links inside prose pages.

Syntax (documented in the README):

- ``[@wei2022effect]`` cites a reference; ``[@wei2022effect, Fig. 4]`` adds a locator;
  ``[@key1; @key2]`` cites several.
- ``[[claim-id]]`` links a claim by its statement; ``[[claim-id|your words]]`` links it with other text.

Fenced code blocks and inline code are left alone, so the syntax itself can be documented.
"""

from __future__ import annotations

import bisect
import heapq
import html
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .finish import FRONT_MATTER

# Every pattern here runs over untrusted pages, so each one reads a line in linear time: no quantifier
# can take the same character two ways, and a failed attempt stops at a character the next attempt
# cannot start before (tests/test_linear.py measures each with input x10).

#: A citation candidate: ``[@`` up to the next bracket. Its body holds no bracket, so each attempt ends
#: where the next may begin and a line is read once, whatever its shape (the items are checked after).
_CITE_CANDIDATE_RE = re.compile(r"\[(@[^\[\]\n]*+)\]")
_CITE_KEY_RE = re.compile(r"\s*+@([A-Za-z0-9][A-Za-z0-9_:.\-]{0,99}+)")
MAX_CITE_ITEMS = 21
MAX_LOCATOR = 200
# The id's parts cannot overlap (a hyphen between them); the label is bounded, so an attempt reads
# at most 200 characters past the id.
CLAIM_RE = re.compile(r"\[\[([a-z0-9]++(?:-[a-z0-9]++){0,30}+)(?:\|([^\]\n]{1,200}+))?\]\]")
#: Citations and claim links one page may expand. Each becomes a full reference or a claim's statement on the
#: page: a page of nothing but ``[@a]`` would otherwise grow a hundredfold (a megabyte of text, a hundred of HTML).
MAX_EXPANSIONS = 1_000


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


def _parse_cites(body: str) -> tuple[CiteItem, ...] | None:
    """``@key, locator; @key`` as items, or None when the body is not a citation.

    Up to 21 items; a key of 1-100 characters; a locator of at most 200 characters after a comma.
    Spaces may stand around ``;`` and before the comma, not before the closing bracket.
    """
    parts = body.split(";", MAX_CITE_ITEMS)
    if len(parts) > MAX_CITE_ITEMS:
        return None
    items = []
    for i, part in enumerate(parts):
        key = _CITE_KEY_RE.match(part)
        if not key:
            return None
        rest = part[key.end() :]
        if i < len(parts) - 1:
            rest = rest.rstrip()
        if not rest:
            items.append(CiteItem(key.group(1)))
            continue
        rest = rest.lstrip()
        if not rest.startswith(",") or len(rest) - 1 > MAX_LOCATOR:
            return None
        items.append(CiteItem(key.group(1), rest[1:].strip()))
    return tuple(items)


def _cites(line: str, code: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int, tuple[CiteItem, ...]]]:
    """``(start, end, items)`` of every citation in one line, outside code spans."""
    for m in _outside_code(line, _CITE_CANDIDATE_RE, code):
        items = _parse_cites(m.group(1))
        if items is not None:
            yield m.start(), m.end(), items


def _lines(text: str) -> list[str]:
    """The lines Python-Markdown sees (it breaks at ``\\n``, ``\\r\\n`` and ``\\r`` only), each with its end."""
    return _LINE_RE.findall(text)


_LINE_RE = re.compile(r"[^\r\n]*+(?:\r\n?|\n)|[^\r\n]++")


def _prose_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """Lines with their 1-based number and whether they are prose (not inside a fenced code block)."""
    for number, line, kind in _fenced(text):
        yield number, line, kind == "prose"


def _fenced(text: str) -> Iterator[tuple[int, str, str]]:
    """Lines with their number and what they are: ``prose``, ``fence`` (the lines that open and close a
    fenced code block) or ``code`` (inside one).

    As fenced_code reads them: a block opens at a line of 3 or more backticks or tildes in the first
    column, optionally followed by a language, and closes at the next line holding the same fence and
    spaces only; an opening line with no closing one is prose. An opening line with attributes or
    ``hl_lines`` (which fenced_code reads with attr_list's rules, possibly over several lines), or a
    fence inside front matter (MkDocs may or may not strip it), makes the rest of the page prose: a
    line taken for code that Markdown shows would hide raw HTML from the check.
    """
    lines = _lines(text)
    front = FRONT_MATTER.match(text)
    front_lines = front.group().count("\n") if front else 0
    closings: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        closing = _FENCE_CLOSE_RE.fullmatch(line)
        if closing:
            closings.setdefault(closing.group(1), []).append(i)
    sure = not any(_FENCE_START_RE.match(line) for line in lines[:front_lines])
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = _FENCE_OPEN_RE.fullmatch(line) if sure else None
        if sure and not opening and _FENCE_START_RE.match(line) and ("{" in line or "hl_lines" in line):
            sure = False
        same = closings.get(opening.group(1), []) if opening else []
        k = bisect.bisect_right(same, i)
        if not opening or k == len(same):
            yield i + 1, line, "prose"
            i += 1
            continue
        yield i + 1, line, "fence"
        for j in range(i + 1, same[k]):
            yield j + 1, lines[j], "code"
        yield same[k] + 1, lines[same[k]], "fence"
        i = same[k] + 1


_FENCE_START_RE = re.compile(r"`{3}|~{3}")
_FENCE_OPEN_RE = re.compile(r"(`{3,}+|~{3,}+)[ \t]*+(?:\.?[\w#.+-]*+[ \t]*+)?(?:\r\n?|\n)")
_FENCE_CLOSE_RE = re.compile(r"(`{3,}+|~{3,}+)[ \t]*+(?:\r\n?|\n)?")


def _code_spans(line: str) -> list[tuple[int, int, bool]]:
    """Code spans of one line, ``(start, end, exact)``, found as Python-Markdown finds them.

    Python-Markdown (``BacktickInlineProcessor``): a backtick run opens a span unless an odd number of
    backslashes precedes it (then its first backtick is plain text and the rest of the run may open);
    the span closes at the next run of exactly as many backticks. Failing that, it closes at the first
    of the longest shorter runs after it (``exact`` False); failing that, the opening run is plain text
    (a zero-width span, ``exact`` False). Inside a span backslashes escape nothing. Each run is looked
    at a bounded number of times: linear, where a regular expression would try every opening length.
    """
    runs: list[tuple[int, int]] = []
    i = line.find("`")
    while i >= 0:
        j = i + 1
        while j < len(line) and line[j] == "`":
            j += 1
        runs.append((i, j - i))
        i = line.find("`", j)
    if not runs:
        return []
    by_length: dict[int, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    # longest[r]: the longest run from run r on, and the first run that long.
    longest = [(0, -1)] * (len(runs) + 1)
    for r in range(len(runs) - 1, -1, -1):
        longest[r] = (runs[r][1], r) if runs[r][1] >= longest[r + 1][0] else longest[r + 1]
    spans: list[tuple[int, int, bool]] = []
    r = 0
    while r < len(runs):
        start, length = runs[r]
        slashes = 0
        while start - slashes > 0 and line[start - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:
            start, length = start + 1, length - 1
        if not length:
            r += 1
            continue
        same = by_length.get(length, [])
        k = bisect.bisect_right(same, r)
        if k < len(same):
            spans.append((start, runs[same[k]][0] + length, True))
            r = same[k] + 1
            continue
        best, best_r = longest[r + 1]
        if 0 < best < length:
            spans.append((start, runs[best_r][0] + best, False))
            r = best_r + 1
            continue
        spans.append((start, start, False))
        r += 1
    return spans


def _outside_code(line: str, pattern: re.Pattern[str], code: list[tuple[int, int, bool]]) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that do not start inside one of the spans ``code`` (sorted, disjoint)."""
    starts = [a for a, _, _ in code]
    for match in pattern.finditer(line):
        i = bisect.bisect_right(starts, match.start()) - 1
        if i < 0 or match.start() >= code[i][1]:
            yield match


def scan(text: str) -> list[Mention]:
    """Every citation and claim link in a Markdown text, with its line."""
    found: list[Mention] = []
    for number, line, prose in _prose_lines(text):
        if not prose:
            continue
        code = _code_spans(line)
        for m in _outside_code(line, CLAIM_RE, code):
            found.append(Mention("claim", number, claim=m.group(1), label=m.group(2) or ""))
        for _, _, items in _cites(line, code):
            found.append(Mention("cite", number, items=items))
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
    left = MAX_EXPANSIONS
    for _, line, prose in _prose_lines(text):
        if prose:
            claims = list(_outside_code(line, CLAIM_RE, _code_spans(line)))[: max(left, 0)]
            left -= len(claims)
            line = _replace(line, [(m.start(), m.end(), claim(m.group(1), m.group(2) or "")) for m in claims])
            # Spans again: the links just written may hold backticks of their own.
            cites = list(_cites(line, _code_spans(line)))[: max(left, 0)]
            left -= len(cites)
            line = _replace(line, [(a, b, cite(items)) for a, b, items in cites])
        out.append(line)
    return "".join(out)


def fill_markers(text: str, fills: Mapping[str, Callable[[], str]]) -> str:
    """The page with the first of each marker, alone on a line of prose, replaced by what its function makes.

    A marker in code is shown as written; a second one of a kind stays a comment (which Markdown and
    the cleaner drop): each fills a page with a whole picture or table, once is enough.
    """
    out, done = [], set()
    for _, line, prose in _prose_lines(text):
        marker = line.strip()
        if prose and marker in fills and marker not in done:
            done.add(marker)
            line = line.replace(marker, fills[marker](), 1)
        out.append(line)
    return "".join(out)


def _replace(line: str, pieces: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, replacement in pieces:
        out += [line[last:start], replacement]
        last = end
    out.append(line[last:])
    return "".join(out)


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
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])[^>\n]{0,60}+>?")
# Autolinks the page may keep: a web address, or an e-mail address of plain characters only (anything
# looser, like `<details/open/ontoggle=alert(1)//@x>`, is an HTML tag that happens to hold an @).
# Neither part can hold a `<`: an attempt ends before the next tag starts.
_AUTOLINK_RE = re.compile(r"<(?:https?://[^\s<>\"'`]*+|(?:mailto:)?[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++)>")
# The address stops at a bracket (where the next link may start): only its scheme is looked at.
_LINK_RE = re.compile(r"\]\(\s*+<?([^)\s>\]]*+)")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]\n]++\]:\s*+<?([^\s>]++)")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*+):")
_UNPRINTED_RE = re.compile(r"[\x00-\x20]+")


#: An address that runs script, at the start of a word (``data:`` only with a media type: "data: 5 studies" is
#: prose; after ``@`` it is a citation key such as ``[@javascript:alert]``, which links as a path).
_SCRIPT_ADDRESS_RE = re.compile(r"(?<![a-z0-9+.\-@])(?:(?:java|vb)script:|data:[a-z]++/)", re.IGNORECASE)


def _unsafe_url(url: str) -> bool:
    # Browsers decode entities in attributes and ignore control characters and spaces in a scheme.
    plain = _UNPRINTED_RE.sub("", html.unescape(url))
    scheme = _SCHEME_RE.match(plain)
    return bool(scheme) and scheme.group(1).lower() not in SAFE_SCHEMES  # type: ignore[union-attr]


def _attribute_list(line: str, code: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int, str, bool]]:
    """Every ``{`` outside code that could open an attribute list with a value (only the first reported).

    attr_list reads from a ``{`` to the last ``}`` of the line, braces and quotes inside included, and
    gives a value to a name written right before ``=`` (``{: .c onclick="{x}" }``). So a line holds one
    when a ``{`` outside code comes before an ``=`` glued to a name, itself before a ``}``: wider than
    attr_list (a ``{`` inside code opens none there), never narrower, and found in one pass. Every
    such ``{`` is escaped, so that none is left to open one once the first is.
    """
    close = line.rfind("}")
    braces = [m.start() for m in _outside_code(line, _OPEN_BRACE_RE, code) if m.start() < close]
    if not braces:
        return
    equals = line.find("=", braces[0] + 2)
    while 0 <= equals < close and line[equals - 1] in " =":
        equals = line.find("=", equals + 1)
    if 0 <= equals < close:
        yield braces[0], braces[0] + 1, line[braces[0] : close + 1], True
        for brace in braces[1:]:
            yield brace, brace + 1, "{", False


_OPEN_BRACE_RE = re.compile(r"\{")


def _unsafe(line: str, code: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int, str, bool]]:
    """Spans ``(start, end, what, reported)`` of unsafe markup in one prose line, outside the code spans
    ``code``, in order (each kind is found in order; merging them is linear where sorting is not)."""
    if line.strip() in MARKERS:
        return iter(())
    tags = (
        (m.start(), m.start() + 1, m.group(), True)
        for m in _outside_code(line, _TAG_RE, code)
        if not _AUTOLINK_RE.match(line, m.start())
    )
    # (The first iterable of each generator is made at once: each reads its own pattern.)
    links = [
        [(m.start(1), m.end(1), m.group(1), True) for m in _outside_code(line, pattern, code) if _unsafe_url(m.group(1))]
        for pattern in (_LINK_RE, _REF_DEF_RE)
    ]
    # A link's address or a reference definition may stand on the line after its brackets, where the
    # patterns above do not look: a script address is refused wherever it starts a word (once: not
    # again inside an address they found).
    found = sorted((a, b) for spans in links for a, b, _, _ in spans)
    bare = (
        (m.start(), m.end(), m.group(), True)
        for m in _outside_code(line, _SCRIPT_ADDRESS_RE, code)
        if not _within(found, m.start())
    )
    return heapq.merge(tags, *links, bare, _attribute_list(line, code))


def _within(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(spans, (pos, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _guarded_lines(text: str) -> Iterator[tuple[int, str, list[tuple[int, int, str, bool]]]]:
    """Every line with its number and the spans of unsafe markup in it, in order (none outside prose).

    Python-Markdown pairs backticks across the lines of a paragraph, and which lines form a paragraph
    depends on every block rule of every extension. So a code span hides markup from this guard only
    while every backtick run before it in the paragraph (the lines since the last blank one) closed
    exactly on its own line: then any paragraph Markdown may cut there pairs them the same way.
    After a run that did not, code spans give no cover until the next blank line.
    """
    clean = True
    for number, line, prose in _prose_lines(text):
        if not prose or not line.strip():
            clean = True
            yield number, line, []
            continue
        cover = []
        for span in _code_spans(line):
            clean = clean and span[2]
            if clean:
                cover.append(span)
        yield number, line, list(_unsafe(line, cover))


def unsafe_url(url: str) -> bool:
    """Whether an address would run or load something other than a web page or a mail address."""
    return _unsafe_url(url)


def raw_html(text: str) -> list[tuple[int, str]]:
    """``(line, snippet)`` for every piece of raw HTML, unsafe link or attribute list in a page."""
    return [(number, what) for number, _, spans in _guarded_lines(text) for _, _, what, reported in spans if reported]


def neutralize(text: str) -> str:
    """The page with unsafe markup made inert: ``<`` and ``{`` escaped, unsafe addresses replaced by ``#``."""
    out = []
    for _, line, spans in _guarded_lines(text):
        pos = 0
        for start, end, what, _ in spans:
            if start < pos:
                continue  # inside an address already replaced
            out.append(line[pos:start])
            out.append("&lt;" if what.startswith("<") else "&#123;" if what.startswith("{") else "#")
            pos = end
        out.append(line[pos:])
    return "".join(out)
