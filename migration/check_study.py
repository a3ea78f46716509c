"""Validate study appraisal files: python check_study.py FILE... (run with /work/main/.venv/bin/python)."""
import sys, yaml
sys.path.insert(0, "/work/main/src")
from mkdocs_evidence.study_schema import StudyFile
from mkdocs_evidence import vocab
from pydantic import ValidationError
bad = 0
for f in sys.argv[1:]:
    try:
        d = StudyFile.model_validate(yaml.safe_load(open(f)))
    except ValidationError as e:
        print(f, e); bad += 1; continue
    doms = [x.domain for x in d.risk_of_bias.domains]
    want = list(vocab.ROB_TOOLS[d.risk_of_bias.tool])
    probs = []
    if doms != want: probs.append(f"domains {doms} != tool's {want}")
    if vocab.ROB_TOOL_FOR_DESIGN.get(d.design) != d.risk_of_bias.tool: probs.append(f"tool {d.risk_of_bias.tool} not the one for {d.design}: {vocab.ROB_TOOL_FOR_DESIGN.get(d.design)}")
    if d.risk_of_bias.tool != "none" and d.risk_of_bias.overall is None: probs.append("overall missing")
    ids = [x.id for x in d.findings]
    if len(set(ids)) != len(ids): probs.append("duplicate finding ids")
    if f.rsplit("/",1)[-1] != d.key + ".yml": probs.append("file name != key")
    for p in probs: print(f, p)
    bad += bool(probs)
print("ok" if not bad else f"{bad} file(s) with problems")
