"""``evidence watch`` against a local replay of Crossref and PubMed, and what the offline site does with its record."""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from conftest import evidence, mkdocs_build, serving

REPLAY = Path(__file__).parent / "replay"


@contextmanager
def replay(scenario: str) -> Iterator[tuple[str, list[str]]]:
    """Serve ``tests/replay/<scenario>/`` (see its README); yields the base URL and the requests received."""
    folder = REPLAY / scenario
    routes = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path + " UA=" + self.headers.get("User-Agent", ""))
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            for route in routes:
                wanted = route.get("query", {}).items()
                if route["path"] == urllib.parse.unquote(url.path) and all(query.get(k) == v for k, v in wanted):
                    time.sleep(route.get("delay", 0))
                    body = (folder / route["file"]).read_bytes() if "file" in route else route["body"].encode()
                    self.send_response(route.get("status", 200))
                    for name, value in route.get("headers", {}).items():
                        self.send_header(name, value)
                    break
            else:
                body = b"Resource not found."
                self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up waiting (the timeout scenario)
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(Handler) as base:
        yield base, seen


def watch(project: Path, base: str, *extra: str) -> object:
    return evidence(project, "watch", "--crossref-url", base, "--eutils-url", base, "--mailto", "team@example.org", *extra)


def regrade(project: Path) -> None:
    """What a reviewer does after the retraction: certainty from the profile without the study, a correction naming it."""
    correction = (
        "corrections:\n  - date: 2026-11-21\n    what: certainty moderate → low\n"
        "    why: example2021trial was retracted, its finding no longer counts; the correction of example2023cohort leaves "
        "its finding as appraised.\n"
    )
    for name in ("exercise-eases-pain", "exercise-eases-heel-pain"):
        path = project / "content" / "claims" / f"{name}.yml"
        text = path.read_text(encoding="utf-8").replace("certainty: moderate", "certainty: low")
        if name == "exercise-eases-heel-pain":  # its only finding was the retracted one: it now cites the cohort
            text = text.replace("evidence:\n", "evidence:\n  - finding: example2023cohort#pain\n    directness: direct\n")
        path.write_text(text + correction, encoding="utf-8")


def test_a_retraction_fails_check_and_build_on_each_claim_until_regraded(site: Callable[[str], Path]) -> None:
    project = site("watch")
    assert evidence(project, "check").code == 0  # the fixture is clean before the watch
    with replay("retraction") as (base, seen):
        result = watch(project, base)
    assert result.code == 0, result.text
    # Polite: a mailto for Crossref (parameter and User-Agent), tool and email for NCBI.
    assert all("mailto%3A" not in s and "team@example.org" in s for s in seen), seen
    assert any("/esearch.fcgi" in s and "tool=mkdocs-evidence" in s and "email=team%40example.org" in s for s in seen)
    record = yaml.safe_load((project / "watch.yml").read_text(encoding="utf-8"))
    notices = record["sources"]["example2021trial"]["notices"]
    # Seen on both sides of the relation, recorded once, with its date and the notice's DOI.
    expected = {"type": "retraction", "date": "2026-11-02", "doi": "10.5555/example.2021.1.retraction", "label": "Retraction"}
    assert [{**n, "date": str(n["date"])} for n in notices] == [expected]
    # A correction found only on the notice's side (its `update-to`).
    assert [n["type"] for n in record["sources"]["example2023cohort"]["notices"]] == ["correction"]
    assert "example2021trial`: retraction on 2026-11-02" in result.out

    check = evidence(project, "check")
    assert check.code == 1
    retracted = [line for line in check.out.splitlines() if "[retracted-source]" in line]
    assert [line.split(":")[0] for line in retracted] == [
        "content/claims/exercise-eases-heel-pain.yml",
        "content/claims/exercise-eases-pain.yml",
    ]
    # The certainty no longer counts the trial: the profile starts from the cohort alone.
    assert "differs from the profile's 'low': starts low (cohort study)" in check.out
    assert "exercise-eases-pain.yml:16: warning: example2023cohort was corrected on 2026-09-15" in check.out, check.out
    build = mkdocs_build(project)
    assert build.code != 0 and "[retracted-source]" in build.text

    regrade(project)
    assert evidence(project, "check").code == 0, evidence(project, "check").text
    assert mkdocs_build(project).code == 0
    source = (project / "site" / "sources" / "example2021trial" / "index.html").read_text(encoding="utf-8")
    banner = re.search(r'<div class="admonition danger ev-notice ev-notice--retraction".*?</div>', source, re.S)
    assert banner and "Retracted on" in banner.group() and 'datetime="2026-11-02"' in banner.group()
    assert 'href="https://doi.org/10.5555/example.2021.1.retraction"' in banner.group()
    claim = (project / "site" / "claims" / "exercise-eases-pain" / "index.html").read_text(encoding="utf-8")
    assert "Retracted research left out" in claim
    sof = re.search(r'<table class="ev-sof.*?</table>', claim, re.S)
    assert sof and "example2021trial" not in sof.group() and "example2023cohort" in sof.group()


def test_a_search_run_again_lists_only_new_records_not_cited_or_excluded(site: Callable[[str], Path]) -> None:
    project = site("watch")
    with replay("retraction") as (base, seen):
        result = watch(project, base)
    assert result.code == 0, result.text
    esearch = next(s for s in seen if "/esearch.fcgi" in s)
    assert "mindate=2026%2F10%2F02" in esearch and "maxdate=2026%2F11%2F21" in esearch and "datetype=edat" in esearch
    record = yaml.safe_load((project / "watch.yml").read_text(encoding="utf-8"))
    (run,) = record["searches"]
    # 39990004 is cited (the cohort's PMID), 39990003 excluded by the search record: neither is listed.
    assert [r["pmid"] for r in run["new"]] == ["39990002", "39990001"]
    assert run["new"][0]["doi"] == "10.5555/example.2026.5"
    assert "2 new record(s): PMID 39990002, PMID 39990001" in result.out
    regrade(project)
    assert mkdocs_build(project).code == 0
    review = (project / "site" / "claims" / "review" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="ev-new-records">.*?</table>', review, re.S)
    assert table and "Foot exercises ease foot pain." in table.group() and "PMID 39990002" in table.group()
    assert "39990003" not in table.group() and "39990004" not in table.group()
    claim = (project / "site" / "claims" / "exercise-eases-pain" / "index.html").read_text(encoding="utf-8")
    assert "Searches last run" in claim and "2 new records since" in claim


def _failing_run(site: Callable[[str], Path], scenario: str, *extra: str) -> tuple[object, str]:
    project = site("watch")
    before = "# an earlier, complete record\nrun: 2026-11-01\n"
    (project / "watch.yml").write_text(before, encoding="utf-8")
    with replay(scenario) as (base, _):
        result = watch(project, base, *extra)
    assert result.code != 0
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evidence watch: ") and "Traceback" not in result.text, result.text
    # The record is untouched, and no temporary file is left beside it.
    assert (project / "watch.yml").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".watch")) == []
    return result, lines[0]


def test_a_429_gives_one_line_and_leaves_the_record(site: Callable[[str], Path]) -> None:
    _, line = _failing_run(site, "rate-limited", "--retries", "2")
    assert "HTTP 429" in line and "gave up after 3 attempts" in line and "Retry-After 0" in line


def test_a_timeout_gives_one_line_and_leaves_the_record(site: Callable[[str], Path]) -> None:
    _, line = _failing_run(site, "timeout", "--timeout", "0.5")
    assert "no answer within 0.5 s" in line


def test_a_malformed_answer_gives_one_line_and_leaves_the_record(site: Callable[[str], Path]) -> None:
    _, line = _failing_run(site, "malformed")
    assert "malformed answer (not JSON)" in line


def test_an_edited_watch_record_is_checked_like_any_input(site: Callable[[str], Path]) -> None:
    project = site("watch")
    (project / "watch.yml").write_text(
        "run: 2026-11-20\nsources:\n  example2021trial:\n    doi: 10.5555/example.2021.1\n    checked: 2026-11-20\n"
        "    notices:\n      - type: retracted\n        date: 2026-11-02\n        doi: 10.5555/x\n",
        encoding="utf-8",
    )
    result = evidence(project, "check")
    assert result.code == 1
    wanted = r"^watch\.yml:7: error: .*'retracted' is not a valid notice type.*\[invalid-field\]"
    assert re.search(wanted, result.out, re.M), result.out


def test_the_watch_workflow_runs_weekly_with_least_privilege_and_keeps_one_issue() -> None:
    workflow = yaml.safe_load((Path(__file__).parent.parent / ".github" / "workflows" / "watch.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "workflow_dispatch" in triggers and triggers["schedule"][0]["cron"].endswith("* * 1")
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    steps = "\n".join(str(s.get("run", "")) for s in job["steps"])
    assert "evidence watch" in steps
    # An open issue with the title is edited; one is created only when none is open.
    assert steps.index("gh issue list --state open") < steps.index("gh issue edit") < steps.index("gh issue create")
