//! Building [`Event`] records: CAMEO facts (root, QuadClass, Goldstein,
//! PLOVER), actor references, and per-sentence deduplication.

use petrel_actors::ResolvedActor;
use petrel_dict::{quad_class, CameoCode};
use petrel_doc::{ActorRef, Event};
use std::collections::HashMap;

/// Root-level Goldstein values (CAMEO_notes §3), used when the dictionary
/// has no code table (PETRARCH dictionaries).
const ROOT_GOLDSTEIN: [f32; 20] = [
    0.0, 3.0, 4.0, 1.0, 3.5, 6.0, 7.0, 5.0, -2.0, -5.0, -2.0, -4.0, -6.0, -6.5, -7.2, -4.0, -7.0,
    -9.0, -10.0, -10.0,
];

/// The 2-digit root of a CAMEO code (`"0311"` → `"03"`).
pub fn root_of(code: &str) -> String {
    code.chars().take(2).collect()
}

/// Goldstein value and PLOVER type/mode of a code: the code table entry, or
/// that of its nearest ancestor (3-digit, then root), or the root-level
/// Goldstein value and root-level PLOVER type ([`plover_of`]).
pub fn cameo_facts(
    table: &HashMap<String, CameoCode>,
    code: &str,
) -> (f32, Option<String>, Option<String>) {
    for k in (2..=code.len()).rev() {
        if let Some(c) = code.get(..k).and_then(|p| table.get(p)) {
            return (c.goldstein, c.plover_type.clone(), c.plover_mode.clone());
        }
    }
    let g = root_of(code)
        .parse::<usize>()
        .ok()
        .filter(|r| (1..=20).contains(r))
        .map(|r| ROOT_GOLDSTEIN[r - 1]);
    let (t, m) = plover_of(code);
    (g.unwrap_or(0.0), t.map(String::from), m.map(String::from))
}

/// PLOVER event type (and mode, where the crosswalk fixes one) of a CAMEO
/// code by its root, after the CAMEO→PLOVER mapping (CAMEO_notes §4); 01/02
/// have no PLOVER type.
pub fn plover_of(code: &str) -> (Option<&'static str>, Option<&'static str>) {
    let root = root_of(code);
    let t = match root.as_str() {
        "03" => "AGREE",
        "04" => "CONSULT",
        "05" => "SUPPORT",
        "06" => "COOPERATE",
        "07" => "AID",
        "08" => {
            if code.len() >= 3 && code.get(2..3).is_some_and(|d| ("4"..="7").contains(&d)) {
                "RETREAT"
            } else {
                "CONCEDE"
            }
        }
        "09" => return (Some("ACCUSE"), Some("investigate")),
        "10" => "REQUEST",
        "11" => "ACCUSE",
        "12" => "REJECT",
        "13" => "THREATEN",
        "14" => "PROTEST",
        "15" => "MOBILIZE",
        "16" => "SANCTION",
        "17" => "COERCE",
        "18" | "19" | "20" => "ASSAULT",
        _ => return (None, None),
    };
    (Some(t), None)
}

pub fn actor_ref(a: &ResolvedActor) -> ActorRef {
    ActorRef {
        code: a.code.clone(),
        span: a.span,
        tokens: a.tokens.clone(),
        via: a.via.clone(),
    }
}

/// Fills the code-derived fields of an event.
pub fn set_code(e: &mut Event, table: &HashMap<String, CameoCode>, code: &str) {
    let (g, pt, pm) = cameo_facts(table, code);
    e.cameo = code.to_string();
    e.root = root_of(code);
    e.quad_class = quad_class(&e.root);
    e.goldstein = g;
    e.plover_type = pt;
    e.plover_mode = pm;
}

/// Removes events with the same (source, target, code) as an earlier one.
pub fn dedup(events: &mut Vec<Event>) {
    let mut seen = std::collections::HashSet::new();
    events.retain(|e| {
        let key = (
            e.source.as_ref().map(|a| a.code.clone()),
            e.target.as_ref().map(|a| a.code.clone()),
            e.cameo.clone(),
            e.sentence,
        );
        seen.insert(key)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goldstein_falls_back_to_ancestors_and_roots() {
        let mut t = HashMap::new();
        t.insert(
            "19".to_string(),
            CameoCode {
                code: "19".into(),
                name: "FIGHT".into(),
                goldstein: -10.0,
                plover_type: Some("ASSAULT".into()),
                plover_mode: None,
            },
        );
        assert_eq!(cameo_facts(&t, "193").0, -10.0);
        assert_eq!(cameo_facts(&t, "193").1.as_deref(), Some("ASSAULT"));
        assert_eq!(cameo_facts(&HashMap::new(), "0311").0, 4.0);
        assert_eq!(
            cameo_facts(&HashMap::new(), "0311").1.as_deref(),
            Some("AGREE")
        );
        assert_eq!(plover_of("084"), (Some("RETREAT"), None));
        assert_eq!(plover_of("081"), (Some("CONCEDE"), None));
        assert_eq!(plover_of("090"), (Some("ACCUSE"), Some("investigate")));
        assert_eq!(plover_of("010"), (None, None));
        assert_eq!(cameo_facts(&HashMap::new(), "161").0, -4.0);
        assert_eq!(cameo_facts(&HashMap::new(), "abc").0, 0.0);
        assert_eq!(root_of("0311"), "03");
    }
}
