"""Every parser of contributor text runs in linear time: input x10 costs at most x15 time.

Each case feeds the worst shape known for its pattern or parser (the shape that made the former
pattern backtrack, or that a regular expression with nested or overlapping quantifiers would choke
on) at size n and 10n, and compares the best of a few runs. n is chosen so that the small input takes
a few milliseconds, well above timer noise.
"""

from __future__ import annotations

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
    Growth("citation, unclosed items", prose.scan, lambda n: "[" + "; ".join(["@a,    "] * n), 3000),
    Growth("citation, nested openings", prose.scan, lambda n: "[@a, " * n, 3000),
    Growth("citation, long locators", prose.scan, lambda n: ("[@a, " + "p" * 300 + "]") * n, 300),
    Growth("claim link, unclosed", prose.scan, lambda n: "[[a|" * n, 3000),
    Growth("claim link, long ids", prose.scan, lambda n: "[[" + "-".join(["ab"] * n), 3000),
    # The attribute-list pattern of old tried every `{` against the rest of the line.
    Growth("attribute list, braces and equals", prose.raw_html, lambda n: "{" * n + "=" * n, 3000),
    Growth("attribute list, names", prose.raw_html, lambda n: "{a=" * n, 3000),
    Growth("attribute list, neutralised", prose.neutralize, lambda n: "{a=b} " * n, 2000),
    # The code-span pattern of old tried every opening length against the rest of the line.
    Growth("code spans, one long run", prose.raw_html, lambda n: "`" * n + "<b>", 20000),
    Growth("code spans, ladder", prose.raw_html, lambda n: _backtick_ladder(int(n**0.5)), 400_000),
    Growth("code spans, escaped", prose.raw_html, lambda n: "\\`<b>`" * n, 2000),
    Growth("code spans, over lines", prose.raw_html, lambda n: "`a\n" * n, 3000),
    Growth("fences, unclosed", prose.raw_html, lambda n: "```\n<b>\n````\n" * n, 2000),
    Growth("tags", prose.raw_html, lambda n: "<a" * n, 3000),
    Growth("autolinks", prose.raw_html, lambda n: "<a@b" + ".c" * n, 20000),
    Growth("link addresses", prose.raw_html, lambda n: "](" * n, 5000),
    Growth("reference definitions", prose.raw_html, lambda n: "[a]: " + "x" * n + "\n", 50000),
    Growth("citation expansion", lambda t: prose.expand(t, lambda i: "C", lambda c, l: "L"), lambda n: "[@a] [[b]] " * n, 2000),
    Growth("quote check, self-overlapping quote", lambda qt: validate._verbatim(*qt), _quote, 3000),
    Growth("figures in notes", validate.FIGURE.search, lambda n: "a1" * n + "x1999.", 20000),
    Growth("LaTeX, nested braces", latex.latex_to_text.__wrapped__, lambda n: "{" * 90 + "x" * n + "}" * 90, 20000),
    Growth("LaTeX, accents", latex.latex_to_text.__wrapped__, lambda n: "\\'{\\'e}" * n, 2000),
    Growth("LaTeX, macros and math", latex.latex_to_text.__wrapped__, lambda n: "$x^{2}_{i}$ \\frac{a}{b} \\foo" * n, 1000),
    Growth("LaTeX, unclosed url", latex.latex_to_text.__wrapped__, lambda n: "\\url{" * n, 5000),
    Growth("LaTeX, url wrapper", latex.unwrap_url, lambda n: "\\url{x}{" + "} " * n + "x", 20000),
    Growth("names", names.split_names, lambda n: " and ".join(["{A} B, C"] * n), 300),
    Growth("crossref chain", biblatex.inherit_crossrefs, _crossref_chain, 1000),
    Growth("front matter, unclosed", finish.split_front_matter, lambda n: "---\n" + "a: b\n" * n, 5000),
    Growth("generated page tokens", lambda t: finish._TOKEN.findall(t), lambda n: "<!--<a " * n, 3000),
    Growth("anchor ids", lambda t: mkdocs_pages._ID.findall(t), lambda n: "<a " * n, 5000),
    Growth("claim file, long statement", lambda t: _claim(Path("x.yml"), "x.yml", t, [], 50), lambda n: "statement: " + "[@a, " * n, 5000),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_growth_is_linear(case: Growth) -> None:
    small, large = case.make(case.n), case.make(10 * case.n)
    t_small, t_large = _best(case.run, small), _best(case.run, large)
    assert t_small > 0.0005, f"n too small to measure: {t_small:.5f} s"
    assert t_large <= 15 * t_small, f"x10 input took x{t_large / t_small:.1f} time ({t_small:.4f} s → {t_large:.4f} s)"


@pytest.mark.parametrize(
    ("name", "make", "n"),
    [
        ("deep braces in titles", lambda n: "".join(f"@misc{{k{i}, title = {DEEP}}}\n" for i in range(n)), 30),
        ("macros that double", lambda n: "".join(f'@string{{m{i} = m{i - 1} # m{i - 1}}}\n' for i in range(1, n)), 30),
        ("crossref chain", lambda n: "".join(f"@inbook{{k{i}, crossref = {{k{i + 1}}}, title = {{t}}}}\n" for i in range(n)), 100),
    ],
)
def test_bibliography_growth_is_linear(name: str, make: Callable[[int], str], n: int, tmp_path: Path) -> None:
    def run(text: str) -> object:
        return _bib(tmp_path, '@string{m0 = "ab"}\n' + text)

    t_small, t_large = _best(run, make(n)), _best(run, make(10 * n))
    assert t_large <= 15 * t_small, f"x10 input took x{t_large / t_small:.1f} time ({t_small:.4f} s → {t_large:.4f} s)"


def _best(run: Callable[[Any], object], arg: Any, tries: int = 3) -> float:
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        run(arg)
        best = min(best, time.perf_counter() - start)
    return best
