"""A MkDocs or Material release the plugin was not tested with costs speed, never the build.

The fast paths (generated pages handed over finished, one search entry per generated page) lean on
how MkDocs steps a page and on Material's search index. Outside the tested releases they are off:
MkDocs converts every generated page and the search plugin indexes its HTML.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_evidence import mkdocs_pages


@pytest.mark.parametrize(
    ("versions", "tested"),
    [
        ({"mkdocs": "1.6.0", "material": "9.8.1"}, True),
        ({"mkdocs": "1.6.1", "material": "9.8.2"}, True),
        ({"mkdocs": "1.6.1"}, True),  # another theme: only MkDocs matters
        ({"mkdocs": "1.7.0", "material": "9.8.1"}, False),
        ({"mkdocs": "1.6.1", "material": "9.9.0"}, False),
        ({"mkdocs": "1.6.1", "material": "10.0.0b1"}, False),
        ({"mkdocs": "1.6.1", "material": "9.5.0"}, False),  # its theme trips the page policy (test_safe_output)
        ({"mkdocs": "2.0.0rc1", "material": "9.8.1"}, False),
    ],
)
def test_only_tested_releases_take_the_fast_paths(versions: dict[str, str], tested: bool) -> None:
    assert mkdocs_pages.tested_release(versions) is tested


def test_the_installed_releases_are_tested_ones() -> None:
    # CI installs the oldest and the newest releases the package allows: both must take the fast paths.
    assert mkdocs_pages.tested_release(mkdocs_pages.installed_versions())


@pytest.fixture
def built(site: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], Path]]:
    """Strict in-process builds of the minimal fixture (with search), as a tested or an untested release."""
    project = site("minimal")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n"), encoding="utf-8")

    def make(tested: bool) -> Path:
        future = {"mkdocs": "1.7.0", "material": "10.0.0"}
        monkeypatch.setattr(mkdocs_pages, "installed_versions", mkdocs_pages.installed_versions if tested else lambda: future)
        monkeypatch.setattr(mkdocs_pages, "_FAST", None)
        out = tmp_path / ("fast" if tested else "plain")
        cfg = load_config(str(config), site_dir=str(out), strict=True)
        build(cfg)
        MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]
        return out

    yield make
    MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]


def _pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


def _index(folder: Path) -> dict[str, str]:
    docs = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return {d["location"]: d["text"] for d in docs}


def test_an_untested_release_builds_the_same_pages_the_public_way(
    built: Callable[[bool], Path], caplog: pytest.LogCaptureFixture
) -> None:
    fast = built(True)
    with caplog.at_level("INFO", logger="mkdocs.plugins.mkdocs_evidence.plugin"):
        plain = built(False)
    assert "not a release this plugin was tested with" in caplog.text
    assert _pages(plain) == _pages(fast)
    # Each generated page is still found: one entry from the plugin, or the search plugin's own from the HTML.
    fast_index, plain_index = _index(fast), _index(plain)
    claim = next(loc for loc in fast_index if loc.startswith("claims/") and "#" not in loc and loc != "claims/")
    assert claim in plain_index
    assert any(loc.startswith(claim + "#") for loc in plain_index)  # the HTML's sections: indexed by Material
    assert not any(loc.startswith(claim + "#") for loc in fast_index)  # one entry per generated page
