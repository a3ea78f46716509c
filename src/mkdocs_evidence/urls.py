"""Where each generated page lives and how one page links to another.

Two schemes, because generators treat links in raw HTML differently:

- ``site`` (the MkDocs plugin): MkDocs does not rewrite links inside raw HTML blocks, so links are
  written as the finished site's relative URLs (``../../sources/x/``, or ``x.html`` without
  directory URLs).
- ``files`` (``evidence render`` for other generators): links point at the Markdown source files
  (``../sources/x.md``), relative to the page's own file, which Zensical and MkDocs-like generators
  validate and rewrite for whichever URL style they use.
"""

from __future__ import annotations

import posixpath
from typing import Literal

from .paths import safe_href

CLAIMS = "claims"
SOURCES = "sources"
TOPICS = "topics"
#: The generated page listing claims due for review.
REVIEW = f"{CLAIMS}/review.md"
CLAIMS_INDEX = f"{CLAIMS}/index.md"
BIBLIOGRAPHY = f"{SOURCES}/index.md"
#: The generated glossary page (only when the site has a glossary file).
GLOSSARY = "glossary.md"
#: The plugin's stylesheet and script in the site.
CSS_URI = "assets/mkdocs-evidence.css"
JS_URI = "assets/mkdocs-evidence.js"

Scheme = Literal["site", "files"]


def claim_src(claim_id: str) -> str:
    """Source path of a claim page."""
    return f"{CLAIMS}/{claim_id}.md"


def source_src(key: str) -> str:
    """Source path of a reference's page."""
    return f"{SOURCES}/{key}.md"


def topic_src(topic_id: str) -> str:
    """Source path of a topic page."""
    return f"{TOPICS}/{topic_id}.md"


def _base(url: str) -> str:
    """The folder a URL's relative links resolve against."""
    return url.rstrip("/") if url.endswith("/") or not url else posixpath.dirname(url)


class Urls:
    """Page addresses and relative links between pages, in one of the two schemes above."""

    def __init__(self, use_directory_urls: bool = True, *, scheme: Scheme = "site") -> None:
        self.use_directory_urls = use_directory_urls
        self.scheme = scheme
        # A big site's pages hold hundreds of thousands of links between a few thousand folders: each
        # folder is split into its parts once (None: a path that needs posixpath's general rule).
        self._parts: dict[str, tuple[str, ...] | None] = {}

    def url(self, src_uri: str) -> str:
        """The site URL of a Markdown source path, as MkDocs computes it."""
        stem = src_uri[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/" if self.use_directory_urls else f"{stem}.html"

    def relative(self, from_src: str, to_src: str) -> str:
        """Link from one page to another, relative, as a static site needs."""
        if self.scheme == "files":
            return safe_href(posixpath.relpath(to_src, posixpath.dirname(from_src) or "."))
        from_url, to_url = self.url(from_src), self.url(to_src)
        rel = self._relpath(to_url or ".", _base(from_url) or ".")
        if to_url.endswith("/") or not to_url:
            rel = rel.rstrip("/") + "/"
        return "./" if rel == "./" else safe_href(rel.removeprefix("./"))

    def _relpath(self, path: str, start: str) -> str:
        """``posixpath.relpath(path, start)``, from each folder's parts: for paths inside the site,
        where the current directory both would be joined to cancels out."""
        to, base = self._split(path), self._split(start)
        if to is None or base is None:
            return posixpath.relpath(path, start)
        common = 0
        for a, b in zip(to, base, strict=False):
            if a != b:
                break
            common += 1
        return "/".join([".."] * (len(base) - common) + list(to[common:])) or "."

    def _split(self, path: str) -> tuple[str, ...] | None:
        if path not in self._parts:
            norm = posixpath.normpath(path)
            outside = norm.startswith("/") or norm == ".." or norm.startswith("../")
            self._parts[path] = None if outside else tuple(p for p in norm.split("/") if p not in ("", "."))
        return self._parts[path]

    def relative_file(self, from_src: str, path: str) -> str:
        """Link from a page to a file that is not a page (``handouts/x.pdf``)."""
        base = posixpath.dirname(from_src) if self.scheme == "files" else _base(self.url(from_src))
        return safe_href(posixpath.relpath(path, base or "."))
