"""Generated pages → finished HTML and table of contents, without Python-Markdown parsing their HTML.

A generated page is front matter, then Markdown headings (``## Evidence``) between blocks of HTML
that the templates wrote and escaped themselves. Python-Markdown passes such HTML blocks through
unchanged, but only after parsing all of it with its HTML parser: most of a large build's time.
Here only the headings go through Markdown (the site's own extensions, so ids, permalinks and the
table of contents come out exactly as a full conversion gives them) and each HTML block is put back
in place as it is. ``tests/test_finish.py`` proves the result equals a full conversion, page by
page. The skeleton of headings repeats across pages of a kind, so it is converted once per build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from markdown import Markdown

#: Front matter as MkDocs recognises it (``mkdocs.utils.meta.YAML_RE``).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)


#: Stands for one HTML block while the headings are converted: a paragraph of its own, left untouched
#: by every Markdown extension (no markup, no punctuation that typography extensions rewrite).
_SLOT = "evidenceblock{}x"


@dataclass(frozen=True)
class Finished:
    """A page ready for the theme: its metadata, HTML and the heading tokens of its table of contents."""

    meta: dict[str, Any]
    html: str
    toc_tokens: list[dict[str, Any]]


class NotFinishable(ValueError):
    """The page holds Markdown outside its headings: it must go through Python-Markdown whole."""


class Finisher:
    """Finishes the generated pages of one build. ``new_markdown`` makes a Markdown instance like the site's."""

    def __init__(self, new_markdown: Callable[[], Markdown]) -> None:
        self._md = new_markdown()
        self._block_level = frozenset(self._md.block_level_elements)
        self._skeletons: dict[tuple[str | None, ...], tuple[list[str], list[dict[str, Any]]]] = {}

    def finish(self, text: str) -> Finished:
        """The page as a full Markdown conversion gives it; :class:`NotFinishable` if that cannot be known."""
        return self.finish_body(*split_front_matter(text))

    def finish_body(self, meta: dict[str, Any], body: str) -> Finished:
        """:meth:`finish` for a page whose front matter is already split off."""
        parts = split_page(body, self._block_level)
        # the skeleton: the headings, and between them whether there is any block
        key = tuple(part if i % 2 else ("" if part else None) for i, part in enumerate(parts))
        if key not in self._skeletons:
            self._skeletons[key] = self._convert_skeleton(key)
        pieces, toc = self._skeletons[key]
        out = [piece if i % 2 == 0 else parts[2 * int(piece)] for i, piece in enumerate(pieces)]
        return Finished(meta, "".join(out).strip(), toc)

    def _convert_skeleton(self, key: tuple[str | None, ...]) -> tuple[list[str], list[dict[str, Any]]]:
        """Headings with a slot paragraph for each stretch of blocks, converted once for all pages like it."""
        lines = [part if i % 2 else _SLOT.format(i // 2) for i, part in enumerate(key) if part is not None]
        self._md.reset()
        html = self._md.convert("\n\n".join(lines))
        toc = list(getattr(self._md, "toc_tokens", []))
        return re.split(r"<p>evidenceblock(\d+)x</p>", html), toc


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Metadata and body, as MkDocs splits them (the C YAML loader: the same values, faster)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    data = yaml.load(match.group(1), Loader=yaml.CSafeLoader)
    return (data if isinstance(data, dict) else {}), text[match.end() :].lstrip("\n")


#: A comment, a start or end tag (attribute values are escaped by the templates: no raw ``<`` or ``>``),
#: or a heading line (one only where no block is open: inside a block Markdown leaves it as text).
#: Linear: an unclosed comment runs to the end (and makes the page unfinishable), a tag stops at the
#: next ``<``, so no stretch of the page is read by more than one attempt.
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9-]*+)(?:\s[^<>]*+)?>|^(#{1,6}[ \t])", re.DOTALL | re.MULTILINE)
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
#: What may stand between top-level blocks: line breaks and blank lines (more would make Markdown read code).
_GAP = re.compile(r"[ ]*(?:\n[ ]{0,3})*")


def split_page(body: str, block_level: frozenset[str]) -> list[str]:
    """``[blocks, heading, blocks, …, heading, blocks]``, the blocks as Python-Markdown writes them back.

    Blocks are HTML elements starting a line at the top level. Each is kept as written; between two
    blocks comes one line break, or a blank line where the text has one or more; a blank line
    follows the last block of a stretch if the text has one there. Anything else at the top level
    (text, an inline or void tag, a comment, indentation, unbalanced tags, a block asking for Markdown
    inside) is Markdown to Markdown: :class:`NotFinishable`.
    """
    parts: list[str] = []
    stretch: list[str] = []
    depth = 0
    start = pos = 0

    def end_stretch(gap: str) -> None:
        if stretch and gap.count("\n") > 1:
            stretch.append("\n")
        parts.append("".join(stretch))
        stretch.clear()

    for match in _TOKEN.finditer(body):
        if match.start() < pos:
            continue  # inside a heading line
        closing, name = match.group(1), (match.group(2) or "").lower()
        if match.group(3) is not None:
            if depth == 0:
                gap = body[pos : match.start()]
                if not _GAP.fullmatch(gap):
                    raise NotFinishable(gap.strip()[:40])
                end_stretch(gap)
                end = body.find("\n", match.start())
                pos = len(body) if end < 0 else end
                parts.append(body[match.start() : pos].strip())
            continue
        if depth == 0:
            gap = body[pos : match.start()]
            # a block starts a line of its own, unindented (indented, Markdown reads code)
            line_start = match.start() == 0 or body[match.start() - 1] == "\n"
            opens_block = name in block_level and not closing and "markdown=" not in match.group(0)  # md_in_html
            if not _GAP.fullmatch(gap) or not line_start or not opens_block:
                raise NotFinishable(body[match.start() : match.start() + 40])
            if stretch:
                stretch.append("\n\n" if gap.count("\n") > 1 else "\n")
            start = match.start()
        pos = match.end()
        if not name or name in _VOID or match.group(0).endswith("/>"):
            if depth == 0:
                raise NotFinishable(match.group(0)[:40])
            continue
        depth += -1 if closing else 1
        if depth < 0:
            raise NotFinishable(match.group(0)[:40])
        if depth == 0:
            stretch.append(body[start:pos])
    tail = body[pos:]
    if depth or not _GAP.fullmatch(tail):
        raise NotFinishable(tail[:40])
    end_stretch(tail)
    return parts
