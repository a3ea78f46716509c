"""A project whose every contributor field carries script payloads: the site built from it must run none.

Each payload calls ``alert('<where>')``: a browser test (tests/test_safe_output.py) loads every
page of the built site and fails on any dialog, naming where the payload came from. Each field also
carries a plain word (``seen-<where>``) so the test can prove the field did reach the site: a
payload that never reached a page proves nothing.

The shapes cover what a guard over the input can miss (issue 19): raw tags, attribute lists with
braces, escaped backticks, Markdown images with handlers inside BibTeX titles and claim statements
shown through citations and claim links, reference definitions, ``javascript:`` links and
autolinks, entities that decode into tags in titles, and files (.html, .svg, .js, a file named like
the theme's JavaScript bundle) under the docs folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

MINIMAL = Path(__file__).parent.parent / "fixtures" / "minimal"
#: Where a page choosing the theme's redirect template would send its readers.
REDIRECT_TO = "https://attacker.example/"
EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables", "footnotes", "def_list", "abbr", "toc:\n      permalink: true")


def inline(where: str) -> str:
    """Payloads that fit in one line of Markdown or plain text."""
    a = f"alert('{where}')"
    return " ".join(
        [
            f"seen-{where}",
            f'<img src=x onerror="{a}">',
            f"<script>{a}</script>",
            f'![x](y){{: onerror="{{{a}}}" }}',
            f"\\` <svg onload={a}>",
            f"[click](javascript:{a})",
            f"<javascript:{a}>",
            f"&lt;img src=x onerror={a}&gt;",
            f'<a href="x" style="position:fixed;top:0;left:0">{where}</a>',
        ]
    )


def short(where: str) -> str:
    """The payloads that fit a short field (at most 300 characters: the question's parts, a finding's words)."""
    a = f"alert('{where}')"
    return f'seen-{where} <img src=x onerror="{a}"> <script>{a}</script> [click](javascript:{a}) <svg onload={a}>'


def block(where: str) -> str:
    """Payloads that need lines of their own (prose pages and topic introductions)."""
    a = f"alert('{where}')"
    return "\n".join(
        [
            f"seen-{where} paragraph",
            f'{{: onmouseover="{{{a}}}" }}',
            "",
            f'![x](y){{: onerror="{{{a}}}" }}',
            "",
            "Covered",
            '{: style="position:fixed;top:0;left:0;width:100%;height:100%" }',
            "",
            f"Escaped \\` tick <img src=x onerror={a}> ` closed",
            "",
            f"[ref link][evil] and ![pic](x){{: onerror={a} }}",
            "",
            f"[evil]: javascript:{a}",
            "",
            f"Footnote[^n] and *[HTML]: <img src=x onerror={a}>",
            "",
            f'[^n]: {{: onclick="{{{a}}}" }} note',
            "",
            f'<div markdown="1" onclick="{a}">inside</div>',
            "",
            f'<details open ontoggle="{a}"><summary>x</summary></details>',
            "",
            f"<!-- --><img src=x onerror={a}>",
            "",
            f"# Heading &lt;img src=x onerror={a}&gt; {{: onclick={a} }}",
            "",
            f"Cited [@evil2020, p. <img src=x onerror={a}>] and [[evil-claim|<img src=x onerror={a}>]] and [[evil-claim]].",
        ]
    )


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def claim_file() -> str:
    """A claim with a payload in every free-text field (and a valid record otherwise)."""
    f = lambda where: _yaml(inline(where))  # noqa: E731 - short local alias
    g = lambda where: _yaml(short(where))  # noqa: E731
    return f"""id: evil-claim
statement: {f("claim-statement")}
topics: [feet]
verdict: supported
certainty: low
reason: {f("claim-reason")}
bottom_line: {f("claim-bottom-line")}
summary: {f("claim-summary")}
asserts:
  population: {g("claim-asserts-population")}
  exposure: {g("claim-asserts-exposure")}
  comparison: {g("claim-asserts-comparison")}
  outcome: {g("claim-asserts-outcome")}
  direction: decreases
  size: {g("claim-asserts-size")}
evidence:
  - finding: evil2020#evil-finding
    directness: indirect
    differs: [population]
    note: {f("claim-finding-note")}
  - cite: evil2020
    relation: mentions
    locator: {f("claim-locator")}
    note: {f("claim-note")}
downgrades:
  - reason: imprecision
    note: {f("claim-downgrade")}
overrides:
  - reason: risk-of-bias
    note: {f("claim-override")}
appearances:
  - cite: blog-post
    quote: "Feet are everything"
    flags: [citation-needed]
    flag_note: {f("claim-flag-note")}
searches:
  - source: {f("claim-search-source")}
    query: {f("claim-search-query")}
    date: 2026-11-19
    found: {f("claim-search-found")}
reviewed: 2026-11-20
corrections:
  - date: 2026-11-20
    what: {f("claim-correction-what")}
    why: {f("claim-correction-why")}
"""


def study_file() -> str:
    """The appraisal of evil2020 with a payload in every free-text field, and a script address as its record."""
    f = lambda where: _yaml(inline(where))  # noqa: E731 - short local alias
    g = lambda where: _yaml(short(where))  # noqa: E731
    domains = "".join(
        f"    - domain: {d}\n      judgement: high\n      reason: {f('study-domain-reason')}\n"
        for d in ("randomisation", "deviations", "missing-data", "measurement", "reporting")
    )
    return f"""key: evil2020
design: rct
participants: 40
population: {f("study-population")}
setting: {f("study-setting")}
identity:
  record: publisher
  id: "javascript:alert('study-identity')"
  seen: 2026-11-20
  fields: [title, authors, journal, year]
risk_of_bias:
  tool: rob2
  domains:
{domains}  overall: high
  reason: {f("study-rob-reason")}
findings:
  - id: evil-finding
    outcome: {g("study-finding-outcome")}
    exposure: {g("study-finding-exposure")}
    comparison: {g("study-finding-comparison")}
    population: {g("study-finding-population")}
    direction: decreases
    effect:
      text: {f("study-effect-text")}
      measure: {g("study-effect-measure")}
      estimate: "-2"
      ci: ["-3", "-1"]
    locator: {g("study-finding-locator")}
    analysed: 40
appraised: 2026-11-20
appraised_by: {g("study-appraised-by")}
second_reader: {g("study-second-reader")}
notes: {f("study-notes")}
"""


def bib_entry() -> str:
    """A reference with a payload in every field a page shows (braces balanced, as BibTeX needs)."""
    f = lambda where: inline(where).replace("{", "(").replace("}", ")")  # noqa: E731
    title = "seen-bib-title ![x](y){: onerror=\"alert('bib-title')\" } <img src=x onerror=alert('bib-title')>"
    return f"""
@article{{evil2020,
  author  = {{{{{f("bib-author")}}} and Smith, Jane}},
  title   = {{{title}}},
  journal = {{{f("bib-journal")}}},
  year    = {{2020}},
  volume  = {{{f("bib-volume")}}},
  pages   = {{1--2}},
  doi     = {{10.1000/evil"onmouseover="alert('bib-doi')}},
  url     = {{javascript:alert('bib-url')}},
  note    = {{{f("bib-note")}}},
  design  = {{rct}}
}}
"""


def make(folder: Path) -> Path:
    """The payload project in ``folder/payloads``; returns its root."""
    root = folder / "payloads"
    shutil.copytree(MINIMAL, root)
    # The extensions sites use, each a way for Markdown to write attributes or HTML.
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("markdown_extensions:\n" + "".join(f"  - {x}\n" for x in EXTENSIONS))
    content = root / "content"
    (content / "claims" / "evil-claim.yml").write_text(claim_file(), encoding="utf-8")
    (content / "studies" / "evil2020.yml").write_text(study_file(), encoding="utf-8")
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(bib_entry())
    topics = (
        "topics:\n  - id: feet\n    title: Feet\n    description: Claims about feet.\n"
        f"  - id: evil\n    title: {_yaml(inline('topic-title'))}\n    description: {_yaml(inline('topic-description'))}\n"
    )
    (content / "topics.yml").write_text(topics, encoding="utf-8")
    claim = (content / "claims" / "evil-claim.yml").read_text(encoding="utf-8").replace("topics: [feet]", "topics: [feet, evil]")
    (content / "claims" / "evil-claim.yml").write_text(claim, encoding="utf-8")
    (content / "topics" / "evil.md").write_text(f"# Evil\n\n{block('topic-intro')}\n", encoding="utf-8")
    front = f"---\ntitle: {_yaml(inline('page-title'))}\ndescription: {_yaml(inline('page-description'))}\n---\n"
    (content / "evil-page.md").write_text(f"{front}\n{block('prose-page')}\n", encoding="utf-8")
    (content / "index.md").write_text(
        (MINIMAL / "content" / "index.md").read_text(encoding="utf-8") + f"\n{block('home-page')}\n", encoding="utf-8"
    )
    # A first heading is the page's title: Material writes it into <title> with entities decoded.
    title = "&lt;/title&gt;&lt;script&gt;alert('h1-title')&lt;/script&gt;"
    (content / "titled-page.md").write_text(f"# seen-h1-title {title}\n\nText.\n", encoding="utf-8")
    # The theme's redirect template, chosen in front matter, would send every reader to the page's location.
    redirect = f"---\ntemplate: redirect.html\nlocation: {REDIRECT_TO}\n---\n# seen-redirect\n"
    (content / "redirect-page.md").write_text(redirect, encoding="utf-8")
    # Files a pull request may add next to the pages.
    (content / "evil.html").write_text("<script>alert('file-html')</script>seen-file-html", encoding="utf-8")
    (content / "evil.js").write_text("alert('file-js')", encoding="utf-8")
    svg = (
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert('file-svg')\"><script>alert('file-svg')</script>"
        '<a href="javascript:alert(\'file-svg\')"><text x="1" y="10">seen-file-svg</text></a></svg>'
    )
    (content / "evil.svg").write_text(svg, encoding="utf-8")
    bundle = content / "assets" / "javascripts"
    bundle.mkdir(parents=True)
    for name in theme_bundles():
        (bundle / name).write_text("alert('theme-bundle')", encoding="utf-8")
    (content / "assets" / "mkdocs-evidence.js").write_text("alert('plugin-asset')", encoding="utf-8")
    # Shown with the picture: the SVG as an image of the prose page (cleaned before it is published).
    with (content / "evil-page.md").open("a", encoding="utf-8") as page:
        page.write("\n![a picture](evil.svg)\n")
    return root


def theme_bundles() -> list[str]:
    """Names of Material's JavaScript bundle in the installed theme (a file named so would replace it)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    return [p.name for p in folder.glob("bundle.*.min.js")]
