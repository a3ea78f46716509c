"""YAML with line numbers: every value remembers the line it came from.

The parser's events carry positions; composing values from them ourselves (safe types only) lets
validation point at ``path:line`` for any field, list item or nested key. libyaml's C parser is used
when PyYAML has it (about ten times faster than PyYAML's pure-Python one, same events and marks);
anchors, aliases and deep nesting are refused while composing, before anything could expand.
"""

from __future__ import annotations

import contextlib
from typing import Any

import yaml

from .chars import INVISIBLE_RE, describe
from .paths import shown

#: A place inside a document: keys and list indexes from the root, e.g. ``("evidence", 0, "cite")``.
Loc = tuple[str | int, ...]


#: Deepest nesting of lists and mappings accepted; claim files need 4. Deeper input is refused
#: before Python's recursion limit is anywhere near.
MAX_DEPTH = 20


class YamlSyntaxError(Exception):
    """The text is not valid YAML (or holds a duplicate key). ``line`` is 1-based.

    ``code`` is ``invalid-yaml``; ``unsafe-yaml`` for YAML this project refuses on purpose (anchors,
    aliases, deep nesting: an alias bomb of a few hundred bytes expands to gigabytes; explicit tags:
    ``!!binary`` and ``!!set`` make values no field expects); or ``control-character`` for an
    escape that decodes to a control, bidirectional or zero-width character (see :mod:`.chars`).
    """

    def __init__(self, message: str, line: int, code: str = "invalid-yaml", *, refused: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code
        #: True when PyYAML's safe loader would read the text and this loader refuses it on purpose
        #: (a duplicate key, an anchor, a tag, an escaped control character): MkDocs reads front matter
        #: with that loader, so such front matter is still front matter to it, not page text.
        self.refused = code != "invalid-yaml" if refused is None else refused


def _construct(loader: Any, node: yaml.Node) -> Any:
    """A scalar as yaml.safe_load would make it; impossible values (month 13) become errors at their line."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError):
        kind = node.tag.rsplit(":", 1)[-1].replace("timestamp", "date")
        raise YamlSyntaxError(f"{shown(str(node.value))} is not a valid {kind}", node.start_mark.line + 1) from None


class LineMap:
    """Lines of every location in a document, so an error at ``loc`` can name its line.

    Made lazily from the document's text: lines are only needed when there is a problem to report,
    and composing without them is about twice as fast.
    """

    __slots__ = ("_lines", "_text")

    def __init__(self, lines: dict[Loc, int] | None = None, *, text: str | None = None) -> None:
        self._lines = lines if lines is not None or text is not None else {}
        self._text = text

    @property
    def lines(self) -> dict[Loc, int]:
        """Location → 1-based line."""
        if self._lines is None:
            marks: dict[Loc, int] = {}
            with contextlib.suppress(YamlSyntaxError):  # the text parsed once already
                _parse(self._text or "", marks)
            self._lines, self._text = marks, None
        return self._lines

    def line(self, loc: Loc) -> int:
        """The line of ``loc``, or of its nearest enclosing location that has one."""
        lines = self.lines
        while loc not in lines and loc:
            loc = loc[:-1]
        return lines.get(loc, 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineMap) and self.lines == other.lines

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LineMap({self.lines!r})"


#: libyaml's parser (C) when PyYAML was built with it, else PyYAML's own: the same events and marks.
_Loader: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
STR_TAG = "tag:yaml.org,2002:str"
_NO_KEY = object()
#: First characters of plain scalars that may be something other than a string (null, bool, int, date…).
_RESOLVED_FIRST = (
    None if None in _Loader.yaml_implicit_resolvers else frozenset(ch for ch in _Loader.yaml_implicit_resolvers if ch)
)


#: Plain scalars already resolved in this process: value → tag. Resolution depends only on the value
#: (and on the loader's implicit resolvers, whose count is checked per document, see :func:`_parse`).
_TAGS: dict[str, str] = {}
#: Scalars of these tags are immutable; the same (tag, value) is constructed once per process.
_IMMUTABLE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp"))
_VALUES: dict[tuple[str, str], Any] = {}
#: Bounds on both caches: a hostile project cannot make them grow without limit.
_CACHE_ENTRIES = 65536
_CACHE_VALUE_CHARS = 64
_resolvers_seen: tuple[int, int] = (0, 0)


def _check_resolvers() -> None:
    """Forget cached resolutions when the loader's implicit resolvers were changed (another import may add one)."""
    global _resolvers_seen
    resolvers = _Loader.yaml_implicit_resolvers
    seen = (id(resolvers), sum(len(v) for v in resolvers.values()))
    if seen != _resolvers_seen:
        _TAGS.clear()
        _VALUES.clear()
        _resolvers_seen = seen


#: Tags a scalar may carry explicitly (``!!str 2020``): the ones plain YAML resolves to anyway.
#: Every other tag is refused: ``!!binary`` makes bytes, ``!!python/…`` and local ``!tags`` name
#: constructors this loader does not have, and none of them is a value any field expects.
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float", "timestamp"))


def _tag_refused(tag: str, what: str, event: Any) -> YamlSyntaxError:
    short = tag.replace("tag:yaml.org,2002:", "!!", 1)
    return YamlSyntaxError(f"tag {shown(short)} is not allowed on {what}", _line(event), "unsafe-yaml")


def _scalar(loader: Any, event: Any) -> Any:
    """A scalar as yaml.safe_load would make it (same resolver, same constructors).

    Only a double-quoted scalar can decode to a character its text does not hold (``"\\u202E"``);
    the other styles hold the file's own characters, which :func:`~mkdocs_evidence.load.read_source`
    has checked, so only double-quoted values are searched again.
    """
    tag = event.tag
    value = event.value
    if event.style == '"' and (invisible := INVISIBLE_RE.search(value)):
        message = f"{describe(invisible.group())} in a quoted value (written as an escape)"
        raise YamlSyntaxError(message, _line(event), "control-character")
    if tag is not None and tag != "!" and tag not in _SCALAR_TAGS:
        raise _tag_refused(tag, "a value", event)
    if tag is None or tag == "!":
        if not event.implicit[0]:  # quoted, literal or folded: always a string
            return value
        if value and _RESOLVED_FIRST is not None and value[0] not in _RESOLVED_FIRST:
            return value  # no implicit type starts with this character
        found = _TAGS.get(value)
        if found is None:
            found = loader.resolve(yaml.ScalarNode, value, event.implicit)
            if len(value) <= _CACHE_VALUE_CHARS and len(_TAGS) < _CACHE_ENTRIES:
                _TAGS[value] = found
        tag = found
    if tag == STR_TAG:
        return value
    if tag in _IMMUTABLE_TAGS:
        key = (tag, value)
        if key in _VALUES:
            return _VALUES[key]
        made = _construct(loader, yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style))
        if len(value) <= _CACHE_VALUE_CHARS and len(_VALUES) < _CACHE_ENTRIES:
            _VALUES[key] = made
        return made
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    return _construct(loader, node)


class _Frame:
    """An open mapping or sequence while composing: the container, where it is, the key waiting for a value."""

    __slots__ = ("container", "is_map", "key", "key_line", "line", "loc")

    def __init__(self, container: dict[Any, Any] | list[Any], loc: Loc | None, line: int) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.line = line
        self.loc = loc  # None inside a complex key: no lines are recorded there
        self.key: Any = _NO_KEY
        self.key_line = 0


_ScalarEvent = yaml.ScalarEvent
_MappingStartEvent = yaml.MappingStartEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _line(event: Any) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def _refusal(event: Any, depth: int) -> YamlSyntaxError:
    """Why :func:`_compose` refuses ``event``: an alias, an anchor, too deep, a tag on a collection."""
    if isinstance(event, yaml.AliasEvent):
        return YamlSyntaxError(f"alias *{event.anchor} is not allowed", _line(event), "unsafe-yaml")
    if getattr(event, "anchor", None):
        return YamlSyntaxError(f"anchor &{event.anchor} is not allowed", _line(event), "unsafe-yaml")
    if depth >= MAX_DEPTH:
        return YamlSyntaxError(f"nested more than {MAX_DEPTH} levels deep", _line(event), "unsafe-yaml")
    if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent) and event.tag is not None:
        # !!set, !!omap, !!python/object…: a plain mapping or list is all any file here needs.
        return _tag_refused(event.tag, "a mapping" if isinstance(event, yaml.MappingStartEvent) else "a list", event)
    return YamlSyntaxError(f"unexpected {type(event).__name__}", _line(event))  # pragma: no cover - not from a parser


def _compose(loader: Any, marks: dict[Loc, int] | None) -> Any:
    """Build the document's values straight from parser events, without recursion and without nodes.

    Anchors and aliases are refused as soon as they appear, before anything could expand, and so is
    nesting deeper than :data:`MAX_DEPTH`; every value's line goes into ``marks``.
    A scalar's line is only worked out when it is needed (an error, a key, ``marks``): this loop
    runs for every value of every claim file.
    """
    get = loader.get_event
    get()  # StreamStartEvent
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    stack: list[_Frame] = []
    result: Any = None
    while True:
        event = get()
        cls = event.__class__
        if cls in _END_EVENTS:
            done = stack.pop()
            value: Any = done.container
            line = done.line
        else:
            is_scalar = cls is _ScalarEvent
            known = is_scalar or cls is _MappingStartEvent or cls is _SequenceStartEvent
            if not known or event.anchor or len(stack) >= MAX_DEPTH or (not is_scalar and event.tag is not None):
                raise _refusal(event, len(stack))
            line = 0  # worked out below only where it is used
            if marks is not None:
                line = _line(event)
                loc: Loc | None
                parent = stack[-1] if stack else None
                if parent is None:
                    loc = ()
                elif parent.loc is None or (parent.is_map and parent.key is _NO_KEY):
                    loc = None
                elif parent.is_map:
                    loc = (*parent.loc, parent.key)
                else:
                    loc = (*parent.loc, len(parent.container))
                if loc is not None:
                    marks[loc] = line
            else:
                loc = None
            if is_scalar:
                value = _scalar(loader, event)
            else:
                stack.append(_Frame({} if cls is _MappingStartEvent else [], loc, line or _line(event)))
                continue
        if not stack:
            result = value
            break
        top = stack[-1]
        if not top.is_map:
            top.container.append(value)  # type: ignore[union-attr]
        elif top.key is _NO_KEY:
            key = value if isinstance(value, str) else str(value)
            if not line:
                line = _line(event)
            if key in top.container:
                raise YamlSyntaxError(f"duplicate key {key!r}", line, refused=True)
            top.key, top.key_line = key, line
        else:
            top.container[top.key] = value
            if top.loc is not None and marks is not None:
                # A key's own line is where errors about it belong (its value may start later).
                marks[(*top.loc, top.key)] = top.key_line
            top.key = _NO_KEY
    get()  # DocumentEndEvent
    event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise YamlSyntaxError("expected a single document in the stream, but found another document", _line(event))
    return result


_MappingEndEvent = yaml.MappingEndEvent
_SequenceEndEvent = yaml.SequenceEndEvent
#: First characters after which a plain scalar is always a string (none when any character may start another type).
_FIRST = _RESOLVED_FIRST if _RESOLVED_FIRST is not None else frozenset()
_SHORTCUT = _RESOLVED_FIRST is not None


def _compose_plain(loader: Any) -> Any:
    """:func:`_compose` without lines (what every file's first parse needs): the same values and refusals, faster.

    Plain scalars that cannot be anything but a string are taken as they are, and the open container,
    its pending key and depth are local variables (the enclosing ones wait on a stack): this loop
    runs for every value of every file, and now costs little more than libyaml's events themselves.
    A complex key's duplicate is reported at the key's first line, as :func:`_compose` does.
    """
    get = loader.get_event
    get()
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    stack: list[tuple[Any, bool, Any, Any]] = []
    top: Any = None
    is_list = False
    key: Any = _NO_KEY
    start: Any = None
    depth = 0
    first, shortcut, no_key = _FIRST, _SHORTCUT, _NO_KEY
    while True:
        event = get()
        cls = event.__class__
        if cls is _ScalarEvent:
            if event.anchor is not None or depth >= MAX_DEPTH:
                raise _refusal(event, depth)
            if event.tag is None and (style := event.style) != '"':
                value = event.value
                if not style and not (shortcut and value and value[0] not in first):
                    value = _scalar(loader, event)
            else:
                value = _scalar(loader, event)
            if not depth:
                result = value
                break
        elif cls is _MappingStartEvent or cls is _SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or depth >= MAX_DEPTH:
                raise _refusal(event, depth)
            if depth:
                stack.append((top, is_list, key, start))
            depth += 1
            is_list = cls is _SequenceStartEvent
            top = [] if is_list else {}
            key = no_key
            start = event
            continue
        elif cls is _MappingEndEvent or cls is _SequenceEndEvent:
            value = top
            event = start  # a complex key's line is where it starts
            depth -= 1
            if not depth:
                result = value
                break
            top, is_list, key, start = stack.pop()
        else:
            raise _refusal(event, depth)
        if is_list:
            top.append(value)
        elif key is no_key:
            key = value if isinstance(value, str) else str(value)
            if key in top:
                raise YamlSyntaxError(f"duplicate key {key!r}", _line(event), refused=True)
        else:
            top[key] = value
            key = no_key
    get()
    event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise YamlSyntaxError("expected a single document in the stream, but found another document", _line(event))
    return result


def load(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document safely; return the data and its line map.

    Raises :class:`YamlSyntaxError` for invalid YAML, a duplicate key, or an unsafe tag.
    """
    return _parse(text, None), LineMap(text=text)


def _parse(text: str, marks: dict[Loc, int] | None) -> Any:
    _check_resolvers()
    loader = _Loader(text)
    try:
        return _compose(loader, marks) if marks is not None else _compose_plain(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:
            # PyYAML 6.0.4 and later refuse deep flow nesting while scanning, before the events reach the
            # depth check above: the same refusal, said the same way whichever PyYAML is installed.
            raise YamlSyntaxError(f"nested more than {MAX_DEPTH} levels deep", line, "unsafe-yaml") from None
        raise YamlSyntaxError(problem, line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise YamlSyntaxError(str(exc), 1) from None
    finally:
        loader.dispose()
