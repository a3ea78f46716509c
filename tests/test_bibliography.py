from __future__ import annotations

from pathlib import Path

from mkdocs_evidence.bibliography import decode_latex, parse_bibliography

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
