"""Citations and claim links inside prose pages.

Syntax (documented in the README):

- ``[@wei2022effect]`` cites a reference; ``[@wei2022effect, Fig. 4]`` adds a locator;
  ``[@key1; @key2]`` cites several.
- ``[[claim-id]]`` links a claim by its statement; ``[[claim-id|your words]]`` links it with other text.

Fenced code blocks and inline code are left alone, so the syntax itself can be documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CITE_RE = re.compile(
    r"\[(@[A-Za-z0-9][A-Za-z0-9_:.\-]*(?:\s*,[^\]\n;]*)?(?:\s*;\s*@[A-Za-z0-9][A-Za-z0-9_:.\-]*(?:\s*,[^\]\n;]*)?)*)\]"
)
CLAIM_RE = re.compile(r"\[\[([a-z0-9]+(?:-[a-z0-9]+)*)(?:\|([^\]\n]+))?\]\]")
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
    """Replace the syntax with what ``cite(items)`` and ``claim(id, label)`` return."""
    out = []
    for _, line, prose in _prose_lines(text):
        if prose:
            line = _replace(line, CLAIM_RE, lambda m: claim(m.group(1), m.group(2) or ""))
            line = _replace(line, CITE_RE, lambda m: cite(_parse_cites(m.group(1))))
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
