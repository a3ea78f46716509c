"""Print one table of how the tools scale (issue 14): check, build, plain MkDocs, bibliography, handouts, serve.

Synthetic projects (scripts/corpus.py) of 1,000 and 10,000 claims are made in a temporary folder;
every figure comes from running the public commands (`evidence`, `mkdocs`) as a user would, in a
child process, wall time and peak memory (ru_maxrss). Figures are printed, never asserted.
``--sizes 1000`` runs only the small corpus (the 10k builds take several minutes each).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import make_corpus

from mkdocs_evidence.outputs import MARKER

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def measure(args: list[str], cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command, measured by a fresh process that runs only it."""
    code = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL).returncode;"
        "print(time.perf_counter()-t,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,r)"
    )
    command = [sys.executable, "-c", code, *args]
    proc = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=True)
    seconds, mb, returncode = proc.stdout.split()
    if int(returncode) not in ok:
        sys.exit(f"{' '.join(args)} failed with {returncode}")
    return float(seconds), float(mb)


def handouts_off(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("topics_file: topics.yml", "topics_file: topics.yml\n      handouts: false"), encoding="utf-8")


def handouts_on(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\n      handouts: false", ""), encoding="utf-8")


def plain_project(project: Path, dest: Path) -> Path:
    """The same pages as Markdown (``evidence render``) in a plain MkDocs + Material project, no evidence plugin."""
    docs = dest / "docs"
    shutil.copytree(project / "content", docs, ignore=shutil.ignore_patterns("claims", "snapshots", "topics.yml"))
    (docs / MARKER).touch()  # a copy made for the render to fill: `evidence render` writes only into a folder so marked
    subprocess.run([str(BIN / "evidence"), "render", "--out", str(docs)], cwd=project, env=ENV, capture_output=True, check=False)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"  - evidence:\n(      .*\n)+", "", config).replace("docs_dir: content", "docs_dir: docs")
    # The nav stays as written: pages outside it (claims, sources) are left out of it, as the plugin does.
    (dest / "mkdocs.yml").write_text(config.replace("strict: true", "strict: false"), encoding="utf-8")
    return dest


def serve_edit(project: Path, *options: str) -> float:
    """Seconds from saving an edited claim to `mkdocs serve` serving the page with the edit."""
    port = "8765"
    proc = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", *options, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        claim = sorted((project / "content" / "claims").glob("*.yml"))[0]
        url = f"http://127.0.0.1:{port}/claims/{claim.stem}/"

        def page() -> str:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return str(response.read().decode("utf-8"))
            except OSError:
                return ""

        deadline = time.time() + 900
        while "<html" not in page():
            if proc.poll() is not None or time.time() > deadline:
                sys.exit("mkdocs serve stopped or did not answer")
            time.sleep(0.5)
        marker = f"Edited for the benchmark {time.time_ns()}"
        text = claim.read_text(encoding="utf-8")
        start = time.perf_counter()
        claim.write_text(re.sub(r"^statement: ", f"statement: {marker} ", text, count=1, flags=re.M), encoding="utf-8")
        while marker not in page():
            if proc.poll() is not None or time.time() > deadline:
                sys.exit("mkdocs serve stopped or did not show the edit")
            time.sleep(0.1)
        return time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def bibliography_load(project: Path) -> float:
    code = (
        "import time;from pathlib import Path;from mkdocs_evidence.bibliography import parse_bibliography;"
        "from mkdocs_evidence.settings import settings_from_mkdocs_yml as s;st=s(Path('mkdocs.yml'));"
        "t=time.perf_counter();r,_=parse_bibliography(st.bibliography,'references.bib',settings=st);"
        "print(time.perf_counter()-t, len(r))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=project, env=ENV, capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


class Rows(list[tuple[str, str]]):
    """Figures printed as they come (a long run shows progress), then once more as one table."""

    def append(self, row: tuple[str, str]) -> None:
        print(f"  {row[0]}: {row[1]}", flush=True)
        super().append(row)

    def table(self) -> None:
        width = max(len(name) for name, _ in self)
        print()
        for name, value in self:
            print(f"{name:<{width}}  {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="claim counts, comma-separated")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    rows = Rows()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for size in sizes:
            project = make_corpus(base / f"p{size}", claims=size, references=size // 2)
            handouts_off(project)
            check = [str(BIN / "evidence"), "check"]
            cold, cold_mb = measure(check, project, ok=(0, 1))
            time.sleep(2.1)  # the cache is only written for files settled for 2 s
            measure(check, project, ok=(0, 1))
            warm, _ = measure(check, project, ok=(0, 1))
            rows.append((f"evidence check, {size} claims, cold / unchanged", f"{cold:.1f} s ({cold_mb:.0f} MB) / {warm:.2f} s"))
            build = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(base / f"site{size}")]
            built, built_mb = measure(build, project)
            plain = plain_project(project, base / f"plain{size}")
            plain_s, plain_mb = measure([str(BIN / "mkdocs"), "build", "--site-dir", str(base / f"psite{size}")], plain)
            rows.append((f"mkdocs build, {size} claims, handouts off", f"{built:.1f} s, {built_mb:.0f} MB"))
            handouts_on(project)  # every topic's PDF made again: none taken from the cache
            on_s, on_mb = measure(build, project, env={**ENV, "EVIDENCE_CACHE": "0"})
            handouts_off(project)
            rows.append((f"mkdocs build, {size} claims, handouts on", f"{on_s:.1f} s, {on_mb:.0f} MB ({on_s / built:.2f} × off)"))
            rows.append((f"plain MkDocs+Material, same pages ({size})", f"{plain_s:.1f} s, {plain_mb:.0f} MB"))
            rows.append((f"plugin ÷ plain ({size})", f"{built / plain_s:.2f} time, {built_mb / plain_mb:.2f} memory"))
            if size == min(sizes):
                # `make serve` runs `mkdocs serve --dirty`: only pages whose content changed are rebuilt.
                dirty = serve_edit(project, "--dirty", "--no-strict")
                rows.append((f"serve --dirty: edit one claim → page updated ({size})", f"{dirty:.1f} s"))
                every = serve_edit(project)
                rows.append((f"serve (every page rebuilt): edit one claim → page updated ({size})", f"{every:.1f} s"))
        bib_project = make_corpus(base / "bib", claims=10, references=5000)
        rows.append(("references.bib, 5,069 entries, parse + decode", f"{bibliography_load(bib_project):.2f} s"))
        real = base / "real"
        shutil.copytree(ROOT, real, ignore=shutil.ignore_patterns(".venv", ".git", "site", "build", "node_modules", ".cache"))
        site = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(base / "real-site")]
        first_on, _ = measure(site, real)
        time.sleep(2.1)
        on, _ = measure(site, real)
        handouts_off(real)
        off, _ = measure(site, real)
        rows.append(("make site, handouts on (first build) / off", f"{first_on:.1f} s / {off:.1f} s"))
        rows.append(("make site, handouts on ÷ off, no claim changed", f"{on / off:.2f}"))
    rows.table()


if __name__ == "__main__":
    main()
