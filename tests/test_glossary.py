"""The glossary: a site's glossary file becomes a page, and each claim page links a term where a reader first meets it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import evidence, mkdocs_build
from mkdocs_evidence.glossary import link_terms
from mkdocs_evidence.model import Term

TERMS = (
    Term("Navicular drop", "How far the arch lowers."),
    Term("Navicular", "A bone of the foot."),
    Term("Example trial", "A made-up study.", also=("example trials",)),
)
PAGE = """---
title: "Navicular drop example"
---

## Navicular drop
<div class="x" title="navicular drop">
<p>The <em>navicular drop</em> test, then navicular drop again, and the Navicular.</p>
<blockquote>Example trials in a quote stay as written.</blockquote>
<p>A <a href="y">navicular drop link</a>; <code>example trial</code>; Example Trials.</p>
<svg><text>navicular</text></svg>
</div>
"""


def link(term: Term, words: str) -> str:
    return f'<a class="ev-term" href="../../glossary/#{term.anchor}">{words}</a>'


def links(html: str) -> list[str]:
    return re.findall(r'<a class="ev-term" href="([^"]+)">([^<]+)</a>', html)


def test_each_term_is_linked_once_where_the_reader_first_meets_it() -> None:
    out = link_terms(PAGE, TERMS, link)
    assert links(out) == [
        ("../../glossary/#term-navicular-drop", "navicular drop"),  # the longer term wins over "navicular"
        ("../../glossary/#term-navicular", "Navicular"),
        ("../../glossary/#term-example-trial", "Example Trials"),  # another form, the page's own casing
    ]
    # Front matter, headings, attributes, quotes, links, code and the picture keep their text.
    untouched = [
        'title: "Navicular drop example"',
        "## Navicular drop\n",
        'title="navicular drop"',
        "<blockquote>Example trials in",
    ]
    untouched += ['<a href="y">navicular drop link</a>', "<code>example trial</code>", "<text>navicular</text>"]
    for text in untouched:
        assert text in out
    assert re.sub(r'<a class="ev-term" href="[^"]+">([^<]+)</a>', r"\1", out) == PAGE


def test_no_glossary_leaves_the_page_alone() -> None:
    assert link_terms(PAGE, (), link) is PAGE


GLOSSARY = """terms:
  - term: Example trial
    also: [trial]
    definition: A *made-up* study, for this test.
  - term: Foot exercises
    definition: Exercises for the feet.
"""


def test_the_site_build_makes_the_glossary_page_and_links_claim_pages_to_it(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    (root / "content" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    result = mkdocs_build(root)
    assert result.code == 0, result.text
    glossary = (root / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<dt id="term-example-trial">Example trial</dt>' in glossary and "<em>made-up</em>" in glossary
    assert not (root / "site" / "glossary.yml").exists(), "the glossary file is data, not a published file"
    claim = (root / "site" / "claims" / "exercise-helps" / "index.html").read_text(encoding="utf-8")
    assert links(claim) == [
        ("../../glossary/#term-foot-exercises", "Foot exercises"),  # the claim, before the summary
        ("../../glossary/#term-example-trial", "trial"),
    ]


def test_a_broken_glossary_file_is_one_line_with_its_place(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    glossary = root / "content" / "glossary.yml"
    glossary.write_text(GLOSSARY + "  - term: TRIAL\n    definition: Twice.\n", encoding="utf-8")
    twice = evidence(root, "check")
    glossary.write_text(GLOSSARY + "  - term: No definition\n", encoding="utf-8")
    missing = evidence(root, "check")
    assert twice.code != 0 and missing.code != 0
    assert "content/glossary.yml:7: error: glossary term 'TRIAL' is already defined at line 2 [invalid-field]" in twice.out
    assert "content/glossary.yml:7: error: missing required field 'terms.2.definition' [invalid-field]" in missing.out
    assert "Traceback" not in twice.text + missing.text
