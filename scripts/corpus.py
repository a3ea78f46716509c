"""A synthetic project of any size, made from this project's own content, for benchmarks.

``make_corpus(dest, claims=10_000, references=5_000)`` copies the project (without .venv, .git, site
and caches) into ``dest``, adds ``references`` synthetic BibTeX entries (LaTeX accents, macros,
several authors, DOIs and URLs, as real bibliographies have), each appraised once in
``content/studies/<key>.yml`` (design, identity, risk of bias with the design's tool, one finding),
and replaces the claims with ``claims`` copies of the real ones under new ids, each citing two
synthetic references as background (``relation: mentions``) as well as its own findings.
The corpus is deterministic: the same arguments give the same files.

Run as a script to make one: ``python scripts/corpus.py DEST --claims 10000 --references 5000``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

from mkdocs_evidence import vocab

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".venv", ".git", "site", "build", "node_modules", ".cache", "handouts", "*.egg-info")

SURNAMES = ['M{\\"u}ller', "Garc{\\'\\i}a", "Smith", "{\\O}stergaard", "Nakamura", "Dvo{\\v{r}}{\\'a}k", "van der Berg", "O'Neil"]
FIRSTS = ["Jos{\\'e}", "Anna", "J.~P.", 'Bj{\\"o}rn', 'Zo{\\"e}', "Fran{\\c{c}}ois", "Li", "Mar{\\'\\i}a"]
WORDS = ["foot", "hip", "gait", "\\emph{in vivo}", "$\\alpha$-motor", "valgus", "strength", "balance", "{MRI}", "pain"]
DESIGNS = ["rct", "cohort", "cross-sectional", "lab-biomechanics", "case-control", "narrative-review"]


def bib_entry(i: int, rng: random.Random) -> str:
    authors = " and ".join(f"{rng.choice(SURNAMES)}, {rng.choice(FIRSTS)}" for _ in range(rng.randint(1, 6)))
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
    return (
        f"@article{{syn{i:05d},\n"
        f"  design  = {{{rng.choice(DESIGNS)}}},\n"
        f"  participants = {{{rng.randint(10, 500)}}},\n"
        f"  author  = {{{authors}}},\n"
        f"  title   = {{{title.capitalize()}}},\n"
        f"  journal = {{Journal of {rng.choice(['Foot', 'Hip', 'Gait'])} \\& Ankle Research}},\n"
        f"  year    = {{{rng.randint(1990, 2025)}}},\n"
        f"  volume  = {{{rng.randint(1, 60)}}},\n"
        f"  pages   = {{{rng.randint(1, 300)}--{rng.randint(301, 600)}}},\n"
        f"  doi     = {{10.1000/syn.{i}_x%20y}},\n"
        f"  url     = {{https://example.org/~syn/{i}?a=1&b=2}}\n"
        "}\n"
    )


def study_file(i: int, design: str, participants: int, rng: random.Random) -> str:
    """The appraisal of ``syn<i>``: its design's tool with every domain judged, and one finding."""
    tool = vocab.ROB_TOOL_FOR_DESIGN[design]
    judgements = [rng.choice(list(vocab.ROB_JUDGEMENTS)) for _ in vocab.ROB_TOOLS[tool]]
    worst = max(judgements, key=list(vocab.ROB_JUDGEMENTS).index) if judgements else None
    study = {
        "key": f"syn{i:05d}",
        "design": design,
        "participants": participants,
        "population": "Adults with foot or hip pain",
        "identity": {"record": "crossref", "id": f"10.1000/syn.{i}_x%20y", "seen": "2026-11-20", "fields": ["title", "doi"]},
        "risk_of_bias": {
            "tool": tool,
            "domains": [
                {"domain": d, "judgement": j, "reason": "Judged from the record."}
                for d, j in zip(vocab.ROB_TOOLS[tool], judgements, strict=True)
            ],
            **({"overall": worst} if worst else {"reason": "Not a study of an effect."}),
        },
        "findings": [
            {
                "id": "main",
                "outcome": rng.choice(["hip pain", "foot pain", "balance", "hip strength"]),
                "exposure": rng.choice(["foot exercises", "orthoses", "barefoot walking"]),
                "direction": rng.choice(list(vocab.DIRECTIONS)),
                "effect": {"text": "As the abstract reports it."},
                "locator": "abstract",
            }
        ],
        "appraised": "2026-11-20",
        "appraised_by": "corpus",
    }
    return yaml.safe_dump(study, allow_unicode=True, sort_keys=False)


def make_corpus(dest: Path, *, claims: int, references: int, seed: int = 14) -> Path:
    """Copy the project to ``dest`` and grow it to ``claims`` claims and ``references`` extra references."""
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    bib = dest / "references.bib"
    extra = [bib_entry(i, rng) for i in range(references)]
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + "\n".join(extra), encoding="utf-8")
    studies_dir = dest / "content" / "studies"
    studies_dir.mkdir(parents=True, exist_ok=True)
    for i, entry in enumerate(extra):
        design = entry.split("design  = {", 1)[1].split("}", 1)[0]
        participants = int(entry.split("participants = {", 1)[1].split("}", 1)[0])
        (studies_dir / f"syn{i:05d}.yml").write_text(study_file(i, design, participants, rng), encoding="utf-8")
    claims_dir = dest / "content" / "claims"
    originals = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(claims_dir.glob("*.yml"))]
    for path in claims_dir.glob("*.yml"):
        path.unlink()
    for n in range(claims):
        data = dict(originals[n % len(originals)])
        data["id"] = f"{data['id']}-{n:05d}"
        data["related"] = []
        if references:
            # Two synthetic sources cited as background only: the verdict and certainty stay as graded.
            # Every synthetic reference is cited once there are as many claims (unused ones fail --strict).
            cites = {n % references, rng.randrange(references)}
            data["evidence"] = [*data["evidence"], *({"cite": f"syn{c:05d}", "relation": "mentions"} for c in sorted(cites))]
        (claims_dir / f"{data['id']}.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--references", type=int, default=5_000)
    args = parser.parse_args()
    make_corpus(args.dest, claims=args.claims, references=args.references)


if __name__ == "__main__":
    main()
