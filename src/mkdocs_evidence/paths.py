"""Names that become files, and the one function every output path is derived through.

A BibTeX key, a claim id or a topic id ends up in a file name (``sources/<key>.md``) and in a
link. Contributors write them, so a key like ``../../x`` must never reach the file system:
keys are checked while loading (:func:`name_problem`), and every file the build or the CLI
writes goes through :func:`inside`, which refuses anything that would land outside its folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

#: A safe BibTeX key: ASCII letters, digits and ``_ : . -``, starting with a letter or digit.
#: ``:`` is common in BibTeX keys (``Smith:2020``); links to such pages start with ``./`` so a
#: browser never reads the key as a URL scheme (see :func:`safe_href`).
KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.\-]*")
MAX_NAME_LENGTH = 100
#: Names the site's own pages use in each generated folder; a key or id with such a name would replace them.
RESERVED: dict[str, frozenset[str]] = {
    "claims": frozenset({"index", "review"}),
    "sources": frozenset({"index"}),
    "topics": frozenset({"index"}),
}


#: Device names Windows reserves in every folder, in any case and with any extension (``con.md``,
#: ``Com1.txt``): such a file cannot be checked out there. ``¹²³`` count as digits to Windows.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in "123456789\u00b9\u00b2\u00b3")}
)
#: Characters Windows does not allow in a file name (and ``/``, which no system does), control characters included.
WINDOWS_FORBIDDEN_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class UnsafePathError(Exception):
    """A path would leave its output folder; the message says which."""


def name_problem(name: str, folder: str) -> str:
    """Why ``name`` cannot name a page in ``folder`` (``claims``, ``sources``, ``topics``), or ``""``."""
    if len(name) > MAX_NAME_LENGTH:
        return f"is {len(name)} characters long (at most {MAX_NAME_LENGTH})"
    if not KEY_RE.fullmatch(name):
        return "may only use ASCII letters, digits and _ : . - (starting with a letter or digit)"
    if ".." in name:
        return "may not contain '..'"
    if name.lower() in RESERVED.get(folder, frozenset()):
        return f"is reserved: {folder}/{name.lower()} is one of the site's own pages"
    return ""


def portable_problem(name: str, allowed: str = "") -> str:
    """Why a file or folder called ``name`` cannot be checked out on Windows or macOS as it is, or ``""``.

    Ids and keys name generated pages (``sources/<key>/index.html``), so they are held to this too;
    ``allowed`` lists characters Windows forbids that are accepted all the same (BibTeX keys keep ``:``,
    as in ``Smith:2020`` or ``doi:…``: a key names only published pages, never a file of the repository).
    """
    if not unicodedata.is_normalized("NFC", name):
        return "is not in Unicode NFC form (git on macOS reads it as another name)"
    if bad := [c for c in WINDOWS_FORBIDDEN_RE.findall(name) if c not in allowed]:
        chars = ", ".join(repr(c) for c in dict.fromkeys(bad))
        return f"holds {chars}, which Windows does not allow in file names"
    if name.endswith((".", " ")):
        return "ends with a dot or a space, which Windows drops from file names"
    device = name.split(".", 1)[0].rstrip(" ").lower()
    if device in WINDOWS_DEVICES:
        return f"is {device.upper()}, a device name Windows reserves (with any extension)"
    return ""


def folded(name: str) -> str:
    """``name`` as a case-insensitive, normalisation-insensitive file system (macOS, Windows) compares it."""
    return unicodedata.normalize("NFC", name).casefold()


def shown(name: str, limit: int = 60) -> str:
    """A contributor-written name for a message: quoted, escaped, and cut short."""
    return repr(name if len(name) <= limit else name[:limit] + "…")


def inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refusing absolute paths, ``..`` and links that lead outside ``folder``.

    Resolving both sides also catches a symbolic link already in the folder that points elsewhere.
    """
    parts = relative.split("/")
    if not relative or relative.startswith("/") or "\\" in relative or any(p in {"", ".", ".."} for p in parts):
        raise UnsafePathError(f"refusing to write {relative!r}: not a plain path inside {folder}")
    base = folder.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise UnsafePathError(f"refusing to write {relative!r}: it would land outside {folder}")
    return target


def safe_href(href: str) -> str:
    """A relative link whose first segment has a ``:`` gets ``./``, so it cannot read as ``scheme:``."""
    first = href.split("/", 1)[0]
    return f"./{href}" if ":" in first else href
