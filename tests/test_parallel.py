"""Many claim and study files are read and parsed in worker processes, and the bibliography is parsed in one;
the result must be exactly that of doing it all in this process, file by file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT
from mkdocs_evidence import load
from mkdocs_evidence.project import Project, load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
sys.path.insert(0, str(ROOT / "scripts"))
from cases import CASES, claim, link_out
from corpus import make_corpus

#: Broken claim files of every kind the loader reports, spread among the generated ones.
BROKEN = {
    "aa-not-a-mapping.yml": b"- just\n- a list\n",
    "ab-unknown-field.yml": claim("ab-unknown-field") + b"verdikt: mixed\n",
    "ac-wrong-id.yml": claim("another-id"),
    "ad-bad-vocabulary.yml": claim("ad-bad-vocabulary").replace(b"verdict: unsupported", b"verdict: unsuported"),
    "ae-duplicate-key.yml": claim("ae-duplicate-key") + b"verdict: mixed\n",
    "af-syntax.yml": b"id: af-syntax\nstatement: [unclosed\n",
    "ag-index.yml": claim("index"),
    "index.yml": claim("index"),
    "ah-upper.YML": claim("ah-upper"),
    "ai-many-sources.yml": claim("ai-many-sources")
    + b"".join(b"  - cite: smith2020trial\n    relation: mentions\n" for _ in range(250)),
    "aj-empty.yml": b"",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project of 300 claims, with every hostile claim file and the broken ones above added."""
    root = make_corpus(tmp_path_factory.mktemp("parallel") / "project", claims=300, references=40)
    claims = root / "content" / "claims"
    studies = root / "content" / "studies"
    for case in CASES:
        for relative, data in case.files.items():
            if relative.startswith("content/claims/"):
                (claims / Path(relative).name).write_bytes(data)
            elif relative.startswith("content/studies/") and relative.count("/") == 2:
                (studies / Path(relative).name).write_bytes(data)
    for name, data in BROKEN.items():
        (claims / name).write_bytes(data)
    # Links are left to the main process by the workers that read the files: one in each folder.
    link_out(root, "content/claims/zz-secret.yml")
    link_out(root, "content/studies/zz-secret.yml")
    return root


def _load(root: Path, monkeypatch: pytest.MonkeyPatch, threshold: int) -> tuple[Project, bool]:
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", threshold)
    monkeypatch.setattr(load, "CHUNK_FILES", 37)  # several uneven tasks per worker
    settings = settings_from_mkdocs_yml(root / "mkdocs.yml")
    pending = load.start_claims(settings)
    records, _ = pending.result()
    assert records
    return load_project(settings), pending.parallel


def test_parallel_parse_gives_exactly_the_serial_result(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "_cpus", lambda: 3)  # two workers, even on a one-CPU machine
    serial, was_parallel = _load(corpus, monkeypatch, 10**9)
    assert not was_parallel
    parallel, was_parallel = _load(corpus, monkeypatch, 1)
    assert was_parallel
    assert parallel.issues == serial.issues
    assert parallel.records == serial.records
    assert parallel.graph == serial.graph
    codes = {i.code for i in serial.issues}
    # The broken files were found on both paths (so the comparison covers them).
    assert {"invalid-yaml", "unsafe-yaml", "invalid-field", "too-large", "control-character", "invalid-encoding"} <= codes
    assert {"outside-project", "unexpected-file"} <= codes
    assert len(serial.records) >= 300
    # Study files of every kind too (read and parsed by the workers on the parallel path).
    study_paths = {i.path for i in serial.issues if i.path.startswith("content/studies/")}
    assert {"content/studies/bomb.yml", "content/studies/notes.txt", "content/studies/zz-secret.yml"} <= study_paths
    assert len(serial.graph.studies) >= 40


def test_memo_is_filled_alike(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``mkdocs serve`` keeps parsed claims between rebuilds: the parallel path fills the memo as the serial one does."""
    monkeypatch.setattr(load, "_cpus", lambda: 3)
    settings = settings_from_mkdocs_yml(corpus / "mkdocs.yml")
    memos: list[load.ClaimMemo] = []
    for threshold in (10**9, 1):
        monkeypatch.setattr(load, "PARALLEL_MIN_FILES", threshold)
        memo: load.ClaimMemo = {}
        first = load.load_claims(settings, memo)
        again = load.start_claims(settings, memo)
        # Only files with problems found while reading them are parsed again (as before workers).
        assert again.parallel_tasks <= 1
        assert again.result() == first
        memos.append(memo)
    assert memos[0] == memos[1]
