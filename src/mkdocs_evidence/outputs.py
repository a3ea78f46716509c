"""Where ``evidence render -o`` and ``evidence handout -o`` may write: never over the project's own files.

A mistyped ``-o content`` or ``-o references.bib`` used to overwrite the source pages or replace the
bibliography with a PDF. Every target is checked before anything is made: links resolved first, it
may not lie in (or contain) the docs folder or the project's data, a handout may only replace a PDF,
and a render folder must be new, empty, or one a previous render wrote (it carries :data:`MARKER`).
"""

from __future__ import annotations

from pathlib import Path

from .settings import Settings

#: The file ``evidence render`` writes first into its folder: a folder holding it may be written again.
MARKER = ".evidence-render"
#: What every PDF file starts with.
PDF_MAGIC = b"%PDF"


class OutputError(Exception):
    """A target the command refuses to write; :meth:`line` says why in one line with a stable code and a hint."""

    def __init__(self, target: Path, message: str, code: str, hint: str) -> None:
        super().__init__(f"{target}: error: {message} [{code}] (hint: {hint})")


def _protected(settings: Settings, config_file: Path) -> list[tuple[Path, str]]:
    """The project's sources and data, resolved, each with how a message names it."""
    root = settings.root
    places = [
        (settings.docs_dir, "the docs folder"),
        (settings.claims_dir, "the claims folder"),
        (settings.topics_file, "the topics file"),
        (settings.glossary_file, "the glossary file"),
        (settings.topics_dir, "the topic introductions"),
        (settings.snapshots_dir, "the article snapshots"),
        (settings.studies_dir, "the study appraisals"),
        (settings.bibliography, "the bibliography"),
        (settings.watch_file, "the watch record"),
        (config_file, "the configuration"),
        (root / ".git", "the git repository"),
        (root / ".github", "the workflows"),
        (root / "src", "the source code"),
        (root / ".cache", "the cache"),
    ]
    if settings.templates_dir is not None:
        places.append((settings.templates_dir, "the templates"))
    return [(path.resolve(), name) for path, name in places]


def _refuse_sources(target: Path, resolved: Path, settings: Settings, config_file: Path) -> None:
    for place, name in _protected(settings, config_file):
        if resolved == place or resolved.is_relative_to(place) or place.is_relative_to(resolved):
            where = "is" if resolved == place else "is inside" if resolved.is_relative_to(place) else "holds"
            raise OutputError(
                target,
                f"refusing to write there: it {where} {name} ({settings.display(place)})",
                "output-over-sources",
                "write to a new folder outside the docs folder and the project's data, e.g. build/",
            )


def check_render_folder(out: Path, settings: Settings, config_file: Path) -> Path:
    """The folder ``evidence render`` may write into (links resolved); :class:`OutputError` when it may not."""
    resolved = out.resolve()
    _refuse_sources(out, resolved, settings, config_file)
    if resolved.exists() and not resolved.is_dir():
        raise OutputError(out, "refusing to write there: it is a file", "output-not-a-folder", "name a new folder")
    if resolved.is_dir() and not (resolved / MARKER).is_file() and any(resolved.iterdir()):
        raise OutputError(
            out,
            f"refusing to write into a folder that holds other files (it has no {MARKER}, so no render wrote it)",
            "output-folder-not-empty",
            "name a new or empty folder; a folder a previous render wrote can be written again",
        )
    return resolved


def mark_render_folder(folder: Path) -> None:
    """Make ``folder`` and mark it as written by ``evidence render`` (before anything else is written into it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("Written by `evidence render`: it may write here again.\n", encoding="utf-8")


def check_handout_file(out: Path, settings: Settings, config_file: Path) -> Path:
    """The PDF ``evidence handout`` may write (links resolved): not a source, and replacing only a PDF."""
    resolved = out.resolve()
    _refuse_sources(out, resolved, settings, config_file)
    if resolved.is_file():
        with resolved.open("rb") as handle:
            if handle.read(len(PDF_MAGIC)) != PDF_MAGIC:
                raise OutputError(
                    out,
                    "refusing to replace a file that is not a PDF",
                    "output-not-pdf",
                    "name a new file, or a PDF an earlier handout wrote",
                )
    return resolved


def check_handout_folder(out: Path, names: list[str], settings: Settings, config_file: Path) -> Path:
    """The folder ``evidence handout --all-topics`` may write ``names`` into: not a source, replacing only PDFs."""
    resolved = out.resolve()
    _refuse_sources(out, resolved, settings, config_file)
    for name in names:
        check_handout_file(resolved / name, settings, config_file)
    return resolved
