//! The gazetteer: places, countries and the name index.

use crate::normalize::normalize;
use crate::GeoError;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

static GAZETTEER_GZ: &[u8] = include_bytes!("../../../data/geo/gazetteer.tsv.gz");
static COUNTRIES_TSV: &str = include_str!("../../../data/geo/countries.tsv");
static DEMONYMS_TSV: &str = include_str!("../../../data/geo/demonyms.tsv");
static COMMON_TXT: &str = include_str!("../../../data/geo/common_words.txt");
static FIRST_NAMES_TXT: &str = include_str!("../../../data/geo/first_names.txt");
static SURNAMES_TXT: &str = include_str!("../../../data/geo/surnames.txt");

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id; `None` for entries GeoNames does not give an id to here
    /// (first-level divisions outside the US, hand-authored regions).
    pub geonameid: Option<u32>,
    pub name: String,
    pub lat: f32,
    pub lon: f32,
    /// GeoNames feature class: `A` country/division, `P` populated place,
    /// `L` area, `T` terrain, `H` water.
    pub feature_class: char,
    /// GeoNames feature code: `PCLI`, `ADM1`, `PPLC`, `PPL`, `CONT`, `RGN`, `SEA`, ...
    pub feature_code: String,
    /// ISO 3166-1 alpha-2 code; empty for places spanning several countries.
    pub cc: String,
    /// GeoNames first-level division code (`"CA"` for California, `"07"`, ...).
    pub admin1: String,
    pub population: u64,
}

impl Place {
    pub fn is_country(&self) -> bool {
        self.feature_code == "PCLI"
    }
    pub fn is_admin1(&self) -> bool {
        self.feature_code == "ADM1"
    }
    pub fn is_city(&self) -> bool {
        self.feature_class == 'P'
    }
}

/// Codes of one country.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub iso2: String,
    pub iso3: String,
    pub fips: String,
    pub geonameid: u32,
    pub name: String,
    pub neighbours: Vec<String>,
}

/// The gazetteer with its name index. Build once ([`Gazetteer::embedded`])
/// and share.
#[derive(Debug)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// (hash of normalised name, place index, name is an alternate), sorted.
    index: Vec<(u64, u32, bool)>,
    max_words: usize,
    by_id: HashMap<u32, u32>,
    countries: HashMap<String, Country>,
    country_place: HashMap<String, u32>,
    admin1: HashMap<(String, String), u32>,
    common: HashSet<String>,
    first_names: HashSet<String>,
    surnames: HashSet<String>,
    demonyms: HashMap<String, String>,
}

fn word_set(s: &str) -> HashSet<String> {
    s.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(normalize)
        .collect()
}

/// 64-bit FNV-1a: a stable hash for the name index.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (built on first use, then shared).
    pub fn embedded() -> Result<&'static Gazetteer, GeoError> {
        static CELL: OnceLock<Result<Gazetteer, String>> = OnceLock::new();
        CELL.get_or_init(|| {
            let mut tsv = String::new();
            flate2::read::GzDecoder::new(GAZETTEER_GZ)
                .read_to_string(&mut tsv)
                .map_err(|e| format!("embedded gazetteer.tsv.gz: {e}"))?;
            let mut g = Gazetteer::from_parts(
                &tsv,
                COUNTRIES_TSV,
                DEMONYMS_TSV,
                COMMON_TXT,
                FIRST_NAMES_TXT,
            )
            .map_err(|e| e.to_string())?;
            g.set_surnames(SURNAMES_TXT);
            Ok(g)
        })
        .as_ref()
        .map_err(|e| GeoError::Load(e.clone()))
    }

    /// Loads the data files from a folder laid out like `data/geo`.
    pub fn load_dir(dir: &Path) -> Result<Gazetteer, GeoError> {
        let read = |name: &str| -> Result<Vec<u8>, GeoError> {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|source| GeoError::Io {
                path: p.display().to_string(),
                source,
            })
        };
        let text = |name: &str| -> Result<String, GeoError> {
            String::from_utf8(read(name)?).map_err(|e| {
                GeoError::Load(format!("{}: not UTF-8: {e}", dir.join(name).display()))
            })
        };
        let gz = read("gazetteer.tsv.gz")?;
        let mut tsv = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut tsv)
            .map_err(|source| GeoError::Io {
                path: dir.join("gazetteer.tsv.gz").display().to_string(),
                source,
            })?;
        let mut g = Gazetteer::from_parts(
            &tsv,
            &text("countries.tsv")?,
            &text("demonyms.tsv")?,
            &text("common_words.txt")?,
            &text("first_names.txt")?,
        )?;
        g.set_surnames(&text("surnames.txt")?);
        Ok(g)
    }

    /// Sets the list of frequent surnames (one a line; `#` comments).
    pub fn set_surnames(&mut self, list: &str) {
        self.surnames = word_set(list);
    }

    /// Builds a gazetteer from the text of its files (formats: see
    /// `scripts/build_gazetteer.py`).
    pub fn from_parts(
        gazetteer_tsv: &str,
        countries_tsv: &str,
        demonyms_tsv: &str,
        common_words: &str,
        first_names: &str,
    ) -> Result<Gazetteer, GeoError> {
        let err = |file: &str, line: usize, msg: String| GeoError::Parse {
            file: file.to_string(),
            line,
            msg,
        };
        let mut places = Vec::with_capacity(180_000);
        let mut index = Vec::with_capacity(900_000);
        let mut max_words = 1;
        for (ln, line) in gazetteer_tsv.lines().enumerate() {
            let ln = ln + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 10 && f.len() != 11 {
                return Err(err(
                    "gazetteer.tsv",
                    ln,
                    format!("expected 11 fields, got {}", f.len()),
                ));
            }
            let num = |i: usize, what: &str| -> Result<f64, GeoError> {
                f[i].parse::<f64>()
                    .map_err(|_| err("gazetteer.tsv", ln, format!("bad {what} {:?}", f[i])))
            };
            let id: u32 = f[0]
                .parse()
                .map_err(|_| err("gazetteer.tsv", ln, format!("bad id {:?}", f[0])))?;
            let population: u64 = f[8]
                .parse()
                .map_err(|_| err("gazetteer.tsv", ln, format!("bad population {:?}", f[8])))?;
            let place = Place {
                geonameid: (id != 0).then_some(id),
                name: f[1].to_string(),
                lat: num(2, "latitude")? as f32,
                lon: num(3, "longitude")? as f32,
                feature_class: f[4].chars().next().unwrap_or('P'),
                feature_code: f[5].to_string(),
                cc: f[6].to_string(),
                admin1: f[7].to_string(),
                population,
            };
            let pi = places.len() as u32;
            let primary = f
                .get(10)
                .copied()
                .unwrap_or("")
                .split('|')
                .map(|a| (a, false));
            let names = std::iter::once((f[1], false))
                .chain(primary)
                .chain(f[9].split('|').map(|a| (a, true)));
            for (name, alt) in names {
                let n = normalize(name);
                if n.is_empty() {
                    continue;
                }
                max_words = max_words.max(n.split(' ').count());
                index.push((fnv(&n), pi, alt));
            }
            places.push(place);
        }
        if places.is_empty() {
            return Err(GeoError::Load("gazetteer.tsv has no places".into()));
        }
        index.sort_unstable();
        index.dedup_by_key(|e| (e.0, e.1));

        let mut countries = HashMap::new();
        for (ln, line) in countries_tsv.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 6 {
                return Err(err(
                    "countries.tsv",
                    ln + 1,
                    format!("expected 6 fields, got {}", f.len()),
                ));
            }
            let c = Country {
                iso2: f[0].to_string(),
                iso3: f[1].to_string(),
                fips: f[2].to_string(),
                geonameid: f[3]
                    .parse()
                    .map_err(|_| err("countries.tsv", ln + 1, format!("bad id {:?}", f[3])))?,
                name: f[4].to_string(),
                neighbours: f[5]
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            };
            countries.insert(c.iso2.clone(), c);
        }
        let mut demonyms = HashMap::new();
        for (ln, line) in demonyms_tsv.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (d, cc) = line
                .split_once('\t')
                .ok_or_else(|| err("demonyms.tsv", ln + 1, "expected `demonym<TAB>iso2`".into()))?;
            demonyms.insert(normalize(d), cc.to_string());
        }
        let mut by_id = HashMap::new();
        let mut country_place = HashMap::new();
        let mut admin1 = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            if let Some(id) = p.geonameid {
                by_id.entry(id).or_insert(i as u32);
            }
            if p.is_country() {
                country_place.insert(p.cc.clone(), i as u32);
            } else if p.is_admin1() {
                admin1.insert((p.cc.clone(), p.admin1.clone()), i as u32);
            }
        }
        Ok(Gazetteer {
            places,
            index,
            max_words,
            by_id,
            countries,
            country_place,
            admin1,
            common: word_set(common_words),
            first_names: word_set(first_names),
            surnames: HashSet::new(),
            demonyms,
        })
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
    /// Number of (name, place) index entries.
    pub fn index_len(&self) -> usize {
        self.index.len()
    }
    /// Most words in one indexed name.
    pub fn max_words(&self) -> usize {
        self.max_words
    }
    /// Place by index (as returned by [`Gazetteer::lookup_ids`]).
    pub fn place(&self, i: u32) -> &Place {
        &self.places[i as usize]
    }
    /// Indices of the places called `name` (any spelling; normalised first).
    pub fn lookup_ids(&self, name: &str) -> Vec<u32> {
        self.lookup_norm(&normalize(name))
    }
    /// Places called `name`.
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        self.lookup_ids(name)
            .into_iter()
            .map(|i| self.place(i))
            .collect()
    }
    /// Like [`Gazetteer::lookup_ids`] for an already normalised name.
    pub(crate) fn lookup_norm(&self, norm: &str) -> Vec<u32> {
        self.lookup_entries(norm).into_iter().map(|e| e.0).collect()
    }
    /// Places called `norm` (normalised), each with whether `norm` is only
    /// one of its alternate names (not its name or the ASCII spelling of it).
    pub(crate) fn lookup_entries(&self, norm: &str) -> Vec<(u32, bool)> {
        if norm.is_empty() {
            return Vec::new();
        }
        let h = fnv(norm);
        let lo = self.index.partition_point(|e| e.0 < h);
        self.index[lo..]
            .iter()
            .take_while(|e| e.0 == h)
            .map(|e| (e.1, e.2))
            .collect()
    }
    pub fn by_geonameid(&self, id: u32) -> Option<&Place> {
        self.by_id.get(&id).map(|&i| self.place(i))
    }
    pub fn country(&self, iso2: &str) -> Option<&Country> {
        self.countries.get(iso2)
    }
    /// The gazetteer entry of a country.
    pub fn country_place(&self, iso2: &str) -> Option<&Place> {
        self.country_place.get(iso2).map(|&i| self.place(i))
    }
    /// The first-level division `admin1` of country `iso2`.
    pub fn admin1_place(&self, iso2: &str, admin1: &str) -> Option<&Place> {
        self.admin1
            .get(&(iso2.to_string(), admin1.to_string()))
            .map(|&i| self.place(i))
    }
    /// Index of the entry of country `iso2`.
    pub(crate) fn country_index(&self, iso2: &str) -> Option<u32> {
        self.country_place.get(iso2).copied()
    }
    /// Index of the first-level division `admin1` of country `iso2`.
    pub(crate) fn admin1_index(&self, iso2: &str, admin1: &str) -> Option<u32> {
        self.admin1
            .get(&(iso2.to_string(), admin1.to_string()))
            .copied()
    }
    /// Whether a normalised single word is also a common English word.
    pub fn is_common_word(&self, norm: &str) -> bool {
        self.common.contains(norm)
    }
    /// Whether a normalised word is a frequent first name.
    pub fn is_first_name(&self, norm: &str) -> bool {
        self.first_names.contains(norm)
    }
    /// Whether a normalised word is a frequent surname.
    pub fn is_surname(&self, norm: &str) -> bool {
        self.surnames.contains(norm)
    }
    /// Country (ISO2) of a demonym ("Syrian" → `SY`).
    pub fn demonym_country(&self, word: &str) -> Option<&str> {
        self.demonyms.get(&normalize(word)).map(String::as_str)
    }
    /// Whether two countries share a border.
    pub fn are_neighbours(&self, a: &str, b: &str) -> bool {
        self.countries
            .get(a)
            .is_some_and(|c| c.neighbours.iter().any(|n| n == b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "#header\n\
        1\tSpringfield\t39.80\t-89.64\tP\tPPL\tUS\tIL\t116000\t\n\
        2\tSpringfield\t37.21\t-93.29\tP\tPPL\tUS\tMO\t166000\tSpringfeld\n\
        3\tIllinois\t40.0\t-89.0\tA\tADM1\tUS\tIL\t12000000\t\n\
        4\tUnited States\t38\t-97\tA\tPCLI\tUS\t\t327000000\tU.S.|America\n";
    const COUNTRIES: &str = "US\tUSA\tUS\t4\tUnited States\tCA,MX\n";

    #[test]
    fn indexes_names_and_alternates() {
        let g = Gazetteer::from_parts(TSV, COUNTRIES, "American\tUS\n", "", "John\n").unwrap();
        assert_eq!(g.len(), 4);
        assert_eq!(g.lookup("springfield").len(), 2);
        assert_eq!(g.lookup("Springfeld")[0].admin1, "MO");
        assert_eq!(g.lookup("U.S.")[0].name, "United States");
        assert!(g.lookup("Chicago").is_empty());
        assert_eq!(
            g.admin1_place("US", "IL").map(|p| p.name.as_str()),
            Some("Illinois")
        );
        assert_eq!(g.country("US").map(|c| c.iso3.as_str()), Some("USA"));
        assert_eq!(g.demonym_country("American"), Some("US"));
        assert!(g.is_first_name("john"));
        assert!(g.are_neighbours("US", "MX"));
    }

    #[test]
    fn reports_bad_lines_with_position() {
        let bad = "1\tX\tnot-a-number\t0\tP\tPPL\tUS\t\t5\t\n";
        let e = Gazetteer::from_parts(bad, "", "", "", "")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("gazetteer.tsv:1") && e.contains("latitude"),
            "{e}"
        );
        let short = "1\tX\n";
        assert!(Gazetteer::from_parts(short, "", "", "", "").is_err());
    }

    #[test]
    fn embedded_gazetteer_loads() {
        let g = Gazetteer::embedded().unwrap();
        assert!(g.len() > 170_000, "{}", g.len());
        assert!(g
            .lookup("Paris")
            .iter()
            .any(|p| p.cc == "FR" && p.feature_code == "PPLC"));
        assert!(g.lookup("Gaza Strip").iter().any(|p| p.cc == "PS"));
        assert!(g.lookup("Illinois").iter().any(|p| p.is_admin1()));
        assert!(g
            .lookup("Tamil Nadu")
            .iter()
            .any(|p| p.is_admin1() && p.cc == "IN"));
    }
}
