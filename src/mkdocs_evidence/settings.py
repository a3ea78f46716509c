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
from .paths import shown


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
    #: The glossary's terms (may not exist: then the site has no glossary).
    glossary_file: Path
    topics_dir: Path
    #: Dated text copies of the articles claims are quoted from (``<article key>.txt``); never published.
    snapshots_dir: Path
    #: Study appraisals (``<cite key>.yml``): design, identity, risk of bias and findings, one per study.
    studies_dir: Path
    #: The watch record ``evidence watch`` writes (``watch.yml`` next to mkdocs.yml by default).
    watch_file: Path = Path("watch.yml")
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
    #: Checking for a release (``evidence check --release``, or any deployment): the example `evidence init`
    #: wrote is an error, not a notice.
    release: bool = False
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
    deploying = os.environ.get("EVIDENCE_DEPLOY", "").strip().lower() not in {"", "0", "false", "no"}
    return Settings(
        root=root.resolve(),
        docs_dir=docs,
        claims_dir=docs / opts.claims_dir,
        # Not resolved: a bibliography that is a link must be seen as one (and refused if it leads outside).
        bibliography=Path(os.path.normpath(root.resolve() / opts.bibliography)),
        topics_file=docs / opts.topics_file,
        glossary_file=docs / opts.glossary_file,
        topics_dir=docs / opts.topics_dir,
        snapshots_dir=docs / opts.snapshots_dir,
        studies_dir=docs / opts.studies_dir,
        # Not resolved, as the bibliography: a link must be seen as one (and refused if it leads outside).
        watch_file=Path(os.path.normpath(root.resolve() / opts.watch_file)),
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
        deploy=deploying,
        release=deploying,
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
    """Reads mkdocs.yml as MkDocs does: ``!ENV`` resolved, Python tags (``!!python/name:``) ignored, other local tags refused."""


#: The local tags MkDocs itself knows; any other ``!tag`` fails ``mkdocs build``, so the check refuses it too.
MKDOCS_TAGS = ("!ENV", "!relative")
#: Hints of the problems an ``mkdocs.yml`` can have, one per stable code.
CONFIG_HINTS = {
    "invalid-yaml": "fix the YAML at this line (indentation, quotes, a missing colon); MkDocs knows only the tags "
    "!ENV, !relative and !!python/name",
    "invalid-encoding": "save mkdocs.yml as UTF-8 (your editor's 'Save with encoding')",
    "invalid-config": "list the plugin as `- evidence:` under `plugins:`, its options indented below, one `name: value` a line",
}


def config_problem(config_file: Path, line: int, message: str, code: str, hint: str = "") -> SettingsError:
    """One line about ``mkdocs.yml``, as every other input problem is reported: ``path:line: error: … [code] (hint: …)``."""
    where = f"{config_file}:{line}" if line else str(config_file)
    return SettingsError(f"{where}: error: {message} [{code}] (hint: {hint or CONFIG_HINTS[code]})")


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


def _local_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if f"!{suffix}" in MKDOCS_TAGS:  # `!relative` (a path MkDocs resolves for Markdown extensions): not needed here
        return None
    raise yaml.constructor.ConstructorError(
        None, None, f"unknown tag {shown('!' + suffix)} (MkDocs knows only {' and '.join(MKDOCS_TAGS)})", node.start_mark
    )


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV VAR`` and ``!ENV [VAR, OTHER, default]``: the first variable that is set, else the default."""
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    elif isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV takes a name or a list of names", node.start_mark)
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


# The deployment passes the site's address as `site_url: !ENV [SITE_URL, null]`: the CLI resolves it as MkDocs does.
_LenientLoader.add_constructor("!ENV", _env_tag)
_LenientLoader.add_multi_constructor("!", _local_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


def _line_of(text: bytes, offset: int) -> int:
    return text.count(b"\n", 0, max(offset, 0)) + 1


def read_mkdocs_yml(config_file: Path) -> dict[str, Any]:
    """An ``mkdocs.yml`` as MkDocs reads it: bytes handed to PyYAML (UTF-8, or UTF-16 with a byte-order mark, as
    MkDocs accepts), ``!ENV`` resolved, Python tags (``!!python/name:``) ignored; any other problem is one line."""
    try:
        raw = config_file.read_bytes()
    except FileNotFoundError:
        raise SettingsError(f"{config_file}: not found (run from the project folder or pass --config)") from None
    except OSError as exc:
        raise SettingsError(f"{config_file}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.load(raw, Loader=_LenientLoader)  # noqa: S506 - a safe subclass
    except yaml.reader.ReaderError as exc:
        # Not UTF-8 (or UTF-16 with its mark), or a control character: PyYAML says where, in characters.
        what = f"control character {exc.character!r}" if isinstance(exc.character, str) else f"not {exc.encoding.upper()}"
        raise config_problem(config_file, _line_of(raw, exc.position), f"cannot be read: {what}", "invalid-encoding") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = str(exc.problem or exc.context or "invalid YAML")
        raise config_problem(config_file, line, f"invalid YAML: {problem}", "invalid-yaml") from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):  # a pathological document
        raise config_problem(config_file, 0, "invalid YAML", "invalid-yaml") from None
    if not isinstance(data, dict):
        kind = "nothing" if data is None else f"a {_kind(data)}"
        message = f"expected a mapping of settings (name: value), found {kind}"
        hint = "start each setting at the beginning of a line: `site_name: …`"
        raise config_problem(config_file, 1, message, "invalid-config", hint)
    return data


def _kind(value: object) -> str:
    """How a YAML value is called in messages."""
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _node_line(config_file: Path, *path: str) -> int:
    """The line of the value at ``path`` (keys, and ``evidence`` as a plugin list entry), else of its nearest parent."""
    try:
        node: yaml.Node | None = yaml.compose(config_file.read_bytes(), Loader=_LenientLoader)
    except (OSError, yaml.YAMLError, RecursionError):
        return 0
    line = 1
    for key in path:
        found: yaml.Node | None = None
        if isinstance(node, yaml.SequenceNode):  # a plugin list: the entry named `key`, alone or with options
            for item in node.value:
                if isinstance(item, yaml.ScalarNode) and item.value == key:
                    found = item
                elif isinstance(item, yaml.MappingNode):
                    found = next((v for k, v in item.value if getattr(k, "value", None) == key), found)
        elif isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if found is None:
            break
        node, line = found, found.start_mark.line + 1
    return line


def plugin_options(config_file: Path, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``evidence`` plugin's options in ``data`` (``{}`` when listed without them); shapes MkDocs refuses are refused."""
    plugins = data.get("plugins")
    if plugins is None:
        return {}
    if not isinstance(plugins, list | dict):
        line = _node_line(config_file, "plugins")
        message = f"`plugins` must be a list (or a mapping) of plugins, found a {_kind(plugins)}"
        raise config_problem(config_file, line, message, "invalid-config")
    # MkDocs accepts plugins as a list (of names or one-key mappings) or as a mapping of name → options.
    entries: list[tuple[object, object]] = []
    for item in plugins.items() if isinstance(plugins, dict) else plugins:
        if isinstance(plugins, dict):
            entries.append(item)
        elif isinstance(item, dict) and len(item) == 1:
            entries.append(next(iter(item.items())))
        elif isinstance(item, dict):
            line = _node_line(config_file, "plugins")
            message = f"a `plugins` entry names {len(item)} plugins; write one per `- name:` line"
            raise config_problem(config_file, line, message, "invalid-config")
        else:
            entries.append((item, None))
    options: Any = {}
    for name, value in entries:
        if name == "evidence":
            options = value
    if not options:  # `- evidence:` with nothing after it (or another empty value): the defaults, as in MkDocs
        return {}
    if not isinstance(options, dict):
        line = _node_line(config_file, "plugins", "evidence")
        message = f"the evidence plugin's options must be a mapping of name: value, found a {_kind(options)}"
        raise config_problem(config_file, line, message, "invalid-config")
    return options


def settings_from_mkdocs_yml(config_file: Path) -> Settings:
    """Settings from the ``evidence`` plugin entry of an ``mkdocs.yml``."""
    data = read_mkdocs_yml(config_file)
    options = plugin_options(config_file, data)
    for key in ("docs_dir", "site_url", "repo_url", "edit_uri", "site_name"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            line = _node_line(config_file, key)
            message = f"`{key}` must be a string, found a {_kind(value)}"
            raise config_problem(config_file, line, message, "invalid-config", f"write `{key}:` and one value on its line")
    use_directory_urls = data.get("use_directory_urls", True)
    return make_settings(
        config_file.parent,
        str(data.get("docs_dir") or "docs"),
        options,
        str(data.get("site_url") or ""),
        str(data.get("repo_url") or ""),
        str(data.get("edit_uri") or ""),
        str(data.get("site_name") or ""),
        use_directory_urls=use_directory_urls is not False,
        declared=declared_files(data.get("extra_css"), data.get("extra_javascript")),
    )
