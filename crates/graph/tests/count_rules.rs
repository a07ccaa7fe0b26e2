//! Casualty-count rules on analysed text (tokeniser + embedded tagger and
//! parser): ages, background figures, hospital transports, unrealised
//! events, relative-clause shooters, surnames. Sentences written for these
//! tests.

use petrel_doc::Doc;
use petrel_graph::{casualty_totals_in, counts, CountKind};
use std::sync::OnceLock;

fn nlp() -> &'static petrel_nlp::Nlp {
    static N: OnceLock<petrel_nlp::Nlp> = OnceLock::new();
    N.get_or_init(|| match petrel_nlp::Nlp::embedded() {
        Ok(n) => n,
        Err(e) => panic!("embedded NLP models failed to load: {e}"),
    })
}

fn analyse(text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    petrel_text::tokenize(&mut doc);
    nlp().annotate(&mut doc);
    doc
}

/// (kind, number) of every count, and the article totals (killed, injured).
fn run(text: &str) -> (Vec<(CountKind, u64)>, (u64, u64)) {
    let d = analyse(text);
    let cs = counts(&d);
    let list: Vec<_> = cs.iter().map(|c| (c.kind, c.number)).collect();
    let totals = casualty_totals_in(&d, &cs);
    eprintln!("{text}\n  {list:?} totals {totals:?}");
    (list, totals)
}

#[test]
fn an_age_between_commas_is_not_a_count() {
    let (list, totals) = run("Police said Maria Lopez, 41, died at the scene.");
    assert!(list.iter().all(|c| c.1 != 41), "{list:?}");
    assert_eq!(totals, (1, 0));
    let (list, _) = run("Kevin Park, 35, was shot in the leg on Sunday.");
    assert!(list.iter().all(|c| c.1 != 35), "{list:?}");
}

#[test]
fn children_and_age_limits_are_not_victims() {
    let (list, totals) = run("The victim, a mother of three, died Sunday.");
    assert!(list.iter().all(|c| c.1 != 3), "{list:?}");
    assert_eq!(totals.0, 1);
    let (list, _) = run("Officials said 40 children under the age of 10 were killed last year.");
    assert!(list.iter().all(|c| c.1 != 10), "{list:?}");
}

#[test]
fn a_name_starting_the_body_after_its_headline() {
    let (_, totals) = run("Rosa Delgado, 52 - Crime Desk\nRosa Delgado, a 52-year-old nurse, was shot and killed Friday near her home.");
    assert_eq!(totals, (1, 0));
}

#[test]
fn period_figures_are_left_out_of_the_totals() {
    let (list, totals) = run("Two people were wounded Saturday. Police said 31 people have been shot this year in the district.");
    assert!(
        list.iter().any(|c| c.1 == 31),
        "the count itself stays: {list:?}"
    );
    assert_eq!(totals, (0, 2));
    let (_, totals) =
        run("One man died in the attack. It was the worst month since 2009, when 17 were killed.");
    assert_eq!(totals, (1, 0));
}

#[test]
fn several_shot_in_a_headline_with_one_dead() {
    let (_, totals) =
        run("Four shot, one dead outside downtown club\nPolice are looking for the gunman.");
    assert_eq!(totals, (1, 3));
}

#[test]
fn taken_to_hospital_means_hurt() {
    let (_, totals) = run("A woman was taken to a nearby hospital with cuts after the gunfire.");
    assert_eq!(totals, (0, 1));
    let (_, totals) = run("A man was rushed to the hospital, where he died an hour later.");
    assert_eq!(totals, (1, 0));
}

#[test]
fn threats_and_near_misses_are_no_casualties() {
    let (list, _) = run("The robber threatened to kill the clerk.");
    assert!(list.iter().all(|c| c.0 != CountKind::Kill), "{list:?}");
    let (list, _) = run("The bullet came within inches of possibly killing the driver.");
    assert!(list.iter().all(|c| c.0 != CountKind::Kill), "{list:?}");
}

#[test]
fn shooters_in_a_relative_clause_are_no_victims() {
    let (list, _) = run("The two deputies who shot Marcus Hale have been placed on leave.");
    assert!(list.is_empty(), "{list:?}");
}

#[test]
fn another_alone_is_a_second_victim() {
    let (_, totals) = run("One man was killed and another was injured in the crash.");
    assert_eq!(totals, (1, 1));
}

#[test]
fn a_surname_as_passive_subject() {
    let (_, totals) = run("Deputies said Brennan was shot and killed near the barn.");
    assert_eq!(totals, (1, 0));
}

#[test]
fn weapons_pistol_whipping_and_fatal_objects() {
    let (_, totals) = run("A man carrying two handguns was shot and killed by troopers.");
    assert_eq!(totals, (1, 0));
    let (list, _) = run("A clerk was pistol-whipped during the robbery.");
    assert_eq!(list, vec![(CountKind::Wound, 1)]);
    let (_, totals) = run("An officer fatally shot a 23-year-old on Monday.");
    assert_eq!(totals, (1, 0));
}

#[test]
fn found_dead_outweighs_a_plain_shot_and_grazes_and_cuts_hurt() {
    let (_, totals) =
        run("Deputies said a 40-year-old man who was found dead near the river was shot twice.");
    assert_eq!(totals, (1, 0));
    let (list, _) = run("One person was grazed by a bullet in the exchange.");
    assert_eq!(list, vec![(CountKind::Wound, 1)]);
    let (list, _) = run("A 30-year-old man suffered a cut to his hand during the fight.");
    assert_eq!(list, vec![(CountKind::Wound, 1)]);
}

#[test]
fn attack_totals_keep_their_shape() {
    let (list, totals) = run("Gunmen killed at least 12 civilians and wounded 30 others in an attack on a market, officials said. He added that 40 people had been arrested.");
    assert!(list.contains(&(CountKind::Kill, 12)), "{list:?}");
    assert!(list.contains(&(CountKind::Wound, 30)), "{list:?}");
    assert!(list.contains(&(CountKind::Arrest, 40)), "{list:?}");
    assert_eq!(totals, (12, 30));
}

#[test]
fn a_counted_group_name_is_no_surname() {
    let (list, _) = run("At least 300 Britons were killed in the fighting.");
    assert_eq!(list, vec![(CountKind::Kill, 300)]);
}
