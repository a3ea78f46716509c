"""A link checker for a built static site: every internal ``href``/``src`` must name a file of the site.

Pages are resolved as a browser would, at the domain root (``http://site.test/page/``) or under a
sub-path (``http://site.test/some-repo/page/``, as GitHub Pages serves a project site). A link is
internal when it stays on the host; it is broken when it leaves the site's folder (an absolute
``/assets/x`` under a sub-path) or names no file (``x/`` means ``x/index.html``).
"""

from __future__ import annotations

import html.parser
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HOST = "site.test"
LINK_ATTRIBUTES = {"href", "src", "xlink:href", "poster", "data"}


@dataclass(frozen=True)
class Broken:
    """A link that does not lead to a file of the site."""

    page: str
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} ({self.why})"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in LINK_ATTRIBUTES and value is not None]


def links(page: Path) -> list[str]:
    """Every ``href``, ``src`` (and the like) of an HTML file, as written."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def page_url(site: Path, page: Path, prefix: str) -> str:
    """The address a page is read at: ``x/index.html`` as ``x/``, others as themselves."""
    rel = page.relative_to(site).as_posix()
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return f"http://{HOST}{prefix}{rel}"


def target(site: Path, url: str, prefix: str) -> tuple[Path | None, str]:
    """The file an internal URL names, or why it names none."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None, f"outside the site folder {prefix}"
    rel = posixpath.normpath(path[len(prefix) :]) if path != prefix else ""
    if rel in ("", "."):
        rel = ""
    if rel.startswith(".."):
        return None, "above the site root"
    file = site / rel if rel else site
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return (file, "") if file.is_file() else (None, "no such file")


def broken_links(site: Path, prefix: str = "/") -> list[Broken]:
    """Every internal link of every HTML page of ``site`` that leads to no file, with the site served at ``prefix``."""
    found = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).as_posix() == "404.html":
            continue  # served at any missing address: its links are written for the site root (MkDocs' own choice)
        base = page_url(site, page, prefix)
        for link in links(page):
            url = urljoin(base, link.strip())
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc != HOST:
                continue  # mailto:, data:, another host
            file, why = target(site, url, prefix)
            if file is None:
                found.append(Broken(page.relative_to(site).as_posix(), link, why))
    return found
