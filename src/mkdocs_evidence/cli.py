"""The ``evidence`` command: check a project, or write its generated pages, without MkDocs.

Exit codes: 0 no errors, 1 errors found, 2 the command could not run (usage, configuration).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import outputs, paths, report, scaffold, signals, starter, watch, watch_client
from .docs_tree import config_lines, docs_tree
from .export import schema_text
from .handout import AUDIENCES, HANDOUTS_DIR, PAPERS, HandoutError, handout_file, write_project_handout, write_project_handouts
from .issues import Issue, Severity, apply_severities, summary
from .load import previous_claims
from .project import Project, check_project, load_project
from .render import Renderer
from .schema import claim_json_schema
from .settings import SettingsError, settings_from_mkdocs_yml
from .study_schema import study_json_schema
from .validate import check_corrections
from .version import __version__


def _project(args: argparse.Namespace) -> Project:
    return load_project(settings_from_mkdocs_yml(Path(args.config)))


def cmd_check(args: argparse.Namespace) -> int:
    """Load and validate; print the issues (text, GitHub annotations or JSON) and a summary."""
    # The process ends once the issues are printed: a full collection of the millions of objects
    # a big project makes would find nothing to free (a quarter of a second at 10,000 claims).
    gc.disable()
    settings = settings_from_mkdocs_yml(Path(args.config))
    if args.release:  # as a deployment checks: the example `evidence init` wrote is an error
        settings = dataclasses.replace(settings, release=True)
    if not args.changed_since:  # nothing changed since the last check: the answer is in .cache/evidence/
        result = check_project(settings)
        _KEPT.append(result)  # freed by the operating system when the command exits (see main)
        return _report_check(args, list(result.issues), result.claims, result.references, "")
    project = load_project(settings)
    issues = list(project.issues)
    scope = ""
    if args.changed_since:
        # Everything is still loaded above, so a changed claim citing a key is checked against the whole project.
        try:
            files = report.changed_files(project.settings.root, args.changed_since)
            before = report.texts_at(project.settings.root, args.changed_since, files)
        except report.ChangedFilesError as exc:
            print(f"evidence: --changed-since: {exc}", file=sys.stderr)
            return 2
        issues += apply_severities(
            check_corrections(list(project.records), previous_claims(project.settings, before)), project.settings.severities
        )
        changed = report.only_in(issues, files, project.settings.root)
        # A change can break a file it did not touch (a renamed claim, a removed reference): those errors
        # are shown too, and they fail the check; other files' warnings are not this change's business.
        elsewhere = [i for i in issues if i.severity is Severity.ERROR and i not in changed]
        issues = changed + elsewhere
        others = f"; {len(elsewhere)} {'error' if len(elsewhere) == 1 else 'errors'} in other files" if elsewhere else ""
        scope = f" (in files changed since {args.changed_since}{others})"
    return _report_check(args, issues, len(project.graph.claims), len(project.graph.references), scope)


def _report_check(args: argparse.Namespace, issues: list[Issue], claims: int, references: int, scope: str) -> int:
    if args.format == "json":
        print(report.as_json(issues, claims, references))
    else:
        for item in issues:
            print(report.github_annotation(item) if args.format == "github" else item.format())
        print(summary(claims, references, issues) + scope)
    return 1 if any(i.severity is Severity.ERROR for i in issues) else 0


def cmd_render(args: argparse.Namespace) -> int:
    """Write a complete docs folder for another generator under ``--out``: pages, prose, assets, data, handouts."""
    project = _project(args)
    for item in project.issues:
        print(item.format(), file=sys.stderr)
    s = project.settings
    # Refused before anything is made: a render never writes over the sources or into a folder it did not write.
    out = outputs.check_render_folder(Path(args.out), s, Path(args.config))
    handouts = s.handouts and args.handouts
    renderer = Renderer.for_settings(project.graph, s, scheme="files", handout_links=handouts)
    tree = docs_tree(project, renderer)
    # Every target is checked before anything is written, so a bad name writes nothing at all.
    texts = {paths.inside(out, src): text for src, text in tree.texts.items()}
    copies = {paths.inside(out, src): source for src, source in tree.copies.items()}
    handouts_dir = paths.inside(out, HANDOUTS_DIR)
    outputs.mark_render_folder(out)
    for target, text in texts.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for target, source in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    written = f"{tree.pages} pages, {len(copies)} other files, assets, claims.json and the claim and study schemas"
    if handouts and project.ok:
        pdfs = write_project_handouts(project.graph, s, handouts_dir)
        written += f", {len(pdfs)} handouts"
    print(f"{written} written to {args.out}; {project.summary}")
    print(config_lines(args.out))
    return 0 if project.ok else 1


def cmd_handout(args: argparse.Namespace) -> int:
    """Write a printable PDF of a topic's or a selection's claims (or of every topic with ``--all-topics``)."""
    project = _project(args)
    if not project.ok:
        for item in project.issues:
            print(item.format(), file=sys.stderr)
        print(f"evidence: the project has errors, no handout written; {project.summary}", file=sys.stderr)
        return 1
    s = project.settings
    if args.all_topics:
        audiences = [args.audience] if args.audience else AUDIENCES
        graph = project.graph
        names = [handout_file(t, a) for t in graph.topics for a in audiences if graph.claims_by_topic.get(t)]
        out = outputs.check_handout_folder(Path(args.out), names, s, Path(args.config))
        written = write_project_handouts(graph, s, out, paper=args.paper, audiences=audiences)
        print(f"{len(written)} handouts written to {args.out}")
        return 0
    out = outputs.check_handout_file(Path(args.out), s, Path(args.config))
    claim_ids = args.claims.split(",") if args.claims is not None else ()
    handout = write_project_handout(
        project.graph, s, out, topic=args.topic, claim_ids=claim_ids, paper=args.paper, audience=args.audience or "clinician"
    )
    print(f"{args.out}: {len(handout.claims)} claims, {len(handout.references)} references")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a claim file from flags, or from prompts when flags are missing and stdin is a terminal."""
    settings = settings_from_mkdocs_yml(Path(args.config))
    values: dict[str, object] = {
        "id": args.id,
        "topic": args.topic,
        "statement": args.statement,
        "finding": args.finding,
        "mentions": args.mentions,
        "direction": args.direction,
        "verdict": args.verdict,
        "certainty": args.certainty,
    }
    if scaffold.missing(values):
        if not sys.stdin.isatty():
            print(
                f"evidence new: missing {', '.join(scaffold.missing(values))} (or run it in a terminal to be asked)",
                file=sys.stderr,
            )
            return 2
        values = scaffold.ask_missing(values, load_project(settings))
        if scaffold.missing(values):
            print(f"evidence new: missing {', '.join(scaffold.missing(values))}", file=sys.stderr)
            return 2
    try:
        path = scaffold.create(scaffold.from_values(values), settings)
    except scaffold.ScaffoldError as exc:
        print(f"evidence new: {exc}", file=sys.stderr)
        return 1
    print(
        f"created {settings.display(path)}: replace every 'Replace this with…' text with your own words, "
        "then run `evidence check`"
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write a new site into a new or empty folder, from the starter files shipped in the package."""
    folder = Path(args.folder)
    choices = starter.Choices(args.site_name or folder.resolve().name, args.language, args.topic)
    try:
        written = starter.write_site(folder, choices)
    except starter.StarterError as exc:
        print(f"evidence init: {exc}", file=sys.stderr)
        return 2
    print(f"{len(written)} files written to {folder}, with a fictional example claim, study appraisal and reference")
    print(f"next: cd {folder} && mkdocs build --strict && evidence check; then replace the example (see {folder}/README.md)")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    """Look every cited study and recorded PubMed search up again; write the watch record whole, or leave it as it was."""
    for name in ("crossref_url", "eutils_url"):
        if not getattr(args, name).startswith(("http://", "https://")):
            print(f"evidence watch: --{name.replace('_', '-')} must be an http:// or https:// address", file=sys.stderr)
            return 2
    options = watch_client.ClientOptions(
        crossref_url=args.crossref_url,
        eutils_url=args.eutils_url,
        mailto=args.mailto,
        ncbi_api_key=os.environ.get("NCBI_API_KEY", "").strip(),
        timeout=args.timeout,
        retries=args.retries,
    )
    project = _project(args)
    try:
        found = watch.watch_project(project, watch_client.Client(options))
        data = watch.record_data(found, watch.today())
        path = watch.write_record(project.settings, data)
    except (watch_client.WatchError, watch.WatchFileError) as exc:
        print(f"evidence watch: {exc}; the watch record is unchanged", file=sys.stderr)
        return 1
    except ValueError as exc:  # the schema refused what a service answered (pydantic's ValidationError)
        first = str(exc).splitlines()[1:2] or [str(exc)]
        print(f"evidence watch: malformed answer ({' '.join(first[0].split())}); the watch record is unchanged", file=sys.stderr)
        return 1
    for line in watch.report(found, project.graph):
        print(line)
    notices = sum(len(ns) for _, ns in found.notices.values())
    new = sum(len(n) for _, _, n in found.runs)
    print(
        f"{project.settings.display(path)} written: {len(found.notices)} references looked up, {notices} notices; "
        f"{len(found.runs)} searches run again, {new} new records"
    )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of claim files (of study appraisals with ``--study``), as the site publishes it."""
    print(schema_text(study_json_schema() if args.study else claim_json_schema()), end="")
    return 0


def _watch_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """``evidence watch`` and its options: where the services are (settable, so tests point them at a local server)."""
    watch_cmd = sub.add_parser(
        "watch", help="look cited studies up on Crossref (retractions, corrections) and run PubMed searches again"
    )
    watch_cmd.add_argument(
        "--crossref-url",
        default=os.environ.get("EVIDENCE_CROSSREF_URL", watch_client.CROSSREF_URL),
        help="Crossref REST API base (default: $EVIDENCE_CROSSREF_URL, else %(default)s)",
    )
    watch_cmd.add_argument(
        "--eutils-url",
        default=os.environ.get("EVIDENCE_EUTILS_URL", watch_client.EUTILS_URL),
        help="NCBI E-utilities base (default: $EVIDENCE_EUTILS_URL, else %(default)s)",
    )
    watch_cmd.add_argument(
        "--mailto",
        default=os.environ.get("EVIDENCE_MAILTO", ""),
        help="contact address sent to Crossref (mailto) and NCBI (email), as both ask (default: $EVIDENCE_MAILTO)",
    )
    watch_cmd.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer (default: %(default)s)")
    watch_cmd.add_argument("--retries", type=int, default=3, help="retries after a 429 or 5xx answer (default: %(default)s)")
    watch_cmd.set_defaults(func=cmd_watch)
    return watch_cmd


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so the README's usage stays in sync with tests)."""
    parser = argparse.ArgumentParser(prog="evidence", description="Evidence-linked claims: check and render.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate claims, references and prose pages without building")
    render = sub.add_parser("render", help="write the whole site as a docs folder for another generator (ProperDocs, Zensical)")
    render.add_argument("-o", "--out", required=True, help="folder to write the docs into")
    render.add_argument(
        "--no-handouts", dest="handouts", action="store_false", help="leave out the topic handouts (PDF) even when they are on"
    )
    schema = sub.add_parser("schema", help="print the JSON Schema of claim files")
    schema.add_argument("--study", action="store_true", help="the schema of study appraisals (content/studies/<key>.yml) instead")
    handout = sub.add_parser("handout", help="write a printable PDF of a topic's or a selection's claims")
    what = handout.add_mutually_exclusive_group(required=True)
    what.add_argument("--topic", help="a topic id: every claim of the topic")
    what.add_argument("--claims", help="claim ids separated by commas, printed in this order")
    what.add_argument("--all-topics", action="store_true", help="one PDF per topic, <topic>.pdf in the folder given by -o")
    handout.add_argument("-o", "--out", required=True, help="the PDF to write (a folder with --all-topics)")
    handout.add_argument(
        "--paper", choices=list(PAPERS), default=None, help="paper size (default: the site's handout_paper option, else a4)"
    )
    handout.add_argument(
        "--audience",
        choices=list(AUDIENCES),
        default=None,
        help="clinician (every claim, its certainty and each source's relation; the default) or patient "
        "(key messages, plain words); --all-topics without it writes both",
    )
    handout.set_defaults(func=cmd_handout)
    check.add_argument(
        "--format",
        choices=report.FORMATS,
        default="text",
        help="text (default), github (GitHub Actions annotations) or json",
    )
    check.add_argument(
        "--changed-since", metavar="REF", help="report only issues in files changed since this git ref, and errors anywhere"
    )
    check.add_argument(
        "--release",
        action="store_true",
        help="check as a deployment does: the example `evidence init` wrote is an error, not a notice",
    )
    init = sub.add_parser("init", help="write a new site (a working project with one example) into a new or empty folder")
    init.add_argument("folder", metavar="DIR", help="the folder to create (it may exist if empty)")
    init.add_argument("--site-name", help="the site's name (default: the folder's name)")
    init.add_argument("--language", default="en", help="the theme's language code (default: %(default)s)")
    init.add_argument("--topic", default="First topic", help="the first topic's title (default: %(default)s)")
    init.set_defaults(func=cmd_init)
    watch_cmd = _watch_parser(sub)
    new = sub.add_parser("new", help="create a claim file that passes the check, ready for its text")
    new.add_argument("--id", help="the claim id, a slug such as x-improves-y")
    new.add_argument("--topic", action="append", help="a topic id from the topics file (repeatable)")
    new.add_argument("--statement", help="the claim as one neutral sentence")
    new.add_argument(
        "--finding", action="append", metavar="KEY#ID", help="a finding of an appraised study that tests the claim (repeatable)"
    )
    new.add_argument(
        "--mentions", action="append", metavar="KEY", help="an appraised source cited as background only (repeatable)"
    )
    new.add_argument("--direction", help="what the claim says the exposure does: increases, decreases or no-difference")
    new.add_argument("--verdict", help="supported, overstated, mixed, misleading, unsupported or contradicted")
    new.add_argument("--certainty", help="high, moderate, low or very-low")
    new.add_argument("-f", "--config", default="mkdocs.yml", help="the project's mkdocs.yml (default: %(default)s)")
    new.set_defaults(func=cmd_new)
    for p in (check, render, handout, watch_cmd):
        p.add_argument("-f", "--config", default="mkdocs.yml", help="the project's mkdocs.yml (default: %(default)s)")
    check.set_defaults(func=cmd_check)
    render.set_defaults(func=cmd_render)
    schema.set_defaults(func=cmd_schema)
    return parser


#: What a command loaded, kept until the process exits: a big project is millions of objects, and
#: freeing them one by one took longer than some checks (0.6 s of a 10,000-claim one).
_KEPT: list[object] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evidence`` console script (``argv`` None): a finished check ends the process at once.

    Any other command, an interrupted check, or a call with ``argv`` returns the exit status instead.
    """
    code = _run(argv)
    if argv is not None or not _KEPT:
        # Every other command (and an interrupted check) ends as Python ends: its clean-up (a
        # handout's staged files, worker processes) runs at exit.
        _KEPT.clear()
        return code
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)  # nothing left to do but free memory, which the operating system does at once


def _run(argv: Sequence[str] | None) -> int:
    signals.install()
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except KeyboardInterrupt:
        print("evidence: interrupted", file=sys.stderr)
        return signals.EXIT_SIGINT
    except signals.Terminated:
        print("evidence: terminated", file=sys.stderr)
        return signals.EXIT_SIGTERM
    except (SettingsError, HandoutError, paths.UnsafePathError, outputs.OutputError) as exc:
        for line in str(exc).splitlines():  # one line per problem, each naming what it is about
            print(f"evidence: {line}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"evidence: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


__all__ = ["build_parser", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
