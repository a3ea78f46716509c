"""Where a project's claims, references and topics live, independent of MkDocs.

The MkDocs plugin builds :class:`Settings` from its typed config; the CLI reads the same options
from ``mkdocs.yml`` without importing MkDocs, so both check exactly the same files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .issues import CODES, Severity

DEFAULTS: Mapping[str, Any] = {
    "claims_dir": "claims",
    "bibliography": "references.bib",
    "topics_file": "topics.yml",
    "topics_dir": "topics",
    "snapshots_dir": "snapshots",
    "severities": {},
    "templates_dir": None,
    "review_after_days": 365,
    "picture_max_claims": 120,
    # Limits on untrusted input (a pull request): each keeps check and build time and memory bounded.
    "max_claim_bytes": 65_536,
    "max_evidence": 50,
    "max_bib_bytes": 5_242_880,
    "max_page_bytes": 1_048_576,
}
#: The limits above, with what each one bounds (for messages).
LIMITS: Mapping[str, str] = {
    "max_claim_bytes": "bytes in a claim file or the topics file",
    "max_evidence": "evidence entries in one claim",
    "max_bib_bytes": "bytes in the bibliography",
    "max_page_bytes": "bytes in a Markdown page",
}


def today() -> dt.date:
    """Today's date, or the date of ``SOURCE_DATE_EPOCH`` when set.

    Reproducible-build tools (and the tests) set ``SOURCE_DATE_EPOCH`` so that "is this review
    overdue" gives the same answer on every run, however long after the commit it is built.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


class SettingsError(Exception):
    """The project configuration cannot be used; the message says why."""


@dataclass(frozen=True)
class Settings:
    """Paths and options for one project. Relative paths are resolved against ``root``."""

    root: Path
    docs_dir: Path
    claims_dir: Path
    bibliography: Path
    topics_file: Path
    topics_dir: Path
    #: Dated text copies of the articles claims are quoted from (``<article key>.txt``); never published.
    snapshots_dir: Path
    severities: Mapping[str, str] = field(default_factory=dict)
    templates_dir: Path | None = None
    site_url: str = ""
    review_after_days: int = 365
    repo_url: str = ""
    edit_uri: str = ""
    #: The site's name: the publisher of the reviews in ``ClaimReview`` and ``claims.json``.
    site_name: str = ""
    #: Above this many claims an evidence picture is left out (with a note): it would be too tall to read.
    picture_max_claims: int = 120
    max_claim_bytes: int = DEFAULTS["max_claim_bytes"]
    max_evidence: int = DEFAULTS["max_evidence"]
    max_bib_bytes: int = DEFAULTS["max_bib_bytes"]
    max_page_bytes: int = DEFAULTS["max_page_bytes"]

    @property
    def edit_base(self) -> str:
        """URL that a path relative to ``docs_dir`` is appended to for an "edit" link, or ``""``.

        As in MkDocs, an edit link needs both ``repo_url`` and ``edit_uri``.
        """
        if not (self.repo_url and self.edit_uri):
            return ""
        return self.repo_url.rstrip("/") + "/" + self.edit_uri.strip("/") + "/"

    def display(self, path: Path) -> str:
        """A path as users should see it: relative to the project root where possible."""
        # The path as named first (a link shows as itself, not as where it leads), then resolved.
        for candidate in (Path(os.path.normpath(path.absolute())), path.resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return path.as_posix()


def make_settings(
    root: Path,
    docs_dir: str,
    options: Mapping[str, Any],
    site_url: str = "",
    repo_url: str = "",
    edit_uri: str = "",
    site_name: str = "",
) -> Settings:
    """Settings from plugin options (``claims_dir``, ``topics_file`` are inside ``docs_dir``)."""
    opts = {**DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
    severities = dict(opts["severities"] or {})
    for code, level in severities.items():
        if code not in CODES:
            raise SettingsError(f"severities: unknown check code {code!r}; known codes: {', '.join(CODES)}")
        if level not in {s.value for s in Severity}:
            raise SettingsError(f"severities: {code}: {level!r} must be error, warning or ignore")
    days = opts["review_after_days"]
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise SettingsError(f"review_after_days: {days!r} must be a whole number of days, 1 or more")
    limit = opts["picture_max_claims"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise SettingsError(f"picture_max_claims: {limit!r} must be a whole number, 0 or more (0: no pictures)")
    for name in LIMITS:
        value = opts[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SettingsError(f"{name}: {value!r} must be a whole number, 1 or more")
    docs = (root / docs_dir).resolve()
    return Settings(
        root=root.resolve(),
        docs_dir=docs,
        claims_dir=docs / opts["claims_dir"],
        # Not resolved: a bibliography that is a link must be seen as one (and refused if it leads outside).
        bibliography=Path(os.path.normpath(root.resolve() / opts["bibliography"])),
        topics_file=docs / opts["topics_file"],
        topics_dir=docs / opts["topics_dir"],
        snapshots_dir=docs / opts["snapshots_dir"],
        severities=severities,
        templates_dir=(root / opts["templates_dir"]).resolve() if opts["templates_dir"] else None,
        site_url=site_url,
        review_after_days=days,
        repo_url=repo_url,
        edit_uri=edit_uri,
        site_name=site_name,
        picture_max_claims=limit,
        **{name: opts[name] for name in LIMITS},
    )


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring MkDocs/Material tags (``!ENV``, ``!!python/name:``)."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_LenientLoader.add_multi_constructor("!", _any_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def settings_from_mkdocs_yml(config_file: Path) -> Settings:
    """Settings from the ``evidence`` plugin entry of an ``mkdocs.yml``."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader)  # noqa: S506 - safe subclass
    except FileNotFoundError:
        raise SettingsError(f"{config_file}: not found (run from the project folder or pass --config)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise SettingsError(f"{config_file}{line}: invalid YAML") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{config_file}: expected a mapping of settings")
    options: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "evidence" in plugin:
            options = plugin["evidence"] or {}
    return make_settings(
        config_file.parent,
        str(data.get("docs_dir", "docs")),
        options,
        str(data.get("site_url") or ""),
        str(data.get("repo_url") or ""),
        str(data.get("edit_uri") or ""),
        str(data.get("site_name") or ""),
    )
