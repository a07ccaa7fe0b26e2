//! Quote, count and tone shapes on analysed text (tokeniser + embedded
//! tagger/parser).

use petrel_doc::Doc;
use petrel_graph::{casualty_totals_in, counts, quotes, tone, CountKind, Quote, QuoteKind};

fn analyse(text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    petrel_text::tokenize(&mut doc);
    match petrel_nlp::Nlp::embedded() {
        Ok(nlp) => nlp.annotate(&mut doc),
        Err(e) => panic!("embedded NLP models failed to load: {e}"),
    }
    doc
}

fn show(doc: &Doc, q: &Quote) -> String {
    format!(
        "{:?} content={:?} cue={:?} speaker={:?} resolved={:?}",
        q.kind,
        doc.span_text(q.content),
        q.cue.map(|s| doc.span_text(s)),
        q.speaker.map(|s| doc.span_text(s)),
        q.speaker_resolved.map(|s| doc.span_text(s)),
    )
}

fn one(text: &str) -> (Doc, Vec<Quote>) {
    let d = analyse(text);
    let q = quotes(&d);
    for x in &q {
        eprintln!("{}", show(&d, x));
    }
    (d, q)
}

#[test]
fn direct_quote_then_pronoun_cue() {
    let (d, q) = one("Prime Minister John Smith visited the port on Monday. \"We will rebuild this city,\" he said.");
    let q: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
    assert_eq!(q.len(), 1);
    assert_eq!(d.span_text(q[0].content), "We will rebuild this city,");
    assert_eq!(q[0].cue.map(|s| d.span_text(s)), Some("said"));
    assert_eq!(q[0].speaker.map(|s| d.span_text(s)), Some("he"));
    assert_eq!(
        q[0].speaker_resolved.map(|s| d.span_text(s)),
        Some("John Smith")
    );
}

#[test]
fn speaker_colon_quote() {
    let (d, q) = one("The mayor said: \"The water is safe to drink.\"");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].kind, QuoteKind::Direct);
    assert_eq!(d.span_text(q[0].content), "The water is safe to drink.");
    assert_eq!(q[0].speaker.map(|s| d.span_text(s)), Some("The mayor"));
}

#[test]
fn inverted_cue_with_apposition() {
    let (d, q) =
        one("\u{201C}The talks have failed,\u{201D} said Ali Hassan, the foreign minister.");
    assert_eq!(q.len(), 1);
    let sp = q[0].speaker.map(|s| d.span_text(s)).unwrap_or("");
    assert!(sp.starts_with("Ali Hassan"), "{sp}");
    assert_eq!(
        q[0].speaker_head.map(|h| d.token_text(h as usize)),
        Some("Hassan")
    );
}

#[test]
fn quote_over_two_paragraphs() {
    let text = "\"We have lost everything. The river took our homes.\n\n\"Nobody has come to help us,\" said Maria Lopez, a farmer.";
    let (d, q) = one(text);
    let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
    assert_eq!(direct.len(), 1);
    let c = d.span_text(direct[0].content);
    assert!(
        c.starts_with("We have lost") && c.ends_with("help us,"),
        "{c}"
    );
    assert!(direct[0]
        .speaker
        .is_some_and(|s| d.span_text(s).starts_with("Maria Lopez")));
}

#[test]
fn indirect_speech_with_that() {
    let (d, q) = one("The defence minister warned that the army would respond to any attack.");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].kind, QuoteKind::Indirect);
    assert!(d.span_text(q[0].content).contains("the army would respond"));
    assert_eq!(q[0].cue.map(|s| d.span_text(s)), Some("warned"));
    assert_eq!(
        q[0].speaker.map(|s| d.span_text(s)),
        Some("The defence minister")
    );
}

#[test]
fn nested_indirect_speech_is_kept_and_marked() {
    let (d, q) = one("The minister said that the general warned that the border would close.");
    assert_eq!(q.len(), 2, "{q:?}");
    let outer = &q[0];
    assert_eq!(outer.cue.map(|s| d.span_text(s)), Some("said"));
    assert_eq!(outer.speaker.map(|s| d.span_text(s)), Some("The minister"));
    assert!(!outer.nested);
    let inner = &q[1];
    assert_eq!(inner.cue.map(|s| d.span_text(s)), Some("warned"));
    assert_eq!(inner.speaker.map(|s| d.span_text(s)), Some("the general"));
    assert!(inner.nested);
    // The inner attribution lies inside what the minister said.
    assert!(outer.content.start <= inner.content.start && inner.content.end <= outer.content.end);
    assert!(d
        .span_text(inner.content)
        .ends_with("the border would close"));
    // A lone report is top-level.
    let (_, q) = one("The general warned that the border would close.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(!q[0].nested);
}

#[test]
fn raising_verbs_attribute_the_clause() {
    let (d, q) = one("The senator seemed irritated by the question.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0].cue.map(|s| d.span_text(s)), Some("seemed"));
    assert_eq!(
        d.span_text(q[0].content),
        "The senator seemed irritated by the question"
    );
    let (d, q) = one("The central bank is expected to raise rates.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(
        d.span_text(q[0].content),
        "The central bank is expected to raise rates"
    );
    // "appear" without a predicate is no attribution.
    let (_, q) = one("The governor appeared on television.");
    assert!(q.is_empty(), "{q:?}");
}

#[test]
fn stance_object_without_time_adverbial() {
    let (d, q) = one("The governor endorsed Trump on Sunday.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(d.span_text(q[0].content), "Trump");
    assert_eq!(q[0].speaker.map(|s| d.span_text(s)), Some("The governor"));
    // A cue of direct quotes only is no indirect cue.
    let (_, q) = one("The economy continues to grow.");
    assert!(q.is_empty(), "{q:?}");
}

#[test]
fn asked_whether_and_referring_to() {
    let (d, q) = one("A reporter asked Sanders whether he would endorse Clinton.");
    // "he would endorse" inside the question is a nested attribution.
    let top: Vec<_> = q.iter().filter(|q| !q.nested).collect();
    assert_eq!(top.len(), 1, "{q:?}");
    assert_eq!(
        d.span_text(top[0].content),
        "whether he would endorse Clinton"
    );
    assert!(
        q.iter().filter(|q| q.nested).all(|n| top[0].content.start <= n.content.start
            && n.content.end <= top[0].content.end),
        "{q:?}"
    );
    let (d, q) = one("The mayor criticized the plan, referring to the new highway project.");
    let r: Vec<_> = q
        .iter()
        .filter(|q| q.cue.is_some_and(|c| d.span_text(c) == "referring"))
        .collect();
    assert_eq!(r.len(), 1, "{q:?}");
    assert_eq!(d.span_text(r[0].content), "the new highway project");
}

#[test]
fn that_is_part_of_the_content() {
    let (d, q) = one("Sanders admitted Tuesday that his campaign would struggle to win.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(
        d.span_text(q[0].content),
        "that his campaign would struggle to win"
    );
}

#[test]
fn indirect_speech_cue_at_end() {
    let (d, q) = one("The economy will grow by three percent next year, the central bank said.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(d
        .span_text(q[0].content)
        .starts_with("The economy will grow"));
    assert_eq!(
        q[0].speaker.map(|s| d.span_text(s)),
        Some("the central bank")
    );
}

#[test]
fn according_to() {
    let (d, q) =
        one("According to the United Nations, more than a million people have fled the fighting.");
    assert_eq!(q.len(), 1);
    assert_eq!(
        q[0].speaker.map(|s| d.span_text(s)),
        Some("the United Nations")
    );
    assert!(d.span_text(q[0].content).starts_with("more than a million"));
}

#[test]
fn partial_quote_is_mixed() {
    let (d, q) = one("Senator Jane Doe said the proposal was \"dead on arrival\" in the Senate.");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].kind, QuoteKind::Mixed);
    assert_eq!(
        q[0].speaker.map(|s| d.span_text(s)),
        Some("Senator Jane Doe")
    );
}

#[test]
fn scare_quotes_are_not_quotes() {
    let (_, q) = one("The so-called \"peace plan\" was published on Tuesday.");
    assert!(q.is_empty());
}

fn count_list(text: &str) -> Vec<(CountKind, u64, Option<String>, Option<String>)> {
    let d = analyse(text);
    let cs = counts(&d);
    let out: Vec<_> = cs
        .iter()
        .map(|c| {
            (
                c.kind,
                c.number,
                c.qualifier.clone(),
                c.object.map(|o| d.span_text(o).to_string()),
            )
        })
        .collect();
    eprintln!("{text}\n  {out:?}");
    out
}

#[test]
fn killed_with_qualifier_and_object() {
    let c = count_list("At least 1,200 Israelis were killed in the attack.");
    assert_eq!(
        c,
        vec![(
            CountKind::Kill,
            1200,
            Some("at least".into()),
            Some("Israelis".into())
        )]
    );
}

#[test]
fn active_trigger_and_word_numbers() {
    let c = count_list("The bombing killed three civilians and wounded a dozen others.");
    assert!(
        c.contains(&(CountKind::Kill, 3, None, Some("civilians".into()))),
        "{c:?}"
    );
    assert!(
        c.iter().any(|x| x.0 == CountKind::Wound && x.1 == 12),
        "{c:?}"
    );
}

#[test]
fn vague_quantities_are_approx() {
    let c = count_list(
        "Dozens of protesters were arrested, and hundreds of families fled their homes.",
    );
    assert!(
        c.contains(&(
            CountKind::Arrest,
            24,
            Some("approx".into()),
            Some("protesters".into())
        )),
        "{c:?}"
    );
    assert!(
        c.iter().any(|x| x.0 == CountKind::Displaced && x.1 == 200),
        "{c:?}"
    );
}

#[test]
fn hostages_of_whom_dead() {
    let c = count_list("Hamas is holding 129 hostages, 34 of whom are presumed dead.");
    assert!(
        c.iter().any(|x| x.0 == CountKind::Kidnap && x.1 == 129),
        "{c:?}"
    );
    assert!(
        c.iter().any(|x| x.0 == CountKind::Kill && x.1 == 34),
        "{c:?}"
    );
}

#[test]
fn crowd_and_refugees_and_missing() {
    let c = count_list("Over 200 refugees crossed the border. About 5,000 demonstrators marched in the capital. Twelve people remain missing.");
    assert!(
        c.contains(&(
            CountKind::Displaced,
            200,
            Some("more than".into()),
            Some("refugees".into())
        )),
        "{c:?}"
    );
    assert!(
        c.iter()
            .any(|x| x.0 == CountKind::Protest && x.1 == 5000 && x.2.as_deref() == Some("about")),
        "{c:?}"
    );
    assert!(
        c.iter().any(|x| x.0 == CountKind::Missing && x.1 == 12),
        "{c:?}"
    );
}

#[test]
fn single_victims_and_ages() {
    let c = count_list("A 25-year-old man was shot and killed on Tuesday. A woman was wounded.");
    assert_eq!(
        c.iter().filter(|x| x.0 == CountKind::Kill).count(),
        1,
        "{c:?}"
    );
    assert!(c.iter().all(|x| x.1 == 1), "{c:?}");
    assert!(c.iter().any(|x| x.0 == CountKind::Wound), "{c:?}");
}

#[test]
fn numbers_that_are_not_counts() {
    let c = count_list(
        "In 2015, the 45-year-old was arrested at 8:30 on Jan. 5 after a 3-hour standoff.",
    );
    assert!(
        c.iter()
            .all(|x| x.1 != 2015 && x.1 != 45 && x.1 != 5 && x.1 != 3),
        "{c:?}"
    );
}

#[test]
fn tone_is_negative_for_violence() {
    let d = analyse("Gunmen killed ten people in a brutal attack that terrified the town.");
    let t = tone(&d);
    assert!(t.tone < 0.0 && t.negative > t.positive, "{t:?}");
    assert_eq!(t.word_count, 12);
    assert!(t.activity_density > 0.0);
}

#[test]
fn coordinated_active_triggers_make_the_subject_an_agent() {
    // The officer is the shooter; only the neighbor is a victim.
    let c = count_list("The officer also shot and killed a neighbor.");
    assert_eq!(c, vec![(CountKind::Kill, 1, None, Some("neighbor".into()))]);
    // A reflexive object keeps the subject a victim.
    let c = count_list("A man shot and killed himself.");
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].0, c[0].1), (CountKind::Kill, 1));
}

#[test]
fn said_clause_read_from_the_surface() {
    // The parse reads "his campaign" as the object of "said"; the reported
    // content is the whole clause.
    let (d, q) =
        one("He said his campaign was about confronting the ugly truths in the country today.");
    assert_eq!(q.len(), 1);
    assert_eq!(
        d.span_text(q[0].content),
        "his campaign was about confronting the ugly truths in the country today"
    );
    assert_eq!(q[0].speaker.map(|s| d.span_text(s)), Some("He"));
}

#[test]
fn cue_inside_the_content() {
    let (d, q) = one("The argument would be aided, Devine said, by the upcoming primary calendar.");
    assert_eq!(q.len(), 1);
    let c = d.span_text(q[0].content);
    assert!(
        c.starts_with("The argument") && c.ends_with("calendar"),
        "{c}"
    );
    assert_eq!(q[0].speaker.map(|s| d.span_text(s)), Some("Devine"));
}

#[test]
fn headline_with_speaker_and_colon() {
    let (d, q) =
        one("Sanders: Clinton Email Story Has Moved\nThe senator spoke in Iowa on Monday.");
    let h: Vec<_> = q
        .iter()
        .filter(|q| q.speaker.map(|s| d.span_text(s)) == Some("Sanders"))
        .collect();
    assert_eq!(h.len(), 1, "{q:?}");
    assert_eq!(d.span_text(h[0].content), "Clinton Email Story Has Moved");
}

#[test]
fn in_a_statement_clause() {
    let (d, q) = one("In the latest poll, Clinton leads Trump by four points among likely voters.");
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(
        d.span_text(q[0].content),
        "Clinton leads Trump by four points among likely voters"
    );
}

#[test]
fn double_apostrophe_quotes_are_direct() {
    let (d, q) = one("''The talks have failed,'' said Ali Hassan, the foreign minister.");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].kind, QuoteKind::Direct);
    assert_eq!(d.span_text(q[0].content), "The talks have failed,");
}

#[test]
fn victims_enumerated_one_by_one() {
    let totals = |t: &str| {
        let d = analyse(t);
        casualty_totals_in(&d, &counts(&d))
    };
    assert_eq!(
        totals("Police say a 22-year-old man and a 16-year-old boy were shot. The teen was shot in the back."),
        (0, 2)
    );
    assert_eq!(
        totals("Police said an 18-year-old man was shot multiple times. Another man was shot and suffered unknown injuries."),
        (0, 2)
    );
    // Repeated mentions of the same victim are not added up.
    assert_eq!(
        totals(
            "A man was shot on Sunday. The man was taken to the hospital, where he was shot again."
        ),
        (0, 1)
    );
}

#[test]
fn double_shooting_and_murder_suicide() {
    let c = count_list("Police are investigating a double shooting in Kensington.");
    assert!(
        c.iter().any(|x| x.0 == CountKind::Wound && x.1 == 2),
        "{c:?}"
    );
    let c = count_list("Police in Beech Grove are investigating an apparent murder-suicide.");
    assert!(
        c.iter().any(|x| x.0 == CountKind::Kill && x.1 == 2),
        "{c:?}"
    );
}

fn has(d: &Doc, q: &[Quote], content: &str, cue: &str) -> bool {
    q.iter().any(|q| {
        !q.nested && d.span_text(q.content) == content && q.cue.map(|c| d.span_text(c)) == Some(cue)
    })
}

#[test]
fn attitude_adjective_takes_its_complement() {
    let (d, q) = one("The senator was critical of the new trade agreement.");
    assert!(has(&d, &q, "the new trade agreement", "critical"));
    let (d, q) = one("Local officials are confident that the bridge will reopen in May.");
    assert!(q
        .iter()
        .any(|q| q.cue.map(|c| d.span_text(c)) == Some("confident")
            && d.span_text(q.content)
                .ends_with("the bridge will reopen in May")));
}

#[test]
fn short_object_of_a_cue_verb_is_content() {
    let (d, q) = one("The governor defended the company.");
    assert!(has(&d, &q, "the company", "defended"));
}

#[test]
fn belief_cue_without_subject() {
    let (d, q) = one("Hoping for a deal, the union returned to the table on Monday.");
    assert!(has(&d, &q, "a deal", "Hoping"));
}

#[test]
fn raising_verb_with_a_nominal_predicate() {
    let (d, q) = one("The merger seemed like a smart move.");
    assert!(has(&d, &q, "The merger seemed like a smart move", "seemed"));
}

#[test]
fn cue_after_a_quote_closed_by_a_full_stop_starts_a_new_attribution() {
    let (d, q) = one(
        "He wrote a book in 1987. ''The Art of the Deal.'' Mr. Trump said a smaller jet would have cost twice as much.",
    );
    assert!(has(
        &d,
        &q,
        "a smaller jet would have cost twice as much",
        "said"
    ));
    let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
    assert!(direct.iter().all(|q| q.cue.is_none()));
}

#[test]
fn hearsay_adverb_attributes_its_clause() {
    let (d, q) = one("The group is reportedly spending $1.5 million on television advertisements.");
    assert!(has(
        &d,
        &q,
        "The group is reportedly spending $1.5 million on television advertisements",
        "reportedly"
    ));
}

#[test]
fn addressee_object_with_an_infinitive_is_content() {
    let (d, q) = one(
        "She urged the administration to join a NATO-led coalition to oust Col. Muammar el-Qaddafi in Libya.",
    );
    assert!(q
        .iter()
        .any(|x| x.cue.map(|c| d.span_text(c)) == Some("urged")
            && d.span_text(x.content)
                .starts_with("the administration to join")));
}

#[test]
fn passive_cue_after_a_quote_is_no_cue_of_it() {
    let (d, q) = one(
        "He said, \"We'll see,\" when asked whether he would fundraise on behalf of other candidates.",
    );
    let direct: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
    assert_eq!(direct.len(), 1);
    assert_eq!(direct[0].cue.map(|s| d.span_text(s)), Some("said"));
    assert_eq!(direct[0].speaker.map(|s| d.span_text(s)), Some("He"));
}
