"""Glossary terms linked on their first use in a page.

A claim page is written by templates, so its text sits between tags the templates wrote and every
``<`` in the claim's own text is escaped: splitting on tags finds the text exactly. A term is linked
once per page, where a reader first meets it, and never inside a link, code, a heading, a quote (the
articles' words stay as they were written) or the picture.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from .model import Term

#: Elements whose text is never linked.
_SKIP = frozenset(
    {"a", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "figcaption",
     "summary", "svg", "title", "button", "label", "th", "caption", "time"}
)  # fmt: skip
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


def _pattern(terms: Sequence[Term]) -> tuple[re.Pattern[str], dict[str, Term]]:
    forms = {html.escape(form, quote=False).casefold(): t for t in terms for form in (t.term, *t.also)}
    # Longest first: "navicular drop" wins over "navicular".
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE), forms


def link_terms(page: str, terms: Sequence[Term], make_link: Callable[[Term, str], str]) -> str:
    """``page`` with the first use of each term replaced by ``make_link(term, words)``.

    ``words`` is the page's own text (HTML, already escaped); ``make_link`` links it to the term's
    entry (the ``term_link`` macro).

    Front matter and Markdown heading lines are left as they are. Linear in the page's length.
    """
    if not terms:
        return page
    pattern, forms = _pattern(terms)
    head, body = "", page
    if page.startswith("---\n") and (end := page.find("\n---\n", 4)) >= 0:
        head, body = page[: end + 5], page[end + 5 :]
    linked: set[str] = set()
    depth = 0  # open elements whose text is never linked

    def link(match: re.Match[str]) -> str:
        term = forms[match.group(1).casefold()]
        if term.term in linked:
            return match.group(0)
        linked.add(term.term)
        return make_link(term, match.group(0))

    out: list[str] = []
    at_line_start = True
    for piece in _TAG.split(body):
        if piece.startswith("<"):
            name = _NAME.match(piece)
            if name and name.group(2).lower() in _SKIP and not piece.endswith("/>"):
                depth = max(0, depth + (-1 if name.group(1) else 1))
            out.append(piece)
        elif depth > 0:
            out.append(piece)
        else:
            out.append(_link_lines(piece, at_line_start, lambda text: pattern.sub(link, text)))
        if piece:
            at_line_start = piece.endswith("\n")
    return head + "".join(out)


def _link_lines(text: str, at_line_start: bool, link: Callable[[str], str]) -> str:
    """``text`` linked, except its Markdown heading lines (a ``#`` at the start of a line)."""
    lines = text.splitlines(keepends=True)
    return "".join(line if line.startswith("#") and (i > 0 or at_line_start) else link(line) for i, line in enumerate(lines))
