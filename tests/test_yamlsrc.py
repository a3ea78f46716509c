from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_evidence.yamlsrc import YamlSyntaxError, load


def test_values_keep_their_lines() -> None:
    data, lines = load("id: x\nreviewed: 2026-11-20\nevidence:\n  - cite: a\n    relation: supports\n")
    assert data["reviewed"] == dt.date(2026, 11, 20)
    assert lines.line(("evidence", 0, "relation")) == 5
    assert lines.line(("evidence", 0, "cite")) == 4
    # An unknown location falls back to its nearest known parent.
    assert lines.line(("evidence", 0, "nope")) == 4


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: [1\nb: 2\n", 2, "expected"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("x: !!python/name:os.system\n", 1, "constructor"),
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
    ],
)
def test_yaml_that_could_hurt_is_an_error_at_its_line(text: str, line: int, code: str, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load(text)
    assert (caught.value.line, caught.value.code) == (line, code)
    assert message in caught.value.message
