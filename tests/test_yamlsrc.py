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
