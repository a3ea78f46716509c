"""Contributor text → safe HTML.

Claim text comes from pull requests, so it is untrusted: a little inline Markdown (emphasis,
code, links) is allowed, raw HTML is escaped away, and links may only use http, https or mailto.
"""

from __future__ import annotations

import functools
import html as html_lib

import markdown
import nh3
from markupsafe import Markup

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


def plain(text: str) -> str:
    """Contributor Markdown as plain text (link text kept, addresses and markup dropped), for JSON outputs."""
    html = str(rich(text)).replace("</p>\n<p>", "</p> <p>").replace("<br />", " ").replace("<br>", " ")
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()
