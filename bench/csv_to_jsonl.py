#!/usr/bin/env python3
"""Convert the Guardian sample CSV into JSONL for the parse benchmark.

Input columns: "" (row id), date, text, source.
Output: one JSON object per line: {"id": ..., "date": ..., "text": ...}.

Prints a JSON summary on stdout: {"docs": N, "words": W, "chars": C}, where
words = the number of whitespace-separated tokens (Python's str.split()) of all
texts. The benchmark divides both systems' times by this same count.

Standard library only, so it runs with any python3 (no venv needed).
"""

import argparse
import csv
import json
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", help="input CSV (columns: \"\", date, text, source)")
    ap.add_argument("jsonl", help="output JSONL path")
    args = ap.parse_args()

    csv.field_size_limit(sys.maxsize)
    docs = words = chars = 0
    with open(args.csv, newline="", encoding="utf-8") as f_in, open(
        args.jsonl, "w", encoding="utf-8"
    ) as f_out:
        reader = csv.DictReader(f_in)
        missing = {"date", "text"} - set(reader.fieldnames or [])
        if missing:
            print(
                f"error: {args.csv} lacks column(s) {sorted(missing)}; "
                f"found {reader.fieldnames}",
                file=sys.stderr,
            )
            return 1
        id_col = (reader.fieldnames or [""])[0]
        for row_no, row in enumerate(reader, start=2):
            text = row.get("text") or ""
            if not text.strip():
                continue
            doc_id = row.get(id_col) or f"row{row_no}"
            obj = {"id": str(doc_id), "date": row.get("date") or "", "text": text}
            f_out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            docs += 1
            words += len(text.split())
            chars += len(text)
    if docs == 0:
        print(f"error: {args.csv} has no non-empty text", file=sys.stderr)
        return 1
    print(json.dumps({"docs": docs, "words": words, "chars": chars}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
