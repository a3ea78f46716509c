"""Rebuilds as ``mkdocs serve --dirty`` makes them: one plugin instance, only what changed rebuilt.

The builds run in this process through MkDocs' own API, as the development server runs them, so
the plugin keeps what it rendered before; each result is compared with a clean build of the same
files by a fresh process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import BIN, run


@pytest.fixture
def served(site: Callable[[str], Path], tmp_path: Path) -> Iterator[tuple[Path, Callable[[], None]]]:
    """A fixture project with search, and a function making one ``serve --dirty`` rebuild into ``tmp_path/served``."""
    project = site("minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n"), encoding="utf-8")
    started = False

    def rebuild() -> None:
        nonlocal started
        cfg = load_config(str(config), site_dir=str(tmp_path / "served"))
        if not started:
            cfg.plugins.on_startup(command="serve", dirty=True)
            started = True
        build(cfg, dirty=True)

    yield project, rebuild
    # The development server keeps plugin instances for the whole process: forget them for other tests.
    MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]


def _site(folder: Path) -> dict[str, object]:
    """Every file's bytes; the search index as a set of entries (a rebuild may list them in another order)."""
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            name = path.relative_to(folder).as_posix()
            if name == "search/search_index.json":
                docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
                out[name] = sorted(json.dumps(d, sort_keys=True) for d in docs)
            else:
                # The server leaves the policy out (its live reload adds an inline script); a build has it.
                out[name] = POLICY.sub(b"", path.read_bytes())
    return out


POLICY = re.compile(rb'\n<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _clean_build(project: Path, site_dir: Path) -> dict[str, object]:
    result = run([str(BIN / "mkdocs"), "build", "--site-dir", str(site_dir)], project)
    assert result.code == 0, result.text
    assert all(POLICY.search(page.read_bytes()) for page in site_dir.rglob("*.html"))
    return _site(site_dir)


def test_dirty_rebuilds_show_each_edit_and_equal_a_clean_build(served: tuple[Path, Callable[[], None]], tmp_path: Path) -> None:
    project, rebuild = served
    rebuild()
    page = tmp_path / "served" / "claims" / "exercise-helps" / "index.html"
    first = page.stat().st_mtime_ns
    other = tmp_path / "served" / "claims" / "other-claim" / "index.html"

    claim = project / "content" / "claims" / "exercise-helps.yml"
    other_before = other.read_bytes()
    _edit(claim, "Foot exercises help.", "Foot exercises help a lot.")
    rebuild()
    assert "Foot exercises help a lot." in page.read_text(encoding="utf-8")
    assert page.stat().st_mtime_ns != first
    # other-claim links to the edited claim by its statement: it is rebuilt too
    assert other.read_bytes() != other_before
    assert _site(tmp_path / "served") == _clean_build(project, tmp_path / "clean1")

    # Nothing changed: generated pages are not written again.
    other_mtime = other.stat().st_mtime_ns
    rebuild()
    assert other.stat().st_mtime_ns == other_mtime

    # A reference's title changes: the source page and every claim citing it show the new title.
    bib = project / "references.bib"
    _edit(bib, "A trial of {IV} foot exercises", "A trial of foot exercises")
    rebuild()
    assert "A trial of foot exercises" in page.read_text(encoding="utf-8")
    assert _site(tmp_path / "served") == _clean_build(project, tmp_path / "clean2")


def test_dirty_rebuild_keeps_every_page_in_the_search_index(served: tuple[Path, Callable[[], None]], tmp_path: Path) -> None:
    project, rebuild = served
    rebuild()
    index = tmp_path / "served" / "search" / "search_index.json"
    before = {d["location"] for d in json.loads(index.read_text(encoding="utf-8"))["docs"]}
    claim = project / "content" / "claims" / "exercise-helps.yml"
    _edit(claim, "Foot exercises help.", "Feet are trained.")
    rebuild()
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    locations = [d["location"] for d in docs]
    assert set(locations) == before
    assert len(locations) == len(set(locations))  # no page twice
    assert any("Feet are trained." in d["text"] for d in docs if d["location"] == "claims/exercise-helps/")
