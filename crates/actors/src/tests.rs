use super::*;
use crate::testutil::doc_from_table;
use petrel_dict::{Actor, Agent, DatedCode};

fn actor(id: &str, code: &str, names: &[&str]) -> Actor {
    Actor {
        id: id.into(),
        names: names
            .iter()
            .map(|n| n.split(' ').map(String::from).collect())
            .collect(),
        codes: vec![DatedCode {
            code: code.into(),
            from: None,
            to: None,
        }],
    }
}

fn agent(id: &str, code: &str, join: AgentJoin, names: &[&str]) -> Agent {
    Agent {
        id: id.into(),
        names: names
            .iter()
            .map(|n| n.split(' ').map(String::from).collect())
            .collect(),
        code: code.into(),
        join,
    }
}

fn dict() -> Dictionaries {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut petro = actor("a.txt:9", "COLELI", &["gustavo petro", "petro"]);
    petro.codes.insert(
        0,
        DatedCode {
            code: "COLGOV".into(),
            from: d("2022-08-07"),
            to: None,
        },
    );
    Dictionaries {
        actors: vec![
            actor("a.txt:1", "COL", &["colombia", "colombian", "colombians"]),
            actor("a.txt:2", "ARN", &["arnor"]),
            actor("a.txt:3", "OSG", &["osgiliath"]),
            actor("a.txt:4", "GON", &["gondor"]),
            actor("a.txt:5", "ARG", &["argentin*"]),
            actor("a.txt:6", "FRO/BIL", &["the shire"]),
            actor("a.txt:7", "DNK", &["danish"]),
            petro,
        ],
        agents: vec![
            agent(
                "g.txt:1",
                "GOV",
                AgentJoin::Append,
                &["government", "ambassador", "president"],
            ),
            agent("g.txt:2", "COP", AgentJoin::Append, &["police"]),
            agent("g.txt:3", "MED", AgentJoin::Append, &["media"]),
            agent("g.txt:4", "NGO", AgentJoin::Prepend, &["msf"]),
        ],
        ..Dictionaries::default()
    }
}

fn codes(r: &ActorResolver, doc: &Doc, head: u32) -> Vec<String> {
    let tree = SentTree::new(doc, 0..doc.tokens.len() as u32);
    r.resolve_all(doc, &tree, head, doc.published)
        .into_iter()
        .map(|a| a.code)
        .collect()
}

#[test]
fn demonym_plus_agent() {
    let doc = doc_from_table(
        "1 Colombian Colombian ADJ JJ 2 amod
         2 police police NOUN NNS 3 nsubj
         3 arrived arrive VERB VBD 0 root",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    assert_eq!(codes(&r, &doc, 1), vec!["COLCOP"]);
    let a = r.resolve_np(&doc, 1, None).unwrap();
    assert_eq!(a.via, "a.txt:1+g.txt:2");
    assert_eq!(doc.span_text(a.span), "Colombian police");
}

#[test]
fn possessive_and_of_phrase() {
    let doc = doc_from_table(
        "1 Gondor Gondor PROPN NNP 3 nmod:poss
         2 's 's PART POS 1 case
         3 government government NOUN NN 4 nsubj
         4 met meet VERB VBD 0 root
         5 ambassadors ambassador NOUN NNS 4 obj
         6 of of ADP IN 7 case
         7 Arnor Arnor PROPN NNP 5 nmod",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    assert_eq!(codes(&r, &doc, 2), vec!["GONGOV"]);
    assert_eq!(codes(&r, &doc, 4), vec!["ARNGOV"]);
}

#[test]
fn agent_shared_across_coordinated_countries() {
    let doc = doc_from_table(
        "1 The the DET DT 2 det
         2 ambassadors ambassador NOUN NNS 9 nsubj
         3 of of ADP IN 4 case
         4 Arnor Arnor PROPN NNP 2 nmod
         5 , , PUNCT , 6 punct
         6 Osgiliath Osgiliath PROPN NNP 4 conj
         7 and and CCONJ CC 8 cc
         8 Gondor Gondor PROPN NNP 4 conj
         9 left leave VERB VBD 0 root",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    assert_eq!(codes(&r, &doc, 1), vec!["ARNGOV", "OSGGOV", "GONGOV"]);
}

#[test]
fn coordinated_heads_share_modifiers_only_when_lacking_an_actor() {
    let doc = doc_from_table(
        "1 Danish Danish ADJ JJ 2 amod
         2 media media NOUN NN 5 nsubj
         3 and and CCONJ CC 4 cc
         4 government government NOUN NN 2 conj
         5 warned warn VERB VBD 0 root
         6 Arnor Arnor PROPN NNP 5 obj
         7 and and CCONJ CC 8 cc
         8 Gondor Gondor PROPN NNP 6 conj",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    assert_eq!(codes(&r, &doc, 1), vec!["DNKMED", "DNKGOV"]);
    assert_eq!(codes(&r, &doc, 5), vec!["ARN", "GON"]);
}

#[test]
fn bare_agent_options_prefix_stems_and_multi_codes() {
    let doc = doc_from_table(
        "1 police police NOUN NNS 2 nsubj
         2 met meet VERB VBD 0 root
         3 Argentine Argentine ADJ JJ 4 amod
         4 MSF MSF PROPN NNP 2 obj
         5 the the DET DT 6 det
         6 Shire Shire PROPN NNP 2 obl",
    )
    .unwrap();
    let d = dict();
    assert_eq!(codes(&ActorResolver::new(&d), &doc, 0), vec!["COP"]);
    let p = ActorResolver::with_options(&d, ActorOptions::petrarch());
    assert_eq!(codes(&p, &doc, 0), vec!["---COP"]);
    let none = ActorResolver::with_options(
        &d,
        ActorOptions {
            bare_agent: BareAgent::Drop,
            former_as_elite: true,
        },
    );
    assert!(codes(&none, &doc, 0).is_empty());
    assert_eq!(codes(&p, &doc, 3), vec!["NGOARG"]);
    assert_eq!(codes(&p, &doc, 5), vec!["FRO", "BIL"]);
}

#[test]
fn dated_person_codes() {
    let mut doc = doc_from_table(
        "1 Gustavo Gustavo PROPN NNP 2 compound
         2 Petro Petro PROPN NNP 3 nsubj
         3 spoke speak VERB VBD 0 root",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    doc.published = NaiveDate::from_ymd_opt(2023, 1, 1);
    assert_eq!(codes(&r, &doc, 1), vec!["COLGOV"]);
    doc.published = NaiveDate::from_ymd_opt(2020, 1, 1);
    assert_eq!(codes(&r, &doc, 1), vec!["COLELI"]);
}

#[test]
fn annotate_adds_entities_and_never_panics_on_bad_trees() {
    let mut doc = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 met meet VERB VBD 3 root
         3 Gustavo Gustavo PROPN NNP 4 compound
         4 Petro Petro PROPN NNP 2 obj",
    )
    .unwrap();
    // Introduce a cycle 2 → 3 → 4 → 2.
    doc.published = NaiveDate::from_ymd_opt(2023, 1, 1);
    let r = ActorResolver::new(&dict());
    let _ = codes(&r, &doc, 1);
    let _ = codes(&r, &doc, 99);
    r.annotate(&mut doc);
    let got: Vec<_> = doc
        .entities
        .iter()
        .map(|e| (e.code.clone().unwrap(), e.label))
        .collect();
    assert_eq!(
        got,
        vec![
            ("COL".to_string(), EntityLabel::Gpe),
            ("COLGOV".to_string(), EntityLabel::Person)
        ]
    );
}

#[test]
fn former_officials_are_elites() {
    let doc = doc_from_table(
        "1 former former ADJ JJ 3 amod
         2 Gondor Gondor PROPN NNP 3 compound
         3 police police NOUN NNS 4 nsubj
         4 spoke speak VERB VBD 0 root",
    )
    .unwrap();
    let d = dict();
    assert_eq!(codes(&ActorResolver::new(&d), &doc, 2), vec!["GONELI"]);
    let off = ActorResolver::with_options(
        &d,
        ActorOptions {
            former_as_elite: false,
            ..ActorOptions::default()
        },
    );
    assert_eq!(codes(&off, &doc, 2), vec!["GONCOP"]);
}

#[test]
fn apposition_names_an_unresolved_head() {
    let doc = doc_from_table(
        "1 The the DET DT 2 det
         2 leader leader NOUN NN 6 nsubj
         3 , , PUNCT , 5 punct
         4 Gustavo Gustavo PROPN NNP 5 compound
         5 Petro Petro PROPN NNP 2 appos
         6 spoke speak VERB VBD 0 root",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    assert_eq!(codes(&r, &doc, 1), vec!["COLELI"]);
}
