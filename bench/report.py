#!/usr/bin/env python3
"""Formats bench/out/results.tsv (written by parse-vs-spacy.sh) as a Markdown report.

Usage: report.py RESULTS_TSV REPORT_MD. Prints the report and writes it to REPORT_MD.
Exits 1 if a min_ratio was given and annals' words/s is below min_ratio x spaCy's.
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
    return "n/a" if x is None else format(x, spec)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    res = read_results(sys.argv[1])
    words = num(res, "words")
    w = int(words) if words is not None else None

    a_s, a_rss = num(res, "annals_s"), num(res, "annals_rss_kb")
    al_s, al_rss = num(res, "annals_load_s"), num(res, "annals_load_rss_kb")
    s_s, s_rss = num(res, "spacy_s"), num(res, "spacy_rss_kb")
    sp_s, sl_s = num(res, "spacy_process_s"), num(res, "spacy_load_s")

    def wps(sec):
        return words / sec if (words and sec) else None

    def mb(kb):
        return kb / 1024 if kb is not None else None

    a_runs = res.get("annals_run_s", [])
    s_runs = res.get("spacy_run_s", [])
    rows = [
        (f"annals parse (whole process incl. load; best of {len(a_runs)})", w, a_s, wps(a_s), mb(a_rss)),
        ("annals parse, empty input (load-time upper bound)", 0 if al_s is not None else None, al_s, None, mb(al_rss)),
        (f"spaCy tok2vec+tagger+parser (excl. load; best of {len(s_runs)})", w, s_s, wps(s_s), mb(s_rss)),
        ("spaCy, whole process (incl. import + load)", w, sp_s, wps(sp_s), mb(s_rss)),
        ("spaCy model load (import spacy + spacy.load)", None, sl_s, None, None),
    ]

    out = []
    p = out.append
    p("# Parse benchmark: annals vs spaCy")
    p("")
    p(f"- date: {one(res, 'date')}; CPU: {one(res, 'cpu_model')} ({one(res, 'nproc')} cores), "
      f"both pinned to core {one(res, 'pinned_cpu')} (taskset), one thread (RAYON/OMP/MKL/OPENBLAS/BLIS=1)")
    args = one(res, "annals_args", "").strip()
    args = f" `parse {args}`" if args else ""
    p(f"- repo commit: {one(res, 'git_commit')}; annals: `{one(res, 'annals_bin', 'not run')}`{args} "
      f"({one(res, 'annals_version', '?')}); {one(res, 'rustc', '')}")
    p(f"- input: `{one(res, 'csv')}`: {one(res, 'docs')} documents, {one(res, 'words')} words "
      f"(whitespace-separated tokens; the same count divides both systems' times)")
    p(f"- spaCy venv: python {one(res, 'python_version', '?')}, {one(res, 'venv_packages', '?').strip()}; "
      f"batch_size {one(res, 'spacy_batch_size', '?')}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for spaCy: "
      f"{one(res, 'openblas_env_unset', 'n/a')}")
    p(f"- output sizes: annals {one(res, 'annals_sentences', '?')} sentences / {one(res, 'annals_tokens', '?')} tokens; "
      f"spaCy {one(res, 'spacy_sentences', '?')} sentences / {one(res, 'spacy_tokens', '?')} tokens")
    if a_runs:
        p(f"- annals runs (s): {', '.join(a_runs)}")
    if s_runs:
        p(f"- spaCy runs, excl. load (s): {', '.join(s_runs)}")
    p("")
    p("| system | words | seconds | words/s | peak RSS MB |")
    p("|---|---:|---:|---:|---:|")
    for name, ww, sec, rate, rss in rows:
        p(f"| {name} | {fmt(ww, 'd') if ww is not None else '-'} | {fmt(sec, '.3f')} | "
          f"{fmt(rate, ',.0f') if rate is not None else '-'} | {fmt(rss, '.1f') if rss is not None else '-'} |")
    p("")

    ratio = ratio_proc = None
    if wps(a_s) and wps(s_s):
        ratio = wps(a_s) / wps(s_s)
        ratio_proc = wps(a_s) / wps(sp_s) if wps(sp_s) else None
        p(f"**ratio annals / spaCy words/s: {ratio:.1f}x** (annals whole process vs spaCy "
          f"excluding its model load; vs spaCy's whole process: {fmt(ratio_proc, '.1f')}x). "
          f"Acceptance threshold: 20x.")
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
            p(f"--min-ratio {min_ratio:g}: passed ({ratio:.1f}x)")

    text = "\n".join(out) + "\n"
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(text)
    print()
    print(text, end="")
    return rc


if __name__ == "__main__":
    sys.exit(main())
