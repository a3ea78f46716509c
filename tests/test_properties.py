"""Every parser of contributor text, fed generated input: success or one clear line per problem.

One property test per parser (claim YAML, front matter and pages, BibTeX, LaTeX decoding, prose
citations), each with a fixed budget and a fixed seed (``derandomize``) so the suite never flakes. The
inputs are built from the characters and fragments each syntax is made of, so most are nearly valid.
Each asserts: no exception escapes, every issue formats as one line ``path:line: severity: … [code]``,
and the time stays within a bound proportional to the input's size.
"""

from __future__ import annotations

import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_evidence import latex, prose, validate
from mkdocs_evidence.bibliography import parse_bibliography
from mkdocs_evidence.issues import Issue
from mkdocs_evidence.load import _claim, load_prose

BUDGET = settings(
    max_examples=150,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ONE_LINE = re.compile(r"[^\n]+:(\d+: |\s)?(error|warning): [^\n]* \[[a-z-]+\]( \(hint: [^\n]*\))?")


def fragments(*pieces: str, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text made of syntax fragments and single characters (including a few hostile ones)."""
    chars = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3)
    return st.lists(st.one_of(st.sampled_from(pieces), chars), max_size=max_size).map("".join)


def assert_clear(issues: list[Issue], path: str) -> None:
    for item in issues:
        line = item.format()
        assert ONE_LINE.fullmatch(line), line
        assert item.path == path


def assert_fast(start: float, text: str) -> None:
    # Generous (machines differ), but far below what quadratic or exponential work would take.
    assert time.process_time() - start <= 0.2 + len(text) * 50e-6


CLAIM = (
    "id: x\nstatement: Feet do things.\ntopics: [feet]\nverdict: mixed\ncertainty: low\nsummary: Some text.\n"
    "evidence:\n  - cite: smith2020trial\n    relation: mentions\nreviewed: 2026-11-20\n"
)


@BUDGET
@given(
    st.one_of(
        fragments(
            "id: ",
            "x\n",
            "statement: ",
            "evidence:\n",
            "  - ",
            "cite: ",
            "[",
            "]",
            "{",
            "}",
            "&a ",
            "*a",
            "!!binary ",
            ": ",
            "\n  ",
            '"',
            "'",
            "\\u202e",
            "#",
        ),
        st.tuples(st.integers(0, len(CLAIM)), fragments("[", "{", "&a ", "*a", ": ", "\n", "- ", '"', "!!str ", max_size=8)).map(
            lambda cut: CLAIM[: cut[0]] + cut[1] + CLAIM[cut[0] :]
        ),
    )
)
def test_claim_yaml(text: str) -> None:
    start = time.process_time()
    record, issues = _claim(Path("content/claims/x.yml"), "content/claims/x.yml", text, [], 50)
    assert_fast(start, text)
    assert_clear(issues, "content/claims/x.yml")
    assert record is not None or issues  # a claim not read is always said why


PAGE_PIECES = (
    "---\n",
    "title: x\n",
    "```\n",
    "~~~\n",
    "`",
    "\\",
    "<b>",
    "<img src=x onerror=alert(1)>",
    "{: onclick=x }",
    "{",
    "}",
    "=",
    "\n\n",
    "# ",
    "[@a]",
    "[[c]]",
    "](javascript:x)",
    ": ",
    "\n",
)


@BUDGET
@given(fragments(*PAGE_PIECES, max_size=60))
def test_front_matter_and_page(text: str) -> None:
    """Pages with and without front matter: scanned, checked and made inert without an exception."""
    start = time.process_time()
    pages = load_prose({"content/page.md": text})
    issues = list(validate.check_html({"content/page.md": text}))
    safe = prose.neutralize(text)
    assert_fast(start, text)
    assert_clear(issues, "content/page.md")
    assert [page.mentions for page in pages] == ([tuple(prose.scan(text))] if pages else [])
    assert not prose.raw_html(safe)  # what neutralize leaves is clean by the same measure


@settings(BUDGET, max_examples=300)
@given(
    fragments(
        "`",
        "``",
        "\\",
        " ",
        "a",
        "\n",
        "\n\n",
        "# ",
        "- ",
        "> ",
        "<b>",
        '{: onclick="x" }',
        "{",
        "}",
        "=",
        "```\n",
        "    ",
        max_size=25,
    )
)
def test_the_raw_html_check_sees_everything_markdown_makes_live(text: str) -> None:
    """Whenever Python-Markdown's output holds a live tag or an event handler, the check reported it
    (and the neutralised page has none): code spans, fences and attribute lists read as Markdown reads them."""
    extensions = ["attr_list", "fenced_code", "tables", "admonition"]
    assert not live(markdown.Markdown(extensions=extensions).convert(prose.neutralize(text)))
    if live(markdown.Markdown(extensions=extensions).convert(text)):
        assert prose.raw_html(text)


def live(html: str) -> bool:
    return "<b>" in html or re.search(r"<[^>]* on[a-z]+=", html) is not None


BIB_PIECES = (
    "@article{k, ",
    "@string{m = ",
    "title = ",
    "author = ",
    "crossref = {k}",
    "{",
    "}",
    '"',
    "#",
    ",",
    "=",
    "m",
    "\\'",
    "\\url{",
    "$",
    "\n",
    " and ",
    "@comment",
    "%",
)


@BUDGET
@given(fragments(*BIB_PIECES, max_size=60))
def test_bibtex(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "references.bib"
        path.write_text(text, encoding="utf-8")
        start = time.process_time()
        references, issues = parse_bibliography(path, "references.bib")
        assert_fast(start, text)
    assert_clear(issues, "references.bib")
    for ref in references.values():
        assert all(isinstance(value, str) for value in ref.fields.values())


@BUDGET
@given(
    fragments(
        "\\",
        "{",
        "}",
        "$",
        "^",
        "_",
        "~",
        "--",
        "``",
        "''",
        "\\'",
        '\\"',
        "\\url{",
        "\\frac",
        "\\foo",
        "\\ss",
        "\\c",
        " ",
        "a",
        max_size=80,
    )
)
def test_latex_decoding(text: str) -> None:
    start = time.process_time()
    try:
        out = latex.latex_to_text.__wrapped__(text)
    except latex.TooDeep:
        return
    assert_fast(start, text)
    assert isinstance(out, str)
    assert "\n" not in out  # whitespace collapsed


@BUDGET
@given(fragments("[@", "[", "]", "@a", "@b:c", ", p. 3", ";", " ", "[[", "]]", "|", "claim-id", "`", "\n", "```\n", max_size=60))
def test_prose_citations(text: str) -> None:
    """Scan and expand agree: every citation found is replaced, nothing else is touched."""
    start = time.process_time()
    mentions = prose.scan(text)
    expanded = prose.expand(text, lambda items: "\x00C\x00", lambda claim, label: "\x00L\x00")
    assert_fast(start, text)
    assert expanded.count("\x00C\x00") == sum(m.kind == "cite" for m in mentions)
    assert expanded.count("\x00L\x00") == sum(m.kind == "claim" for m in mentions)
    for m in mentions:
        assert all(0 < len(item.key) <= 100 and len(item.locator) <= 200 for item in m.items)
