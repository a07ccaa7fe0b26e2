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
            ..ActorOptions::default()
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

/// Rewrites the text of a one-sentence doc so that the tokens at `glued`
/// touch the token before them ("Jong" "-" "un" → "Jong-un").
fn glue(doc: &mut Doc, glued: &[u32]) {
    let words: Vec<String> = (0..doc.tokens.len())
        .map(|i| doc.token_text(i).to_string())
        .collect();
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 && !glued.contains(&(i as u32)) {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(w);
        doc.tokens.span[i] = petrel_doc::Span::new(start, text.len());
    }
    for s in &mut doc.sentences {
        s.span = petrel_doc::Span::new(0, text.len());
    }
    doc.text = text;
}

#[test]
fn span_is_the_noun_phrase_without_preposition_or_time() {
    let doc = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 severed sever VERB VBD 0 root
         3 ties tie NOUN NNS 2 obj
         4 with with ADP IN 5 case
         5 Gondor Gondor PROPN NNP 3 nmod
         6 on on ADP IN 7 case
         7 Wednesday Wednesday PROPN NNP 5 nmod
         8 , , PUNCT , 10 punct
         9 which which PRON WDT 10 nsubj
         10 angered anger VERB VBD 5 acl:relcl
         11 Arnor Arnor PROPN NNP 10 obj",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    let tree = SentTree::new(&doc, 0..doc.tokens.len() as u32);
    let a = &r.resolve_all(&doc, &tree, 4, None)[0];
    assert_eq!(a.code, "GON");
    assert_eq!(doc.span_text(a.span), "Gondor");
    assert_eq!(np_extent(&doc, &tree, 4), 4..5);
    // The `of` phrase and determiner belong to the phrase.
    let doc = doc_from_table(
        "1 the the DET DT 2 det
         2 ambassadors ambassador NOUN NNS 5 nsubj
         3 of of ADP IN 4 case
         4 Gondor Gondor PROPN NNP 2 nmod
         5 left leave VERB VBD 0 root
         6 on on ADP IN 7 case
         7 Friday Friday PROPN NNP 5 obl",
    )
    .unwrap();
    let a = r.resolve_np(&doc, 1, None).unwrap();
    assert_eq!(
        (a.code.as_str(), doc.span_text(a.span)),
        ("GONGOV", "the ambassadors of Gondor")
    );
}

#[test]
fn short_capital_names_are_case_sensitive_in_mixed_case_dictionaries() {
    let mut d = dict();
    d.actors
        .push(actor("a.txt:9", "USA", &["United States", "US"]));
    let r = ActorResolver::new(&d);
    let table = |w: &str| {
        format!(
            "1 Let let VERB VB 0 root
             2 {w} {w} PRON PRP 1 obj
             3 go go VERB VB 1 xcomp"
        )
    };
    let lower = doc_from_table(&table("us")).unwrap();
    assert!(r.resolve_np(&lower, 1, None).is_none(), "the pronoun us");
    let upper = doc_from_table(&table("US")).unwrap();
    assert_eq!(
        r.resolve_np(&upper, 1, None).map(|a| a.code),
        Some("USA".into())
    );
    // An all-capital (PETRARCH-style) entry stays case-insensitive.
    let mut d = dict();
    d.actors
        .push(actor("a.txt:9", "USA", &["UNITED STATES", "US"]));
    let r = ActorResolver::new(&d);
    assert_eq!(
        r.resolve_np(&lower, 1, None).map(|a| a.code),
        Some("USA".into())
    );
}

#[test]
fn names_do_not_match_inside_hyphenated_words() {
    let mut d = dict();
    d.actors.push(actor("a.txt:9", "IGOUNO", &["UN"]));
    d.actors.push(actor("a.txt:10", "PRK", &["North Korean"]));
    let r = ActorResolver::new(&d);
    let mut doc = doc_from_table(
        "1 North North PROPN NNP 2 compound
         2 Korean Korean PROPN NNP 3 amod
         3 leader leader NOUN NN 0 root
         4 Kim Kim PROPN NNP 3 appos
         5 Jong Jong PROPN NNP 4 flat
         6 - - PUNCT HYPH 7 punct
         7 UN UN PROPN NNP 4 flat",
    )
    .unwrap();
    glue(&mut doc, &[5, 6]);
    assert_eq!(doc.text, "North Korean leader Kim Jong-UN");
    let toks: Vec<u32> = (0..7).collect();
    let names: Vec<String> = r
        .name_matches(&doc, &toks)
        .iter()
        .map(|m| r.actor_id(m.entry).to_string())
        .collect();
    assert_eq!(names, vec!["a.txt:10"], "no UN inside Jong-UN");
    // A name that begins a hyphenated word still counts ("UN-backed").
    let mut doc = doc_from_table(
        "1 UN UN PROPN NNP 3 compound
         2 - - PUNCT HYPH 3 punct
         3 backed back VERB VBN 4 amod
         4 talks talk NOUN NNS 0 root",
    )
    .unwrap();
    glue(&mut doc, &[1, 2]);
    assert_eq!(r.name_matches(&doc, &[0, 1, 2, 3]).len(), 1);
}

#[test]
fn possessive_names_match_across_the_apostrophe() {
    let mut d = dict();
    d.actors
        .push(actor("a.txt:9", "CHN", &["People ' s Republic of China"]));
    d.actors
        .push(actor("a.txt:10", "TWN", &["Republic of China"]));
    let r = ActorResolver::new(&d);
    let mut doc = doc_from_table(
        "1 The the DET DT 3 det
         2 People People PROPN NNPS 4 nmod:poss
         3 's 's PART POS 2 case
         4 Republic Republic PROPN NNP 7 nsubj
         5 of of ADP IN 6 case
         6 China China PROPN NNP 4 nmod
         7 protested protest VERB VBD 0 root",
    )
    .unwrap();
    glue(&mut doc, &[2]);
    assert_eq!(
        r.resolve_np(&doc, 3, None).map(|a| a.code),
        Some("CHN".into())
    );
    // A curly apostrophe reads as a straight one.
    let mut doc2 = doc_from_table(
        "1 Gondor’s Gondor’s PROPN NNP 2 nmod:poss
         2 police police NOUN NN 0 root",
    )
    .unwrap();
    glue(&mut doc2, &[]);
    assert_eq!(lower(&doc2, 0), "gondor's");
}

#[test]
fn adjectival_agent_words_do_not_make_agents_of_things() {
    let mut d = dict();
    d.agents
        .push(agent("g.txt:9", "MIL", AgentJoin::Append, &["military"]));
    let table = |noun: &str| {
        format!(
            "1 the the DET DT 4 det
             2 Gondor Gondor PROPN NNP 4 compound
             3 military military ADJ JJ 4 amod
             4 {noun} {noun} NOUN NN 5 nsubj
             5 began begin VERB VBD 0 root"
        )
    };
    let r = ActorResolver::new(&d);
    let conflict = doc_from_table(&table("conflict")).unwrap();
    assert_eq!(codes(&r, &conflict, 3), vec!["GON"]);
    let officials = doc_from_table(&table("official")).unwrap();
    assert_eq!(codes(&r, &officials, 3), vec!["GONMIL"]);
    let p = ActorResolver::with_options(&d, ActorOptions::petrarch());
    assert_eq!(codes(&p, &conflict, 3), vec!["GONMIL"]);
}

#[test]
fn span_drops_a_relative_pronoun_cut_off_from_its_clause() {
    // The parser hung "who" on the name instead of on the relative clause.
    let doc = doc_from_table(
        "1 Gondor Gondor PROPN NNP 2 nsubj
         2 met meet VERB VBD 0 root
         3 Arnor Arnor PROPN NNP 2 obj
         4 , , PUNCT , 5 punct
         5 who who PRON WP 3 dep
         6 left leave VERB VBD 2 conj",
    )
    .unwrap();
    let tree = SentTree::new(&doc, 0..doc.tokens.len() as u32);
    assert_eq!(np_extent(&doc, &tree, 2), 2..3);
}

#[test]
fn a_complement_of_direction_does_not_name_the_head() {
    // "an attack on Gondor": the attack is not a Gondor actor; "troops of
    // Gondor" are.
    let doc = doc_from_table(
        "1 an a DET DT 2 det
         2 attack attack NOUN NN 5 nsubj
         3 on on ADP IN 4 case
         4 Gondor Gondor PROPN NNP 2 nmod
         5 killed kill VERB VBD 0 root
         6 troops troop NOUN NNS 5 obj
         7 of of ADP IN 8 case
         8 Gondor Gondor PROPN NNP 6 nmod",
    )
    .unwrap();
    let r = ActorResolver::new(&dict());
    let tree = SentTree::new(&doc, 0..doc.tokens.len() as u32);
    assert!(
        r.resolve_all(&doc, &tree, 1, None).is_empty(),
        "{:?}",
        r.resolve_all(&doc, &tree, 1, None)
    );
    assert_eq!(r.resolve_all(&doc, &tree, 5, None)[0].code, "GON");
}

/// The test dictionary with entry ids in the people and countries files:
/// coreference takes an entry's kind from its dictionary file.
fn dict_with_kinds() -> Dictionaries {
    let mut d = dict();
    for a in &mut d.actors {
        a.id = match a.id.as_str() {
            "a.txt:9" => "actors/people.txt:9".into(),
            other => format!("actors/countries.txt:{other}"),
        };
    }
    d
}

/// Coreference: a later pronoun, surname and definite description take the
/// actor of an earlier mention, and say which.
#[test]
fn coref_links_pronoun_surname_and_description() {
    let mut doc = doc_from_table(
        "1 Gustavo Gustavo PROPN NNP 3 nsubj
         2 Petro Petro PROPN NNP 1 flat
         3 visited visit VERB VBD 0 root
         4 Colombia Colombia PROPN NNP 3 obj

         1 He he PRON PRP 2 nsubj
         2 spoke speak VERB VBD 0 root

         1 Petro Petro PROPN NNP 2 nsubj
         2 left leave VERB VBD 0 root

         1 The the DET DT 2 det
         2 country country NOUN NN 3 nsubj
         3 agreed agree VERB VBD 0 root",
    )
    .unwrap();
    doc.published = NaiveDate::from_ymd_opt(2023, 1, 1);
    let d = dict_with_kinds();
    let r = ActorResolver::new(&d);
    let chain = r.chain(&doc);
    let at = |t: u32| {
        chain
            .at_head(t)
            .map(|m| (m.actors[0].code.clone(), m.antecedent))
    };
    // "He" (token 4) → Petro, linked to mention 0.
    let he = at(4).unwrap();
    assert_eq!(he.0, "COLGOV");
    assert!(he.1.is_some());
    assert!(chain.at_head(4).unwrap().actors[0]
        .via
        .starts_with("coref:person:"));
    // "The country" (token 9) → Colombia, not the person.
    assert_eq!(at(9).unwrap().0, "COL");
    assert!(chain.at_head(9).unwrap().actors[0]
        .via
        .starts_with("coref:country:"));
    // The span API finds the pronoun's mention.
    let span = doc.tokens_span(4..5);
    assert_eq!(chain.resolve_mention(span).map(|m| m.head), Some(4));
    assert_eq!(
        chain.root_of(chain.mentions.iter().position(|m| m.head == 4).unwrap()),
        0
    );
}

/// Binding: an object pronoun does not refer to its own clause's subject,
/// even through an earlier mention of the same person.
#[test]
fn object_pronoun_skips_its_own_subject() {
    let mut doc = doc_from_table(
        "1 Gustavo Gustavo PROPN NNP 3 nsubj
         2 Petro Petro PROPN NNP 1 flat
         3 visited visit VERB VBD 0 root
         4 Colombia Colombia PROPN NNP 3 obj

         1 Petro Petro PROPN NNP 2 nsubj
         2 praised praise VERB VBD 0 root
         3 him he PRON PRP 2 obj",
    )
    .unwrap();
    doc.published = NaiveDate::from_ymd_opt(2023, 1, 1);
    let d = dict_with_kinds();
    let r = ActorResolver::new(&d);
    let chain = r.chain(&doc);
    // "Petro" (token 4) is linked by surname; "him" (token 6) is not Petro.
    assert_eq!(
        chain.at_head(4).map(|m| m.actors[0].code.as_str()),
        Some("COLGOV")
    );
    assert!(chain
        .at_head(6)
        .is_none_or(|m| m.actors.iter().all(|a| a.code != "COLGOV")));
}

#[test]
fn coref_needs_an_antecedent_of_the_right_kind() {
    let doc = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 agreed agree VERB VBD 0 root

         1 He he PRON PRP 2 nsubj
         2 spoke speak VERB VBD 0 root",
    )
    .unwrap();
    let mut d = dict();
    for a in &mut d.actors {
        a.id = format!("actors/countries.txt:{}", a.id);
    }
    let r = ActorResolver::new(&d);
    let chain = r.chain(&doc);
    // No person before "He": no link.
    assert!(chain.at_head(2).is_none());
}

#[test]
fn country_name_inside_a_person_name_is_not_the_country() {
    let d = Dictionaries {
        actors: vec![actor("actors/countries.txt:1", "JOR", &["Jordan"])],
        ..Dictionaries::default()
    };
    let doc = doc_from_table(
        "1 Michael Michael PROPN NNP 3 nsubj
         2 Jordan Jordan PROPN NNP 1 flat
         3 spoke speak VERB VBD 0 root",
    )
    .unwrap();
    let r = ActorResolver::new(&d);
    assert!(codes(&r, &doc, 0).is_empty());
    let off = ActorResolver::with_options(&d, ActorOptions::petrarch());
    // Without the context rules (PETRARCH), the name is the country.
    assert_eq!(codes(&off, &doc, 0), vec!["JOR"]);
}
