"""Every parser of contributor text runs in linear time: input x10 costs at most x25 time.

Each case feeds the worst shape known for its pattern or parser (the shape that made the former
pattern backtrack, or that a regular expression with nested or overlapping quantifiers would choke
on) at size n and 10n, and compares the best of a few runs. n is chosen so that the small input takes
a few milliseconds, well above timer noise.

Why x25: on a quiet machine linear parsers give x6 to x13 here (a larger input misses the CPU caches
more), and a busy machine has pushed one to x15; work that grows with the square of the input gives
x100, and ``test_a_parser_that_grows_with_the_square_fails`` keeps the margin honest.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mkdocs_evidence import biblatex, finish, latex, mkdocs_pages, names, prose, validate
from mkdocs_evidence.bibliography import parse_bibliography
from mkdocs_evidence.load import _claim
from mkdocs_evidence.model import Reference


@dataclass(frozen=True)
class Growth:
    """A parser and an input of size about ``n`` (in repetitions of the shape)."""

    name: str
    run: Callable[[Any], object]
    make: Callable[[int], Any]
    n: int


def _bib(tmp: Path, text: str) -> object:
    """Parse ``text`` as the project's references.bib."""
    path = tmp / "references.bib"
    path.write_text(text, encoding="utf-8")
    return parse_bibliography(path, "references.bib")


def _crossref_chain(n: int) -> dict[str, Reference]:
    return {
        f"k{i}": Reference(
            key=f"k{i}", entry_type="inbook", fields={"crossref": f"k{i + 1}", f"f{i}": "x"}, authors=(), path="r.bib", line=i
        )
        for i in range(n)
    }


def _quote(n: int) -> tuple[str, str]:
    # A quote that repeats itself, found many times, each time glued to a letter ("xa ba b…").
    quote = "a b" * n
    return quote, "x" + quote + "a b" * n


def _backtick_ladder(n: int) -> str:
    # Runs of 1, 2, 3 … backticks: an opening run that must look at every later run for its closer.
    return "".join("`" * k + "a" for k in range(1, n))


#: A title nesting braces deeper than the LaTeX decoder reads (150 > latex.MAX_DEPTH).
DEEP = "{" * 150 + "x" + "}" * 150

CASES = [
    # The citation pattern of old: locator and spaces could share characters, 5x time per item.
    Growth("citation, unclosed items", prose.scan, lambda n: "[" + "; ".join(["@a,    "] * n), 30000),
    Growth("citation, nested openings", prose.scan, lambda n: "[@a, " * n, 50000),
    Growth("citation, long locators", prose.scan, lambda n: ("[@a, " + "p" * 300 + "]") * n, 1000),
    Growth("claim link, unclosed", prose.scan, lambda n: "[[a|" * n, 5000),
    Growth("claim link, long ids", prose.scan, lambda n: "[[" + "-".join(["ab"] * n), 150000),
    # The attribute-list pattern of old tried every `{` against the rest of the line.
    Growth("attribute list, braces and equals", prose.raw_html, lambda n: "{" * n + "=" * n, 20000),
    Growth("attribute list, names", prose.raw_html, lambda n: "{a=" * n, 20000),
    Growth("attribute list, unclosed", prose.raw_html, lambda n: "{" + "a=" * n, 200000),
    Growth("attribute list, neutralised", prose.neutralize, lambda n: "{a=b} " * n, 10000),
    # The code-span pattern of old tried every opening length against the rest of the line.
    Growth("code spans, one long run", prose.raw_html, lambda n: "`" * n + "<b>", 100000),
    Growth("code spans, ladder", prose.raw_html, lambda n: _backtick_ladder(int(n**0.5)), 100_000),
    Growth("code spans, escaped", prose.raw_html, lambda n: "\\`<b>`" * n, 1000),
    Growth("code spans, over lines", prose.raw_html, lambda n: "`a\n" * n, 1000),
    Growth("fences, unclosed", prose.raw_html, lambda n: "```\n<b>\n````\n" * n, 500),
    Growth("tags", prose.raw_html, lambda n: "<a" * n, 50000),
    Growth("autolinks", prose.raw_html, lambda n: "<a@b" + ".c" * n, 100000),
    Growth("link addresses", prose.raw_html, lambda n: "](" * n, 5000),
    Growth("reference definitions", prose.raw_html, lambda n: "[a]: " + "x" * n + "\n", 300000),
    Growth("citation expansion", lambda t: prose.expand(t, lambda _: "C", lambda *_: "L"), lambda n: "[@a] [[b]] " * n, 1500),
    Growth("quote check, self-overlapping quote", lambda qt: validate._verbatim(*qt), _quote, 3000),
    Growth("figures in notes", validate.FIGURE.search, lambda n: "a1" * n + "x1999.", 100000),
    Growth("LaTeX, nested braces", latex.latex_to_text.__wrapped__, lambda n: "{" * 90 + "x" * n + "}" * 90, 200000),
    Growth("LaTeX, accents", latex.latex_to_text.__wrapped__, lambda n: "\\'{\\'e}" * n, 1500),
    Growth("LaTeX, macros and math", latex.latex_to_text.__wrapped__, lambda n: "$x^{2}_{i}$ \\frac{a}{b} \\foo" * n, 300),
    Growth("LaTeX, unclosed url", latex.latex_to_text.__wrapped__, lambda n: "\\url{" * n, 8000),
    Growth("LaTeX, url wrapper", latex.unwrap_url, lambda n: "\\url{x}{" + "} " * n + "x", 150000),
    Growth("names", names.split_names, lambda n: " and ".join(["{A} B, C"] * n), 300),
    Growth("crossref chain", biblatex.inherit_crossrefs, _crossref_chain, 1000),
    Growth("front matter, unclosed", finish.split_front_matter, lambda n: "---\n" + "a: b\n" * n, 30000),
    Growth("generated page tokens", lambda t: finish._TOKEN.findall(t), lambda n: "<!--<a " * n, 20000),
    Growth("anchor ids", lambda t: mkdocs_pages._ID.findall(t), lambda n: "<a " * n, 50000),
    Growth(
        "claim file, long statement",
        lambda t: _claim(Path("x.yml"), "x.yml", t, [], 50),
        lambda n: "statement: '" + "x [@a, ] " * n + "'\n",
        30000,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_growth_is_linear(case: Growth) -> None:
    assert_linear(case.run, case.make(case.n), case.make(10 * case.n))


@pytest.mark.parametrize(
    ("make", "n"),
    [
        (lambda n: "".join(f"@misc{{k{i}, title = {DEEP}}}\n" for i in range(n)), 30),
        (lambda n: "".join(f"@string{{m{i} = m{i - 1} # m{i - 1}}}\n" for i in range(1, n)), 300),
        (lambda n: "".join(f"@inbook{{k{i}, crossref = {{k{i + 1}}}, title = {{t}}}}\n" for i in range(n)), 100),
    ],
    ids=["deep braces in titles", "macros that double", "crossref chain"],
)
def test_bibliography_growth_is_linear(make: Callable[[int], str], n: int, tmp_path: Path) -> None:
    def run(text: str) -> object:
        return _bib(tmp_path, '@string{m0 = "ab"}\n' + text)

    assert_linear(run, make(n), make(10 * n))


#: How many times longer the x10 input may take.
LIMIT = 25


#: From every start, runs to the end of the text and fails: the way a pattern of old backtracked.
_QUADRATIC = re.compile(r"a*b")


def test_a_parser_that_grows_with_the_square_fails() -> None:
    with pytest.raises(AssertionError, match="x10 input took"):
        assert_linear(_QUADRATIC.search, "a" * 2000, "a" * 20000)


def assert_linear(run: Callable[[Any], object], small: Any, large: Any) -> None:
    """``run(large)`` (10 times ``small``) takes at most 25 times as long as ``run(small)``.

    CPU time of this process (other work on the machine does not count), best of interleaved runs.
    The garbage collector is off while they run.
    """
    t_small = t_large = float("inf")
    # Without the garbage collector: its passes cost by the objects alive, not by the parser's work.
    gc.collect()
    gc.disable()
    try:
        # A busy machine can slow one run: more runs, up to 9, until the best times settle. Work that
        # grows faster than the input gives x100 and more whatever the number of runs.
        for i in range(9):
            t_small = min(t_small, _cpu(run, small), _cpu(run, small))
            t_large = min(t_large, _cpu(run, large))
            if i >= 2 and t_large <= LIMIT * t_small:
                break
    finally:
        gc.enable()
    assert t_small > 0.001, f"input too small to measure: {t_small:.5f} s"
    assert t_large <= LIMIT * t_small, f"x10 input took x{t_large / t_small:.1f} time ({t_small:.4f} s → {t_large:.4f} s)"


def _cpu(run: Callable[[Any], object], arg: Any) -> float:
    start = time.process_time()
    run(arg)
    return time.process_time() - start
