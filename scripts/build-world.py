#!/usr/bin/env python3
"""Build crates/annals-serve/data/world-110m.txt, the embedded world outline of the dashboard map.

Source:
  * Natural Earth 1:110m Admin 0 countries (public domain, https://www.naturalearthdata.com/)
    as TopoJSON in the npm package `world-atlas` (pinned to 2.0.2, file countries-110m.json;
    the package's conversion code is ISC-licensed, the data stays public domain).
  * ISO 3166-1 numeric -> alpha-3 codes from the PyPI package `pycountry`
    (`pip install pycountry`); Kosovo gets the user-assigned XKX, places without a code
    (N. Cyprus, Somaliland) get `---`.

Usage (from the repository root):

    python3 scripts/build-world.py
        fetches world-atlas@2.0.2 with `npm pack` into a temp dir
    python3 scripts/build-world.py --json /tmp/package/countries-110m.json
        uses a file already on disk (offline)

Option: --out PATH (default crates/annals-serve/data/world-110m.txt). The output is
deterministic: the same input gives the same bytes.

Output: after a few `#` comment lines, one country a line, tab-separated:

    code  name  rings

rings are separated by `|`; a ring is space-separated `lon,lat` pairs in degrees with
two decimals, implicitly closed (the first point is not repeated at the end), with
consecutive duplicate points removed. A MultiPolygon's holes are kept as rings of their
own (SVG's even-odd fill draws them as holes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile

WORLD_ATLAS = "world-atlas@2.0.2"
DEFAULT_OUT = os.path.join("crates", "annals-serve", "data", "world-110m.txt")

# Codes pycountry does not give: Kosovo has a user-assigned code used by the EU and the
# World Bank; the others have none.
EXTRA_CODES = {"Kosovo": "XKX"}


def fetch_json() -> dict:
    """npm pack world-atlas into a temp dir and read countries-110m.json from the tarball."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", WORLD_ATLAS, "--silent"], cwd=tmp, check=True, capture_output=True, text=True
        )
        tgz = os.path.join(tmp, out.stdout.strip().splitlines()[-1])
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/countries-110m.json")
            if member is None:
                sys.exit(f"{tgz}: no package/countries-110m.json")
            return json.load(member)


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Undo the delta encoding and the quantization transform of every arc."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        points = []
        x = y = 0
        for p in arc:
            if transform:
                x += p[0]
                y += p[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(p[0]), float(p[1])))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Stitch a ring from arc indexes (~i is arc i reversed); shared end points appear once."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def fmt(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def encode_ring(points: list[tuple[float, float]]) -> str | None:
    out: list[str] = []
    for lon, lat in points:
        pair = f"{fmt(lon)},{fmt(lat)}"
        if not out or out[-1] != pair:
            out.append(pair)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return " ".join(out) if len(out) >= 3 else None


def alpha3(numeric: str | None, name: str) -> str:
    if name in EXTRA_CODES:
        return EXTRA_CODES[name]
    if numeric is None:
        return "---"
    try:
        import pycountry
    except ImportError:
        sys.exit("build-world.py needs pycountry: pip install pycountry")
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_3 if country else "---"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="countries-110m.json of world-atlas 2 (default: npm pack it)")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    if args.json:
        with open(args.json, encoding="utf-8") as f:
            topo = json.load(f)
    else:
        topo = fetch_json()

    arcs = decode_arcs(topo)
    lines = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"].replace("\t", " ")
        code = alpha3(geometry.get("id"), name)
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = []
        for polygon in polygons:
            for ring in polygon:
                encoded = encode_ring(ring_points(ring, arcs))
                if encoded:
                    rings.append(encoded)
        if rings:
            lines.append((code, name, "|".join(rings)))

    lines.sort(key=lambda line: (line[0] == "---", line[0], line[1]))
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"# Natural Earth 1:110m admin-0 countries (public domain), from npm {WORLD_ATLAS}\n")
        out.write("# generated by scripts/build-world.py; do not edit by hand\n")
        out.write("# code<TAB>name<TAB>rings: lon,lat pairs separated by spaces, rings by |\n")
        for code, name, rings in lines:
            out.write(f"{code}\t{name}\t{rings}\n")
    print(f"{args.out}: {len(lines)} countries", file=sys.stderr)


if __name__ == "__main__":
    main()
