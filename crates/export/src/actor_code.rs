//! Splitting a CAMEO actor code (`USAGOVMIL`, `IGOMOSOIC`, `baqGOV`) into the
//! GDELT actor fields: country, known group, ethnic, religions, types.
//!
//! A CAMEO actor code is a sequence of 3-character chunks. A chunk is read as:
//! - a **country** or CAMEO region (ISO 3166-1 alpha-3 plus CAMEO's regional
//!   and legacy codes) — the first one found;
//! - an **ethnic** code when it is lower case (`baq`, `kur`);
//! - a **religion** (`MOS`, `CHR`, `SUN` …) — first and second;
//! - a **role type** (`GOV`, `MIL`, `REB` …) — up to three;
//! - otherwise an upper-case chunk is a **known group** (`ALQ`, `OIC`, `HEZ`),
//!   the first one found.
//!
//! This is what GDELT does, checked against its real rows (see the tests),
//! with one deliberate difference: `REL` (religious actor) is a CAMEO role
//! type that GDELT's type table lacks; we report it as a type.

/// The GDELT actor attribute fields derived from one actor code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActorFields {
    pub country: String,
    pub known_group: String,
    pub ethnic: String,
    pub religion1: String,
    pub religion2: String,
    pub types: [String; 3],
}

/// CAMEO role/sector types (GDELT's `Actor*Type*Code`).
const TYPES: &[&str] = &[
    "COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM",
    "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF", "MOD", "RAD",
    "AMN", "IRC", "GRP", "UNO", "PKO", "UIS", "IGO", "IMG", "INT", "MNC", "NGM", "NGO", "SET",
    "REL",
];

/// CAMEO religion codes.
const RELIGIONS: &[&str] = &[
    "ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "CPT", "CTH", "DOX", "DRZ", "HIN", "HSD",
    "ITR", "JAN", "JEW", "JHW", "LDS", "MOS", "MRN", "NRM", "PAG", "PRO", "SFI", "SHI", "SHN",
    "SIK", "SUN", "TAO", "UDX", "ZRO",
];

/// CAMEO regions and legacy country codes that are not ISO 3166-1 alpha-3.
const REGIONS: &[&str] = &[
    "WSB", "BAG", "GZS", "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF",
    "EEU", "EUR", "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF",
    "WAF", "WST", "TMP", "ROM", "ANT", "KSV", "YUG", "SCG", "ZAR", "BUR",
];

/// ISO 3166-1 alpha-3 country codes.
const ISO3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

/// Whether `c` is a country or CAMEO region code.
pub fn is_country(c: &str) -> bool {
    ISO3.binary_search(&c).is_ok() || REGIONS.contains(&c)
}

/// Whether `c` is a CAMEO role type.
pub fn is_type(c: &str) -> bool {
    TYPES.contains(&c)
}

/// Whether `c` is a CAMEO religion code.
pub fn is_religion(c: &str) -> bool {
    RELIGIONS.contains(&c)
}

/// Splits an actor code into GDELT's fields. Codes whose length is not a
/// multiple of 3, or with non-letters, are split as far as possible: a
/// trailing fragment is ignored.
pub fn split_actor_code(code: &str) -> ActorFields {
    let mut f = ActorFields::default();
    let mut ntypes = 0;
    let chars: Vec<char> = code.chars().collect();
    for chunk in chars.chunks(3) {
        if chunk.len() < 3 || !chunk.iter().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let c: String = chunk.iter().collect();
        if chunk.iter().all(|c| c.is_ascii_lowercase()) {
            if f.ethnic.is_empty() {
                f.ethnic = c;
            }
        } else if !chunk.iter().all(|c| c.is_ascii_uppercase()) {
            continue;
        } else if is_country(&c) && f.country.is_empty() {
            f.country = c;
        } else if is_religion(&c) {
            if f.religion1.is_empty() {
                f.religion1 = c;
            } else if f.religion2.is_empty() {
                f.religion2 = c;
            }
        } else if is_type(&c) {
            if ntypes < 3 {
                f.types[ntypes] = c;
                ntypes += 1;
            }
        } else if f.known_group.is_empty() && !is_country(&c) {
            f.known_group = c;
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_table_is_sorted() {
        assert!(ISO3.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn splits_typical_codes() {
        let f = split_actor_code("USAGOVMIL");
        assert_eq!(f.country, "USA");
        assert_eq!(
            f.types,
            ["GOV".to_string(), "MIL".to_string(), String::new()]
        );
        let f = split_actor_code("IGOMOSOIC");
        assert_eq!(
            (
                f.country.as_str(),
                f.known_group.as_str(),
                f.religion1.as_str()
            ),
            ("", "OIC", "MOS")
        );
        assert_eq!(f.types[0], "IGO");
        let f = split_actor_code("MNCUSAMED");
        assert_eq!(
            (f.country.as_str(), f.types[0].as_str(), f.types[1].as_str()),
            ("USA", "MNC", "MED")
        );
        let f = split_actor_code("baqGOV");
        assert_eq!(
            (f.ethnic.as_str(), f.types[0].as_str(), f.country.as_str()),
            ("baq", "GOV", "")
        );
        assert_eq!(split_actor_code(""), ActorFields::default());
        // A trailing fragment is ignored, not a panic.
        assert_eq!(split_actor_code("COLGO").country, "COL");
        assert_eq!(split_actor_code("Bogotá").country, "");
    }
}
