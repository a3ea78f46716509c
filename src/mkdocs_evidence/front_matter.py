"""Front matter of contributor pages, checked as strictly as claim files.

MkDocs reads a page's front matter (``title``, ``description``…) with PyYAML's safe loader, which
expands aliases and decodes ``"\\u202E"``; the title then reaches the navigation and ``<title>``.
So front matter is parsed here with :mod:`.yamlsrc` (anchors, tags, escaped control characters,
duplicate keys refused, each at its line), and a refused block is blanked in the text the build
renders: MkDocs never parses what the check refused.
"""

from __future__ import annotations

import re

from .issues import Issue, issue
from .yamlsrc import YamlSyntaxError, load

#: MkDocs' own pattern (``mkdocs.utils.meta.YAML_RE``): what it takes for front matter, we check.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)


def check_front_matter(text: str, display: str) -> tuple[list[Issue], str]:
    """Problems in ``text``'s front matter, and the text to render (refused front matter blanked)."""
    if not text.startswith("---"):
        return [], text
    # MkDocs opens pages in text mode: line ends are "\n" by the time its pattern sees them.
    normal = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    match = FRONT_MATTER.match(normal)
    if not match:
        return [], text
    try:
        load(match.group(1))
    except YamlSyntaxError as exc:
        if not exc.refused:
            return [], text  # MkDocs cannot read it either: it stays page text, checked as Markdown
        # "{}" and comments keep the page's line count, so later issues keep their lines.
        lines = match.group(1).count("\n")
        blank = "---\n{}\n" + "#\n" * (lines - 1) + "---\n"
        return [issue(exc.code, f"front matter: {exc.message}", display, exc.line + 1)], blank + normal[match.end() :]
    return [], text
