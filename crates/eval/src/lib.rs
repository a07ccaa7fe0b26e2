//! Petrel's evaluation harness: scores coded output against the dev sets in
//! `../shared/data` and reports precision and recall separately (over-production
//! counts against us).
//!
//! The scorers here know the dev-set formats and the metrics; they do not know
//! how a document is analysed. They take an [`Annotator`] (the pipeline, or any
//! other producer of coded `Doc`s), so the same scorer measures Petrel with its
//! own analysis, with supplied parses, or with other dictionaries.

pub mod conflibert;
pub mod metrics;
pub mod petr;
pub mod petrarch;
pub mod plv;

use petrel_doc::Doc;

/// Anything that turns a text into a coded [`Doc`].
pub trait Annotator: Sync {
    fn annotate(&self, id: &str, text: &str, date: Option<chrono::NaiveDate>) -> Doc;
}

/// CAMEO PentaClass of a code, in the Phoenix convention that ConfliBERT's
/// `cameo_class` labels follow: 0 statements (01–02), 1 verbal cooperation
/// (03–05), 2 material cooperation (06–08), 3 verbal conflict (09–13 and 16,
/// reduce relations), 4 material conflict (14–15, 17–20). The labels put
/// sanctions, expulsions and severed ties (16) in class 3: of the 120 training
/// sentences mentioning them, 69 are labelled 3 and 17 labelled 4.
pub fn penta_class(root: &str) -> Option<u8> {
    match root.get(..2)?.parse::<u8>().ok()? {
        1..=2 => Some(0),
        3..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 | 16 => Some(3),
        14..=15 | 17..=20 => Some(4),
        _ => None,
    }
}

/// Path of the shared data folder (`../shared/data` beside the checkout), if present.
pub fn shared_data() -> Option<std::path::PathBuf> {
    let candidates = [
        std::env::var_os("PETREL_SHARED_DATA").map(std::path::PathBuf::from),
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")),
        Some(std::path::PathBuf::from("../shared/data")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn penta_classes_follow_the_dataset_definition() {
        assert_eq!(penta_class("01"), Some(0));
        assert_eq!(penta_class("0256"), Some(0));
        assert_eq!(penta_class("036"), Some(1));
        assert_eq!(penta_class("0871"), Some(2));
        assert_eq!(penta_class("112"), Some(3));
        assert_eq!(penta_class("161"), Some(3));
        assert_eq!(penta_class("145"), Some(4));
        assert_eq!(penta_class("173"), Some(4));
        assert_eq!(penta_class("x"), None);
        assert_eq!(penta_class("21"), None);
    }
}
