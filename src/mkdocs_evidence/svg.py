"""SVG pictures from the docs folder, cleaned before they are published.

An SVG file is a document: opened on its own it runs its scripts and handlers, and a page's policy
does not cover it. Only drawing elements and presentation attributes are kept; links may only point
inside the picture (``#id``); a document type (entities) makes the file unusable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ELEMENTS = {
    "svg", "g", "a", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "marker",
}  # fmt: skip
ATTRIBUTES = {
    "id", "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "width",
    "height", "d", "points", "viewBox", "preserveAspectRatio", "transform", "fill", "fill-opacity",
    "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "font-family",
    "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "letter-spacing",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "fx", "fy", "clip-path", "clip-rule", "mask", "markerWidth", "markerHeight", "refX", "refY",
    "orient", "markerUnits", "patternUnits", "patternTransform", "version", "role", "aria-label",
    "aria-hidden", "lang", "visibility", "display", "vector-effect", "startOffset",
}  # fmt: skip
#: No drawing needs more; the serializer recurses once per level.
MAX_DEPTH = 100
#: Attributes that may name something else in the picture, never a file or an address.
LINKS = {"href", f"{{{XLINK_NS}}}href"}
#: Paint and reference values may point at an element of the picture, ``url(#id)``, but not at a file.
_OUTSIDE_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


class UnusableSvg(ValueError):
    """The file is not an SVG picture that can be cleaned (not XML, a document type, another root)."""


@dataclass(frozen=True)
class CleanSvg:
    """The cleaned picture and what was taken out of it (empty: nothing)."""

    data: bytes
    removed: tuple[str, ...]


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def clean_svg(data: bytes) -> CleanSvg:
    """The picture with every element and attribute outside the allow-list removed.

    :raises UnusableSvg: not well-formed XML, a ``<!DOCTYPE`` (entities), or a root other than ``<svg>``.
    """
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise UnusableSvg("an SVG file may not declare a document type or entities")
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD (refused above), so no entity expansion
    except ET.ParseError as exc:
        raise UnusableSvg(f"not well-formed XML ({exc})") from None
    if root.tag not in {"svg", f"{{{SVG_NS}}}svg"}:
        raise UnusableSvg("the file's root element is not <svg>")
    removed: list[str] = []
    # Iterative walk: a deeply nested file cannot exhaust the stack.
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            # ElementTree writes the picture back recursively: deeper nesting would end the build in a RecursionError.
            raise UnusableSvg(f"elements nested more than {MAX_DEPTH} deep")
        for child in list(element):
            if (
                not isinstance(child.tag, str)
                or _local(child.tag) not in ELEMENTS
                or (child.tag.startswith("{") and not child.tag.startswith(f"{{{SVG_NS}}}"))
            ):
                removed.append(f"<{_local(str(child.tag))}>")
                element.remove(child)
            else:
                stack.append((child, depth + 1))
        for name, value in list(element.attrib.items()):
            if name in LINKS:
                keep = value.startswith("#")
            else:
                keep = _local(name) in ATTRIBUTES and not name.startswith("{") and not _OUTSIDE_URL.search(value)
            if not keep:
                removed.append(_local(name))
                del element.attrib[name]
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return CleanSvg(ET.tostring(root, encoding="utf-8", xml_declaration=True), tuple(dict.fromkeys(removed)))
