"""Hostile inputs: each case writes a few files over a copy of the minimal fixture project.

Used by tests/test_hostile.py (every case gives one clear line, a non-zero exit, no traceback)
and scripts/bench_hostile.py (time and memory per case).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MINIMAL = Path(__file__).parent.parent / "fixtures" / "minimal"
#: Content of a file outside the project that links point at; it must never show in any output.
SECRET = "SECRET-TOKEN-d41d8cd98f00"

CLAIM = """id: {id}
statement: {statement}
topics: [feet]
verdict: mixed
certainty: low
summary: Some text.
evidence:
  - cite: smith2020trial
    relation: mentions
reviewed: 2026-11-20
"""

#: The classic "billion laughs" in YAML: 600 bytes that expand to gigabytes when aliases are followed.
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


def claim(claim_id: str, statement: str = "Feet do things.") -> bytes:
    return CLAIM.format(id=claim_id, statement=statement).encode()


def bad_byte_at_line_3(text: str) -> bytes:
    """``text`` with a Latin-1 byte (not UTF-8) at the start of its third line."""
    lines = text.encode().split(b"\n")
    lines[2] = b"\xe9" + lines[2]
    return b"\n".join(lines)


def bib_entry(key: str, title: str = "A title") -> str:
    return f"\n@article{{{key},\n  title = {{{title}}},\n  year = {{2020}},\n  doi = {{10.1/x}},\n  design = {{rct}}\n}}\n"


#: references.bib of the fixture has 21 lines; an appended entry starts at line 23.
BIB = (MINIMAL / "references.bib").read_text(encoding="utf-8")
MKDOCS_YML = (MINIMAL / "mkdocs.yml").read_text(encoding="utf-8")
INDEX = (MINIMAL / "content" / "index.md").read_text(encoding="utf-8")
FEET = (MINIMAL / "content" / "topics" / "feet.md").read_text(encoding="utf-8")
TOPICS = (MINIMAL / "content" / "topics.yml").read_text(encoding="utf-8")


def edited_yml(old: str, new: str, encoding: str = "utf-8") -> bytes:
    """The fixture's mkdocs.yml with ``old`` replaced by ``new``, in ``encoding``."""
    return MKDOCS_YML.replace(old, new).encode(encoding)


def link_out(root: Path, relative: str) -> None:
    """Make ``relative`` a symbolic link to a secret file outside the project."""
    secret = root.parent / "outside" / "secret.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(f"id: {SECRET}\nstatement: {SECRET}\n@article{{{SECRET}, title={{{SECRET}}}}}\n")
    target = root / relative
    target.unlink(missing_ok=True)
    os.symlink(secret, target)


@dataclass(frozen=True)
class Case:
    """Files to write (path → bytes) or a setup function, and the issue the check must report."""

    name: str
    where: str  # "path:line" as printed
    code: str
    files: dict[str, bytes]
    setup: Callable[[Path], None] | None = None
    config: str = ""  # lines appended to the evidence plugin's options in mkdocs.yml
    #: False where MkDocs reads the file itself (mkdocs.yml) and `mkdocs build` reports it in its own words.
    build_reports: bool = True

    def make(self, folder: Path) -> Path:
        """A copy of the minimal fixture with this case applied; returns its root."""
        root = folder / "project"
        shutil.copytree(MINIMAL, root)
        for relative, data in self.files.items():
            (root / relative).write_bytes(data)
        if self.setup:
            self.setup(root)
        if self.config:
            config = root / "mkdocs.yml"
            config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n" + self.config))
        return root


CASES = [
    Case("alias-bomb", "content/claims/bomb.yml:1", "unsafe-yaml", {"content/claims/bomb.yml": ALIAS_BOMB.encode()}),
    Case(
        "deep-nesting",
        "content/claims/deep.yml:1",
        "unsafe-yaml",
        {"content/claims/deep.yml": ("x: " + "[" * 5_000 + "]" * 5_000 + "\n").encode()},
    ),
    Case(
        "impossible-date",
        "content/claims/bad-date.yml:10",
        "invalid-yaml",
        {"content/claims/bad-date.yml": claim("bad-date").replace(b"2026-11-20", b"2026-13-01")},
    ),
    Case(
        "claim-not-utf8",
        "content/claims/latin.yml:3",
        "invalid-encoding",
        {"content/claims/latin.yml": bad_byte_at_line_3(CLAIM.format(id="latin", statement="x"))},
    ),
    Case("topics-not-utf8", "content/topics.yml:3", "invalid-encoding", {"content/topics.yml": bad_byte_at_line_3(TOPICS)}),
    Case("intro-not-utf8", "content/topics/feet.md:3", "invalid-encoding", {"content/topics/feet.md": bad_byte_at_line_3(FEET)}),
    Case("page-not-utf8", "content/index.md:3", "invalid-encoding", {"content/index.md": bad_byte_at_line_3(INDEX)}),
    Case("bib-not-utf8", "references.bib:3", "invalid-encoding", {"references.bib": bad_byte_at_line_3(BIB)}),
    Case(
        "control-character-claim",
        "content/claims/ctrl.yml:2",
        "control-character",
        {"content/claims/ctrl.yml": claim("ctrl", "Feet \u0080do things.")},
    ),
    Case(
        "control-character-bib",
        "references.bib:24",
        "control-character",
        {"references.bib": (BIB + bib_entry("ctrl2020", "Nul\u0000 title")).encode()},
    ),
    Case(
        "bidi-override-claim",
        "content/claims/bidi.yml:2",
        "control-character",
        {"content/claims/bidi.yml": claim("bidi", "Feet do \u202eton\u202c things.")},
    ),
    Case(
        "control-character-page",
        "content/index.md:2",
        "control-character",
        {"content/index.md": ("# Home\nBell \u0007 here.\n").encode()},
    ),
    Case(
        "oversized-claim",
        "content/claims/big.yml",
        "too-large",
        {"content/claims/big.yml": claim("big") + b"# " + b"x" * 70_000 + b"\n"},
    ),
    Case(
        "too-much-evidence",
        "content/claims/many.yml:7",
        "too-large",
        {
            "content/claims/many.yml": claim("many").replace(
                b"evidence:\n", b"evidence:\n" + b"  - {cite: smith2020trial, relation: mentions}\n" * 60
            )
        },
    ),
    Case(
        "oversized-bib",
        "references.bib",
        "too-large",
        {"references.bib": (BIB + "\n% " + "x" * 6_000_000 + "\n").encode()},
    ),
    Case(
        "oversized-bib-configured",
        "references.bib",
        "too-large",
        {},
        config="      max_bib_bytes: 100\n",
    ),
    Case(
        "oversized-page",
        "content/index.md",
        "too-large",
        {"content/index.md": (INDEX + "\n" + ("word " * 20 + "\n") * 11_000).encode()},
    ),
    Case("claim-link-out", "content/claims/leak.yml", "outside-project", {}, lambda r: link_out(r, "content/claims/leak.yml")),
    Case("bib-link-out", "references.bib", "outside-project", {}, lambda r: link_out(r, "references.bib")),
    Case("topics-link-out", "content/topics.yml", "outside-project", {}, lambda r: link_out(r, "content/topics.yml")),
    Case("intro-link-out", "content/topics/feet.md", "outside-project", {}, lambda r: link_out(r, "content/topics/feet.md")),
    Case("page-link-out", "content/leak.md", "outside-project", {}, lambda r: link_out(r, "content/leak.md")),
    Case("asset-link-out", "content/leak.txt", "outside-project", {}, lambda r: link_out(r, "content/leak.txt")),
    Case(
        "raw-html-intro",
        "content/topics/feet.md:4",
        "raw-html",
        {"content/topics/feet.md": (FEET + "<img src=x onerror=alert(1)>\n").encode()},
    ),
    Case(
        "javascript-link-page",
        "content/index.md:5",
        "raw-html",
        {"content/index.md": (INDEX + "[click](javascript:alert(document.cookie))\n").encode()},
    ),
    Case(
        "attribute-list-page",
        "content/index.md:6",
        "raw-html",
        {"content/index.md": (INDEX + 'Click me\n{: onclick="alert(1)" }\n').encode()},
    ),
    Case("upper-case-extension", "content/claims/shout.YML", "unexpected-file", {"content/claims/shout.YML": claim("shout")}),
    Case("mixed-case-extension", "content/claims/mixed.Yaml", "unexpected-file", {"content/claims/mixed.Yaml": claim("mixed")}),
    Case(
        "reserved-claim-id",
        "content/claims/index.yml:1",
        "invalid-field",
        {"content/claims/index.yml": claim("index")},
    ),
    # --- mkdocs.yml as input (any shape or encoding): one line from `evidence check`; `mkdocs build` reports it itself.
    *(
        Case(name, where, code, {"mkdocs.yml": data}, build_reports=False)
        for name, where, code, data in [
            ("config-options-list", "mkdocs.yml:7", "invalid-config", edited_yml("- evidence", "- evidence: [a, b]")),
            ("config-options-string", "mkdocs.yml:7", "invalid-config", edited_yml("- evidence", "- evidence: on")),
            ("config-options-number", "mkdocs.yml:7", "invalid-config", edited_yml("- evidence", "- evidence: 3")),
            ("config-plugins-string", "mkdocs.yml:6", "invalid-config", edited_yml(":\n  - evidence", ": evidence")),
            ("config-top-level-list", "mkdocs.yml:1", "invalid-config", b"- site_name: x\n- docs_dir: content\n"),
            ("config-invalid-yaml", "mkdocs.yml:2", "invalid-yaml", edited_yml("docs_dir:", "\tdocs_dir:")),
            ("config-unknown-tag", "mkdocs.yml:1", "invalid-yaml", edited_yml("site_name:", "site_name: !include")),
            ("config-latin-1", "mkdocs.yml:1", "invalid-encoding", edited_yml("Fixture", "Caf\u00e9", "latin-1")),
            ("config-utf-16-without-mark", "mkdocs.yml:1", "invalid-encoding", edited_yml("", "", "utf-16-le")),
            ("config-docs-dir-list", "mkdocs.yml:2", "invalid-config", edited_yml("docs_dir: content", "docs_dir: [content]")),
        ]
    ),
]
