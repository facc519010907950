#!/usr/bin/env python3
"""Formats bench/out/code-results.tsv (written by code-vs-spacy.sh) as a Markdown report.

Usage: code_report.py RESULTS_TSV REPORT_MD. Prints the report and writes it to REPORT_MD.
Exits 1 if a min_ratio was given and annals' words/s is below min_ratio x spaCy's
(spaCy's time excluding its model load), or if the ratio cannot be computed.
Standard library only.
"""

import sys


def read_results(path):
    res = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            key, _, val = line.partition("\t")
            res.setdefault(key, []).append(val)
    return res


def num(res, key):
    try:
        return float(res[key][-1])
    except (KeyError, ValueError, IndexError):
        return None


def one(res, key, default="?"):
    return res.get(key, [default])[-1]


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    res = read_results(sys.argv[1])
    words = num(res, "words")
    w = int(words) if words is not None else None

    a_s, a_rss = num(res, "annals_s"), num(res, "annals_rss_kb")
    a_ev = num(res, "annals_events")
    al_s, al_rss = num(res, "annals_load_s"), num(res, "annals_load_rss_kb")
    s_s, s_rss = num(res, "spacy_s"), num(res, "spacy_rss_kb")
    sp_s, sl_s = num(res, "spacy_process_s"), num(res, "spacy_load_s")

    def wps(sec):
        return words / sec if (words and sec) else None

    def mb(kb):
        return kb / 1024 if kb is not None else None

    a_runs = res.get("annals_run_s", [])
    s_runs = res.get("spacy_run_s", [])
    s_proc_runs = res.get("spacy_process_run_s", [])
    pipeline = one(res, "spacy_pipeline", "?")
    # (system, words, seconds, words/s, peak RSS MB, events)
    rows = [
        (f"annals code (whole process incl. load; best of {len(a_runs)})",
         w if a_s is not None else None, a_s, wps(a_s), mb(a_rss), a_ev),
        ("annals code, one short document (start-up + model load)",
         None, al_s, None, mb(al_rss), None),
        (f"spaCy full pipeline, nlp.pipe (excl. load; best of {len(s_runs)})",
         w if s_s is not None else None, s_s, wps(s_s), mb(s_rss), None),
        ("spaCy full pipeline, whole process (incl. import + load)",
         w if sp_s is not None else None, sp_s, wps(sp_s), mb(s_rss), None),
        ("spaCy model load (import spacy + spacy.load)", None, sl_s, None, None, None),
    ]

    out = []
    p = out.append
    p("# Coding benchmark: annals code (whole pipeline) vs spaCy full pipeline")
    p("")
    p(f"- date: {one(res, 'date')}; CPU: {one(res, 'cpu_model')} ({one(res, 'nproc')} cores, "
      f"load average at start {one(res, 'loadavg')}), both pinned to core {one(res, 'pinned_cpu')} "
      f"(taskset), one thread (RAYON/OMP/MKL/OPENBLAS/BLIS=1)")
    args = one(res, "annals_args", "").strip()
    p(f"- repo commit: {one(res, 'git_commit')} (working tree may differ); annals: "
      f"`{one(res, 'annals_bin', 'not run')} {one(res, 'annals_cmd', 'code')}"
      f"{(' ' + args) if args else ''}` ({one(res, 'annals_version', '?')}); {one(res, 'rustc', '')}")
    p(f"- input: `{one(res, 'csv')}` -> `{one(res, 'jsonl')}`: {one(res, 'docs')} documents, "
      f"{one(res, 'words')} words (whitespace-separated; the same count divides both systems' times)")
    p(f"- spaCy: {one(res, 'spacy_model', '?')}, pipeline {pipeline} (disabled by the model's "
      f"own config: {one(res, 'spacy_disabled', '?')}); batch_size {one(res, 'spacy_batch_size', '?')}; "
      f"python {one(res, 'python_version', '?')}, {one(res, 'venv_packages', '?').strip()}; "
      f"OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for spaCy: {one(res, 'openblas_env_unset', 'n/a')}")
    p(f"- output: annals {one(res, 'annals_events', '?')} events (JSONL lines); spaCy "
      f"{one(res, 'spacy_sentences', '?')} sentences, {one(res, 'spacy_tokens', '?')} tokens, "
      f"{one(res, 'spacy_entities', '?')} entities")
    if a_runs:
        p(f"- annals runs (s): {', '.join(a_runs)}")
    if s_runs:
        p(f"- spaCy runs, nlp.pipe excl. load (s): {', '.join(s_runs)}; whole process (s): "
          f"{', '.join(s_proc_runs)}")
    p("")
    p("| system | words | seconds | words/s | peak RSS MB | events |")
    p("|---|---:|---:|---:|---:|---:|")
    for name, ww, sec, rate, rss, ev in rows:
        p(f"| {name} | {fmt(ww, 'd')} | {fmt(sec, '.3f')} | {fmt(rate, ',.0f')} | "
          f"{fmt(rss, '.1f')} | {fmt(int(ev) if ev is not None else None, ',d')} |")
    p("")

    ratio = ratio_proc = None
    if wps(a_s) and wps(s_s):
        ratio = wps(a_s) / wps(s_s)
        ratio_proc = wps(a_s) / wps(sp_s) if wps(sp_s) else None
        p(f"**ratio annals words/s / spaCy words/s: {ratio:.1f}x** (annals' whole process, "
          f"load included, vs spaCy's nlp.pipe time, load excluded). Against spaCy's whole "
          f"process: {fmt(ratio_proc, '.1f')}x.")
    else:
        p("ratio annals / spaCy words/s: n/a (a side was skipped or failed)")

    failures = res.get("failure", [])
    if failures:
        p("")
        p("## Failures")
        for f in failures:
            p(f"- {f}")

    rc = 0
    min_ratio = num(res, "min_ratio")
    if min_ratio is not None:
        p("")
        if ratio is None:
            p(f"--min-ratio {min_ratio:g}: cannot check, no ratio")
            rc = 1
        elif ratio < min_ratio:
            p(f"--min-ratio {min_ratio:g}: FAILED ({ratio:.1f}x < {min_ratio:g}x)")
            rc = 1
        else:
            p(f"--min-ratio {min_ratio:g}: passed ({ratio:.1f}x >= {min_ratio:g}x)")

    text = "\n".join(out) + "\n"
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text)
    print()
    print(text, end="")
    return rc


if __name__ == "__main__":
    sys.exit(main())
