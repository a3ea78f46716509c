"""The output layers one by one, in process: the page cleaner, held HTML, Markdown-inert expansions, the policy, SVG cleaning.

tests/test_safe_output.py builds a hostile site and loads it in a browser; these pin each layer's rules.
"""

from __future__ import annotations

import base64
import hashlib
import re

import markdown
import pytest

from mkdocs_evidence import csp, prose
from mkdocs_evidence.sanitize import Slots, clean_page, inert
from mkdocs_evidence.svg import UnusableSvg, clean_svg


@pytest.mark.parametrize(
    ("html", "kept", "gone"),
    [
        ('<p onclick="alert(1)">x</p>', "<p>x</p>", "onclick"),
        ('<img src="x" onerror="alert(1)">', '<img src="x">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>", "alert"),
        ("<script>alert(1)</script>ok", "ok", "alert"),
        ("<style>body{display:none}</style>ok", "ok", "display"),
        ('<p style="position:fixed;top:0">x</p>', "<p>x</p>", "position"),
        (
            '<table><tr><td style="text-align: center; position: fixed">x</td></tr></table>',
            'style="text-align:center"',
            "position",
        ),
        ('<p id="__config">x</p>', "<p>x</p>", "__config"),
        ('<p id="ev-p1">x</p>', "<p>x</p>", "ev-p1"),
        ('<p class="md-dialog note">x</p>', '<p class="note">x</p>', "md-dialog"),
        ('<span class="ev-verdict ev-verdict--supported">Supported</span>', "<span>Supported</span>", "ev-verdict"),
        ('<a class="md-button" href="https://example.org">x</a>', 'class="md-button"', "onclick"),
        ("<svg onload=alert(1)><circle/></svg>", "", "onload"),
        ('<details open ontoggle="alert(1)"><summary>s</summary></details>', "<details open", "ontoggle"),
        ('<iframe src="https://example.org"></iframe>x', "x", "iframe"),
        ('<form action="https://example.org"><input name="a"></form>', "", "form"),
    ],
)
def test_the_cleaner_keeps_markdown_and_drops_what_could_run_or_cover(html: str, kept: str, gone: str) -> None:
    cleaned = clean_page(html)
    assert kept in cleaned
    assert gone not in cleaned


def test_held_html_comes_back_only_where_a_token_stands_in_text() -> None:
    slots = Slots()
    inline = slots.hold('<a class="ev-cite" href="../s/">Smith 2020</a>')
    block = slots.hold('<figure class="ev-graph"><svg></svg></figure>')
    page = clean_page(f'<p>See {inline}.</p>\n<p>{block}</p>\n<p title="{inline}">x</p>')
    out = slots.splice(page)
    assert '<p>See <a class="ev-cite" href="../s/">Smith 2020</a>.</p>' in out  # the plugin's classes survive
    assert '\n<figure class="ev-graph"><svg></svg></figure>\n' in out  # a block replaces its paragraph
    assert f'<p title="{inline}">x</p>' in out  # never inside an attribute: the token stays text


def test_a_contributor_cannot_forge_a_token() -> None:
    slots = Slots()
    real = slots.hold("<b>ours</b>")
    guessed = real.replace("0z", "1z")  # the next number, the same prefix: nothing was held under it
    other = Slots().hold("<b>other</b>")  # another page's prefix
    out = slots.splice(f"<p>{guessed} {other} {real}</p>")
    assert out == f"<p> {other} <b>ours</b></p>"  # a number never held is dropped, another page's token is text
    assert real[: real.index("x")] == other[: other.index("x")]  # same process nonce, different page part
    assert real != other


def test_inert_html_is_not_read_as_markdown_again() -> None:
    title = '<span class="ev-ref__title">![x](y){: onerror="alert(1)" } *bold* [a](javascript:b)</span>'
    html = markdown.markdown(f"Cited {inert(title)}.", extensions=["attr_list"])
    assert "<img" not in html
    assert "<em>" not in html
    assert "<a " not in html
    assert html.count("<") == 4  # <p>, <span …>, </span>, </p>: the tags themselves are kept
    assert 'class="ev-ref__title"' in html


def _sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_the_policy_lists_the_theme_scripts_and_nothing_from_the_content() -> None:
    content = "<p>x</p><script>alert(1)</script>"
    page = (
        '<html><head><meta charset="utf-8"><script>theme()</script>'
        '<script type="application/ld+json">{"a": 1}</script><script src="x.js"></script></head>'
        f"<body><article>{content}</article><script>after()</script></body></html>"
    )
    out = csp.with_policy(page, content)
    head = out[: out.index("<script")]
    assert '<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"' in head
    policy = head.split('content="', 1)[1].split('"', 1)[0]
    assert _sha("theme()") in policy and _sha("after()") in policy
    assert _sha("alert(1)") not in policy and _sha('{"a": 1}') not in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    assert csp.with_policy(out, content) == out  # added once


def test_an_svg_is_cleaned_to_a_picture() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" onload="alert(1)">'
        b"<script>alert(2)</script><style>*{}</style><foreignObject><p>x</p></foreignObject>"
        b'<a href="javascript:alert(3)"><text x="1" style="fill:url(https://e.org/a)">hi</text></a>'
        b'<use x:href="#g"/><use href="https://e.org/s.svg#x"/><rect fill="url(#grad)" width="1"/></svg>'
    )
    cleaned = clean_svg(svg)
    text = cleaned.data.decode()
    for gone in ("alert", "script", "style", "foreignObject", "https://e.org", "onload"):
        assert gone not in text, gone
    assert ">hi</text>" in text and 'href="#g"' in text and 'fill="url(#grad)"' in text
    assert {"<script>", "onload", "href"} <= set(cleaned.removed)


@pytest.mark.parametrize(
    "data",
    [b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', b"<svg><unclosed></svg>", b"<html/>", b"not xml"],
)
def test_an_svg_that_is_not_a_plain_picture_is_refused(data: bytes) -> None:
    with pytest.raises(UnusableSvg):
        clean_svg(data)


#: What another generator converting ``evidence render``'s folder may enable: Markdown that writes attributes or links.
OTHER_GENERATOR = ["attr_list", "md_in_html", "footnotes", "abbr", "def_list", "admonition", "tables", "toc"]
PROSE_SHAPES = {
    "attribute list with braces in its value": "Text\n{: onmouseover=\"{alert('x')}\" }\n",
    "nested attribute lists": "![x](y){: a {: onerror=alert('x') } }\n",
    "link address on the next line": "[next](\njavascript:alert('x'))\n",
    "reference definition on the next line": "[ref][r]\n\n[r]:\n    javascript:alert('x')\n",
    "entity in the scheme": "[a](java&#x09;script:alert('x'))\n",
    "escaped backtick before a tag": "Escaped \\` tick <b onclick=alert(1)>x</b> ` closed\n",
    "data address": "[a](\ndata:text/html,<script>alert(1)</script>)\n",
}


@pytest.mark.parametrize("text", PROSE_SHAPES.values(), ids=PROSE_SHAPES.keys())
def test_prose_written_for_other_generators_holds_no_script(text: str) -> None:
    """``evidence render`` writes prose as Markdown for a generator with no cleaner and no policy: the guard alone holds."""
    html = markdown.markdown(prose.neutralize(text), extensions=OTHER_GENERATOR)
    assert not re.search(r"<[^>]*\son\w+=", html), html
    assert not re.search(r"""(?:href|src)=["']?\s*(?:javascript|vbscript|data):""", html, re.IGNORECASE), html
    assert prose.raw_html(text), "the check reports it too"


def test_words_that_are_not_addresses_stay() -> None:
    assert prose.raw_html("Raw data: 5 studies; the JavaScript language; metadata:x/y\n") == []


def test_an_attribute_value_cannot_pose_as_an_id_or_class() -> None:
    # Python-Markdown writes `alt` before `class` and `id`: a value ending in `class=` or `id=` comes first.
    html = markdown.markdown(
        "![x class=](pic.png){: #__config }\n\n![y id=](pic.png){: .md-dialog .ev-verdict--supported }",
        extensions=["attr_list"],
    )
    cleaned = clean_page(html)
    assert "__config" not in cleaned and "md-dialog" not in cleaned and "ev-verdict" not in cleaned, cleaned
    assert 'alt="x class="' in cleaned and 'alt="y id="' in cleaned


def test_each_marker_fills_once_and_never_in_code() -> None:
    made: list[str] = []

    def fill() -> str:
        made.append("picture")
        return "<figure>picture</figure>"

    text = "<!-- evidence:graph -->\n\n```\n<!-- evidence:graph -->\n```\n\n<!-- evidence:graph -->\n"
    out = prose.fill_markers(text, {"<!-- evidence:graph -->": fill})
    assert made == ["picture"]
    assert out == "<figure>picture</figure>\n\n```\n<!-- evidence:graph -->\n```\n\n<!-- evidence:graph -->\n"


def test_a_citation_key_that_looks_like_an_address_is_not_one() -> None:
    assert prose.raw_html("See [@javascript:alert] and [@a; @data:text/x].\n") == []
