//! Entity mentions of the CoNLL 2012 bracket format as GUM writes it in the
//! CoNLL-U MISC column (`Entity=(12-person-giv:act-…-Jared_Padalecki` opens a
//! mention, `12)` closes it, `(7-place-…)` is a one-word mention).
//!
//! The fields of one opening are hyphen-separated as the document's
//! `# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity`
//! comment names them; only the group id, the entity type and the identity
//! (Wikification, present for named entities with a Wikipedia page) are kept.
//! Mentions are read per sentence; an opening without its closing bracket in
//! the same sentence (or a closing without an opening) is dropped.

use crate::conllu::Sentence;

/// One entity mention over words `start..end` (0-based word indices, end
/// exclusive) of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// Coreference group id (`12`).
    pub group: String,
    /// Entity type (`person`, `place`, `organization`, `time`, …).
    pub etype: String,
    /// Wikification identity (`Jared_Padalecki`), when given.
    pub identity: Option<String>,
}

/// The `Entity=` value of a MISC column, if any.
fn entity_value(misc: &str) -> Option<&str> {
    misc.split('|').find_map(|kv| kv.strip_prefix("Entity="))
}

/// Fields of one opening bracket body: group, type, identity (8th field and
/// anything after it, rejoined with `-` since identities may hold hyphens).
fn fields(body: &str) -> (String, String, Option<String>) {
    let parts: Vec<&str> = body.split('-').collect();
    let group = parts.first().copied().unwrap_or("").to_string();
    let etype = parts.get(1).copied().unwrap_or("").to_string();
    let identity = if parts.len() > 7 {
        Some(parts[7..].join("-")).filter(|s| !s.is_empty())
    } else {
        None
    };
    (group, etype, identity)
}

/// All well-formed mentions of a sentence, in order of their closing.
pub fn mentions(s: &Sentence) -> Vec<Mention> {
    let mut out = Vec::new();
    // Open mentions: (group, start, type, identity).
    let mut open: Vec<(String, usize, String, Option<String>)> = Vec::new();
    for (i, w) in s.words.iter().enumerate() {
        let Some(v) = entity_value(&w.misc) else {
            continue;
        };
        let mut rest = v;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('(') {
                // Body runs to the next bracket.
                let end = r.find(['(', ')']).unwrap_or(r.len());
                let body = &r[..end];
                let (group, etype, identity) = fields(body);
                if r[end..].starts_with(')') {
                    out.push(Mention {
                        start: i,
                        end: i + 1,
                        group,
                        etype,
                        identity,
                    });
                    rest = &r[end + 1..];
                } else {
                    open.push((group, i, etype, identity));
                    rest = &r[end..];
                }
            } else {
                // A closing `id)`, or stray text up to the next bracket.
                let end = rest.find(['(', ')']).unwrap_or(rest.len());
                let id = &rest[..end];
                if rest[end..].starts_with(')') {
                    if let Some(k) = open.iter().rposition(|o| o.0 == id) {
                        let (group, start, etype, identity) = open.remove(k);
                        out.push(Mention {
                            start,
                            end: i + 1,
                            group,
                            etype,
                            identity,
                        });
                    }
                    rest = &rest[end + 1..];
                } else {
                    rest = &rest[end..];
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;

    const SAMPLE: &str = "\
# text = Claire Bailey-Ross, University of Portsmouth, United Kingdom
1\tClaire\tClaire\tPROPN\tNNP\t_\t0\troot\t_\tEntity=(6-person-new-nnnnn-cf1-1,2,4-coref
2\tBailey-Ross\tBailey-Ross\tPROPN\tNNP\t_\t1\tflat\t_\tEntity=6)
3\t,\t,\tPUNCT\t,\t_\t4\tpunct\t_\t_
4\tUniversity\tUniversity\tPROPN\tNNP\t_\t1\tlist\t_\tEntity=(8-organization-new-nnnnn-cf3-3,5,6-sgl-University_of_Portsmouth
5\tof\tof\tADP\tIN\t_\t6\tcase\t_\t_
6\tPortsmouth\tPortsmouth\tPROPN\tNNP\t_\t4\tnmod\t_\tEntity=(9-place-new-nnnnn-cf4-3,4-sgl-Portsmouth|SpaceAfter=No
7\t,\t,\tPUNCT\t,\t_\t9\tpunct\t_\t_
8\tUnited\tUnite\tVERB\tNNP\t_\t9\tamod\t_\tEntity=(10-place-new-nnnnn-cf5-1,2-coref-United_Kingdom
9\tKingdom\tKingdom\tPROPN\tNNP\t_\t6\tlist\t_\tEntity=10)9)8)
10\tit\tit\tPRON\tPRP\t_\t1\tdep\t_\tEntity=(11-abstract-new-nnnnn-cf1-1-sgl)|MSeg=it
11\tx\tx\tX\tFW\t_\t1\tdep\t_\tEntity=77)(12-time-new
";

    #[test]
    fn reads_nested_single_and_unbalanced_mentions() {
        let s = parse(SAMPLE).expect("parses");
        let m = mentions(&s[0]);
        let got: Vec<(usize, usize, &str, Option<&str>)> = m
            .iter()
            .map(|m| (m.start, m.end, m.etype.as_str(), m.identity.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, 2, "person", None),
                (7, 9, "place", Some("United_Kingdom")),
                (5, 9, "place", Some("Portsmouth")),
                (3, 9, "organization", Some("University_of_Portsmouth")),
                (9, 10, "abstract", None),
            ]
        );
        assert_eq!(m[0].group, "6");
    }
}
