"""Print how `evidence check` and the site build scale with the number of claims.

The project's claims are copied under new ids into a temporary copy of the project (1x, 5x, 20x
the real content), then `evidence check` and `mkdocs build --strict` run on each as a user would run
them. Run with ``make bench``. Figures are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FACTORS = (1, 5, 20)


def grow(project: Path, factor: int) -> int:
    """Add ``factor - 1`` copies of every claim (new id, same evidence); return the number of claims."""
    claims_dir = project / "content" / "claims"
    originals = sorted(claims_dir.glob("*.yml"))
    for n in range(1, factor):
        for path in originals:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["id"] = f"{data['id']}-copy{n}"
            data["related"] = []  # keep the copies independent of one another
            (claims_dir / f"{data['id']}.yml").write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
    return len(list(claims_dir.glob("*.yml")))


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of a child process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return elapsed, peak / 1024


def main() -> None:
    for factor in FACTORS:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "project"
            shutil.copytree(
                ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "site", "build", "node_modules", ".cache")
            )
            claims = grow(project, factor)
            # Handouts are timed by bench_handout.py; the home page picture is capped by picture_max_claims.
            config = project / "mkdocs.yml"
            config.write_text(
                config.read_text(encoding="utf-8").replace(
                    "topics_file: topics.yml", "topics_file: topics.yml\n      handouts: false"
                ),
                encoding="utf-8",
            )
            check_s, check_mb = timed([str(BIN / "evidence"), "check"], project)
            build_s, build_mb = timed([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(project / "site")], project)
            pages = sum(1 for _ in (project / "site").rglob("index.html"))
            print(
                f"{claims:5d} claims: evidence check {check_s:5.2f} s; "
                f"mkdocs build {build_s:6.2f} s ({pages} pages, {build_s / pages * 1000:.0f} ms a page); "
                f"peak memory so far {max(check_mb, build_mb):.0f} MB"
            )


if __name__ == "__main__":
    main()
