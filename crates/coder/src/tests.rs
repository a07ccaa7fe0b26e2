use super::*;
use petrel_actors::testutil::doc_from_table;
use petrel_dict::{Actor, Agent, AgentJoin, DatedCode, Discard, Filler, PatTok, Role, Slot};

fn actor(code: &str, names: &[&str]) -> Actor {
    Actor {
        id: format!("actors.txt:{code}"),
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

fn verb(id: &str, code: &str, verb: &str, slots: Vec<Slot>) -> VerbPattern {
    VerbPattern {
        id: id.into(),
        code: if code == "---" {
            Code::Null
        } else {
            Code::Cameo(code.into())
        },
        verb: verb.split('_').map(String::from).collect(),
        slots,
        before: vec![],
        after: vec![],
        reverse_code: None,
    }
}

fn slot(role: Role, filler: Filler) -> Slot {
    Slot { role, filler }
}

fn lemmas(s: &str) -> Filler {
    Filler::Lemmas(s.split('|').map(|w| w.replace('_', " ")).collect())
}

fn dict() -> Dictionaries {
    Dictionaries {
        actors: vec![
            actor("COL", &["colombia", "colombian"]),
            actor("VEN", &["venezuela"]),
            actor("ARN", &["arnor"]),
            actor("GON", &["gondor"]),
            actor("OSG", &["osgiliath"]),
        ],
        agents: vec![Agent {
            id: "agents.txt:1".into(),
            names: vec![vec!["police".into()], vec!["government".into()]],
            code: "GOV".into(),
            join: AgentJoin::Append,
        }],
        verbs: vec![
            verb(
                "v:1",
                "161",
                "sever",
                vec![
                    slot(Role::Obj, lemmas("tie|relation")),
                    slot(Role::Prep("with".into()), Filler::Target),
                ],
            ),
            verb("v:2", "190", "attack", vec![]),
            verb(
                "v:3",
                "---",
                "attack",
                vec![slot(Role::Obj, lemmas("problem"))],
            ),
            verb("v:4", "111", "condemn", vec![]),
            verb(
                "v:5",
                "070",
                "provide",
                vec![slot(Role::Obj, lemmas("aid"))],
            ),
            verb("v:6", "040", "meet", vec![]),
            verb("v:7", "023", "say", vec![]),
            verb("v:8", "1246", "recall", vec![]),
            verb("v:9", "174", "expel", vec![]),
            verb("v:10", "100", "urge", vec![]),
            verb("v:11", "010", "declare", vec![]),
        ],
        discards: vec![Discard {
            id: "d:1".into(),
            words: vec!["world".into(), "cup".into()],
            story: false,
        }],
        ..Dictionaries::default()
    }
}

fn coded(table: &str, opts: CoderOptions) -> Vec<Event> {
    let mut doc = doc_from_table(table).expect("table parses");
    Coder::new(&dict(), opts).code(&mut doc);
    doc.events
}

fn triples(ev: &[Event]) -> Vec<String> {
    let mut v: Vec<String> = ev
        .iter()
        .map(|e| {
            format!(
                "{}>{}:{}",
                code_or_dashes(&e.source),
                code_or_dashes(&e.target),
                e.cameo
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn slot_pattern_with_prepositional_target() {
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 severed sever VERB VBD 0 root
         3 ties tie NOUN NNS 2 obj
         4 with with ADP IN 5 case
         5 Venezuela Venezuela PROPN NNP 3 nmod",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:161"]);
    let e = &ev[0];
    assert_eq!(
        (e.root.as_str(), e.quad_class, e.goldstein),
        ("16", 4, -4.0)
    );
    assert_eq!(e.rule, "v:1");
    assert_eq!(
        e.source.as_ref().map(|a| a.via.as_str()),
        Some("actors.txt:COL")
    );
    assert!(!e.negated);
    assert_eq!(e.modality, Modality::Asserted);
}

#[test]
fn lexical_constraint_fails_and_null_code_suppresses() {
    // "severed contacts with" does not meet obj:tie|relation and there is no bare `sever`.
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 severed sever VERB VBD 0 root
         3 contacts contact NOUN NNS 2 obj
         4 with with ADP IN 5 case
         5 Venezuela Venezuela PROPN NNP 3 nmod",
        CoderOptions::default(),
    );
    assert!(ev.is_empty());
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 attacked attack VERB VBD 0 root
         3 the the DET DT 4 det
         4 problem problem NOUN NN 2 obj",
        CoderOptions {
            require_dyad: false,
            ..CoderOptions::default()
        },
    );
    assert!(
        ev.is_empty(),
        "--- pattern is more specific than the bare verb"
    );
}

#[test]
fn passive_voice_swaps_roles() {
    let ev = coded(
        "1 Venezuela Venezuela PROPN NNP 3 nsubj:pass
         2 was be AUX VBD 3 aux:pass
         3 attacked attack VERB VBN 0 root
         4 by by ADP IN 6 case
         5 Colombian Colombian ADJ JJ 6 amod
         6 police police NOUN NNS 3 obl:agent",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COLGOV>VEN:190"]);
}

#[test]
fn coordination_of_actors_and_verbs() {
    let ev = coded(
        "1 Arnor Arnor PROPN NNP 4 nsubj
         2 and and CCONJ CC 3 cc
         3 Gondor Gondor PROPN NNP 1 conj
         4 recalled recall VERB VBD 0 root
         5 and and CCONJ CC 6 cc
         6 expelled expel VERB VBD 4 conj
         7 diplomats diplomat NOUN NNS 6 obj
         8 of of ADP IN 9 case
         9 Osgiliath Osgiliath PROPN NNP 7 nmod
         10 and and CCONJ CC 11 cc
         11 Colombia Colombia PROPN NNP 9 conj",
        CoderOptions::default(),
    );
    // recall has no object of its own: its target is the first actor after it
    // within its phrase, i.e. none (the conjoined verb is a separate clause);
    // with a compound subject and no target the event is reciprocal.
    assert_eq!(
        triples(&ev),
        vec![
            "ARN>COL:174",
            "ARN>GON:1246",
            "ARN>OSG:174",
            "GON>ARN:1246",
            "GON>COL:174",
            "GON>OSG:174"
        ]
    );
}

#[test]
fn compound_subject_of_one_actor_is_coded_once() {
    // Both conjuncts resolve to COLGOV: no reciprocal pair exists, and the
    // act is coded once from that actor rather than dropped.
    let ev = coded(
        "1 Colombian Colombian ADJ JJ 2 amod
         2 police police NOUN NNS 6 nsubj
         3 and and CCONJ CC 5 cc
         4 Colombian Colombian ADJ JJ 5 amod
         5 government government NOUN NN 2 conj
         6 recalled recall VERB VBD 0 root",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COLGOV>---:1246"]);
}

#[test]
fn lexical_preposition_slot_tries_every_complement() {
    // "In addition, Colombian police take part in operations": the first
    // `in` phrase does not name the filler, the second one does.
    let mut d = dict();
    d.verbs.push(verb(
        "v:in",
        "074",
        "participate",
        vec![slot(Role::Prep("in".into()), lemmas("operation"))],
    ));
    let mut doc = doc_from_table(
        "1 In in ADP IN 2 case
         2 addition addition NOUN NN 6 obl
         3 , , PUNCT , 2 punct
         4 Colombian Colombian ADJ JJ 5 amod
         5 police police NOUN NNS 6 nsubj
         6 participate participate VERB VBP 0 root
         7 in in ADP IN 8 case
         8 operations operation NOUN NNS 6 obl",
    )
    .expect("table parses");
    Coder::new(&d, CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["COLGOV>---:074"]);
}

#[test]
fn subject_slot_of_an_open_complement_is_its_controller() {
    let mut d = dict();
    d.verbs.push(verb(
        "v:leave",
        "0874",
        "leave",
        vec![
            slot(Role::Obj, Filler::Target),
            slot(Role::Subj, lemmas("police")),
        ],
    ));
    let mut doc = doc_from_table(
        "1 Colombian Colombian ADJ JJ 2 amod
         2 police police NOUN NNS 3 nsubj
         3 began begin VERB VBD 0 root
         4 leaving leave VERB VBG 3 xcomp
         5 Venezuela Venezuela PROPN NNP 4 obj",
    )
    .expect("table parses");
    Coder::new(&d, CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["COLGOV>VEN:0874"]);
}

#[test]
fn negation_future_and_hypothetical_are_recorded() {
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 4 nsubj
         2 did do AUX VBD 4 aux
         3 not not PART RB 4 advmod
         4 condemn condemn VERB VB 0 root
         5 Venezuela Venezuela PROPN NNP 4 obj

         1 Colombia Colombia PROPN NNP 3 nsubj
         2 will will AUX MD 3 aux
         3 sever sever VERB VB 0 root
         4 relations relation NOUN NNS 3 obj
         5 with with ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 3 obl

         1 Colombia Colombia PROPN NNP 3 nsubj
         2 could could AUX MD 3 aux
         3 attack attack VERB VB 0 root
         4 Venezuela Venezuela PROPN NNP 3 obj",
        CoderOptions::default(),
    );
    assert_eq!(ev.len(), 3);
    assert!(ev[0].negated && ev[0].cameo == "111");
    assert_eq!(
        (ev[1].cameo.as_str(), ev[1].modality),
        ("161", Modality::Future)
    );
    assert_eq!(ev[1].sentence, 1);
    assert_eq!(
        (ev[2].cameo.as_str(), ev[2].modality, ev[2].negated),
        ("190", Modality::Hypothetical, false)
    );
}

#[test]
fn intent_threat_appeal_and_refusal_recode_the_embedded_act() {
    let table = |cue: &str, cue_lemma: &str, embedded: &str, emb_lemma: &str, obj: &str| {
        format!(
            "1 Colombia Colombia PROPN NNP 2 nsubj
             2 {cue} {cue_lemma} VERB VBD 0 root
             3 to to PART TO 4 mark
             4 {embedded} {emb_lemma} VERB VB 2 xcomp
             5 {obj} {obj} NOUN NN 4 obj
             6 to to ADP IN 7 case
             7 Venezuela Venezuela PROPN NNP 4 obl"
        )
    };
    let ev = coded(
        &table("vowed", "vow", "provide", "provide", "aid"),
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:033"]);
    assert_eq!(ev[0].modality, Modality::Intent);
    assert!(ev[0].rule.starts_with("v:5+modality.txt:"));
    let ev = coded(
        &table("threatened", "threaten", "attack", "attack", "bases"),
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:138"]);
    assert_eq!(ev[0].modality, Modality::Threat);
    let ev = coded(
        &table("refused", "refuse", "meet", "meet", "officials"),
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:125"]);

    // "Colombia urged Venezuela to meet Arnor": appeal to the object; the bare `urge` event is replaced.
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 urged urge VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 obj
         4 to to PART TO 5 mark
         5 meet meet VERB VB 2 xcomp
         6 Arnor Arnor PROPN NNP 5 obj",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:026"]);
    // PETRARCH conventions: no re-coding, and the embedded act belongs to `urge`.
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 urged urge VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 obj
         4 to to PART TO 5 mark
         5 meet meet VERB VB 2 xcomp
         6 Arnor Arnor PROPN NNP 5 obj",
        CoderOptions::petrarch(),
    );
    assert_eq!(
        triples(&ev),
        vec!["COL>VEN:100"],
        "the embedded act is part of `urge`'s phrase"
    );
}

#[test]
fn reported_speech_sets_reported_by() {
    let table = "1 Arnor Arnor PROPN NNP 2 nsubj
         2 said say VERB VBD 0 root
         3 Gondor Gondor PROPN NNP 4 nsubj
         4 attacked attack VERB VBD 2 ccomp
         5 Osgiliath Osgiliath PROPN NNP 4 obj";
    let ev = coded(table, CoderOptions::default());
    // "said" codes ARN → GON (first actor after it), the embedded act GON → OSG.
    assert_eq!(triples(&ev), vec!["ARN>GON:023", "GON>OSG:190"]);
    let e = ev
        .iter()
        .find(|e| e.cameo == "190")
        .expect("embedded event");
    assert_eq!(e.reported_by.as_ref().map(|a| a.code.as_str()), Some("ARN"));
}

#[test]
fn discards_drop_the_sentence() {
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 attacked attack VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 obj
         4 at at ADP IN 6 case
         5 World World PROPN NNP 6 compound
         6 Cup Cup PROPN NNP 2 obl",
        CoderOptions::default(),
    );
    assert!(ev.is_empty());
}

#[test]
fn petrarch_linear_patterns() {
    let mut d = dict();
    let w = |s: &str| PatTok::Word(s.split('|').map(String::from).collect());
    d.verbs = vec![
        VerbPattern {
            before: vec![],
            after: vec![],
            ..verb("p:1", "345", "abandon", vec![])
        },
        VerbPattern {
            after: vec![w("diplomatic"), w("ties")],
            ..verb("p:2", "901", "abandon", vec![])
        },
        VerbPattern {
            after: vec![w("new military|new economic"), w("relations")],
            ..verb("p:3", "903", "abandon", vec![])
        },
        VerbPattern {
            before: vec![PatTok::Target],
            after: vec![w("in"), PatTok::Source],
            ..verb("p:4", "075", "break", vec![])
        },
    ];
    let run = |table: &str| {
        let mut doc = doc_from_table(table).expect("table");
        Coder::new(&d, CoderOptions::petrarch()).code(&mut doc);
        triples(&doc.events)
    };
    let abandon = |mods: &str| {
        let mut t =
            String::from("1 Arnor Arnor PROPN NNP 2 nsubj\n2 abandoned abandon VERB VBD 0 root\n");
        let m: Vec<&str> = mods.split(' ').collect();
        let n = m.len();
        for (k, w) in m.iter().enumerate() {
            let rel = if k + 1 == n { "obj" } else { "amod" };
            let head = if k + 1 == n { 2 } else { 3 + n - 1 };
            t.push_str(&format!("{} {w} {w} NOUN NN {head} {rel}\n", k + 3));
        }
        t.push_str(&format!("{} with with ADP IN {} case\n", n + 3, n + 4));
        t.push_str(&format!(
            "{} Gondor Gondor PROPN NNP {} nmod\n",
            n + 4,
            n + 2
        ));
        t
    };
    assert_eq!(run(&abandon("full diplomatic ties")), vec!["ARN>GON:901"]);
    assert_eq!(run(&abandon("full symbolic ties")), vec!["ARN>GON:345"]);
    assert_eq!(run(&abandon("new economic relations")), vec!["ARN>GON:903"]);
    assert_eq!(
        run(&abandon("new global economic relations")),
        vec!["ARN>GON:345"],
        "`_` words are consecutive"
    );
    assert_eq!(
        run("1 Arnor Arnor PROPN NNP 2 nsubj
             2 broke break VERB VBD 0 root
             3 in in ADP IN 5 case
             4 a a DET DT 5 det
             5 Gondor Gondor PROPN NNP 2 obl"),
        vec!["GON>ARN:075"]
    );
}

#[test]
fn defensive_on_broken_input() {
    // Cycle, self-loop, a head outside the sentence, an empty doc, an unparsed doc.
    let mut doc = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 attacked attack VERB VBD 3 root
         3 Venezuela Venezuela PROPN NNP 2 obj
         4 Arnor Arnor PROPN NNP 4 conj",
    )
    .expect("table");
    doc.tokens.head.push(None);
    let c = Coder::new(&dict(), CoderOptions::default());
    c.code(&mut doc); // layers of unequal length: not parsed, nothing coded
    assert!(doc.events.is_empty());
    doc.tokens.head.pop();
    doc.tokens.head[3] = Some(99);
    c.code(&mut doc);
    let mut empty = Doc::new("e", "");
    c.code(&mut empty);
    assert!(empty.events.is_empty());
    assert!(c.code_sentence(&doc, 7).is_empty());
}

fn w(s: &str) -> PatTok {
    PatTok::Word(s.split('|').map(String::from).collect())
}

fn run_with(d: &Dictionaries, opts: CoderOptions, table: &str) -> Vec<String> {
    let mut doc = doc_from_table(table).expect("table");
    Coder::new(d, opts).code(&mut doc);
    triples(&doc.events)
}

#[test]
fn pronoun_subject_takes_the_governing_subject() {
    let mut d = dict();
    d.verbs = vec![VerbPattern {
        before: vec![w("indicated"), w("would")],
        ..verb("p:1", "1010", "act", vec![])
    }];
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 indicated indicate VERB VBD 0 root
             3 it it PRON PRP 5 nsubj
             4 would would AUX MD 5 aux
             5 act act VERB VB 2 ccomp
             6 with with ADP IN 7 case
             7 Gondor Gondor PROPN NNP 5 obl";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), t),
        vec!["ARN>GON:1010"]
    );
}

#[test]
fn compound_marks_and_skips() {
    let mut d = dict();
    d.verbs = vec![
        VerbPattern {
            after: vec![w("with"), PatTok::Compound],
            ..verb("p:1", "031", "agree", vec![])
        },
        VerbPattern {
            before: vec![PatTok::Compound],
            reverse_code: Some(Code::Cameo("030".into())),
            ..verb("p:2", "030", "agree", vec![])
        },
        VerbPattern {
            after: vec![w("at"), PatTok::Skip, PatTok::Target],
            ..verb("p:3", "162", "warn", vec![])
        },
    ];
    let with = "1 Arnor Arnor PROPN NNP 2 nsubj
                2 agrees agree VERB VBZ 0 root
                3 with with ADP IN 4 case
                4 Gondor Gondor PROPN NNP 2 obl
                5 and and CCONJ CC 6 cc
                6 Osgiliath Osgiliath PROPN NNP 4 conj";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), with),
        vec!["ARN>GON:031", "ARN>OSG:031"]
    );
    let compound = "1 Arnor Arnor PROPN NNP 4 nsubj
                    2 and and CCONJ CC 3 cc
                    3 Gondor Gondor PROPN NNP 1 conj
                    4 agree agree VERB VBP 0 root";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), compound),
        vec!["ARN>GON:030", "GON>ARN:030"]
    );
    // "warned at the Gondor of Osgiliath": `^` skips the whole phrase "the Gondor".
    let skip = "1 Arnor Arnor PROPN NNP 2 nsubj
                2 warned warn VERB VBD 0 root
                3 at at ADP IN 5 case
                4 the the DET DT 5 det
                5 Gondor Gondor PROPN NNP 2 obl
                6 of of ADP IN 7 case
                7 Osgiliath Osgiliath PROPN NNP 5 nmod";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), skip),
        vec!["ARN>OSG:162"]
    );
}

#[test]
fn surface_form_entries_beat_lemma_entries_and_junk_codes_are_skipped() {
    let mut d = dict();
    d.verbs = vec![
        verb("p:1", "012", "leave", vec![]),
        VerbPattern {
            reverse_code: Some(Code::Cameo("033".into())),
            ..verb("p:2", "032", "left", vec![])
        },
        VerbPattern {
            after: vec![w("for")],
            ..verb("p:3", "+++", "leave", vec![])
        },
    ];
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 left leave VERB VBD 0 root
             3 for for ADP IN 4 case
             4 Gondor Gondor PROPN NNP 2 obl";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), t),
        vec!["ARN>GON:032", "GON>ARN:033"]
    );
}

#[test]
fn agentless_passive_follows_the_option() {
    let t = "1 Venezuela Venezuela PROPN NNP 3 nsubj:pass
             2 was be AUX VBD 3 aux:pass
             3 attacked attack VERB VBN 0 root
             4 over over ADP IN 5 case
             5 Colombia Colombia PROPN NNP 3 obl";
    let d = dict();
    let open = CoderOptions {
        require_dyad: false,
        ..CoderOptions::default()
    };
    assert_eq!(run_with(&d, open.clone(), t), vec!["--->VEN:190"]);
    let active = CoderOptions {
        agentless_passive_as_active: true,
        ..open
    };
    assert_eq!(run_with(&d, active, t), vec!["VEN>COL:190"]);
}

#[test]
fn statement_event_only_when_the_reporting_verb_is_not_coded() {
    let mut d = dict();
    d.verbs.retain(|p| p.verb[0] != "say");
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 said say VERB VBD 0 root
             3 Gondor Gondor PROPN NNP 4 nsubj
             4 attacked attack VERB VBD 2 ccomp
             5 Osgiliath Osgiliath PROPN NNP 4 obj";
    let opts = CoderOptions {
        require_dyad: false,
        statement_events: true,
        ..CoderOptions::default()
    };
    assert_eq!(
        run_with(&d, opts.clone(), t),
        vec!["ARN>---:010", "GON>OSG:190"]
    );
    // With `say` in the dictionary its own event stands for the statement.
    assert_eq!(
        run_with(&dict(), opts, t),
        vec!["ARN>GON:023", "GON>OSG:190"]
    );
}

#[test]
fn lead_only_limits_sentences() {
    let t = "1 Colombia Colombia PROPN NNP 2 nsubj
             2 attacked attack VERB VBD 0 root
             3 Venezuela Venezuela PROPN NNP 2 obj

             1 Venezuela Venezuela PROPN NNP 2 nsubj
             2 attacked attack VERB VBD 0 root
             3 Colombia Colombia PROPN NNP 2 obj";
    assert_eq!(
        run_with(&dict(), CoderOptions::default(), t),
        vec!["COL>VEN:190", "VEN>COL:190"]
    );
    let lead = CoderOptions {
        lead_only: Some(1),
        ..CoderOptions::default()
    };
    assert_eq!(run_with(&dict(), lead, t), vec!["COL>VEN:190"]);
}

#[test]
fn never_panics_on_random_trees() {
    // Deterministic pseudo-random heads and labels (cycles, self-loops,
    // out-of-range heads) over a sentence full of dictionary words.
    let base = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 severed sever VERB VBD 0 root
         3 ties tie NOUN NNS 2 obj
         4 with with ADP IN 5 case
         5 Venezuela Venezuela PROPN NNP 3 nmod
         6 and and CCONJ CC 7 cc
         7 urged urge VERB VBD 2 conj
         8 Arnor Arnor PROPN NNP 7 obj
         9 to to PART TO 10 mark
         10 attack attack VERB VB 7 xcomp
         11 police police NOUN NNS 10 obj",
    )
    .expect("table");
    let rels = [
        "nsubj",
        "obj",
        "conj",
        "xcomp",
        "ccomp",
        "nmod",
        "case",
        "obl",
        "nsubj:pass",
        "aux:pass",
        "parataxis",
        "compound",
        "cc",
        "acl",
    ];
    let coder = Coder::new(
        &dict(),
        CoderOptions {
            require_dyad: false,
            statement_events: true,
            ..CoderOptions::default()
        },
    );
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let mut doc = base.clone();
        for i in 0..doc.tokens.len() {
            let r = next();
            doc.tokens.head[i] = match r % 5 {
                0 => None,
                _ => Some((next() % 13) as u32),
            };
            doc.tokens.deprel[i] = rels[(next() % rels.len() as u64) as usize].to_string();
        }
        coder.code(&mut doc);
        for e in &doc.events {
            assert!(!e.cameo.is_empty());
        }
    }
}

#[test]
fn according_to_sets_reported_by() {
    let t = "1 Gondor Gondor PROPN NNP 2 nsubj
             2 attacked attack VERB VBD 0 root
             3 Osgiliath Osgiliath PROPN NNP 2 obj
             4 , , PUNCT , 7 punct
             5 according accord VERB VBG 7 case
             6 to to ADP IN 5 fixed
             7 Arnor Arnor PROPN NNP 2 obl";
    let ev = coded(t, CoderOptions::default());
    assert_eq!(triples(&ev), vec!["GON>OSG:190"]);
    assert_eq!(
        ev[0].reported_by.as_ref().map(|a| a.code.as_str()),
        Some("ARN")
    );
}

#[test]
fn coder_and_resolver_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Coder>();
    shared::<ActorResolver>();
}

#[test]
fn petrarch_transformations_recode_verb_pairs() {
    let mut d = dict();
    let tr = |id: &str, src: &str, isrc: &str, itgt: &str, iverb: &str, verb: &str, code: &str| {
        petrel_dict::Transformation {
            id: id.into(),
            source: src.into(),
            inner_source: isrc.into(),
            inner_target: itgt.into(),
            inner_verb: iverb.into(),
            verb: verb.into(),
            out_source: "a".into(),
            out_target: "b".into(),
            code: code.into(),
        }
    };
    d.transformations = vec![
        tr("t:1", "a", "a", "b", "attack", "say", "015"),
        tr("t:2", "a", "b", ".", "attack", "say", "112"),
        tr("t:3", "a", "_", "b", "attack", "want", "138"),
    ];
    let claim = "1 Arnor Arnor PROPN NNP 2 nsubj
                 2 said say VERB VBD 0 root
                 3 Arnor Arnor PROPN NNP 4 nsubj
                 4 attacked attack VERB VBD 2 ccomp
                 5 Gondor Gondor PROPN NNP 4 obj";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), claim),
        vec!["ARN>GON:015"]
    );
    let accuse = "1 Arnor Arnor PROPN NNP 2 nsubj
                  2 said say VERB VBD 0 root
                  3 Gondor Gondor PROPN NNP 4 nsubj
                  4 attacked attack VERB VBD 2 ccomp
                  5 Osgiliath Osgiliath PROPN NNP 4 obj";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), accuse),
        vec!["ARN>GON:112"]
    );
    let want = "1 Arnor Arnor PROPN NNP 2 nsubj
                2 wants want VERB VBZ 0 root
                3 to to PART TO 4 mark
                4 attack attack VERB VB 2 xcomp
                5 Gondor Gondor PROPN NNP 4 obj";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), want),
        vec!["ARN>GON:138"]
    );
}

#[test]
fn verb_span_covers_the_particle() {
    let mut d = dict();
    d.verbs = vec![verb("p:1", "161", "break_off", vec![])];
    let mut doc = doc_from_table(
        "1 Arnor Arnor PROPN NNP 2 nsubj
         2 broke break VERB VBD 0 root
         3 off off ADP RP 2 compound:prt
         4 relations relation NOUN NNS 2 obj
         5 with with ADP IN 6 case
         6 Gondor Gondor PROPN NNP 4 nmod",
    )
    .expect("table");
    Coder::new(&d, CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["ARN>GON:161"]);
    assert_eq!(doc.span_text(doc.events[0].verb), "broke off");
    assert_eq!(doc.events[0].verb_tokens, 1..3);
}

#[test]
fn called_on_x_to_act_makes_x_the_actor_of_the_act() {
    let mut d = dict();
    d.verbs.retain(|p| p.verb[0] != "urge");
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 called call VERB VBD 0 root
             3 on on ADP IN 4 case
             4 Gondor Gondor PROPN NNP 2 obl
             5 to to PART TO 6 mark
             6 attack attack VERB VB 2 xcomp
             7 Osgiliath Osgiliath PROPN NNP 6 obj";
    // Without re-coding the embedded act keeps its own actors.
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), t),
        vec!["GON>OSG:190"]
    );
    // With re-coding it is Arnor's appeal to Gondor.
    assert_eq!(
        run_with(&d, CoderOptions::default(), t),
        vec!["ARN>GON:020"]
    );
}

#[test]
fn petrarch_mode_consumes_verbs_nested_in_a_coded_phrase() {
    let mut d = dict();
    d.verbs.push(verb("p:1", "345", "abandon", vec![]));
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 abandoned abandon VERB VBD 0 root
             3 efforts effort NOUN NNS 2 obj
             4 to to PART TO 5 mark
             5 attack attack VERB VB 3 acl
             6 Gondor Gondor PROPN NNP 5 obj";
    assert_eq!(
        run_with(&d, CoderOptions::petrarch(), t),
        vec!["ARN>GON:345"]
    );
    // Petrel's default drops an infinitive of a noun ("efforts to attack"):
    // the act is proposed, not done.
    let open = CoderOptions {
        require_dyad: false,
        ..CoderOptions::default()
    };
    assert_eq!(run_with(&d, open.clone(), t), vec!["ARN>GON:345"]);
    // Without that rule the embedded act is kept (its source is unknown here).
    let keep = CoderOptions {
        drop_dependent_events: false,
        ..open
    };
    assert_eq!(run_with(&d, keep, t), vec!["--->GON:190", "ARN>GON:345"]);
}

#[test]
fn a_statement_that_reports_a_coded_act_gives_way_to_it() {
    let mut d = dict();
    d.verbs.push(verb("v:a", "010", "announce", vec![]));
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 announced announce VERB VBD 0 root
             3 Gondor Gondor PROPN NNP 4 nsubj
             4 attacked attack VERB VBD 2 ccomp
             5 Osgiliath Osgiliath PROPN NNP 4 obj";
    let ev = {
        let mut doc = doc_from_table(t).expect("table parses");
        Coder::new(&d, CoderOptions::default()).code(&mut doc);
        doc.events
    };
    // The reported act stands, reported by Arnor; the statement is dropped.
    assert_eq!(triples(&ev), vec!["GON>OSG:190"]);
    assert_eq!(
        ev[0].reported_by.as_ref().map(|a| a.code.as_str()),
        Some("ARN")
    );
    let keep = CoderOptions {
        drop_dependent_events: false,
        ..CoderOptions::default()
    };
    assert_eq!(run_with(&d, keep, t), vec!["ARN>GON:010", "GON>OSG:190"]);
    // A statement that reports no coded act stays.
    let t = "1 Arnor Arnor PROPN NNP 2 nsubj
             2 announced announce VERB VBD 0 root
             3 talks talk NOUN NNS 2 obj
             4 with with ADP IN 5 case
             5 Gondor Gondor PROPN NNP 3 nmod";
    assert_eq!(
        run_with(&d, CoderOptions::default(), t),
        vec!["ARN>GON:010"]
    );
}

#[test]
fn a_dependent_act_without_an_actor_of_its_own_is_part_of_the_governing_act() {
    let mut d = dict();
    d.verbs.push(verb("v:k", "190", "kill", vec![]));
    // "Colombia attacked Arnor, killing police": the participle has no subject.
    let t = "1 Colombia Colombia PROPN NNP 2 nsubj
             2 attacked attack VERB VBD 0 root
             3 Arnor Arnor PROPN NNP 2 obj
             4 , , PUNCT , 5 punct
             5 killing kill VERB VBG 2 advcl
             6 police police NOUN NNS 5 obj";
    assert_eq!(
        run_with(&d, CoderOptions::default(), t),
        vec!["COL>ARN:190"]
    );
    let keep = CoderOptions {
        drop_dependent_events: false,
        ..CoderOptions::default()
    };
    assert_eq!(run_with(&d, keep, t), vec!["--->GOV:190", "COL>ARN:190"]);
}

#[test]
fn a_target_is_not_taken_from_an_adverbial_clause_with_its_own_subject() {
    // "Colombia condemned, when Arnor attacked Gondor": Arnor is the
    // attacker in its own clause, not what Colombia condemned.
    let t = "1 Colombia Colombia PROPN NNP 2 nsubj
             2 condemned condemn VERB VBD 0 root
             3 when when SCONJ WRB 5 mark
             4 Arnor Arnor PROPN NNP 5 nsubj
             5 attacked attack VERB VBD 2 advcl
             6 Gondor Gondor PROPN NNP 5 obj";
    assert_eq!(
        run_with(&dict(), CoderOptions::default(), t),
        vec!["ARN>GON:190", "COL>---:111"]
    );
    let open = CoderOptions {
        clause_bound_targets: false,
        ..CoderOptions::default()
    };
    assert_eq!(
        run_with(&dict(), open, t),
        vec!["ARN>GON:190", "COL>ARN:111"]
    );
}

#[test]
fn events_need_one_actor_by_default_and_both_under_petrarch() {
    // "Colombia attacked the camp": a source, no target.
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 attacked attack VERB VBD 0 root
         3 the the DET DT 4 det
         4 camp camp NOUN NN 2 obj";
    assert_eq!(
        triples(&coded(table, CoderOptions::default())),
        vec!["COL>---:190"]
    );
    assert!(coded(table, CoderOptions::petrarch()).is_empty());
    // No coded actor at all: dropped unless `require_actor` is off.
    let none = "1 Gunmen gunman NOUN NNS 2 nsubj
         2 attacked attack VERB VBD 0 root
         3 the the DET DT 4 det
         4 camp camp NOUN NN 2 obj";
    assert!(coded(none, CoderOptions::default()).is_empty());
    let open = CoderOptions {
        require_actor: false,
        ..CoderOptions::default()
    };
    assert_eq!(triples(&coded(none, open)), vec!["--->---:190"]);
}

#[test]
fn future_cooperation_is_intent_and_its_negation_a_rejection() {
    let table = |neg: &str| {
        format!(
            "1 Colombia Colombia PROPN NNP 4 nsubj
             2 will will AUX MD 4 aux
             3 {neg} {neg} PART RB 4 advmod
             4 provide provide VERB VB 0 root
             5 aid aid NOUN NN 4 obj
             6 to to ADP IN 7 case
             7 Venezuela Venezuela PROPN NNP 4 obl"
        )
    };
    let ev = coded(&table("soon"), CoderOptions::default());
    assert_eq!(triples(&ev), vec!["COL>VEN:033"]);
    assert_eq!(ev[0].modality, Modality::Future);
    let ev = coded(&table("not"), CoderOptions::default());
    assert_eq!(triples(&ev), vec!["COL>VEN:122"], "refuse to provide aid");
    assert!(!ev[0].negated);
    // Conflict acts in the future stay as the act.
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 3 nsubj
         2 will will AUX MD 3 aux
         3 attack attack VERB VB 0 root
         4 Venezuela Venezuela PROPN NNP 3 obj",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:190"]);
    assert_eq!(ev[0].modality, Modality::Future);
    // PETRARCH conventions code the act itself.
    let ev = coded(&table("soon"), CoderOptions::petrarch());
    assert_eq!(triples(&ev), vec!["COL>VEN:070"]);
}

#[test]
fn appeal_to_accept_a_ceasefire_is_evidenced_by_the_cue_verb() {
    let mut d = dict();
    d.verbs.push(verb(
        "v:20",
        "0871",
        "accept",
        vec![slot(Role::Obj, lemmas("ceasefire|cease-fire"))],
    ));
    let mut doc = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 urged urge VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 iobj
         4 to to PART TO 5 mark
         5 accept accept VERB VB 2 xcomp
         6 the the DET DT 9 det
         7 cease cease NOUN NN 9 compound
         8 - - PUNCT HYPH 7 punct
         9 fire fire NOUN NN 5 obj",
    )
    .expect("table");
    // "cease-fire" written as one word.
    let mut text = String::new();
    for i in 0..doc.tokens.len() {
        let w = doc.token_text(i).to_string();
        if i > 0 && i != 7 && i != 8 {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(&w);
        doc.tokens.span[i] = petrel_doc::Span::new(start, text.len());
    }
    doc.sentences[0].span = petrel_doc::Span::new(0, text.len());
    doc.text = text;
    Coder::new(&d, CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["COL>VEN:0256"]);
    assert_eq!(doc.span_text(doc.events[0].verb), "urged");
}

#[test]
fn a_place_after_the_verb_is_not_a_target() {
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 met meet VERB VBD 0 root
         3 in in ADP IN 4 case
         4 Venezuela Venezuela PROPN NNP 2 obl";
    assert_eq!(
        triples(&coded(table, CoderOptions::default())),
        vec!["COL>---:040"]
    );
    let open = CoderOptions {
        require_dyad: false,
        ..CoderOptions::petrarch()
    };
    assert_eq!(triples(&coded(table, open)), vec!["COL>VEN:040"]);
}

#[test]
fn a_subject_split_by_the_parser_is_read_as_one_phrase() {
    // "Gondor police condemned Arnor" with both words parsed as subjects.
    let table = "1 Gondor Gondor PROPN NNP 3 nsubj
         2 police police NOUN NN 3 nsubj
         3 condemned condemn VERB VBD 0 root
         4 Arnor Arnor PROPN NNP 3 obj";
    assert_eq!(
        triples(&coded(table, CoderOptions::default())),
        vec!["GONGOV>ARN:111"]
    );
    // A list split into subjects is coordinated.
    let table = "1 Gondor Gondor PROPN NNP 4 nsubj
         2 and and CCONJ CC 3 cc
         3 Colombia Colombia PROPN NNP 4 nsubj
         4 condemned condemn VERB VBD 0 root
         5 Arnor Arnor PROPN NNP 4 obj";
    assert_eq!(
        triples(&coded(table, CoderOptions::default())),
        vec!["COL>ARN:111", "GON>ARN:111"]
    );
    // A day parsed as a second subject is neither subject nor part of it.
    let ev = coded(
        "1 Gondor Gondor PROPN NNP 3 nsubj
         2 Monday Monday PROPN NNP 3 nsubj
         3 condemned condemn VERB VBD 0 root
         4 Arnor Arnor PROPN NNP 3 obj",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["GON>ARN:111"]);
    let src = ev[0].source.as_ref().map(|a| a.span);
    assert_eq!(
        src.map(|s| (s.start, s.end)),
        Some((0, 6)),
        "just \"Gondor\""
    );
    // A stray noun before a comma is not a second subject.
    let table = "1 Gondor Gondor PROPN NNP 3 nsubj
         2 , , PUNCT , 1 punct
         3 Colombia Colombia PROPN NNP 5 nsubj
         4 then then ADV RB 5 advmod
         5 condemned condemn VERB VBD 0 root
         6 Arnor Arnor PROPN NNP 5 obj";
    let mut doc = doc_from_table(table).expect("table");
    doc.tokens.head[0] = Some(4);
    Coder::new(&dict(), CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["COL>ARN:111"]);
}

#[test]
fn a_trailing_reporting_clause_names_the_reporter() {
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 Arnor Arnor PROPN NNP 2 obj
         4 , , PUNCT , 6 punct
         5 police police NOUN NN 6 nsubj
         6 said say VERB VBD 2 advcl";
    let ev = coded(table, CoderOptions::default());
    let e = ev.iter().find(|e| e.cameo == "111").expect("condemn event");
    // A bare agent reporter belongs to the source's country.
    assert_eq!(
        e.reported_by.as_ref().map(|a| a.code.as_str()),
        Some("COLGOV")
    );
}

#[test]
fn multi_word_fillers_win_ties() {
    let mut d = dict();
    d.verbs = vec![
        verb(
            "v:1",
            "190",
            "launch",
            vec![slot(Role::Obj, lemmas("strike"))],
        ),
        verb(
            "v:2",
            "195",
            "launch",
            vec![slot(Role::Obj, lemmas("air_strike"))],
        ),
    ];
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 launched launch VERB VBD 0 root
         3 air air NOUN NN 4 compound
         4 strikes strike NOUN NNS 2 obj
         5 on on ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 2 obl";
    assert_eq!(
        run_with(&d, CoderOptions::default(), table),
        vec!["COL>VEN:195"]
    );
}

#[test]
fn statement_with_must_clause_is_a_demand_on_the_clause_subject() {
    let must = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 declared declare VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 5 nsubj
         4 must must AUX MD 5 aux
         5 withdraw withdraw VERB VB 2 ccomp",
        CoderOptions::default(),
    );
    assert_eq!(triples(&must), vec!["COL>VEN:100"]);
    assert!(must[0].rule.ends_with("+must-demand"), "{}", must[0].rule);
    let will = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 declared declare VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 5 nsubj
         4 will will AUX MD 5 aux
         5 withdraw withdraw VERB VB 2 ccomp",
        CoderOptions::default(),
    );
    assert_eq!(triples(&will), vec!["COL>VEN:010"]);
}

#[test]
fn partitive_object_matches_its_of_complement() {
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 provided provide VERB VBD 0 root
         3 some some DET DT 2 obj
         4 of of ADP IN 6 case
         5 the the DET DT 6 det
         6 aid aid NOUN NN 3 nmod
         7 to to ADP IN 8 case
         8 Venezuela Venezuela PROPN NNP 2 obl",
        CoderOptions::default(),
    );
    assert_eq!(triples(&ev), vec!["COL>VEN:070"]);
    // A non-quantity head does not pass its complement on.
    let ev = coded(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 provided provide VERB VBD 0 root
         3 news news NOUN NN 2 obj
         4 of of ADP IN 5 case
         5 aid aid NOUN NN 3 nmod
         6 to to ADP IN 7 case
         7 Venezuela Venezuela PROPN NNP 2 obl",
        CoderOptions::default(),
    );
    assert!(ev.is_empty(), "{:?}", triples(&ev));
}

#[test]
fn fallback_target_skips_phrases_of_time() {
    let table = |prep: &str| {
        format!(
            "1 Colombia Colombia PROPN NNP 2 nsubj
             2 condemned condemn VERB VBD 0 root
             3 the the DET DT 4 det
             4 statement statement NOUN NN 2 obj
             5 {prep} {prep} ADP IN 6 case
             6 Venezuela Venezuela PROPN NNP 4 nmod"
        )
    };
    let ev = coded(&table("from"), CoderOptions::default());
    assert_eq!(triples(&ev), vec!["COL>VEN:111"]);
    let ev = coded(&table("after"), CoderOptions::default());
    assert_eq!(triples(&ev), vec!["COL>---:111"]);
}

#[test]
fn merged_split_subject_keeps_the_other_conjuncts() {
    // "Old foes Gondor and Osgiliath met": the parser made "foes" and
    // "Gondor" two subjects; Osgiliath stays a source.
    let ev = coded(
        "1 Old old ADJ JJ 2 amod
         2 foes foe NOUN NNS 6 nsubj
         3 Gondor Gondor PROPN NNP 6 nsubj
         4 and and CCONJ CC 5 cc
         5 Osgiliath Osgiliath PROPN NNP 3 conj
         6 met meet VERB VBD 0 root",
        CoderOptions {
            require_dyad: false,
            ..CoderOptions::default()
        },
    );
    let t = triples(&ev);
    assert!(t.iter().any(|x| x.starts_with("GON>")), "{t:?}");
    assert!(t.iter().any(|x| x.starts_with("OSG>")), "{t:?}");
}

#[test]
fn a_target_named_in_a_complement_of_a_thing_has_its_own_span() {
    let spans = |table: &str, opts: CoderOptions| -> Vec<String> {
        let mut doc = doc_from_table(table).expect("table parses");
        Coder::new(&dict(), opts).code(&mut doc);
        doc.events
            .iter()
            .filter_map(|e| e.target.as_ref())
            .map(|t| doc.text[t.span.start as usize..t.span.end as usize].to_string())
            .collect()
    };
    // "Colombia condemned charges by Venezuela": the target is Venezuela.
    let by = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 charges charge NOUN NNS 2 obj
         4 by by ADP IN 5 case
         5 Venezuela Venezuela PROPN NNP 3 nmod";
    assert_eq!(spans(by, CoderOptions::default()), vec!["Venezuela"]);
    let off = CoderOptions {
        nested_actor_span: false,
        ..CoderOptions::default()
    };
    assert_eq!(spans(by, off), vec!["charges by Venezuela"]);
    // An `of` complement is part of the thing: "the attacks of Venezuela".
    let of = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 the the DET DT 4 det
         4 attacks attack NOUN NNS 2 obj
         5 of of ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 4 nmod";
    assert_eq!(
        spans(of, CoderOptions::default()),
        vec!["the attacks of Venezuela"]
    );
    // A place is where the target is, not the target: "the camps in Venezuela".
    let place = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 the the DET DT 4 det
         4 camps camp NOUN NNS 2 obj
         5 in in ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 4 nmod";
    assert_eq!(
        spans(place, CoderOptions::default()),
        vec!["the camps in Venezuela"]
    );
    // After a noun that is no site, the place is the target: "a ceasefire in Venezuela".
    let ceasefire = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 a a DET DT 4 det
         4 ceasefire ceasefire NOUN NN 2 obj
         5 in in ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 4 nmod";
    assert_eq!(spans(ceasefire, CoderOptions::default()), vec!["Venezuela"]);
    // An agent head is the actor: "the police in Venezuela" stays whole.
    let agent = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 the the DET DT 4 det
         4 police police NOUN NN 2 obj
         5 in in ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 4 nmod";
    assert_eq!(
        spans(agent, CoderOptions::default()),
        vec!["the police in Venezuela"]
    );
}

#[test]
fn a_mutual_act_is_coded_both_ways() {
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 met meet VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 obj";
    let ev = coded(table, CoderOptions::default());
    assert_eq!(triples(&ev), vec!["COL>VEN:040", "VEN>COL:040"]);
    assert!(ev[1].rule.contains("+mutual(modality.txt:"));
    assert!(!ev[0].rule.contains("+mutual("));
    let off = CoderOptions {
        mutual_events: false,
        ..CoderOptions::default()
    };
    assert_eq!(triples(&coded(table, off)), vec!["COL>VEN:040"]);
    // Not a mutual act: "Colombia attacked Venezuela" stays one-way.
    let attack = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 attacked attack VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 obj";
    assert_eq!(
        triples(&coded(attack, CoderOptions::default())),
        vec!["COL>VEN:190"]
    );
}

#[test]
fn a_place_hung_on_a_person_name_is_cut_from_the_span() {
    // "Venezuela condemned Colombian President Juan Perez at the palace": the parser hung
    // the place on the name; the target is the person.
    let table = "1 Venezuela Venezuela PROPN NNP 2 nsubj
         2 condemned condemn VERB VBD 0 root
         3 Colombian Colombian ADJ JJ 5 amod
         4 President President PROPN NNP 5 compound
         5 Juan Juan PROPN NNP 2 obj
         6 Perez Perez PROPN NNP 5 flat
         7 at at ADP IN 9 case
         8 the the DET DT 9 det
         9 palace palace NOUN NN 5 nmod";
    let mut doc = doc_from_table(table).expect("table parses");
    Coder::new(&dict(), CoderOptions::default()).code(&mut doc);
    let t: Vec<&str> = doc
        .events
        .iter()
        .filter_map(|e| e.target.as_ref())
        .map(|t| &doc.text[t.span.start as usize..t.span.end as usize])
        .collect();
    assert_eq!(t, vec!["Colombian President Juan Perez"]);
}

#[test]
fn the_future_of_a_mutual_act_is_coded_both_ways() {
    let table = "1 Colombia Colombia PROPN NNP 3 nsubj
         2 will will AUX MD 3 aux
         3 meet meet VERB VB 0 root
         4 Venezuela Venezuela PROPN NNP 3 obj";
    let ev = coded(table, CoderOptions::default());
    assert_eq!(triples(&ev), vec!["COL>VEN:036", "VEN>COL:036"]);
    // "refused to meet" is no mutual act.
    let refuse = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 refused refuse VERB VBD 0 root
         3 to to PART TO 4 mark
         4 meet meet VERB VB 2 xcomp
         5 Venezuela Venezuela PROPN NNP 4 obj";
    let t = triples(&coded(refuse, CoderOptions::default()));
    assert!(t.iter().all(|x| x.starts_with("COL>")), "{t:?}");
}

#[test]
fn an_unresolved_target_is_the_complement_of_a_pattern_word_never_a_time() {
    let mut d = dict();
    d.verbs.push(verb(
        "v:20",
        "015",
        "claim",
        vec![slot(Role::Obj, lemmas("responsibility"))],
    ));
    d.verbs.push(verb(
        "v:21",
        "120",
        "reject",
        vec![slot(Role::Subj, Filler::Any)],
    ));
    let targets = |table: &str, opts: CoderOptions| -> Vec<(String, String, String)> {
        let mut doc = doc_from_table(table).expect("table parses");
        Coder::new(&d, opts).code(&mut doc);
        doc.events
            .iter()
            .filter_map(|e| e.target.as_ref())
            .map(|t| {
                let text = doc.text[t.span.start as usize..t.span.end as usize].to_string();
                (text, t.code.clone(), t.via.clone())
            })
            .collect()
    };
    // "Colombia claimed responsibility for the attack on Thursday".
    let claim = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 claimed claim VERB VBD 0 root
         3 responsibility responsibility NOUN NN 2 obj
         4 for for ADP IN 6 case
         5 the the DET DT 6 det
         6 attack attack NOUN NN 3 nmod
         7 on on ADP IN 8 case
         8 Thursday Thursday PROPN NNP 2 obl";
    assert_eq!(
        targets(claim, CoderOptions::default()),
        vec![(
            "the attack".to_string(),
            String::new(),
            "unresolved".to_string()
        )]
    );
    // PETRARCH's conventions keep no uncoded target.
    let petr = CoderOptions {
        require_dyad: false,
        ..CoderOptions::petrarch()
    };
    assert!(targets(claim, petr).is_empty());
    // "Colombia rejected on Thursday": a time is no target.
    let time = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 rejected reject VERB VBD 0 root
         3 on on ADP IN 4 case
         4 Thursday Thursday PROPN NNP 2 obl";
    assert!(targets(time, CoderOptions::default()).is_empty());
    // "Colombia rejected the plan on Thursday": the object is.
    let plan = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 rejected reject VERB VBD 0 root
         3 the the DET DT 4 det
         4 plan plan NOUN NN 2 obj
         5 on on ADP IN 6 case
         6 Thursday Thursday PROPN NNP 2 obl";
    let t = targets(plan, CoderOptions::default());
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0].0, "the plan");
}

/// The target spans of a table coded with the test dictionary plus `extra` patterns.
fn target_spans(table: &str, extra: Vec<VerbPattern>, opts: CoderOptions) -> Vec<String> {
    let mut d = dict();
    d.verbs.extend(extra);
    let mut doc = doc_from_table(table).expect("table parses");
    Coder::new(&d, opts).code(&mut doc);
    doc.events
        .iter()
        .filter_map(|e| e.target.as_ref())
        .map(|t| doc.text[t.span.start as usize..t.span.end as usize].to_string())
        .collect()
}

#[test]
fn a_pattern_word_is_no_target_its_complement_is() {
    let deploy = || {
        vec![verb(
            "v:deploy",
            "074",
            "deploy",
            vec![slot(Role::Obj, lemmas("mission"))],
        )]
    };
    // "Colombia deployed the mission in Venezuela": the mission is part of the act.
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 deployed deploy VERB VBD 0 root
         3 the the DET DT 4 det
         4 mission mission NOUN NN 2 obj
         5 in in ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 4 nmod";
    assert_eq!(
        target_spans(table, deploy(), CoderOptions::default()),
        vec!["Venezuela"]
    );
    let off = CoderOptions {
        nested_actor_span: false,
        ..CoderOptions::default()
    };
    assert_eq!(
        target_spans(table, deploy(), off),
        vec!["the mission in Venezuela"]
    );
    // A site the pattern names is what the act hits, with its place.
    let detain = vec![verb(
        "v:detain",
        "173",
        "detain",
        vec![slot(Role::Obj, lemmas("protester"))],
    )];
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 detained detain VERB VBD 0 root
         3 protesters protester NOUN NNS 2 obj
         4 in in ADP IN 5 case
         5 Venezuela Venezuela PROPN NNP 3 nmod";
    assert_eq!(
        target_spans(table, detain, CoderOptions::default()),
        vec!["protesters in Venezuela"]
    );
    // An agent word naming its own actor is the target: "the Colombian police in Arnor".
    let summon = vec![verb(
        "v:summon",
        "1122",
        "summon",
        vec![slot(Role::Obj, lemmas("police"))],
    )];
    let table = "1 Venezuela Venezuela PROPN NNP 2 nsubj
         2 summoned summon VERB VBD 0 root
         3 the the DET DT 5 det
         4 Colombian Colombian ADJ JJ 5 amod
         5 police police NOUN NN 2 obj
         6 in in ADP IN 7 case
         7 Arnor Arnor PROPN NNP 5 nmod";
    assert_eq!(
        target_spans(table, summon, CoderOptions::default()),
        vec!["the Colombian police in Arnor"]
    );
}

#[test]
fn a_pattern_word_hung_on_the_target_is_cut_from_its_span() {
    // "Venezuela accused Colombia of genocide", "of genocide" hung on "Colombia".
    let accuse = || {
        vec![verb(
            "v:accuse",
            "1124",
            "accuse",
            vec![
                slot(Role::Obj, Filler::Target),
                slot(Role::Prep("of".into()), lemmas("genocide")),
            ],
        )]
    };
    let table = "1 Venezuela Venezuela PROPN NNP 2 nsubj
         2 accused accuse VERB VBD 0 root
         3 Colombia Colombia PROPN NNP 2 obj
         4 of of ADP IN 5 case
         5 genocide genocide NOUN NN 3 nmod";
    assert_eq!(
        target_spans(table, accuse(), CoderOptions::default()),
        vec!["Colombia"]
    );
    let off = CoderOptions {
        nested_actor_span: false,
        ..CoderOptions::default()
    };
    assert_eq!(
        target_spans(table, accuse(), off),
        vec!["Colombia of genocide"]
    );
}

#[test]
fn parties_that_agree_together_are_each_others_targets() {
    // "Colombia and Venezuela agreed to a ceasefire in Arnor": a joint act
    // of the coordinated subject (030), not one aimed at Arnor.
    let sign = || {
        vec![verb(
            "v:agree",
            "030",
            "agree",
            vec![slot(Role::Prep("to".into()), lemmas("ceasefire"))],
        )]
    };
    let table = "1 Colombia Colombia PROPN NNP 4 nsubj
         2 and and CCONJ CC 3 cc
         3 Venezuela Venezuela PROPN NNP 1 conj
         4 agreed agree VERB VBD 0 root
         5 to to ADP IN 7 case
         6 a a DET DT 7 det
         7 ceasefire ceasefire NOUN NN 4 obl
         8 in in ADP IN 9 case
         9 Arnor Arnor PROPN NNP 7 nmod";
    let mut d = dict();
    d.verbs.extend(sign());
    let mut doc = doc_from_table(table).expect("table parses");
    Coder::new(&d, CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["COL>VEN:030", "VEN>COL:030"]);
    assert_eq!(
        target_spans(table, sign(), CoderOptions::default()),
        vec!["Colombia and Venezuela", "Colombia and Venezuela"]
    );
    // A hostile act keeps its target: "Colombia and Venezuela attacked Arnor".
    let attack = "1 Colombia Colombia PROPN NNP 4 nsubj
         2 and and CCONJ CC 3 cc
         3 Venezuela Venezuela PROPN NNP 1 conj
         4 attacked attack VERB VBD 0 root
         5 Arnor Arnor PROPN NNP 4 obj";
    assert_eq!(
        triples(&coded(attack, CoderOptions::default())),
        vec!["COL>ARN:190", "VEN>ARN:190"]
    );
}

#[test]
fn the_direct_object_is_preferred_to_the_indirect_one() {
    // "gave Venezuela a warning": the pattern's object is "warning"; the
    // recipient, Venezuela, is the target.
    let mut d = dict();
    d.verbs.push(verb(
        "v:21",
        "130",
        "give",
        vec![slot(Role::Obj, lemmas("warning"))],
    ));
    let mut doc = doc_from_table(
        "1 Colombia Colombia PROPN NNP 2 nsubj
         2 gave give VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 2 iobj
         4 a a DET DT 5 det
         5 warning warning NOUN NN 2 obj
         6 . . PUNCT . 2 punct",
    )
    .expect("table");
    Coder::new(&d, CoderOptions::default()).code(&mut doc);
    assert_eq!(triples(&doc.events), vec!["COL>VEN:130"]);
}

#[test]
fn an_event_noun_codes_a_sentence_whose_verbs_code_nothing() {
    // "Colombia's attack on Arnor continued": the noun's possessor acts on
    // its `on` complement, coded through the bare verb `attack` (190).
    let t = "1 Colombia Colombia PROPN NNP 3 nmod:poss
             2 's 's PART POS 1 case
             3 attack attack NOUN NN 6 nsubj
             4 on on ADP IN 5 case
             5 Arnor Arnor PROPN NNP 3 nmod
             6 continued continue VERB VBD 0 root";
    assert_eq!(
        run_with(&dict(), CoderOptions::default(), t),
        vec!["COL>ARN:190"]
    );
    let off = CoderOptions {
        nominal_events: false,
        ..CoderOptions::default()
    };
    assert!(run_with(&dict(), off, t).is_empty());
    assert!(run_with(&dict(), CoderOptions::petrarch(), t).is_empty());
}

#[test]
fn an_event_noun_takes_the_support_verbs_subject_but_not_another_verbs() {
    // "Colombia launched an attack on Arnor": `launch` is a support verb.
    let t = |v: &str, l: &str| {
        format!(
            "1 Colombia Colombia PROPN NNP 2 nsubj
             2 {v} {l} VERB VBD 0 root
             3 an a DET DT 4 det
             4 attack attack NOUN NN 2 obj
             5 on on ADP IN 6 case
             6 Arnor Arnor PROPN NNP 4 nmod"
        )
    };
    assert_eq!(
        run_with(&dict(), CoderOptions::default(), &t("launched", "launch")),
        vec!["COL>ARN:190"]
    );
    // "Colombia investigated an attack on Arnor": the noun is what another
    // (here uncoded) act is about, not Colombia's act.
    assert!(run_with(&dict(), CoderOptions::default(), &t("studied", "study")).is_empty());
    // A coded verb keeps the sentence: no nominal event is added.
    assert_eq!(
        run_with(&dict(), CoderOptions::default(), &t("condemned", "condemn")),
        vec!["COL>ARN:111"]
    );
}

#[test]
fn the_shipped_nominal_table_parses_and_errors_name_the_line() {
    assert!(nominal::NominalTable::parse(nominal::DEFAULT_NOMINALS).is_ok());
    assert!(!nominal::NominalTable::builtin().is_empty());
    let bad = nominal::NominalTable::parse("attack attack on\nvisit visit\n");
    assert!(bad.is_err_and(|e| e.contains(":2:")));
    assert!(nominal::NominalTable::parse("support\n").is_err());
    assert!(nominal::NominalTable::parse("a b on||to\n").is_err());
}

#[test]
fn the_forces_of_a_force_posture_act_are_no_target() {
    let spans = |table: &str, opts: CoderOptions| {
        let mut d = dict();
        d.agents.push(Agent {
            id: "agents.txt:2".into(),
            names: vec![vec!["troops".into()], vec!["peacekeepers".into()]],
            code: "MIL".into(),
            join: AgentJoin::Append,
        });
        d.verbs.extend(mobilize());
        let mut doc = doc_from_table(table).expect("table parses");
        Coder::new(&d, opts).code(&mut doc);
        doc.events
            .iter()
            .filter_map(|e| e.target.as_ref())
            .map(|t| doc.text[t.span.start as usize..t.span.end as usize].to_string())
            .collect::<Vec<_>>()
    };
    fn mobilize() -> Vec<VerbPattern> {
        vec![
            verb(
                "v:mobilize",
                "154",
                "mobilize",
                vec![slot(Role::Obj, lemmas("troop|troops"))],
            ),
            verb(
                "v:withdraw",
                "1661",
                "withdraw",
                vec![slot(Role::Obj, lemmas("peacekeeper"))],
            ),
            verb(
                "v:kill",
                "190",
                "kill",
                vec![slot(Role::Obj, lemmas("troop|troops"))],
            ),
        ]
    }
    // "Colombia mobilized its troops in Venezuela": where they stand.
    let against = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 mobilized mobilize VERB VBD 0 root
         3 its its PRON PRP$ 4 nmod:poss
         4 troops troop NOUN NNS 2 obj
         5 in in ADP IN 6 case
         6 Venezuela Venezuela PROPN NNP 4 nmod";
    assert_eq!(spans(against, CoderOptions::default()), vec!["Venezuela"]);
    let off = CoderOptions {
        own_force_targets: false,
        ..CoderOptions::default()
    };
    assert_eq!(spans(against, off.clone()), vec!["its troops in Venezuela"]);
    // "… for a war against Venezuela": the `against` of a `for` phrase.
    let war = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 mobilized mobilize VERB VBD 0 root
         3 troops troop NOUN NNS 2 obj
         4 for for ADP IN 6 case
         5 a a DET DT 6 det
         6 war war NOUN NN 3 nmod
         7 against against ADP IN 8 case
         8 Venezuela Venezuela PROPN NNP 6 nmod";
    assert_eq!(spans(war, CoderOptions::default()), vec!["Venezuela"]);
    // A place that names no actor is kept uncoded: "from the border".
    let border = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 withdrew withdraw VERB VBD 0 root
         3 peacekeepers peacekeeper NOUN NNS 2 obj
         4 from from ADP IN 6 case
         5 the the DET DT 6 det
         6 border border NOUN NN 2 obl";
    assert_eq!(spans(border, CoderOptions::default()), vec!["the border"]);
    // No complement: the act has no target, not the forces.
    let bare = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 mobilized mobilize VERB VBD 0 root
         3 troops troop NOUN NNS 2 obj";
    assert!(spans(bare, CoderOptions::default()).is_empty());
    let mut d = dict();
    d.verbs.extend(mobilize());
    assert_eq!(
        run_with(&d, CoderOptions::default(), bare),
        vec!["COL>---:154"]
    );
    assert_eq!(spans(bare, off.clone()), vec!["troops"]);
    // Forces that are hit are the target: "Colombia killed troops in Venezuela".
    let kill = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 killed kill VERB VBD 0 root
         3 troops troop NOUN NNS 2 obj
         4 in in ADP IN 5 case
         5 Venezuela Venezuela PROPN NNP 2 obl";
    assert_eq!(spans(kill, CoderOptions::default()), vec!["troops"]);
    // PETRARCH codes the object.
    assert!(!CoderOptions::petrarch().own_force_targets);
}

#[test]
fn acts_of_conditional_and_purpose_clauses_are_not_coded() {
    // "Colombia will attack Arnor if Venezuela attacks Gondor".
    let cond = "1 Colombia Colombia PROPN NNP 3 nsubj
         2 will will AUX MD 3 aux
         3 attack attack VERB VB 0 root
         4 Arnor Arnor PROPN NNP 3 obj
         5 if if SCONJ IN 7 mark
         6 Venezuela Venezuela PROPN NNP 7 nsubj
         7 attacks attack VERB VBZ 3 advcl
         8 Gondor Gondor PROPN NNP 7 obj";
    assert_eq!(
        triples(&coded(cond, CoderOptions::default())),
        vec!["COL>ARN:190"]
    );
    let off = CoderOptions {
        drop_unrealized_clauses: false,
        ..CoderOptions::default()
    };
    assert_eq!(
        triples(&coded(cond, off.clone())),
        vec!["COL>ARN:190", "VEN>GON:190"]
    );
    // A clause with its own main verb is no adverbial: "Venezuela attacked
    // Gondor after Colombia met Arnor" keeps both acts.
    let after = "1 Venezuela Venezuela PROPN NNP 2 nsubj
         2 attacked attack VERB VBD 0 root
         3 Gondor Gondor PROPN NNP 2 obj
         4 after after SCONJ IN 6 mark
         5 Colombia Colombia PROPN NNP 6 nsubj
         6 met meet VERB VBD 2 advcl
         7 Arnor Arnor PROPN NNP 6 obj";
    let all = triples(&coded(after, CoderOptions::default()));
    assert!(all.contains(&"VEN>GON:190".to_string()));
    assert!(all.contains(&"COL>ARN:040".to_string()));
}

#[test]
fn the_obliged_act_of_a_demand_is_not_coded() {
    // "Colombia declared Venezuela must attack Arnor": a demand on
    // Venezuela (100), not an attack.
    let t = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 declared declare VERB VBD 0 root
         3 Venezuela Venezuela PROPN NNP 5 nsubj
         4 must must AUX MD 5 aux
         5 attack attack VERB VB 2 ccomp
         6 Arnor Arnor PROPN NNP 5 obj";
    assert_eq!(
        triples(&coded(t, CoderOptions::default())),
        vec!["COL>VEN:100"]
    );
    let off = CoderOptions {
        drop_unrealized_clauses: false,
        ..CoderOptions::default()
    };
    assert_eq!(triples(&coded(t, off)), vec!["COL>VEN:100", "VEN>ARN:190"]);
}

#[test]
fn a_mutual_act_of_a_coordinated_subject_is_among_its_parties() {
    // "Colombia and Venezuela met for talks on Arnor": Arnor is what the
    // talks are about, the parties meet each other.
    let about = "1 Colombia Colombia PROPN NNP 4 nsubj
         2 and and CCONJ CC 3 cc
         3 Venezuela Venezuela PROPN NNP 1 conj
         4 met meet VERB VBD 0 root
         5 for for ADP IN 6 case
         6 talks talk NOUN NNS 4 obl
         7 on on ADP IN 8 case
         8 Arnor Arnor PROPN NNP 6 nmod";
    assert_eq!(
        triples(&coded(about, CoderOptions::default())),
        vec!["COL>VEN:040", "VEN>COL:040"]
    );
    let off = CoderOptions {
        joint_mutual_acts: false,
        ..CoderOptions::default()
    };
    assert!(triples(&coded(about, off)).contains(&"COL>ARN:040".to_string()));
    // "Colombia and Venezuela met Arnor": the object is the partner.
    let partner = "1 Colombia Colombia PROPN NNP 4 nsubj
         2 and and CCONJ CC 3 cc
         3 Venezuela Venezuela PROPN NNP 1 conj
         4 met meet VERB VBD 0 root
         5 Arnor Arnor PROPN NNP 4 obj";
    let all = triples(&coded(partner, CoderOptions::default()));
    assert!(all.contains(&"COL>ARN:040".to_string()));
    assert!(all.contains(&"VEN>ARN:040".to_string()));
    assert!(!all.contains(&"COL>VEN:040".to_string()));
}

#[test]
fn the_noun_of_a_secondary_predicate_is_the_target_phrase() {
    let let_free = || {
        vec![verb(
            "v:let",
            "0841",
            "let",
            vec![slot(Role::Xcomp, lemmas("free"))],
        )]
    };
    // "Colombia let free Tom Bombadil": the parser hangs the name on "free".
    let table = "1 Colombia Colombia PROPN NNP 2 nsubj
         2 let let VERB VBD 0 root
         3 free free ADJ JJ 2 xcomp
         4 Tom Tom PROPN NNP 3 appos
         5 Bombadil Bombadil PROPN NNP 4 flat";
    assert_eq!(
        target_spans(table, let_free(), CoderOptions::default()),
        vec!["Tom Bombadil"]
    );
    let off = CoderOptions {
        secondary_predicate_objects: false,
        ..CoderOptions::default()
    };
    assert!(target_spans(table, let_free(), off).is_empty());
}

#[test]
fn a_stated_attitude_is_about_its_target_phrase() {
    let say = || vec![verb("v:say", "010", "say", vec![])];
    // "Gondor said it is skeptical of the plan".
    let table = "1 Gondor Gondor PROPN NNP 2 nsubj
         2 said say VERB VBD 0 root
         3 it it PRON PRP 5 nsubj
         4 is be AUX VBZ 5 cop
         5 skeptical skeptical ADJ JJ 2 ccomp
         6 of of ADP IN 8 case
         7 the the DET DT 8 det
         8 plan plan NOUN NN 5 obl";
    assert_eq!(
        target_spans(table, say(), CoderOptions::default()),
        vec!["the plan"]
    );
    let off = CoderOptions {
        attitude_targets: false,
        ..CoderOptions::default()
    };
    assert!(target_spans(table, say(), off).is_empty());
    // The parser's `expl` "it" is the speaker too.
    let expl = table.replace("3 it it PRON PRP 5 nsubj", "3 it it PRON PRP 5 expl");
    assert_eq!(
        target_spans(&expl, say(), CoderOptions::default()),
        vec!["the plan"]
    );
    // An attitude said of someone else is not the speaker's.
    let other = table.replace(
        "3 it it PRON PRP 5 nsubj",
        "3 Rohan Rohan PROPN NNP 5 nsubj",
    );
    assert!(!target_spans(&other, say(), CoderOptions::default()).contains(&"the plan".to_string()));
}
