"""``evidence init``: a new site on any subject, written from the starter files shipped in the package.

The new site builds with ``mkdocs build --strict`` at once. Its example claim, appraisal and
reference are fictional and marked as such (:mod:`.examples`): a notice until they are replaced, an
error for a release (``evidence check --release``, the generated CI and Pages workflows).
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml

from .export import schema_text
from .schema import claim_json_schema
from .settings import today
from .study_schema import study_json_schema
from .version import __version__

#: The starter files, inside the package (listed in its package data).
STARTER: Final = Path(__file__).parent / "starter"
#: (file in the starter folder, where it goes in the new site; ``${topic_id}`` is filled in). Hidden files
#: are stored as ``dot-…``: a ``.gitignore`` in the package would apply to the package's own folder in
#: git, and package-data patterns skip hidden files.
FILES: Final = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("README.md", "README.md"),
    ("requirements.txt", "requirements.txt"),
    ("references.bib", "references.bib"),
    ("content/index.md", "content/index.md"),
    ("content/method.md", "content/method.md"),
    ("content/topics.yml", "content/topics.yml"),
    ("content/topics/topic.md", "content/topics/${topic_id}.md"),
    ("content/claims/example-claim.yml", "content/claims/example-claim.yml"),
    ("content/studies/example2024trial.yml", "content/studies/example2024trial.yml"),
    ("dot-github/workflows/ci.yml", ".github/workflows/ci.yml"),
    ("dot-github/workflows/deploy.yml", ".github/workflows/deploy.yml"),
    ("dot-gitignore", ".gitignore"),
    ("dot-pre-commit-config.yaml", ".pre-commit-config.yaml"),
)
#: Copied as they are: the workflows' ``${{ … }}`` are GitHub's expressions, not ours to fill in.
VERBATIM: Final = frozenset({"dot-github/workflows/ci.yml", "dot-github/workflows/deploy.yml"})
#: A language code as Material names its translations: ``en``, ``de``, ``pt-BR``, ``zh-Hant``.
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
#: A released version (not a local ``+dev`` build): the new site's requirements.txt pins it.
RELEASE = re.compile(r"\d+(?:\.\d+)*")


class StarterError(Exception):
    """The site cannot be written; the message is one line saying why, and nothing was written."""


@dataclass(frozen=True)
class Choices:
    """What ``evidence init`` is told about the new site."""

    site_name: str
    language: str = "en"
    topic: str = "First topic"


def topic_id(title: str) -> str:
    """The topic's id: the title as a slug (accents dropped, lower case, single hyphens)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def _one_line(name: str, value: str) -> str:
    value = value.strip()
    if not value or any(unicodedata.category(c)[0] == "C" for c in value):
        raise StarterError(f"{name}: give one line of text (no control characters), got {value!r}")
    return value


def _yaml(value: str) -> str:
    """One YAML scalar, quoted when needed (PyYAML knows the rules)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").rstrip("\n")


def _markdown(value: str) -> str:
    """Text as Markdown shows it: no HTML (the check refuses raw HTML in pages) and no markup."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~-])", r"\\\1", html.escape(value, quote=False))


def values(choices: Choices) -> dict[str, str]:
    """What the starter files' ``${name}`` placeholders are filled with."""
    name = _one_line("--site-name", choices.site_name)
    title = _one_line("--topic", choices.topic)
    if not LANGUAGE.fullmatch(choices.language):
        raise StarterError(f"--language: {choices.language!r} is not a language code such as en, de or pt-BR")
    slug = topic_id(title)
    if not slug:
        raise StarterError(f"--topic: {title!r} has no letter or digit to make the topic's id from")
    return {
        "site_name": _markdown(name),
        "site_name_yaml": _yaml(name),
        "language": choices.language,
        "topic_id": slug,
        "topic_title_md": _markdown(title),
        "topic_title_yaml": _yaml(title),
        "topic_description_yaml": _yaml(f"Claims filed under {title}."),
        "today": today().isoformat(),
        "version": __version__ if RELEASE.fullmatch(__version__) else "",
    }


def site_files(choices: Choices) -> dict[str, str]:
    """Every file of the new site (path relative to its folder → text), the JSON Schemas for editors among them."""
    filled = values(choices)
    files: dict[str, str] = {}
    for source, target in FILES:
        text = (STARTER / source).read_text(encoding="utf-8")
        if source not in VERBATIM:
            text = string.Template(text).substitute(filled)
        files[string.Template(target).substitute(filled)] = text
    if not filled["version"]:  # a development build: pin nothing rather than a version no index has
        files["requirements.txt"] = files["requirements.txt"].replace("mkdocs-evidence==", "mkdocs-evidence")
    files["schema/claim.schema.json"] = schema_text(claim_json_schema())
    files["schema/study.schema.json"] = schema_text(study_json_schema())
    return files


def check_folder(folder: Path) -> None:
    """Refuse anything but a new or empty folder: ``evidence init`` never writes over a file."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise StarterError(f"{folder}: exists and is not a folder; give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise StarterError(f"{folder}: the folder is not empty; give a new or empty folder (nothing was written)")


def write_site(folder: Path, choices: Choices) -> list[str]:
    """Write a new site into ``folder`` (new or empty); return the files written, in order."""
    files = site_files(choices)  # every value checked before anything is written
    check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # "x": a file that appeared meanwhile is never written over.
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            raise StarterError(f"{target}: appeared while the site was written; it was left as it is") from None
    return list(files)


__all__ = ["Choices", "StarterError", "check_folder", "site_files", "topic_id", "write_site"]
