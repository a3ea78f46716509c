"""mkdocs-evidence: structured claims + BibTeX → a cross-linked evidence site.

The core (load, bibliography, graph, validate, render) does not import MkDocs; ``plugin`` adapts it.
"""

from __future__ import annotations

from .issues import CODES, Issue, Severity
from .model import Claim, Graph, Reference, Topic
from .project import Project, load_project
from .render import Renderer
from .settings import Settings, make_settings, settings_from_mkdocs_yml
from .version import __version__

__all__ = [
    "CODES",
    "Claim",
    "Graph",
    "Issue",
    "Project",
    "Reference",
    "Renderer",
    "Settings",
    "Severity",
    "Topic",
    "__version__",
    "load_project",
    "make_settings",
    "settings_from_mkdocs_yml",
]
