"""Time and peak memory of `evidence check` and `mkdocs build --strict` on each hostile input.

Figures are reported, not asserted (the tests check behaviour, never timings). The target is under
5 s and 200 MB per case. Cases are the ones in tests/hostile/cases.py. Run with `make bench`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
from cases import CASES  # noqa: E402

BIN = Path(sys.executable).parent
TARGET_SECONDS, TARGET_MB = 5.0, 200.0


def measure(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall time (s), peak resident memory (MB) and exit status of one child process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795219200"}
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4 gives this child's own resource usage (getrusage(RUSAGE_CHILDREN) would mix all children).
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def main() -> int:
    print(f"{'case':<28} {'check s':>8} {'MB':>6} {'exit':>4}  {'build s':>8} {'MB':>6} {'exit':>4}")
    over = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            root = case.make(Path(tmp))
            check = measure([str(BIN / "evidence"), "check"], root)
            build = measure([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(root / "site")], root)
        print(f"{case.name:<28} {check[0]:8.2f} {check[1]:6.0f} {check[2]:4d}  {build[0]:8.2f} {build[1]:6.0f} {build[2]:4d}")
        if max(check[0], build[0]) > TARGET_SECONDS or max(check[1], build[1]) > TARGET_MB:
            over.append(case.name)
    print(f"target: under {TARGET_SECONDS:.0f} s and {TARGET_MB:.0f} MB per case; over target: {', '.join(over) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
