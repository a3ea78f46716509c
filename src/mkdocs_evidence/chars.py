"""Characters that make a text display differently from how it reads: one set, checked everywhere.

A reviewer approves what the diff shows; readers see what the browser draws. Control characters,
bidirectional controls (which reorder what follows them) and zero-width characters (which hide
inside words, ids and quotes) make the two differ. They are refused in the raw files
(:func:`mkdocs_evidence.load.read_source`) and again in every value decoded from an escape
(YAML's ``"\\u202E"``, ``"\\x1b"``, ``"\\0"``), because decoding makes characters the raw file never held.
A leaf module: it imports nothing of the package.
"""

from __future__ import annotations

import re
import unicodedata

#: C0 controls except tab, line feed and carriage return; DEL; C1 controls (U+0080 breaks front matter);
#: bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E,
#: U+2066–U+2069); zero-width and invisible characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E,
#: the Hangul fillers, U+FFF9–U+FFFB interlinear annotations and U+E0000–U+E007F tag characters, which
#: carry hidden ASCII); line and paragraph separators (U+2028, U+2029), which break a line no editor shows.
INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def describe(char: str) -> str:
    """``control character U+001B``, ``bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)``, …"""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    named = f"{code} ({name})" if name else code
    if char in _BIDI:
        return f"bidirectional control {named}"
    if unicodedata.category(char) == "Cc":
        return f"control character {named}"
    return f"invisible character {named}"
