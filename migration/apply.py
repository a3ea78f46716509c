"""Apply the migration: study files, asserts and evidence maps → /work/main/content. Prints a report."""
import glob, os, re, shutil, sys, yaml
M = "/work/migration"; C = os.environ.get("CONTENT", "/work/main/content")
asserts = yaml.safe_load(open(f"{M}/asserts.yml"))
resolve = yaml.safe_load(open(f"{M}/resolve.yml"))
drop = yaml.safe_load(open(f"{M}/drop.yml")) or {}
maps = {}
for f in glob.glob(f"{M}/map/*.yml"):
    d = yaml.safe_load(open(f)); maps[d["key"]] = d.get("uses") or []
studies = {}
for f in glob.glob(f"{M}/studies/*.yml"):
    d = yaml.safe_load(open(f)); studies[d["key"]] = d
os.makedirs(f"{C}/studies", exist_ok=True)
for k in drop:
    studies.pop(k, None)
for k in studies:
    shutil.copy(f"{M}/studies/{k}.yml", f"{C}/studies/{k}.yml")
# references new to the site, with only the fields seen on an official record
bib = os.path.join(os.path.dirname(C), "references.bib")
text = open(bib).read()
for extra in sorted(glob.glob(f"{M}/fix/*.bib")):
    entry = open(extra).read().strip()
    key = entry.split("{", 1)[1].split(",", 1)[0]
    if "{" + key + "," not in text:
        text = text.rstrip("\n") + "\n\n" + entry + "\n"
for k in drop:  # an entry without an official record of its identity is not citable
    text = re.sub(r"\n@\w+\{" + re.escape(k) + r",.*?\n\}\n", "\n", text, flags=re.S)
open(bib, "w").write(text)

def dump(obj, indent=0):
    text = yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return text

report = []
TOP = re.compile(r"^[a-z_]+:", re.M)
for path in sorted(glob.glob(f"{C}/claims/*.yml")):
    text = open(path).read()
    d = yaml.safe_load(text)
    cid = d["id"]
    new_ev = []
    for e in d.get("evidence", []):
        if "finding" in e or e.get("relation") == "mentions" and "cite" in e and e["cite"] not in maps:
            new_ev.append(e); continue
        key, rel = e["cite"], e["relation"]
        if key in drop:
            report.append(f"DROPPED {cid} {key}"); continue
        uses = [u for u in maps.get(key, []) if u["claim"] == cid and u.get("old", rel) == rel]
        if not uses:
            uses = [u for u in maps.get(key, []) if u["claim"] == cid]
        if not uses:
            report.append(f"UNMAPPED {cid} {key} {rel}"); new_ev.append(e); continue
        for u in uses:
            fix = resolve.get(f"{cid}|{key}#{u.get('finding')}") or {}
            if u.get("finding") and "mentions" in fix:
                u = {"relation": "mentions", "note": fix["mentions"]}
                if fix.get("locator"): e = dict(e, locator=fix["locator"])
            if u.get("finding"):
                item = {"finding": f"{key}#{u['finding']}", "directness": u.get("directness", "direct")}
                if fix.get("opposite"): item["opposite"] = fix["opposite"]
                if u.get("directness") == "indirect":
                    item["differs"] = u.get("differs") or []
                if u.get("note"): item["note"] = u["note"]
                item["_expected"] = u.get("expected")
            else:
                item = {"cite": key, "relation": "mentions"}
                if e.get("locator"): item["locator"] = e["locator"]
                if u.get("locator"): item["locator"] = u["locator"]
                if u.get("note"): item["note"] = u["note"]
            new_ev.append(item)
    # studies new to the claim (cited for the first time in this migration)
    for key, uses in sorted(maps.items()):
        for u in uses:
            if u["claim"] == cid and u.get("old") == "new":
                item = {"finding": f"{key}#{u['finding']}", "directness": u.get("directness", "direct")}
                if u.get("directness") == "indirect": item["differs"] = u.get("differs") or []
                if u.get("note"): item["note"] = u["note"]
                item["_expected"] = u.get("expected")
                new_ev.append(item)
    # de-duplicate identical findings (a study mapped twice for the same claim)
    seen = set(); ev = []
    for item in new_ev:
        k = item.get("finding") or (item.get("cite"), item.get("relation"))
        if k in seen: continue
        seen.add(k); ev.append(item)
    for item in ev:
        exp = item.pop("_expected", None)
        f = item.get("finding")
        if f and exp:
            key, fid = f.split("#")
            fd = next((x for x in studies.get(key, {}).get("findings", []) if x["id"] == fid), None)
            if fd is None:
                report.append(f"NOFINDING {cid} {f}")
            else:
                fdir = fd["direction"]
                if item.get("opposite"): fdir = {"increases": "decreases", "decreases": "increases"}.get(fdir, fdir)
                derived = "supports" if fdir == asserts[cid]["direction"] else "contradicts"
                if derived != exp:
                    report.append(f"MISMATCH {cid} {f}: finding {fd['direction']} ({fd['outcome']}) vs claim {asserts[cid]['direction']} ({asserts[cid]['outcome']}); helper expected {exp}")
    # rewrite the evidence block and insert asserts before it
    m = re.search(r"^evidence:\n", text, re.M)
    nxt = TOP.search(text, m.end())
    block = dump({"evidence": ev})
    a = {k: v for k, v in asserts[cid].items() if v is not None and not (k == "kind" and v == "effect")}
    ablock = dump({"asserts": a}) if "asserts" not in d else ""
    text = text[:m.start()] + ablock + block + (text[nxt.start():] if nxt else "")
    open(path, "w").write(text)
print("\n".join(report))
print(len(report), "report lines")
