"""The released package: a wheel built from this checkout, installed into a new environment, starts a new site.

Nothing may come from the repository: the wheel is built from a copy, the environment is new (no
PYTHONPATH, no editable install), the commands run outside the checkout, and every file they open
is traced (strace) and none may be inside the checkout or the test's own environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, TODAY_EPOCH

#: What a wheel is built from (a copy: building writes build/ and *.egg-info next to the sources).
SOURCES = ("pyproject.toml", "README.md", "src")
#: The test's own environment (the shared development one): the new one must not use it either.
OWN_PREFIX = Path(sys.prefix).resolve()


def call(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def clean_env(venv: Path, home: Path) -> dict[str, str]:
    """A user's shell with only the new environment on PATH; pip's own settings kept (index, cache, certificates)."""
    keep = {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k in {"LANG", "LC_ALL", "SSL_CERT_FILE"}}
    return {
        **keep,
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(home)),  # pip's cache lives there: a second run installs quickly
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": TODAY_EPOCH,
        "EVIDENCE_CACHE": "0",
    }


def traced(args: list[str], cwd: Path, env: dict[str, str], trace: Path) -> subprocess.CompletedProcess[str]:
    """Run ``args`` under strace (every open and exec of every process), or plainly where strace is missing."""
    strace = shutil.which("strace")
    if strace is None:
        return call(args, cwd, env)
    return call([strace, "-f", "-qq", "-e", "trace=open,openat,execve", "-o", str(trace), *args], cwd, env)


def opened_in(trace: Path, folders: list[Path]) -> list[str]:
    """Lines of the trace naming a file inside one of ``folders``."""
    if not trace.exists():
        return []
    marks = [f'"{folder}/' for folder in folders] + [f'"{folder}"' for folder in folders]
    return [line for line in trace.read_text(encoding="utf-8", errors="replace").splitlines() if any(m in line for m in marks)]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment outside the repository with the wheel built from this checkout installed."""
    work = tmp_path_factory.mktemp("package")
    copy = work / "source"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            copy.mkdir(exist_ok=True)
            shutil.copy2(source, copy / name)
    shutil.copy2(ROOT / "constraints.txt", work / "constraints.txt")
    env = {**clean_env(work / "venv", work), "PATH": "/usr/bin:/bin"}
    call([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work / "dist"), str(copy)], work, env)
    [wheel] = (work / "dist").glob("mkdocs_evidence-*.whl")
    venv = work / "venv"
    call([sys.executable, "-m", "venv", str(venv)], work, env)
    start = time.perf_counter()
    call(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-c", str(work / "constraints.txt"), str(wheel)],
        work,
        env,
        1800,
    )
    print(f"installed the wheel and its dependencies in {time.perf_counter() - start:.1f} s")
    return venv


def test_installed_wheel_starts_a_site_that_builds_and_checks(installed: Path, tmp_path: Path) -> None:
    venv = installed
    env = clean_env(venv, tmp_path)
    where = call([str(venv / "bin" / "python"), "-c", "import mkdocs_evidence; print(mkdocs_evidence.__file__)"], tmp_path, env)
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve()), where.stdout
    group = "import importlib.metadata as m; print(sorted(e.value for e in m.entry_points(group='properdocs.plugins')))"
    plugins = call([str(venv / "bin" / "python"), "-c", group], tmp_path, env)
    assert "mkdocs_evidence.plugin:EvidencePlugin" in plugins.stdout  # ProperDocs finds the plugin under its own group

    outside = [ROOT.resolve(), OWN_PREFIX]
    start = time.perf_counter()
    init = traced([str(venv / "bin" / "evidence"), "init", "x"], tmp_path, env, tmp_path / "init.trace")
    site = tmp_path / "x"
    build = traced([str(venv / "bin" / "mkdocs"), "build", "--strict"], site, env, tmp_path / "build.trace")
    check = traced([str(venv / "bin" / "evidence"), "check"], site, env, tmp_path / "check.trace")
    print(f"init, strict build and check in {time.perf_counter() - start:.1f} s")

    assert "files written to x" in init.stdout
    assert (site / "site" / "claims" / "example-claim" / "index.html").is_file(), build.stderr
    assert check.stdout.splitlines()[-1] == "1 claim, 1 reference, 0 errors, 0 warnings, 3 notices", check.stdout
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert "pip install mkdocs-evidence" in readme and "mkdocs build --strict" in readme and "evidence check" in readme
    for name in ("init", "build", "check"):
        found = opened_in(tmp_path / f"{name}.trace", outside)
        assert not found, f"{name} opened files of the repository or of the test's environment:\n" + "\n".join(found[:20])
    if shutil.which("strace"):
        # The trace is real: it holds the files the commands did open, the installed package's among them.
        assert opened_in(tmp_path / "build.trace", [venv.resolve()]), "strace recorded nothing"
