from __future__ import annotations

import pytest

from mkdocs_evidence import prose
from mkdocs_evidence.sanitize import plain, rich


def test_scan_finds_citations_and_claim_links_with_lines() -> None:
    text = "Intro [@a2020, p. 3; @b2021].\n\n```\n[@in-code]\n```\nSee [[my-claim]] and `[[inline-code]]`.\n[[other|words]]\n"
    found = prose.scan(text)
    cites = [m for m in found if m.kind == "cite"]
    claims = [m for m in found if m.kind == "claim"]
    assert [(i.key, i.locator) for i in cites[0].items] == [("a2020", "p. 3"), ("b2021", "")]
    assert cites[0].line == 1
    assert [(m.claim, m.label, m.line) for m in claims] == [("my-claim", "", 6), ("other", "words", 7)]


def test_expand_replaces_only_prose() -> None:
    text = "A [@k] B [[c]]\n`[@k]`\n~~~\n[@k]\n~~~\n"
    out = prose.expand(text, lambda items: f"<{items[0].key}>", lambda cid, label: f"{{{cid}}}")
    assert out == "A <k> B {c}\n`[@k]`\n~~~\n[@k]\n~~~\n"


def test_markdown_links_are_not_citations() -> None:
    assert prose.scan("[text](https://example.org) and [@ not a key]") == []


@pytest.mark.parametrize(
    ("text", "html", "words"),
    [
        ("Use `a < b & c` here", "<p>Use <code>a &lt; b &amp; c</code> here</p>", "Use a < b & c here"),
        ("AT&T, p < 0.05", "<p>AT&amp;T, p &lt; 0.05</p>", "AT&T, p < 0.05"),
        ("<b>bold</b> *em*", "<p>&lt;b&gt;bold&lt;/b&gt; <em>em</em></p>", "<b>bold</b> em"),
        ("[x](javascript:alert(1))", '<p><a rel="nofollow noopener">x</a></p>', "x"),
    ],
)
def test_contributor_text_is_escaped_once(text: str, html: str, words: str) -> None:
    """Readers see what the contributor typed: raw HTML as text, code spans not escaped twice."""
    assert str(rich(text)) == html
    assert plain(text) == words
