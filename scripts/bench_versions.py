"""Time this code against an older commit on the same machine, in the same run: ``evidence check`` cold and ``mkdocs build``.

Each version gets its own synthetic project, made by its own ``scripts/corpus.py`` (an older
version may not read a newer corpus), at the same size. The commands run alternately (old, new,
old, new, …) so that whatever else the machine does falls on both; each figure is the fastest of
the repeats (the least disturbed), with the median beside it. Wall time only (the check's workers
are children of a fork server, which ``getrusage`` does not count); nothing is asserted.

    python scripts/bench_versions.py --old 5e95210 --claims 10000 --references 5000 --repeats 4
    python scripts/bench_versions.py --old 5e95210 --claims 10000 --builds 2   # builds take minutes

The older commit is checked out with ``git worktree`` into a temporary folder and imported from
there (``PYTHONPATH``); both use this environment's installed packages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path, src: Path) -> float:
    """Wall seconds of one command, with the given source tree imported first."""
    env = {**os.environ, "PYTHONPATH": str(src), "EVIDENCE_CACHE": "0", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    returncode = subprocess.run(
        args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    ).returncode
    wall = time.perf_counter() - start
    if returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed with {returncode} in {cwd}")
    return wall


def corpus(tree: Path, dest: Path, claims: int, references: int) -> Path:
    """A synthetic project made by ``tree``'s own corpus script, handouts off (as ``make bench`` builds)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    script = tree / "scripts" / "corpus.py"
    args = [sys.executable, str(script), str(dest), "--claims", str(claims), "--references", str(references)]
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("topics_file: topics.yml", "topics_file: topics.yml\n      handouts: false"), encoding="utf-8")
    return dest


def summary(name: str, old: list[float], new: list[float]) -> str:
    fast_old, fast_new = min(old), min(new)
    mid_old, mid_new = statistics.median(old), statistics.median(new)
    best = f"fastest old {fast_old:.2f} s, new {fast_new:.2f} s: {fast_new / fast_old:.2f} ×"
    return f"{name}: {best}; median old {mid_old:.2f} s, new {mid_new:.2f} s: {mid_new / mid_old:.2f} ×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the older commit (anything git rev-parse takes)")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--references", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=4, help="checks per version (default: %(default)s)")
    parser.add_argument("--builds", type=int, default=0, help="builds per version (default: %(default)s)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-versions-") as tmp:
        work = Path(tmp)
        old_tree = work / "old-tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(old_tree), args.old], cwd=ROOT, check=True, capture_output=True)
        try:
            trees = {"old": old_tree, "new": ROOT}
            projects = {v: corpus(t, work / f"{v}-project", args.claims, args.references) for v, t in trees.items()}
            print(f"{args.claims:,} claims, {args.references:,} references; old = {args.old}, new = the working tree", flush=True)
            checks: dict[str, list[float]] = {"old": [], "new": []}
            for _ in range(args.repeats):
                for version in ("old", "new"):
                    figure = run([str(BIN / "evidence"), "check"], projects[version], trees[version] / "src")
                    checks[version].append(figure)
                    print(f"  check {version}: {figure:.2f} s", flush=True)
            lines = [summary("evidence check, cold", checks["old"], checks["new"])]
            builds: dict[str, list[float]] = {"old": [], "new": []}
            for _ in range(args.builds):
                for version in ("old", "new"):
                    site = work / f"{version}-site"
                    command = [str(BIN / "mkdocs"), "build", "-q", "--site-dir", str(site)]
                    figure = run(command, projects[version], trees[version] / "src")
                    builds[version].append(figure)
                    print(f"  build {version}: {figure:.2f} s", flush=True)
            if args.builds:
                lines.append(summary("mkdocs build, handouts off", builds["old"], builds["new"]))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT, check=False, capture_output=True)
    print()
    for line in lines:
        print(line)
    print(f"({os.cpu_count()} CPUs; took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
