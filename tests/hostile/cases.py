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
verdict: unsupported
certainty: very-low
summary: Some text.
evidence:
  - cite: smith2020trial
    relation: mentions
reviewed: 2026-11-20
searches:
  - source: PubMed
    query: feet
    date: 2026-11-19
    found: Nothing that tests it.
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
#: The fixture trial's appraisal (content/studies/smith2020trial.yml): tool at line 12, domains at 13, findings at 30.
STUDY = (MINIMAL / "content" / "studies" / "smith2020trial.yml").read_text(encoding="utf-8")
STUDY_PATH = "content/studies/smith2020trial.yml"


def study(old: str, new: str) -> dict[str, bytes]:
    """The fixture's appraisal with ``old`` replaced by ``new`` (``old`` must be in it)."""
    assert old in STUDY, old
    return {STUDY_PATH: STUDY.replace(old, new).encode()}


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
    # --- Text checked after decoding; duplicates; portable ids and file names ------------------------------
    # One case per class; the variants (other tags, escapes, names) are checked in-process in
    # tests/test_yamlsrc.py, tests/test_decoded_text.py and tests/test_names.py.
    Case(
        "escaped-bidi-claim",
        "content/claims/rlo.yml:2",
        "control-character",
        {"content/claims/rlo.yml": claim("rlo", '"Feet do \\u202Eton\\u202C things."')},
    ),
    Case(
        "escaped-escape-front-matter",
        "content/index.md:2",
        "control-character",
        {"content/index.md": ('---\ntitle: "\\x1b[8mHome"\n---\n' + INDEX).encode()},
    ),
    Case(
        "binary-tag-claim",
        "content/claims/bin.yml:6",
        "unsafe-yaml",
        {"content/claims/bin.yml": claim("bin").replace(b"summary: Some text.", b"summary: !!binary 4oCuU29tZQ==")},
    ),
    Case(
        "duplicate-topic",
        "content/topics.yml:5",
        "duplicate-topic",
        {"content/topics.yml": (TOPICS + "  - id: feet\n    title: Not feet\n").encode()},
    ),
    Case(
        "topic-listed-three-times",
        "content/claims/thrice.yml:3",
        "duplicate-topic-in-claim",
        {"content/claims/thrice.yml": claim("thrice").replace(b"topics: [feet]", b"topics: [feet, feet, feet]")},
    ),
    Case(
        "source-cited-forty-times",
        "content/claims/forty.yml:9",
        "duplicate-citation",
        {
            "content/claims/forty.yml": claim("forty").replace(
                b"evidence:\n", b"evidence:\n" + b"  - {cite: smith2020trial, relation: mentions}\n" * 39
            )
        },
    ),
    Case("reserved-device-claim-id", "content/claims/con.yml:1", "unportable-name", {"content/claims/con.yml": claim("con")}),
    Case("case-clash-page", "content/index.md", "name-clash", {"content/Index.md": INDEX.encode()}),
]


# --- Links and files that must never reach the site (issue 19) ------------------------------------


def git_folder(root: Path) -> None:
    """A repository folder next to the content, holding a checkout token as actions/checkout leaves it."""
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "config").write_text(f'[http]\n\textraheader = "AUTHORIZATION: basic {SECRET}"\n')


def link_inside(relative: str, target: str, setup: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    """A setup making ``relative`` a symbolic link to ``target`` (a path relative to the link's folder)."""

    def make(root: Path) -> None:
        if setup:
            setup(root)
        os.symlink(target, root / relative)

    return make


CASES += [
    Case("link-to-git", "content/gitdir", "symbolic-link", {}, link_inside("content/gitdir", "../.git", git_folder)),
    Case("link-to-snapshots", "content/copies", "symbolic-link", {}, link_inside("content/copies", "snapshots")),
    Case("link-loop", "content/loop", "symbolic-link", {}, link_inside("content/loop", ".")),
    Case("link-to-claim", "content/c.txt", "symbolic-link", {}, link_inside("content/c.txt", "claims/exercise-helps.yml")),
    Case("html-file", "content/page.html", "unpublishable-file", {"content/page.html": b"<script>alert(1)</script>"}),
    Case("script-file", "content/app.js", "unpublishable-file", {"content/app.js": b"alert(1)"}),
    Case("unusable-svg", "content/pic.svg", "unpublishable-file", {"content/pic.svg": b'<!DOCTYPE svg [<!ENTITY a "b">]><svg/>'}),
]


def docs_outside(root: Path) -> None:
    """The docs folder itself a link to a folder outside the project, holding a secret file."""
    outside = root.parent / "outside-docs"
    shutil.move(root / "content", outside)
    (outside / "secret.md").write_text(f"# {SECRET}\n")
    os.symlink(outside, root / "content")


CASES += [Case("docs-folder-link-out", "mkdocs.yml", "outside-project", {}, docs_outside)]

#: A page of nothing but citations: each would become a full reference on the page (amplification).
CASES += [
    Case(
        "citation-amplification",
        "content/index.md:1003",
        "too-large",
        {"content/index.md": (INDEX + "[@smith2020trial]\n" * 1_000).encode()},
    )
]

# --- Linear-time parsing: inputs that stalled or crashed a parser (each also has one real problem) ------


def _doubling_macros(count: int) -> str:
    """``@string`` macros each twice the one before: 31 of them in a kilobyte would make 16 GiB."""
    return '@string{m0 = "ab"}\n' + "".join(f"@string{{m{i} = m{i - 1} # m{i - 1}}}\n" for i in range(1, count))


def _crossref_chain(count: int) -> str:
    """Each entry's parent is the next one: a chain ``count`` entries deep, child first."""
    return "".join(f"@misc{{k{i}, crossref = {{k{i + 1}}}, title = {{t}}}}\n" for i in range(count))


#: A quote that repeats itself ("a ba b…", the longest a claim allows), and an article holding it
#: 300,000 times over, each time glued to a letter: every occurrence is one the quote check must look
#: at and turn down (2.4 s for this one quote when each occurrence was searched for anew).
SELF_OVERLAPPING_QUOTE = "a b" * 666

CASES += [
    # The citation pattern of old backtracked 5 ways per item: 25 unclosed items never finished.
    Case(
        "citation-backtracking",
        "content/index.md:5",
        "unknown-cite-key",
        {"content/index.md": (INDEX + "[" + "; ".join(["@a,    "] * 25) + " [@nosuchkey2020]\n").encode()},
    ),
    # The attribute-list pattern of old tried every `{` against the rest of the line (quadratic).
    Case(
        "attribute-list-quadratic",
        "content/index.md:5",
        "raw-html",
        {"content/index.md": (INDEX + "{a=" * 30_000 + "}\n").encode()},
    ),
    # 31 doubling macros: the one that takes the expansion past its budget is refused (line 23 + 18).
    Case("macro-bomb", "references.bib:41", "too-large", {"references.bib": (BIB + "\n" + _doubling_macros(31)).encode()}),
    # 3,000 crossrefs deep (a RecursionError once): parents past the 8th are not followed; k2 is the first cut.
    Case(
        "crossref-chain",
        "references.bib:25",
        "bib-parse-error",
        {"references.bib": (BIB + "\n" + _crossref_chain(3000)).encode()},
    ),
    Case(
        "deep-braces",
        "references.bib:23",
        "bib-parse-error",
        {"references.bib": (BIB + "\n@misc{deep, title = {" + "{" * 5000 + "x" + "}" * 5000 + "}}\n").encode()},
    ),
    Case(
        "accent-chain",
        "references.bib:23",
        "bib-parse-error",
        {"references.bib": (BIB + "\n@misc{accents, title = {" + "\\'" * 5000 + "e}}\n").encode()},
    ),
    Case(
        "quote-check-worst-case",
        "content/claims/exercise-helps.yml:20",
        "quote-not-verbatim",
        {
            "content/claims/exercise-helps.yml": (MINIMAL / "content/claims/exercise-helps.yml")
            .read_bytes()
            .replace(b"Feet are everything & more", SELF_OVERLAPPING_QUOTE.encode()),
            "content/snapshots/blog-post.txt": (
                "url: https://example.org/blog\nretrieved: 2026-11-20\n---\nx" + "a b" * 330_000 + "\n"
            ).encode(),
        },
    ),
]

# --- mkdocs.yml as input (any shape or encoding): one line from `evidence check`; `mkdocs build` reports it itself.
CASES += [
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
]

# --- Study appraisals (content/studies/<key>.yml): the same rules as claim files, one line each ---------
FINDING = STUDY[STUDY.index("  - id: pain") : STUDY.index("appraised:")]
CASES += [
    Case("study-alias-bomb", "content/studies/bomb.yml:1", "unsafe-yaml", {"content/studies/bomb.yml": ALIAS_BOMB.encode()}),
    Case(
        "study-deep-nesting",
        f"{STUDY_PATH}:1",
        "unsafe-yaml",
        {STUDY_PATH: ("key: " + "[" * 5_000 + "]" * 5_000 + "\n").encode()},
    ),
    Case(
        "study-oversized",
        STUDY_PATH,
        "too-large",
        study("appraised_by:", "# " + "x" * 70_000 + "\nappraised_by:"),
    ),
    Case("study-not-utf8", f"{STUDY_PATH}:3", "invalid-encoding", {STUDY_PATH: bad_byte_at_line_3(STUDY)}),
    Case(
        "study-bidi-override",
        f"{STUDY_PATH}:4",
        "control-character",
        study("population: Adults with foot pain", "population: Adults \u202ewith\u202c foot pain"),
    ),
    Case(
        "study-not-a-mapping", "content/studies/list.yml:1", "invalid-field", {"content/studies/list.yml": b"- key\n- design\n"}
    ),
    Case("study-unknown-tool", f"{STUDY_PATH}:12", "invalid-field", study("tool: rob2", "tool: rob3")),
    Case(
        "study-tool-for-another-design",
        f"{STUDY_PATH}:12",
        "rob-tool-mismatch",
        study("tool: rob2", "tool: robins-e"),
        config="      severities:\n        rob-tool-mismatch: error\n",  # a warning by default
    ),
    Case("study-unknown-domain", f"{STUDY_PATH}:13", "invalid-field", study("domain: deviations", "domain: blinding")),
    Case("study-key-not-file-name", f"{STUDY_PATH}:1", "invalid-field", study("key: smith2020trial", "key: smith2021trial")),
    Case("study-unknown-direction", f"{STUDY_PATH}:35", "invalid-field", study("direction: decreases", "direction: helps")),
    Case(
        "study-finding-repeated",
        f"{STUDY_PATH}:43",
        "invalid-field",
        study("appraised:", FINDING * 100 + "appraised:"),
    ),
    Case("study-other-file", "content/studies/notes.txt", "unexpected-file", {"content/studies/notes.txt": b"notes\n"}),
    Case("study-link-out", STUDY_PATH, "outside-project", {}, lambda r: link_out(r, STUDY_PATH)),
]
