#!/usr/bin/env python3
"""Draw the precision sample of docs/precision-sample.md: code the Guardian sample with
`annals code`, draw N events at random with a fixed seed, and print them as a Markdown
table with empty judgement columns for a reader to fill in.

Usage: scripts/precision-sample.py [--bin target/release/annals] [--n 60] [--seed 2019]
       [--csv ../shared/data/news/guardian-2019-sample.csv] > sample.md
Also prints (to stderr) the number of events, sentences with events and events per
sentence with at least one event.
"""
import argparse, json, random, subprocess, sys, os

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
here = os.path.dirname(os.path.abspath(__file__))
ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "annals"))
ap.add_argument("--csv", default=os.path.join(here, "..", "..", "shared", "data", "news", "guardian-2019-sample.csv"))
ap.add_argument("--n", type=int, default=60)
ap.add_argument("--seed", type=int, default=2019)
ap.add_argument("--date", default="2019-06-01")
a = ap.parse_args()

out = subprocess.run([a.bin, "code", "--date", a.date, "--format", "jsonl", a.csv], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit(f"annals code failed: {out.stderr.strip()}")
events = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
sentences = {(e["doc"], e["sentence"]) for e in events}
print(f"events: {len(events)}; sentences with events: {len(sentences)}; "
      f"events per such sentence: {len(events) / max(1, len(sentences)):.2f}", file=sys.stderr)
rng = random.Random(a.seed)
sample = rng.sample(events, min(a.n, len(events)))

def actors(lst):
    if not lst:
        return "-"
    parts = []
    for x in lst:
        code = f"{x['country'] or '---'}/{x['sector'] or '---'}"
        who = x["name"] or x["org"]
        parts.append(f"{x['text']} = {code}" + (f" {who}" if who else ""))
    return "; ".join(parts)

def cell(s):
    return s.replace("|", "\\|").replace("\n", " ")

print("| # | event id | sentence | coded: type (mode) source -> target, trigger | judgement | reason |")
print("|---|---|---|---|---|---|")
for k, e in enumerate(sample, 1):
    coded = f"**{e['event']}**" + (f" ({e['mode']})" if e["mode"] else "") + \
        f" {actors(e['source'])} -> {actors(e['target'])}; trigger \"{e['trigger']['text']}\"" + \
        (" NEGATED" if e["negated"] else "")
    print(f"| {k} | {e['id']} | {cell(e['text'])} | {cell(coded)} |  |  |")
