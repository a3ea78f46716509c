from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_evidence.yamlsrc import YamlSyntaxError, load


def test_values_keep_their_lines() -> None:
    data, lines = load("id: x\nreviewed: 2026-11-20\nevidence:\n  - finding: a#b\n    directness: direct\n")
    assert data["reviewed"] == dt.date(2026, 11, 20)
    assert lines.line(("evidence", 0, "directness")) == 5
    assert lines.line(("evidence", 0, "finding")) == 4
    # An unknown location falls back to its nearest known parent.
    assert lines.line(("evidence", 0, "nope")) == 4


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: [1\nb: 2\n", 2, "expected"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: 1\n  b: 2\n", 2, "mapping values"),
    ],
)
def test_broken_yaml_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlSyntaxError) as info:
        load(text)
    assert info.value.line == line
    assert words in info.value.message


@pytest.mark.parametrize(
    ("text", "line", "code", "message"),
    [
        ("a: 1\nb: &x [1, 2]\nc: *x\n", 2, "unsafe-yaml", "anchor &x is not allowed"),
        ("a: 1\nb: *x\n", 2, "unsafe-yaml", "alias *x is not allowed"),
        ("x: " + "[" * 3000 + "]" * 3000 + "\n", 1, "unsafe-yaml", "nested more than 20 levels deep"),
        ("id: x\nreviewed: 2026-13-01\n", 2, "invalid-yaml", "'2026-13-01' is not a valid date"),
        ("id: x\n\nat: 2026-01-01 25:00:00\n", 3, "invalid-yaml", "is not a valid date"),
        ("n: " + "9" * 5000 + "\n", 1, "invalid-yaml", "is not a valid int"),
        # Explicit tags: bytes, sets, ordered maps and Python objects are values no field expects.
        ("x: !!python/name:os.system\n", 1, "unsafe-yaml", "tag '!!python/name:os.system' is not allowed on a value"),
        ("a: 1\nb: !!binary aGVsbG8=\n", 2, "unsafe-yaml", "tag '!!binary' is not allowed on a value"),
        ("a: !<tag:yaml.org,2002:binary> aGk=\n", 1, "unsafe-yaml", "tag '!!binary' is not allowed"),
        ("a: !local text\n", 1, "unsafe-yaml", "tag '!local' is not allowed on a value"),
        ("a:\n  b: !!set {x, y}\n", 2, "unsafe-yaml", "tag '!!set' is not allowed on a mapping"),
        ("a: !!omap [{x: 1}]\n", 1, "unsafe-yaml", "tag '!!omap' is not allowed on a list"),
        ("a: !!map {x: 1}\n", 1, "unsafe-yaml", "tag '!!map' is not allowed on a mapping"),
        ("a: !!seq [1]\n", 1, "unsafe-yaml", "tag '!!seq' is not allowed on a list"),
        ("a: !!python/object/new:os.system [ls]\n", 1, "unsafe-yaml", "is not allowed on a list"),
        ("--- !!map\na: 1\n", 1, "unsafe-yaml", "tag '!!map' is not allowed on a mapping"),
        # Escapes decode to characters the raw file never held: checked after decoding, at the value's line.
        ('a: 1\nb: "x\\u202Ey"\n', 2, "control-character", "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ('a: "\\0"\n', 1, "control-character", "control character U+0000"),
        ('a: "\\x1b[31m red"\n', 1, "control-character", "control character U+001B"),
        ('a: "\\e"\n', 1, "control-character", "control character U+001B"),
        ('a: "line\\Lbreak"\n', 1, "control-character", "U+2028 (LINE SEPARATOR)"),
        ('a: [ok, "zero\\u200bwidth"]\n', 1, "control-character", "invisible character U+200B (ZERO WIDTH SPACE)"),
        ('"key\\u2066": 1\n', 1, "control-character", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ('a: >\n  folded\nb: "tag \\U000E0041 chars"\n', 3, "control-character", "U+E0041 (TAG LATIN CAPITAL LETTER A)"),
    ],
)
def test_yaml_that_could_hurt_is_an_error_at_its_line(text: str, line: int, code: str, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load(text)
    assert (caught.value.line, caught.value.code) == (line, code)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 2020\n",  # the tags plain YAML resolves to are allowed written out
        "a: !!int '3'\n",
        "a: '\\u202E stays six characters in single quotes'\n",
        'a: "caf\\u00e9, \\"quoted\\", tab\\there"\n',  # escapes of visible characters decode as before
    ],
)
def test_plain_tags_and_visible_escapes_still_load(text: str) -> None:
    data, _ = load(text)
    assert isinstance(data["a"], (str, int))


#: Documents of every shape: each file's first parse (no lines) must give what the line-keeping parse and PyYAML give.
SHAPES = [
    "",
    "just text\n",
    "- 1\n- two\n- [3, {four: 4}]\n",
    "a: null\nb: ~\nc: true\nd: 3\ne: 1.5\nf: 2026-11-20\ng: '007'\nh: \"x\"\ni: |\n  literal\nj: >\n  folded\n  text\n",
    "a: {}\nb: []\nc: [[], [{}]]\n",
    "x: " + "[" * 19 + "1" + "]" * 19 + "\n",
    "x: " + "[" * 19 + "]" * 19 + "\n",
    "x: " + "[" * 20 + "]" * 20 + "\n",
]
#: Keys PyYAML keeps as other types (or refuses): this loader makes every key a string.
KEY_SHAPES = ["? [complex, key]\n: value\n", "? {k: v}\n: 1\nplain: 2\n", "1: int key\n2026-01-01: date key\ntrue: bool key\n"]


@pytest.mark.parametrize("text", SHAPES + KEY_SHAPES)
def test_the_first_parse_gives_the_values_the_line_keeping_parse_gives(text: str) -> None:
    import yaml

    from mkdocs_evidence.yamlsrc import _parse

    def outcome(marks: dict[tuple[str | int, ...], int] | None) -> object:
        try:
            return _parse(text, marks)
        except YamlSyntaxError as exc:
            return (exc.code, exc.line, exc.message)

    plain = outcome(None)
    assert plain == outcome({})
    if text not in KEY_SHAPES and not isinstance(plain, tuple):
        assert plain == yaml.safe_load(text)


def test_the_first_parse_of_every_real_claim_and_appraisal_matches_the_line_keeping_parse() -> None:
    from conftest import ROOT
    from mkdocs_evidence.yamlsrc import _parse

    files = sorted((ROOT / "content" / "claims").glob("*.yml")) + sorted((ROOT / "content" / "studies").glob("*.yml"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _parse(text, None) == _parse(text, {}), path.name
