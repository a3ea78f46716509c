"""YAML with line numbers: every value remembers the line it came from.

PyYAML's composer gives nodes with positions; converting them ourselves (safe types only)
lets validation point at ``path:line`` for any field, list item or nested key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .paths import shown

#: A place inside a document: keys and list indexes from the root, e.g. ``("evidence", 0, "cite")``.
Loc = tuple[str | int, ...]


#: Deepest nesting of lists and mappings accepted; claim files need 4. Deeper input is refused
#: before Python's recursion limit is anywhere near.
MAX_DEPTH = 20


class YamlSyntaxError(Exception):
    """The text is not valid YAML (or holds a duplicate key). ``line`` is 1-based.

    ``code`` is ``invalid-yaml``, or ``unsafe-yaml`` for YAML this project refuses on purpose
    (anchors, aliases, deep nesting): an alias bomb of a few hundred bytes expands to gigabytes.
    """

    def __init__(self, message: str, line: int, code: str = "invalid-yaml") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and deep nesting while composing (before anything expands)."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlSyntaxError(f"alias *{event.anchor} is not allowed", line, "unsafe-yaml")
        if getattr(event, "anchor", None):
            raise YamlSyntaxError(f"anchor &{event.anchor} is not allowed", line, "unsafe-yaml")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise YamlSyntaxError(f"nested more than {MAX_DEPTH} levels deep", line, "unsafe-yaml")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A scalar or key as yaml.safe_load would make it; impossible values (month 13) become errors at their line."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError):
        kind = node.tag.rsplit(":", 1)[-1].replace("timestamp", "date")
        raise YamlSyntaxError(f"{shown(str(node.value))} is not a valid {kind}", node.start_mark.line + 1) from None


@dataclass
class LineMap:
    """Lines of every location in a document, so an error at ``loc`` can name its line."""

    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of ``loc``, or of its nearest enclosing location that has one."""
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def _convert(node: yaml.Node, loc: Loc, lines: LineMap, loader: yaml.SafeLoader) -> Any:
    lines.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise YamlSyntaxError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            out[key] = _convert(value_node, (*loc, key), lines, loader)
            # A key's own line is where errors about it belong (its value may start later).
            lines.lines[(*loc, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*loc, i), lines, loader) for i, item in enumerate(node.value)]
    # The safe constructor resolves scalars (int, bool, date, null) exactly as yaml.safe_load would.
    return _construct(loader, node)


def load(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document safely; return the data and its line map.

    Raises :class:`YamlSyntaxError` for invalid YAML, a duplicate key, or an unsafe tag.
    """
    lines = LineMap()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines
        return _convert(node, (), lines, loader), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(problem, line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise YamlSyntaxError(str(exc), 1) from None
    finally:
        loader.dispose()
