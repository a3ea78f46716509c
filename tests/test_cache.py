"""The cache in .cache/evidence/ changes how fast answers come, never what they are.

Behaviour only, no timings: a changed file is read again, a deleted or damaged cache is rebuilt,
another package version is never trusted, a cached build writes the same bytes as a clean one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import evidence, mkdocs_build
from mkdocs_evidence import cache, handout, yamlsrc
from mkdocs_evidence.project import CHECK_CACHE, check_project, load_project
from mkdocs_evidence.settings import settings_from_mkdocs_yml


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as settled (normally they must be 2 s old)."""
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))


def _claim(root: Path) -> Path:
    return sorted((root / "content" / "claims").glob("*.yml"))[0]


@pytest.mark.usefixtures("trusting")
def test_check_is_cached_until_a_file_changes(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    settings = settings_from_mkdocs_yml(root / "mkdocs.yml")
    first = check_project(settings)
    assert not first.cached
    assert (root / ".cache" / "evidence" / CHECK_CACHE).is_file()
    second = check_project(settings)
    assert second.cached
    assert (second.issues, second.claims, second.references) == (first.issues, first.claims, first.references)

    claim = _claim(root)
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict:", "verdict: nonsense\nx:", 1), encoding="utf-8")
    changed = check_project(settings)
    assert not changed.cached
    assert changed.issues == load_project(settings).issues
    assert changed.issues != first.issues


@pytest.mark.usefixtures("trusting")
def test_deleted_or_damaged_cache_is_rebuilt(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    settings = settings_from_mkdocs_yml(root / "mkdocs.yml")
    first = check_project(settings)
    shutil.rmtree(root / ".cache")
    assert not check_project(settings).cached
    assert check_project(settings).cached
    (root / ".cache" / "evidence" / CHECK_CACHE).write_text("{not json", encoding="utf-8")
    again = check_project(settings)
    assert not again.cached
    assert again.issues == first.issues
    assert check_project(settings).cached


@pytest.mark.usefixtures("trusting")
def test_cache_of_another_package_version_is_not_trusted(site: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = site("minimal")
    settings = settings_from_mkdocs_yml(root / "mkdocs.yml")
    check_project(settings)
    assert check_project(settings).cached
    monkeypatch.setattr(cache, "package_fingerprint", lambda: "another version")
    assert not check_project(settings).cached


def test_fresh_files_are_not_trusted_and_cache_can_be_off(site: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = site("minimal")
    settings = settings_from_mkdocs_yml(root / "mkdocs.yml")
    check_project(settings)  # the files were copied just now: they could still change within the same tick
    assert not (root / ".cache" / "evidence" / CHECK_CACHE).exists()
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))
    monkeypatch.setenv("EVIDENCE_CACHE", "0")
    check_project(settings)
    assert not (root / ".cache").exists()


def test_cli_check_gives_the_same_output_from_the_cache(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    claim = _claim(root)
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict:", "verdict: nonsense\nx:", 1), encoding="utf-8")
    outputs = []
    for _ in range(3):  # three processes, three hash seeds: the output cannot depend on set order
        result = evidence(root, "check", fresh=True)
        outputs.append((result.code, result.text))
    assert outputs[0][0] == 1
    assert outputs[0] == outputs[1] == outputs[2]


def test_lazy_line_map_equals_the_one_made_while_parsing() -> None:
    text = "id: x\nevidence:\n  - finding: a#b\n    directness: direct\n  - {cite: b, relation: mentions}\ntopics: [t, u]\n"
    data, lines = yamlsrc.load(text)
    marks: dict[yamlsrc.Loc, int] = {}
    assert yamlsrc._parse(text, marks) == data
    assert lines.lines == marks
    assert lines.line(("evidence", 1, "cite")) == 5
    assert lines.line(("topics", 1)) == 6


#: Bytes that no renderer makes: a handout holding them came from the cache.
MARK = b"%PDF-1.7 marked in the cache by the test"


def test_handouts_come_from_the_cache_unless_what_they_show_changed(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    graph = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml")).graph
    store = tmp_path / "cache"
    first = {p.name: p.read_bytes() for p in handout.write_topic_handouts(graph, tmp_path / "a", cache_dir=store)}
    assert first and all(data.startswith(b"%PDF-") for data in first.values())
    cached = sorted(store.glob("*.pdf"))
    assert len(cached) == len(first)
    for path in cached:
        cache.write_pdf(path, MARK)  # what comes out now tells whether it was rendered or copied
    second = {p.name: p.read_bytes() for p in handout.write_topic_handouts(graph, tmp_path / "b", cache_dir=store)}
    assert second == dict.fromkeys(first, MARK)  # nothing rendered again
    letter = handout.write_topic_handouts(graph, tmp_path / "c", cache_dir=store, paper="letter")
    assert all(p.read_bytes() != MARK for p in letter)  # another paper size is another handout
    edited = replace(graph.topics["feet"], title="Feet, retitled")
    graph2 = replace(graph, topics={**graph.topics, "feet": edited})
    retitled = handout.write_topic_handouts(graph2, tmp_path / "d", cache_dir=store)
    assert all(p.read_bytes() != MARK for p in retitled)  # what the handout shows changed
    shutil.rmtree(store)
    again = handout.write_topic_handouts(graph, tmp_path / "e", cache_dir=store)
    assert all(p.read_bytes().startswith(b"%PDF-") and p.read_bytes() != MARK for p in again)


def test_a_damaged_cached_handout_is_made_again_never_published(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    graph = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml")).graph
    store = tmp_path / "cache"
    made = {p.name: p.read_bytes() for p in handout.write_topic_handouts(graph, tmp_path / "a", cache_dir=store)}
    damaged = sorted(store.glob("*.pdf"))
    assert len(damaged) == len(made) >= 2
    whole = damaged[0].read_bytes()
    damaged[0].write_bytes(whole[: len(whole) // 2])  # cut short, as a full disk or a killed copy leaves it
    flipped = bytearray(damaged[1].read_bytes())
    flipped[len(flipped) // 2] ^= 0xFF  # same size, one byte changed
    damaged[1].write_bytes(bytes(flipped))
    again = {p.name: p.read_bytes() for p in handout.write_topic_handouts(graph, tmp_path / "b", cache_dir=store)}
    assert again == made  # made again, byte for byte; not the damaged copies
    assert damaged[0].read_bytes() == whole  # and the cache repaired
    assert cache.read_pdf(damaged[1]) is not None


def test_handout_is_capped_with_a_note(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    graph = load_project(settings_from_mkdocs_yml(root / "mkdocs.yml")).graph
    ids = max(graph.claims_by_topic.values(), key=len)
    assert len(ids) >= 2, "the fixture needs a topic with two claims"
    written = handout.write_topic_handouts(graph, tmp_path / "out", max_claims=1, audiences=["clinician"])
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(written[0]).pages)
    assert f"the first 1 of {len(ids)} claims; every claim is on the site" in text


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cached_build_writes_the_same_files_as_a_clean_build(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    # Fresh processes (each its own hash seed), as two real builds would be.
    assert mkdocs_build(root, tmp_path / "warm-up", fresh=True).code == 0  # fills .cache/evidence/
    assert (root / ".cache" / "evidence" / "handouts").is_dir()
    cached = mkdocs_build(root, tmp_path / "cached", fresh=True)
    assert cached.code == 0, cached.text
    shutil.rmtree(root / ".cache")
    clean = mkdocs_build(root, tmp_path / "clean", fresh=True)
    assert clean.code == 0, clean.text
    a, b = _files(tmp_path / "cached"), _files(tmp_path / "clean")
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_check_works_when_the_cache_cannot_be_written(site: Callable[[str], Path]) -> None:
    root = site("minimal")
    expected = evidence(root, "check", fresh=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    (root / ".cache").write_text("not a folder", encoding="utf-8")
    result = evidence(root, "check", fresh=True)
    assert (result.code, result.text) == (expected.code, expected.text)


def test_a_cache_that_came_with_the_checkout_is_never_used(site: Callable[[str], Path]) -> None:
    """A pull request can force-add the ignored cache folder with a forged result or PDF: git tracking it disqualifies it."""
    import subprocess

    root = site("minimal")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    assert settings_from_mkdocs_yml(root / "mkdocs.yml").caching
    forged = root / ".cache" / "evidence" / "handouts" / "forged.pdf"
    forged.parent.mkdir(parents=True)
    forged.write_bytes(b"%PDF forged")
    subprocess.run([*git, "add", "-f", ".cache"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "cache"], cwd=root, check=True)
    cache.committed.cache_clear()
    assert not settings_from_mkdocs_yml(root / "mkdocs.yml").caching


def test_a_cache_folder_that_is_a_link_is_never_used(site: Callable[[str], Path], tmp_path: Path) -> None:
    root = site("minimal")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cache").symlink_to(elsewhere, target_is_directory=True)
    cache.committed.cache_clear()
    assert not settings_from_mkdocs_yml(root / "mkdocs.yml").caching
    assert evidence(root, "check").code == 0
    assert not list(elsewhere.iterdir())  # nothing written through the link
