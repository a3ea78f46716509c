"""Which files of the docs folder may be published: an allow-list of file types, decided on the name.

A pull request can add any file under the docs folder, and MkDocs copies every file it finds. An
HTML page or a script would run on the site's own address, outside every page's policy; a file
named like the theme's JavaScript bundle would replace it on every page. So only what a reader's
browser shows without running anything is published: Markdown pages, raster pictures, SVG pictures
(cleaned first, :mod:`mkdocs_evidence.svg`), PDF, fonts and plain text. Stylesheets, scripts, HTML
and anything else only when ``mkdocs.yml`` names the file (``extra_css``, ``extra_javascript``, or
the plugin's ``publish_files``): a maintainer's decision, visible in review.
"""

from __future__ import annotations

import posixpath

PAGES = frozenset({".md"})
PICTURES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp"})
#: Published after cleaning.
SVG = ".svg"
OTHER = frozenset({".pdf", ".woff", ".woff2", ".ttf", ".otf", ".txt"})
ALLOWED = PAGES | PICTURES | OTHER | {SVG}


def refusal(src_uri: str, declared: frozenset[str]) -> str | None:
    """Why a file of the docs folder (its path there) is not published, or ``None`` if it may be."""
    suffix = posixpath.splitext(src_uri)[1]
    if src_uri in declared:
        return None
    if suffix.lower() != suffix and suffix.lower() in ALLOWED:
        return f"has an upper-case extension ({suffix}); name it with {suffix.lower()}"
    if suffix in ALLOWED:
        return None
    kind = "an HTML page" if suffix in {".html", ".htm", ".xhtml", ".shtml"} else f"a {suffix or 'extensionless'} file"
    if suffix in {".js", ".mjs", ".css"}:
        kind = "a script" if suffix != ".css" else "a stylesheet"
    return f"is {kind} that mkdocs.yml does not list; not published"
