"""Where a project's claims, references and topics live, independent of MkDocs.

The MkDocs plugin and the CLI both validate the plugin's options with the one model in
:mod:`mkdocs_evidence.options` and build :class:`Settings` from it, so both check exactly the same
files and reject exactly the same options.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import cache
from .issues import issue
from .options import Options, OptionsError, parse_options


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
    """The project configuration cannot be used; the message says why (one line per problem)."""


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
    max_claim_bytes: int = Options.model_fields["max_claim_bytes"].default
    max_evidence: int = Options.model_fields["max_evidence"].default
    max_bib_bytes: int = Options.model_fields["max_bib_bytes"].default
    max_page_bytes: int = Options.model_fields["max_page_bytes"].default
    #: The validated plugin options these settings were made from.
    options: Options = field(default_factory=Options)
    #: MkDocs' own ``use_directory_urls``: ``claims/x/`` (True) or ``claims/x.html`` (False).
    use_directory_urls: bool = True
    #: Building for publication (``EVIDENCE_DEPLOY`` is set, as the Pages workflow does): the site must know its address.
    deploy: bool = False
    #: The mkdocs.yml these settings came from, as shown in messages.
    config_display: str = "mkdocs.yml"
    #: Files of docs_dir that mkdocs.yml names (extra_css, extra_javascript, publish_files): published whatever their type.
    declared_files: frozenset[str] = frozenset()

    @property
    def handouts(self) -> bool:
        """Whether the site build writes a PDF per topic."""
        return self.options.handouts

    @property
    def caching(self) -> bool:
        """Whether results are kept in ``.cache/evidence/`` (the ``cache`` option, unless ``EVIDENCE_CACHE=0``)."""
        wanted = self.options.cache and os.environ.get("EVIDENCE_CACHE", "1").strip().lower() not in {"0", "false", "no", "off"}
        return wanted and not cache.committed(self.root)

    @property
    def handout_paper(self) -> str:
        """Paper size of the topic handouts."""
        return self.options.handout_paper

    @property
    def enabled(self) -> bool:
        """Whether the plugin does anything (``enabled: false`` builds the site without it)."""
        return self.options.enabled

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
    options: Mapping[str, Any] | Options,
    site_url: str = "",
    repo_url: str = "",
    edit_uri: str = "",
    site_name: str = "",
    *,
    use_directory_urls: bool = True,
    declared: Iterable[str] = (),
) -> Settings:
    """Settings from plugin options (``claims_dir``, ``topics_file`` are inside ``docs_dir``)."""
    if isinstance(options, Options):
        opts = options
    else:
        try:
            opts = parse_options(options)
        except OptionsError as exc:
            raise SettingsError("\n".join(f"{name}: {message}" for name, message in exc.problems)) from None
    docs = (root / docs_dir).resolve()
    if not docs.is_relative_to(root.resolve()):
        # A docs folder that is a link out of the project would publish whatever it leads to.
        shown = os.path.relpath(root / docs_dir, root)
        message = f"docs_dir '{shown}' leads outside the project folder (a symbolic link?); nothing is read from it"
        raise SettingsError(issue("outside-project", message, "mkdocs.yml").format())
    return Settings(
        root=root.resolve(),
        docs_dir=docs,
        claims_dir=docs / opts.claims_dir,
        # Not resolved: a bibliography that is a link must be seen as one (and refused if it leads outside).
        bibliography=Path(os.path.normpath(root.resolve() / opts.bibliography)),
        topics_file=docs / opts.topics_file,
        topics_dir=docs / opts.topics_dir,
        snapshots_dir=docs / opts.snapshots_dir,
        severities=dict(opts.severities),
        templates_dir=(root / opts.templates_dir).resolve() if opts.templates_dir else None,
        site_url=site_url,
        review_after_days=opts.review_after_days,
        repo_url=repo_url,
        edit_uri=edit_uri,
        site_name=site_name,
        picture_max_claims=opts.picture_max_claims,
        max_claim_bytes=opts.max_claim_bytes,
        max_evidence=opts.max_evidence,
        max_bib_bytes=opts.max_bib_bytes,
        max_page_bytes=opts.max_page_bytes,
        options=opts,
        use_directory_urls=use_directory_urls,
        deploy=os.environ.get("EVIDENCE_DEPLOY", "").strip().lower() not in {"", "0", "false", "no"},
        declared_files=frozenset([*declared, *opts.publish_files]),
    )


def declared_files(extra_css: Any, extra_javascript: Any) -> list[str]:
    """The docs files ``extra_css`` and ``extra_javascript`` name (MkDocs allows a path or ``{path: …}`` for a script)."""
    found = []
    for entries in (extra_css, extra_javascript):
        for entry in entries if isinstance(entries, list) else ():
            path = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(path, str) and "://" not in path:
                found.append(path.lstrip("/"))
    return found


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring MkDocs/Material tags (``!ENV``, ``!!python/name:``)."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV VAR`` and ``!ENV [VAR, OTHER, default]``: the first variable that is set, else the default."""
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        names, default = [loader.construct_scalar(node)], None  # type: ignore[arg-type]
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


# The deployment passes the site's address as `site_url: !ENV [SITE_URL, null]`: the CLI resolves it as MkDocs does.
_LenientLoader.add_constructor("!ENV", _env_tag)
_LenientLoader.add_multi_constructor("!", _any_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    """An ``mkdocs.yml`` as MkDocs reads it: ``!ENV`` resolved, other tags (``!!python/name:``) ignored."""
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
    return data


def settings_from_mkdocs_yml(config_file: Path) -> Settings:
    """Settings from the ``evidence`` plugin entry of an ``mkdocs.yml``."""
    data = read_mkdocs_yml(config_file)
    options: dict[str, Any] = {}
    plugins = data.get("plugins") or []
    # MkDocs accepts plugins as a list (of names or one-key mappings) or as a mapping of name → options.
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else [next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins]
    )
    for name, value in entries:
        if name == "evidence":
            options = value or {}
    use_directory_urls = data.get("use_directory_urls", True)
    return make_settings(
        config_file.parent,
        str(data.get("docs_dir", "docs")),
        options,
        str(data.get("site_url") or ""),
        str(data.get("repo_url") or ""),
        str(data.get("edit_uri") or ""),
        str(data.get("site_name") or ""),
        use_directory_urls=use_directory_urls is not False,
        declared=declared_files(data.get("extra_css"), data.get("extra_javascript")),
    )
