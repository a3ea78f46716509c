from __future__ import annotations

from mkdocs_evidence import prose


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
