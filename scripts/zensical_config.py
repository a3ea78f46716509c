"""Print a Zensical configuration for the folder `evidence render` writes, made from the project's mkdocs.yml.

    python scripts/zensical_config.py MKDOCS_YML DOCS_DIR SITE_DIR > build/zensical.yml

The project's settings (site name, theme, nav, Markdown extensions) are kept; the evidence plugin is
dropped (Zensical has no plugin API, and the pages are already in DOCS_DIR); the plugin's stylesheet
and script are added; Google Fonts are switched off (``theme.font: false``). DOCS_DIR and SITE_DIR are
relative to the configuration file, as Zensical reads them, and must lie inside its folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from mkdocs_evidence.settings import read_mkdocs_yml
from mkdocs_evidence.urls import CSS_URI, JS_URI


def zensical_config(mkdocs_yml: Path, docs_dir: str, site_dir: str) -> str:
    """The configuration text."""
    config = read_mkdocs_yml(mkdocs_yml)  # !ENV resolved, as MkDocs would
    for name in ("site_url", "repo_url", "edit_uri"):
        if config.get(name) is None:
            config.pop(name, None)
    plugins = config.get("plugins") or []
    config["plugins"] = [p for p in plugins if p != "evidence" and not (isinstance(p, dict) and "evidence" in p)]
    config.update(
        docs_dir=docs_dir,
        site_dir=site_dir,
        extra_css=[*(config.get("extra_css") or []), CSS_URI],
        extra_javascript=[*(config.get("extra_javascript") or []), JS_URI],
    )
    theme = config.setdefault("theme", {})
    if isinstance(theme, str):
        theme = config["theme"] = {"name": theme}
    theme["font"] = False
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(zensical_config(Path(sys.argv[1]), sys.argv[2], sys.argv[3]), end="")
