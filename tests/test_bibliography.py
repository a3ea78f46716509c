from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_evidence.bibliography import decode_latex, parse_bibliography
from mkdocs_evidence.export import csl_json
from mkdocs_evidence.issues import Severity, apply_severities, issue
from mkdocs_evidence.model import Graph
from mkdocs_evidence.render import Renderer
from mkdocs_evidence.templates import short_citation

FIXTURE = Path(__file__).parent / "fixtures" / "minimal" / "references.bib"


def parse(tmp_path: Path, text: str) -> tuple[dict, list]:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return parse_bibliography(path, "refs.bib")


def test_names_are_split_before_latex_is_decoded() -> None:
    refs, issues = parse_bibliography(FIXTURE, "references.bib")
    assert issues == []
    authors = refs["smith2020trial"].authors
    assert [a.surname for a in authors] == ["Smith", "van der Berg", "Barnes and Noble"]
    assert authors[0].initials == "JA"


def test_latex_is_decoded_but_urls_and_dois_are_not() -> None:
    ref = parse_bibliography(FIXTURE, "references.bib")[0]["smith2020trial"]
    assert ref.title == "A trial of IV foot exercises in Málaga"
    assert ref.get("journal") == "Gait & Posture"  # @string macro resolved and decoded
    assert ref.get("url") == "https://example.org/a~b%20c"
    assert ref.doi == "10.1000/xyz_1~2"
    assert ref.design == "rct"


def test_decoder_leaves_plain_text_alone() -> None:
    assert decode_latex("plain 50% text") == "plain 50% text"
    assert decode_latex(r"Gon{\c{c}}alves") == "Gonçalves"


def test_broken_entries_are_reported_with_lines(tmp_path: Path) -> None:
    text = (
        "@article{a, title={One}, year={2020}}\n"
        "@article{a, title={Again}}\n"
        "@article{b, title={x}, title={y}}\n"
        "@article{c, title={unclosed}\n"
        "@article{d, title={ok}, journal=undefinedmacro}\n"
    )
    refs, issues = parse(tmp_path, text)
    found = {(i.line, i.code) for i in issues}
    assert (2, "bib-parse-error") in found  # duplicate key
    assert (3, "bib-parse-error") in found  # duplicate field
    assert (4, "bib-parse-error") in found  # unparsable
    assert (5, "bib-parse-error") in found  # undefined @string
    messages = " | ".join(i.message for i in issues)
    assert "duplicate entry key 'a'" in messages
    assert "undefined @string 'undefinedmacro'" in messages
    assert "a" in refs and refs["a"].title == "One"


def test_invalid_design_is_an_error_with_suggestion(tmp_path: Path) -> None:
    _, issues = parse(tmp_path, "\n@article{a, title={T}, design={meta-analisys}}\n")
    assert [(i.code, i.line) for i in issues] == [("invalid-field", 2)]
    assert "did you mean 'meta-analysis'" in issues[0].message


def test_missing_file_is_an_issue_not_an_exception(tmp_path: Path) -> None:
    refs, issues = parse_bibliography(tmp_path / "nope.bib", "nope.bib")
    assert refs == {}
    assert issues[0].code == "bib-parse-error"


# --- LaTeX decoding: every word survives ------------------------------------------------------


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"The \TeX{} users group", "The TeX users group"),
        (r"\LaTeX\ and \MF", "LaTeX and Metafont"),
        (r"Using \BibTeX with \LaTeX", "Using BibTeX with LaTeX"),
        (r"{\TeX}book", "TeXbook"),
        (r"{{{{\TeX} news from Pisa}}}", "TeX news from Pisa"),  # TUGboat's bibliography braces titles like this
        (r"\protect\TeX: The Program", "TeX: The Program"),
        (r"A \foo{new} idea", "A new idea"),  # unknown macro: its argument stays
        (r"The \TUBfoo journal", "The TUBfoo journal"),  # unknown macro without argument: its name stays
        (r"\emph{De Anima} dans la tradition gr{\`e}cque", "De Anima dans la tradition grècque"),
        (r"\mkbibquote{Intention} und", "“Intention” und"),
        (r"\textsc{mcxcviii}", "mcxcviii"),
        (
            r"Aks{\i}n, {\"O}zge, Mart{\'\i}n, Bj\o rn, Malinowski Bronis{\l}aw",
            "Aksın, Özge, Martín, Bjørn, Malinowski Bronisław",
        ),
        (r"\v{S}koda, \c{C}etinkaya, I{\~n}igo, Unzeitgem{\"a}{\ss}e", "Škoda, Çetinkaya, Iñigo, Unzeitgemäße"),
        (r"methodology\hyphen independent", "methodology-independent"),
        ("Rend.\\ Accad.\\ Lincei", "Rend. Accad. Lincei"),
        (r"50\% of \$5 \& more", "50% of $5 & more"),
        (r"\noopsort{a}Zebra", "Zebra"),  # a sort key is not text
    ],
)
def test_latex_macros_become_text_without_losing_words(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("$k$-means clustering", "k-means clustering"),  # no backslash or brace: decoded all the same
        ("Yoon~M and J.~Smith", "Yoon M and J. Smith"),
        ("pages 10--20, C--C coupling --- yes", "pages 10–20, C–C coupling — yes"),
        ("``quoted''", "“quoted”"),
        (r"$\alpha$-helix and $\beta$-sheet", "α-helix and β-sheet"),
        (r"$O(n \log n)$ sorting in $n^2$ time", "O(n log n) sorting in n² time"),
        (r"$e^{-x}$ and $x_i$", "e^(-x) and x_i"),
        (r"1.5 to 5.2~nm", "1.5 to 5.2 nm"),
    ],
)
def test_math_ties_and_dashes_are_decoded_in_every_field(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_broken_latex_never_raises() -> None:
    assert decode_latex("unbalanced {brace") == "unbalanced brace"
    assert decode_latex("stray } brace and $ dollar") == "stray brace and dollar"
    assert decode_latex("trailing backslash \\") == "trailing backslash"


def test_plain_fields_are_decoded_too(tmp_path: Path) -> None:
    refs, issues = parse(tmp_path, "@article{a, title = {$k$-means for J.~Smith}, journal = {Phys.~Rev.~Lett.}}\n")
    assert issues == []
    assert refs["a"].title == "k-means for J. Smith"
    assert refs["a"].get("journal") == "Phys. Rev. Lett."


# --- Names ---------------------------------------------------------------------------------------


def test_and_others_is_et_al_not_an_author(tmp_path: Path) -> None:
    refs, issues = parse(
        tmp_path, "@article{a, author = {Abadi, Mart{\\'\\i}n and Barham, Paul and others}, title={T}, year={2016}}\n"
    )
    assert issues == []
    ref = refs["a"]
    assert [p.surname for p in ref.authors] == ["Abadi", "Barham"]
    assert ref.authors[0].first == "Martín"
    assert ref.et_al
    assert short_citation(ref) == "Abadi et al. 2016"


def test_a_stray_comma_warns_at_its_line_and_keeps_the_other_names(tmp_path: Path) -> None:
    text = "@article{a,\n  title = {T},\n  author = {Smith, John and Doe, Jane, Jr., X and Roe, Richard},\n}\n"
    refs, issues = parse(tmp_path, text)
    assert [p.surname for p in refs["a"].authors] == ["Smith", "Roe"]
    assert [(i.code, i.line, i.severity) for i in issues] == [("malformed-name", 3, Severity.WARNING)]
    assert "'Doe, Jane, Jr., X'" in issues[0].message and "too many commas" in issues[0].message


def test_empty_names_warn_but_keep_the_list(tmp_path: Path) -> None:
    refs, issues = parse(tmp_path, "@article{a, title={T}, author = {Smith, John and and Roe, Richard}, editor = {Doe,}}\n")
    assert [p.surname for p in refs["a"].authors] == ["Smith", "Roe"]
    assert [i.code for i in issues] == ["malformed-name", "malformed-name"]


def test_malformed_name_severity_is_configurable() -> None:
    found = [issue("malformed-name", "m", "refs.bib", 3)]
    assert apply_severities(found, {"malformed-name": "error"})[0].severity is Severity.ERROR
    assert apply_severities(found, {"malformed-name": "ignore"}) == []


# --- biblatex ------------------------------------------------------------------------------------


def test_biblatex_journaltitle_and_date(tmp_path: Path) -> None:
    text = "@article{a, title={T}, journaltitle={Nucl.~Phys.}, date={2006-09-13}}\n@article{b, title={T}, date={1984/1986}}\n"
    refs, _ = parse(tmp_path, text)
    assert refs["a"].get("journal") == "Nucl. Phys."
    assert refs["a"].year == "2006"
    assert refs["b"].year == "1984"


def test_crossref_fills_missing_fields_from_the_parent(tmp_path: Path) -> None:
    text = (
        "@incollection{part, author={Westfahl, Gary}, title={The True Frontier}, pages={55-65}, crossref={Frontier}}\n"
        "@inbook{chapter, title={Functional Data}, pages={73--123}, crossref={frontier}}\n"
        "@collection{frontier, editor={Westfahl, Gary}, title={Space and Beyond}, subtitle={The Frontier Theme},\n"
        "  date={2000}, publisher={Greenwood}, author={Doe, Jane}, label={SB}, design={rct}}\n"
        "@article{paper, title={A Paper}, crossref={jcg}, pages={1--2}}\n"
        "@periodical{jcg, title={Computers and Graphics}, year={2011}, volume={35}}\n"
    )
    refs, issues = parse(tmp_path, text)
    assert issues == []
    assert list(refs) == ["part", "chapter", "frontier", "paper", "jcg"]  # file order, parents after children
    part = refs["part"]
    assert part.title == "The True Frontier"  # the child's own title stays
    assert part.get("booktitle") == "Space and Beyond"  # the parent's title, as biblatex does
    assert part.get("booksubtitle") == "The Frontier Theme"
    assert (part.year, part.get("publisher"), part.get("pages")) == ("2000", "Greenwood", "55-65")
    assert [p.surname for p in part.authors] == ["Westfahl"]  # its own author, not the parent's
    assert part.get("label") == "" and part.design == ""  # the parent's bookkeeping is not inherited
    chapter = refs["chapter"]
    assert [p.surname for p in chapter.authors] == ["Doe"]  # no author: the parent's
    assert chapter.get("booktitle") == "Space and Beyond"
    paper = refs["paper"]
    assert (paper.get("journal"), paper.year, paper.get("volume")) == ("Computers and Graphics", "2011", "35")


def test_crossref_cycles_and_missing_parents_do_not_hang_or_fail(tmp_path: Path) -> None:
    text = "@book{a, title={A}, crossref={b}}\n@book{b, title={B}, crossref={a}, year={2001}}\n"
    text += "@book{c, title={C}, crossref={nope}}\n"
    refs, issues = parse(tmp_path, text)
    assert issues == []
    assert refs["a"].year == "2001"
    assert refs["c"].title == "C"


@pytest.mark.parametrize("wrapped", [r"\url{https://example.org/a~b}", r"\href{https://example.org/a~b}{the page}"])
def test_url_wrapped_in_url_macro_is_unwrapped(tmp_path: Path, wrapped: str) -> None:
    refs, issues = parse(tmp_path, f"@online{{a, title={{T}}, url = {{{wrapped}}}}}\n")
    assert issues == []
    assert refs["a"].get("url") == "https://example.org/a~b"
    assert "url = {https://example.org/a~b}" in refs["a"].bibtex


# --- Vancouver formatting ------------------------------------------------------------------------


def vancouver(tmp_path: Path, text: str) -> str:
    refs, _ = parse(tmp_path, text)
    ref = next(iter(refs.values()))
    env = Renderer(Graph(claims={}, references=refs, topics={})).env
    html = str(env.get_template("macros.html.j2").module.reference(ref))  # type: ignore[attr-defined]
    return re.sub(r"<[^>]+>", "", html)


def test_no_double_period_after_jr_or_abbreviated_journal(tmp_path: Path) -> None:
    text = "@article{a, author={Hoane, Jr., A. Joseph}, title={Deep Blue}, journal={Artif. Intell.}, year={2002}, volume={134}}\n"
    assert vancouver(tmp_path, text) == "Hoane AJ Jr. Deep Blue. Artif. Intell. 2002;134."


def test_et_al_in_the_reference_list(tmp_path: Path) -> None:
    text = "@article{a, author={Abadi, Martin and others}, title={TensorFlow}, journal={OSDI}, year={2016}}\n"
    assert vancouver(tmp_path, text) == "Abadi M, et al. TensorFlow. OSDI. 2016."


def test_an_entry_without_a_year_keeps_volume_and_pages(tmp_path: Path) -> None:
    text = "@article{a, author={Black, F}, title={Options}, journal={J Polit Econ}, volume={81}, number={3}, pages={637--654}}\n"
    assert vancouver(tmp_path, text) == "Black F. Options. J Polit Econ. 81(3):637–654."
    text = "@article{a, author={Black, Fischer}, title={Options}, journal={J Polit Econ}, pages={637--654}}\n"
    assert vancouver(tmp_path, text) == "Black F. Options. J Polit Econ. 637–654."


def test_csl_json_takes_the_full_biblatex_date(tmp_path: Path) -> None:
    text = "@online{a, title={T}, date={2006-09-13}}\n@online{b, title={T}, date={1991-03}}\n"
    text += "@online{c, title={T}, date={1984/1986}}\n"
    refs, _ = parse(tmp_path, text)
    assert csl_json(refs["a"])["issued"] == {"date-parts": [[2006, 9, 13]]}
    assert csl_json(refs["b"])["issued"] == {"date-parts": [[1991, 3]]}
    assert csl_json(refs["c"])["issued"] == {"date-parts": [[1984]]}
