"""Split an article into the sentences the coverage list accounts for (shared by the test and its tooling)."""

from __future__ import annotations

import re

from mkdocs_evidence.load import SNAPSHOT_SEPARATOR

#: A sentence ends at . ! or ? followed by space and a capital, digit or opening quote.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(A-Z0-9])")


def article_text(snapshot: str) -> str:
    """The article's text, without the snapshot's header."""
    return snapshot.partition(SNAPSHOT_SEPARATOR)[2]


def sentences(text: str) -> list[str]:
    """Every sentence of ``text``: one per line at least, bullets and spacing removed."""
    out: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.replace("\u00a0", " ").split()).lstrip("•-–* ").strip()
        out.extend(part.strip() for part in _BOUNDARY.split(line) if part.strip())
    return out


if __name__ == "__main__":  # print the sentences of a snapshot, to start or update tests/coverage.yml
    import sys
    from pathlib import Path

    for sentence in sentences(article_text(Path(sys.argv[1]).read_text(encoding="utf-8"))):
        print(sentence)
