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


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # attr_list reads across braces and quotes: a value holding a brace still gives a handler.
        ('Click\n{: onerror="{alert(1)}" }\n', 2),
        ("{: .a }{: onclick=x }\n", 1),
        # `\`` is a plain backtick for Markdown: it opens no code span, and the tag after it is live.
        ("\\`<img src=x onerror=alert(1)>`\n", 1),
        # A paragraph pairs backticks across its lines: the span on line 3 is not the one Markdown sees.
        ("# T `\n`\n` <img src=x onerror=alert(1)> `\n", 3),
        # Only a real fence hides its lines: unclosed, indented or followed by text, it is prose.
        ("```\n<img src=x onerror=alert(1)>\n", 2),
        ("```<b>\n", 1),
        ("  ```\n<b>\n  ```\n", 2),
        # A fence with attributes is read by attr_list's rules: from there on nothing counts as code.
        ("```{ onclick=x }\nx\n```\n<b>\n```\n`<b>`\n```\n", 1),
    ],
)
def test_the_raw_html_check_reads_code_and_attributes_as_markdown_does(text: str, line: int) -> None:
    assert line in [n for n, _ in prose.raw_html(text)]
    assert "<img" not in prose.neutralize(text) and "{: on" not in prose.neutralize(text)


@pytest.mark.parametrize(
    "text",
    ["Use `<b>` and ``a ` <i>`` here\n", "```html\n<b>x</b>\n```\n", "Set `{: .x key=v }` after a block\n", "\\\\`<b>`\n"],
)
def test_markup_in_code_is_not_reported(text: str) -> None:
    assert prose.raw_html(text) == []


def test_citations_are_bounded_and_hold_no_brackets() -> None:
    """Up to 21 items, keys of 100 characters, locators of 200; `[@a, see [2]]` is text, not a citation."""
    assert len(prose.scan("[" + "; ".join(["@a"] * 21) + "]")) == 1
    assert prose.scan("[" + "; ".join(["@a"] * 22) + "]") == []
    assert prose.scan("[@" + "k" * 101 + "]") == []
    assert prose.scan("[@a, " + "p" * 201 + "]") == []
    assert prose.scan("[@a, see [2]]") == []
    (cite,) = prose.scan("[@a , p. 4 ;  @b]")
    assert [(i.key, i.locator) for i in cite.items] == [("a", "p. 4"), ("b", "")]
