"""Contributor text → safe HTML.

Claim text comes from pull requests, so it is untrusted: a little inline Markdown (emphasis,
code, links) is allowed, raw HTML is escaped away, and links may only use http, https or mailto.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import secrets
from typing import Any

import markdown
import nh3
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup

from .finish import NotFinishable, split_page

ALLOWED_TAGS = {"a", "em", "strong", "code", "sub", "sup", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = markdown.Markdown(extensions=[], output_format="html")
# Contributors write text, not markup: without its raw-HTML rules Markdown escapes ``<`` and ``&`` itself,
# once, code spans included (escaping before Markdown escaped code spans twice: "a &lt; b" on the page).
_md.preprocessors.deregister("html_block")
_md.inlinePatterns.deregister("html")


@functools.lru_cache(maxsize=4096)
def rich(text: str) -> Markup:
    """Inline Markdown rendered and sanitised; paragraphs kept, everything unsafe removed."""
    _md.reset()
    html = _md.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above


def rich_inline(text: str) -> Markup:
    """Like :func:`rich` but without the surrounding paragraph, for table cells and lists."""
    html = str(rich(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - produced by rich()


def escape_strings(value: Any) -> Any:
    """Every string in a front-matter value HTML-escaped (themes print titles and descriptions unescaped)."""
    if isinstance(value, str):
        return html_lib.escape(value)
    if isinstance(value, dict):
        return {k: escape_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [escape_strings(v) for v in value]
    return value


@functools.lru_cache(maxsize=4096)  # claims.json asks for the same notes and reasons over and over (mostly "")
def plain(text: str) -> str:
    """Contributor Markdown as plain text (link text kept, addresses and markup dropped), for JSON outputs."""
    html = str(rich(text)).replace("</p>\n<p>", "</p> <p>").replace("<br />", " ").replace("<br>", " ")
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()


# --- Whole contributor pages, after Markdown -------------------------------------------------------
#
# A prose page (or a topic introduction) is Markdown from a pull request. Guards over the Markdown
# (prose.neutralize, validate.check_html) report what would carry script, but Markdown has more
# shapes than any pattern, so the HTML Markdown produced is cleaned too, with an allow-list: the
# tags Markdown and its common extensions write, no event handler, no ``style`` but table
# alignment, only http, https, mailto and relative addresses. What the plugin itself inserts
# (citations, claim links, the evidence picture) is held aside as an opaque token while Markdown
# and the cleaner run and put back afterwards (:class:`Slots`): it is never parsed as Markdown again.

PAGE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul", "var", "wbr",
}  # fmt: skip
_CELL = {"align", "colspan", "rowspan", "scope", "style"}
PAGE_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": _CELL,
    "td": _CELL,
    "ol": {"start"},
    "li": {"value"},
    "details": {"open"},
}
#: Table alignment is the one style Markdown writes (``| :--: |``); anything else could cover the page.
PAGE_STYLES = {"text-align"}
#: Material's own components use ids starting with ``__`` (``__config``, ``__search``) and classes starting
#: with ``md-``; the plugin's use ``ev-``. A page's element with such an id or class could stand in for
#: them (a fixed ``md-dialog`` over the page, a fake verdict badge), so those are dropped. Buttons stay.
_KEPT_CLASSES = {"md-button", "md-button--primary"}


#: A start or end tag with its attributes (quoted values may hold ``>``), or a comment: linear, no backtracking.
_TAG = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
_PAGE_CLEANER = nh3.Cleaner(
    tags=PAGE_TAGS,
    clean_content_tags={"script", "style"},
    attributes=PAGE_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    filter_style_properties=PAGE_STYLES,
    link_rel=None,
)
#: A tag's name, then its attributes one by one as the cleaner writes them (values always double-quoted).
_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_ATTRIBUTE = re.compile(r'\s+([^\s="/>]+)(?:="([^"]*)")?')


def _own_names_dropped(tag: str) -> str:
    """A start tag without the ids and classes of the theme's or plugin's own components.

    Done here rather than in the cleaner's attribute callback: Python code called back from the
    cleaner cannot let an exception (a signal stopping the build) through, only print it. The
    attributes are read one after the other, so a value holding ``class="…"`` is only a value.
    """
    name = _TAG_NAME.match(tag)
    if name is None:
        return tag
    out, pos = [name.group()], name.end()
    while attribute := _ATTRIBUTE.match(tag, pos):
        pos = attribute.end()
        key, value = attribute.group(1), attribute.group(2) or ""
        if key == "id" and value.startswith(("__", "ev-")):
            continue
        if key == "class":
            kept = [c for c in value.split() if c in _KEPT_CLASSES or not c.startswith(("md-", "ev-"))]
            out.append(f' class="{" ".join(kept)}"' if kept else "")
            continue
        out.append(attribute.group())
    out.append(tag[pos:])
    return "".join(out)


def clean_page(html: str) -> str:
    """The HTML of a contributor's page with everything outside the allow-list removed."""
    cleaned = _PAGE_CLEANER.clean(html)
    return _TAG.sub(lambda m: _own_names_dropped(m.group()) if " " in m.group() else m.group(), cleaned)


#: Characters Markdown gives a meaning to; as numeric references they are only text.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()!~|#:]")


def inert(html: str) -> str:
    """Our own HTML made safe to put into Markdown another tool converts: its text cannot be read as Markdown.

    Python-Markdown keeps inline tags as they are but parses the text between them, so a reference
    title like ``![x](y){: onerror=…}`` in a tooltip would become an image with a handler.
    """
    out, last = [], 0
    for tag in _TAG.finditer(html):
        out.append(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", html[last : tag.start()]))
        out.append(tag.group())
        last = tag.end()
    out.append(_MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", html[last:]))
    return "".join(out)


#: What Python-Markdown treats as a block of HTML (the site's own blocks are held aside as such).
BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
#: Unguessable per process: a contributor cannot write a token that the splice would fill.
_NONCE = secrets.token_hex(8)


class Slots:
    """The plugin's own HTML, held aside while a contributor's text goes through Markdown and the cleaner.

    :meth:`hold` returns a token of letters and digits that Markdown and the cleaner leave as text;
    :meth:`splice` puts the HTML back where a token stands in text (never inside a tag's attribute).
    A token alone in a paragraph stands for a block: the paragraph is replaced as a whole.
    """

    def __init__(self) -> None:
        self.held: dict[str, str] = {}
        self._prefix = f"evidence{_NONCE}x{secrets.token_hex(4)}n"

    def hold(self, html: str) -> str:
        token = f"{self._prefix}{len(self.held)}z"
        self.held[token] = html
        return token

    def splice(self, html: str) -> str:
        if not self.held:
            return html
        pattern = re.compile(rf"<p>({self._prefix}\d+z)</p>|{_TAG.pattern}|{self._prefix}\d+z", re.DOTALL)

        def fill(m: re.Match[str]) -> str:
            if m.group(1):
                return self.held.get(m.group(1), "")
            text = m.group()
            return text if text.startswith("<") else self.held.get(text, "")

        return pattern.sub(fill, html)


def hold_blocks(markdown_text: str, slots: Slots) -> str:
    """The site's own Markdown with its HTML blocks held aside (``<p>token</p>`` each); headings and text kept.

    The text can then go through Markdown and :func:`clean_page` with a contributor's page while the
    HTML the templates wrote comes back untouched. A stretch between blank lines is held when it is
    nothing but whole HTML blocks (:func:`mkdocs_evidence.finish.split_page`); anything else stays
    Markdown, to be converted and cleaned (plainer, never unsafe).
    """
    out = []
    for chunk in re.split(r"\n[ \t]*\n", markdown_text):
        try:
            parts = split_page(chunk, BLOCK_LEVEL) if chunk.startswith("<") else None
        except NotFinishable:
            parts = None
        if parts is not None and len(parts) == 1 and parts[0].strip():
            out.append(slots.hold(parts[0]))
        else:
            out.append(chunk)
    return "\n\n".join(out)
