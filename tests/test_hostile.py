"""Untrusted input (a pull request) cannot escape, crash or stall the build.

Every hostile case (tests/hostile/cases.py) and every hostile BibTeX key must give one clear line
``path:line: error: … [code]``, a non-zero exit and no traceback, from ``evidence check`` and from
``mkdocs build --strict``; nothing may be written outside the output folder; ``evidence check`` takes at
most 5 s (of CPU time) and 300 MB on each.
"""

from __future__ import annotations

import concurrent.futures
import html
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, Run, evidence, mkdocs_build, run_measured

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from cases import CASES, SECRET, Case, bib_entry


def tree(folder: Path, *, skip: Path | None = None) -> dict[str, bytes | str]:
    """Every file under ``folder`` (links as their target), to compare before and after a command."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and path.is_relative_to(skip):
            continue
        if ".cache" in path.parts:
            # .cache/evidence/ is the tool's own cache (fixed names, JSON); it must not hold the secret either.
            assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path
            continue
        if path.is_symlink():
            out[str(path)] = f"-> {path.readlink()}"
        elif path.is_file():
            out[str(path)] = path.read_bytes()
    return out


def assert_one_clear_line(result: Run, where: str, code: str) -> None:
    text = result.text
    assert result.code != 0, text
    assert "Traceback" not in text, text
    assert SECRET not in text, text
    lines = [line for line in text.splitlines() if f"[{code}]" in line]
    assert len(lines) == 1, text
    assert f"{where}: error: " in lines[0], text
    assert "(hint: " in lines[0], text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gives_one_clear_line(case: Case, tmp_path: Path) -> None:
    root = case.make(tmp_path)
    before = tree(tmp_path)
    site = root / "site"
    # The build runs beside the check (two processes, two cores): the suite's longest test takes half the time.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        building = pool.submit(mkdocs_build, root, site)
        check = run_measured([str(BIN / "evidence"), "check"], root)
        built = building.result()
    assert_one_clear_line(check, case.where, case.code)
    # No input stalls the check or makes it hold much memory (a parser in linear time, bounded expansion).
    # CPU time: a machine busy with other work stretches the wall clock, not the work done.
    assert check.cpu_seconds <= 5, f"evidence check took {check.cpu_seconds:.1f} s of CPU time"
    assert check.seconds <= 30, f"evidence check took {check.seconds:.1f} s"
    assert check.peak_mb <= 300, f"evidence check held {check.peak_mb:.0f} MB"
    if case.build_reports:
        assert_one_clear_line(built, case.where, case.code)
    else:  # MkDocs reads mkdocs.yml itself and says what is wrong in its own words
        assert built.code != 0, built.text
        assert "Traceback" not in built.text, built.text
        assert not site.exists(), "a build that could not read its configuration wrote a site"
    assert tree(tmp_path, skip=site) == before  # nothing written anywhere but the site folder
    assert_nothing_leaked(site)


def assert_nothing_leaked(site: Path) -> None:
    """The site holds no data file, no link, no script of the content's and nothing from outside or .git."""
    for path in site.rglob("*") if site.is_dir() else ():
        assert not path.is_symlink(), path
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
            assert path.suffix not in {".yml", ".yaml", ".txt"}, path  # claim files, topics, snapshots
    for page in site.rglob("*") if site.exists() else ():
        if page.is_file() and page.suffix in {".html", ".md", ".json", ".txt", ".xml"}:
            assert SECRET not in page.read_text(encoding="utf-8", errors="replace"), page


HOSTILE_KEYS = {
    "traversal": "../../x",
    "deep traversal": "../../../../../../tmp/evidence-pwned",
    "home page": "../index",
    "bibliography page": "index",
    "bibliography page, other case": "Index",
    "script url": "javascript:alert(1)",
    "homoglyph": "smith2020tri\u0430l",  # Cyrillic a
    "slash": "a/b",
    "absolute": "/etc/x",
    "very long": "k" * 300,
}


@pytest.mark.parametrize("key", HOSTILE_KEYS.values(), ids=HOSTILE_KEYS.keys())
def test_hostile_bibtex_key_is_refused_everywhere(key: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + bib_entry(key))
    before = tree(tmp_path)
    check = evidence(root, "check")
    assert_one_clear_line(check, "references.bib:23", "invalid-key")
    assert "2 references" in check.out  # the entry is dropped: nothing is rendered from it

    site = root / "site"
    assert_one_clear_line(mkdocs_build(root, site), "references.bib:23", "invalid-key")
    out = tmp_path / "a" / "b" / "out"
    out.parent.mkdir(parents=True)
    before = tree(tmp_path)
    assert_one_clear_line(evidence(root, "render", "-o", str(out)), "references.bib:23", "invalid-key")
    assert tree(tmp_path, skip=out) == before
    assert not Path("/tmp/evidence-pwned.md").exists()
    assert sorted(p.name for p in (out / "sources").iterdir()) == ["blog-post.md", "index.md", "smith2020trial.md"]


def test_a_key_with_a_colon_links_as_a_path_not_a_url_scheme(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + bib_entry("javascript:alert"))
    page = root / "content" / "index.md"
    page.write_text(page.read_text() + "\nSee [@javascript:alert].\n")
    assert evidence(root, "check").code == 0
    out = tmp_path / "out"
    assert evidence(root, "render", "-o", str(out)).code == 0
    bibliography = (out / "sources" / "index.md").read_text()
    assert 'href="./javascript:alert.md"' in bibliography
    assert 'href="javascript:' not in bibliography


def test_limits_are_plugin_options_checked_like_the_others(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n      max_evidence: 0\n"))
    result = evidence(root, "check")
    assert result.code == 2
    assert result.err.strip() == "evidence: max_evidence: 0 must be greater than or equal to 1"


def test_raw_html_in_a_topic_introduction_is_inert_even_when_ignored(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    intro = root / "content" / "topics" / "feet.md"
    intro.write_text(
        intro.read_text() + "\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(2))\n\n<script>alert(3)</script>\n"
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n      severities: {raw-html: ignore}\n"))
    built = mkdocs_build(root)
    assert built.code == 0, built.text
    html = (root / "site" / "topics" / "feet" / "index.html").read_text()
    assert "<img src=" not in html and "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "javascript:" not in html
    assert "<script>alert(3)" not in html
    assert "Feet matter" in html  # the introduction itself is still there


def test_script_cannot_hide_in_an_autolink_or_a_split_reference_definition(site: Callable[[str], Path]) -> None:
    """An @ does not make a tag an e-mail autolink; a link address on the next line or in a quote is still checked."""
    root = site("minimal")
    (root / "content" / "index.md").write_text(
        "# Home\n\nMail <details/open/ontoggle=alert(1)//@x> here, or <someone@example.org>.\n\n"
        "A [split][r1] and a [quoted][r2] reference.\n\n[r1]:\n    javascript:alert(21)\n\n> [r2]: javascript:alert(22)\n",
        encoding="utf-8",
    )
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("  - evidence\n", "  - evidence:\n      severities: {raw-html: ignore}\n")
    )
    built = mkdocs_build(root)
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<details" not in article and "&lt;details/open/ontoggle" in article
    assert "javascript:" not in html.unescape(article)
    assert 'href="mailto:someone@example.org"' in html.unescape(article)  # a real address stays a link
    assert built.code == 0, built.text  # reported (here ignored) and made inert either way
