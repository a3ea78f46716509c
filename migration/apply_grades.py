import os, re, sys, yaml, json
C = os.environ.get("CONTENT", "/work/main/content")
grades = yaml.safe_load(open("/work/migration/grades.yml"))
TODAY = "2026-12-07"
def q(s): return json.dumps(s, ensure_ascii=False)
for cid, g in grades.items():
    path = f"{C}/claims/{cid}.yml"; text = open(path).read(); d = yaml.safe_load(text)
    changes = []
    for field in ("verdict", "certainty"):
        if field in g and g[field] != d[field]:
            changes.append(f"{field} {d[field]} → {g[field]}")
            text = re.sub(rf"^{field}: .*$", f"{field}: {g[field]}", text, count=1, flags=re.M)
    for field in ("reason", "bottom_line"):
        if field in g:
            if re.search(rf"^{field}: ", text, re.M):
                # a one-line value, or a folded block (following indented lines)
                text = re.sub(rf"^{field}: .*\n(?:  .*\n)*", f"{field}: {q(g[field])}\n", text, count=1, flags=re.M)
            else:
                text = re.sub(r"^(certainty: .*\n)", rf"\1{field}: {q(g[field])}\n", text, count=1, flags=re.M)
    if g.get("downgrades"):
        entries = "".join(f"  - reason: {x['reason']}\n    levels: {x.get('levels', 1)}\n    note: {q(x['note'])}\n" for x in g["downgrades"])
        if re.search(r"^downgrades:\n", text, re.M):
            text = re.sub(r"^downgrades:\n", "downgrades:\n" + entries, text, count=1, flags=re.M)
        else:
            text = re.sub(r"^(evidence:\n)", "downgrades:\n" + entries + r"\1", text, count=1, flags=re.M)
    if changes:
        entry = f"  - date: {TODAY}\n    what: {q('; '.join(changes))}\n    why: {q(g['why'])}\n"
        if re.search(r"^corrections:\s*\[\]\s*$", text, re.M):
            text = re.sub(r"^corrections:\s*\[\]\s*$\n?", "corrections:\n" + entry, text, count=1, flags=re.M)
        elif re.search(r"^corrections:\s*$", text, re.M):
            m = re.search(r"^corrections:\s*\n", text, re.M)
            nxt = re.search(r"^[a-z_]+:", text[m.end():], re.M)
            at = m.end() + (nxt.start() if nxt else len(text) - m.end())
            text = text[:at].rstrip("\n") + "\n" + entry + text[at:]
        else:
            text = text.rstrip("\n") + "\ncorrections:\n" + entry
    yaml.safe_load(text)
    open(path, "w").write(text)
    print(cid, "; ".join(changes) or "(text only)")
