"""The ``evidence`` command: check a project, or write its generated pages, without MkDocs.

Exit codes: 0 no errors, 1 errors found, 2 the command could not run (usage, configuration).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .project import Project, load_project
from .render import Renderer
from .schema import claim_json_schema
from .settings import SettingsError, settings_from_mkdocs_yml


def _project(args: argparse.Namespace) -> Project:
    return load_project(settings_from_mkdocs_yml(Path(args.config)))


def cmd_check(args: argparse.Namespace) -> int:
    """Load and validate; print one line per issue and a summary."""
    project = _project(args)
    for item in project.issues:
        print(item.format())
    print(project.summary)
    return 0 if project.ok else 1


def cmd_render(args: argparse.Namespace) -> int:
    """Write every generated page as Markdown under ``--out`` (for other site generators)."""
    project = _project(args)
    for item in project.issues:
        print(item.format(), file=sys.stderr)
    out = Path(args.out)
    pages = Renderer(project.graph, project.settings.templates_dir).pages()
    for src, text in pages.items():
        target = out / src
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"{len(pages)} pages written to {out}; {project.summary}")
    return 0 if project.ok else 1


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of claim files."""
    print(json.dumps(claim_json_schema(), indent=2, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so the README's usage stays in sync with tests)."""
    parser = argparse.ArgumentParser(prog="evidence", description="Evidence-linked claims: check and render.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate claims, references and prose pages without building")
    render = sub.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("-o", "--out", required=True, help="folder to write the pages into")
    schema = sub.add_parser("schema", help="print the JSON Schema of claim files")
    for p in (check, render):
        p.add_argument("-f", "--config", default="mkdocs.yml", help="the project's mkdocs.yml (default: %(default)s)")
    check.set_defaults(func=cmd_check)
    render.set_defaults(func=cmd_render)
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evidence`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"evidence: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"evidence: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


__all__ = ["build_parser", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
