//! The analysis pipeline: loads resources once (models, dictionaries) and runs
//! the stages on one article at a time: `text` (tokens, sentences) → `nlp`
//! (lemma, POS, dependencies) → actor mentions → `coder` (events), time
//! expressions → `graph` (quotations, counts, tone).
//!
//! This crate only wires stages together; it knows no file formats beyond
//! choosing where resources come from, and holds no per-document state, so a
//! `&Pipeline` can be shared by many threads and results never depend on the
//! thread count.

mod geo_eval;

pub use geo_eval::{evaluate_event_location, EventLocationReport, EVENT_LOCATION_FILES};
use petrel_coder::{Coder, CoderOptions};
use petrel_dict::Dictionaries;
use petrel_doc::{Article, Doc};
use petrel_nlp::Nlp;
use std::path::{Path, PathBuf};

/// Why resources could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("model error: {0}")]
    Model(String),
    #[error("dictionary errors:\n{}", .0.join("\n"))]
    Dictionary(Vec<String>),
}

/// Where the dictionaries come from.
#[derive(Debug, Clone, Default)]
pub enum DictSource {
    /// Petrel's own dictionaries, compiled into the binary.
    #[default]
    Embedded,
    /// A folder in Petrel's format (same layout as `dictionaries/petrel/`).
    PetrelDir(PathBuf),
    /// PETRARCH2/TABARI/Phoenix files, loaded as they are.
    Petrarch {
        verbs: Vec<PathBuf>,
        actors: Vec<PathBuf>,
        agents: Vec<PathBuf>,
        discards: Vec<PathBuf>,
    },
}

impl DictSource {
    pub fn load(&self) -> Result<Dictionaries, PipelineError> {
        let errs = |e: Vec<petrel_dict::DictError>| {
            PipelineError::Dictionary(e.iter().map(|e| e.to_string()).collect())
        };
        match self {
            DictSource::Embedded => petrel_dict::petrel::embedded().map_err(errs),
            DictSource::PetrelDir(d) => petrel_dict::petrel::load_dir(d).map_err(errs),
            DictSource::Petrarch {
                verbs,
                actors,
                agents,
                discards,
            } => petrel_dict::petrarch::load_set(verbs, actors, agents, discards).map_err(errs),
        }
    }

    /// The PETRARCH2 validation dictionaries (`PETR.Validate.*`) in a PETRARCH dictionary folder.
    pub fn petrarch_validate(dir: &Path) -> DictSource {
        DictSource::Petrarch {
            verbs: vec![dir.join("PETR.Validate.verbs.txt")],
            actors: vec![dir.join("PETR.Validate.actors.txt")],
            agents: vec![dir.join("PETR.Validate.agents.txt")],
            discards: vec![dir.join("PETR.Validate.discards.txt")],
        }
    }
}

/// Models plus coder; build once, share by reference.
pub struct Pipeline {
    nlp: Nlp,
    coder: Coder,
}

impl Pipeline {
    pub fn new(nlp: Nlp, dicts: &Dictionaries, options: CoderOptions) -> Pipeline {
        Pipeline {
            nlp,
            coder: Coder::new(dicts, options),
        }
    }

    /// Embedded models and Petrel's embedded dictionaries, default options.
    pub fn embedded() -> Result<Pipeline, PipelineError> {
        Pipeline::with(None, &DictSource::Embedded, CoderOptions::default())
    }

    /// Models from `models_dir` (or the embedded ones) and the given dictionaries.
    pub fn with(
        models_dir: Option<&Path>,
        dicts: &DictSource,
        options: CoderOptions,
    ) -> Result<Pipeline, PipelineError> {
        let nlp = match models_dir {
            Some(d) => Nlp::load(d),
            None => Nlp::embedded(),
        }
        .map_err(|e| PipelineError::Model(e.to_string()))?;
        Ok(Pipeline::new(nlp, &dicts.load()?, options))
    }

    pub fn nlp(&self) -> &Nlp {
        &self.nlp
    }

    /// The NLP core, to change run-time settings such as the parser's search.
    pub fn nlp_mut(&mut self) -> &mut Nlp {
        &mut self.nlp
    }

    pub fn coder(&self) -> &Coder {
        &self.coder
    }

    /// Quotations (speakers resolved to actor codes through the actor
    /// mentions), typed counts and document tone.
    pub fn graph(&self, doc: &mut Doc) {
        let quotes = petrel_graph::quotes(doc);
        doc.quotes = quotes
            .into_iter()
            .map(|q| {
                // The speaker's code: the source of the statement event coded on
                // the cue verb, else the largest actor mention over the speaker
                // (or, for a pronoun, over its antecedent).
                let from_event = q.cue.and_then(|cue| {
                    doc.events
                        .iter()
                        .filter(|e| e.verb.overlaps(&cue))
                        .find_map(|e| {
                            e.source
                                .as_ref()
                                .filter(|a| !a.code.is_empty())
                                .map(|a| a.code.clone())
                        })
                });
                let mention = |w: petrel_doc::Span| {
                    doc.entities
                        .iter()
                        .filter(|e| e.code.is_some() && e.span.overlaps(&w))
                        .max_by_key(|e| e.span.len())
                        .and_then(|e| e.code.clone())
                };
                let speaker_code = from_event
                    .or_else(|| q.speaker.and_then(mention))
                    .or_else(|| q.speaker_resolved.and_then(mention));
                petrel_doc::QuoteMention {
                    content: q.content,
                    cue: q.cue,
                    speaker: q.speaker,
                    speaker_resolved: q.speaker_resolved,
                    speaker_code,
                    kind: format!("{:?}", q.kind).to_lowercase(),
                    nested: q.nested,
                }
            })
            .collect();
        doc.counts = petrel_graph::counts(doc)
            .into_iter()
            .map(|c| petrel_doc::CountMention {
                kind: c.kind.as_str().to_string(),
                number: c.number,
                qualifier: c.qualifier,
                span: c.span,
                object: c.object,
                trigger: c.trigger,
                sentence: c.sentence,
            })
            .collect();
        let t = petrel_graph::tone(doc);
        doc.tone = Some(petrel_doc::ToneScores {
            tone: t.tone,
            positive: t.positive,
            negative: t.negative,
            polarity: t.polarity,
            activity_density: t.activity_density,
            self_group_density: t.self_group_density,
            word_count: t.word_count,
        });
    }

    /// Tokens, sentences, lemma, POS and dependencies.
    pub fn analyze(&self, doc: &mut Doc) {
        petrel_text::tokenize(doc);
        split_dateline(doc);
        self.nlp.annotate(doc);
    }

    /// Actor mentions, time expressions and events over an analysed document.
    /// An event is dated by the time expression of its clause ("on Wednesday")
    /// when there is one, else by the publication date.
    pub fn code(&self, doc: &mut Doc) {
        self.coder.resolver().annotate(doc);
        self.coder.code(doc);
        let times = petrel_time::find_times(doc);
        let dates: Vec<_> = doc
            .events
            .iter()
            .map(|e| petrel_time::event_date(doc, e.sentence, e.verb_tokens.start, &times))
            .collect();
        let published = doc.published;
        for (e, found) in doc.events.iter_mut().zip(dates) {
            if let Some((date, precision, _)) = found {
                // A month or year only says the event is not on the publication day
                // when it names another period; keep the more precise publication date otherwise.
                let same_period = published.is_some_and(|p| match precision {
                    petrel_time::Precision::Day => false,
                    petrel_time::Precision::Month => {
                        p.format("%Y-%m").to_string() == date.format("%Y-%m").to_string()
                    }
                    _ => p.format("%Y").to_string() == date.format("%Y").to_string(),
                });
                if !same_period {
                    e.date = Some(date);
                }
            }
        }
        doc.times = times
            .into_iter()
            .map(|t| petrel_doc::TimeMention {
                span: t.span,
                tokens: t.tokens,
                kind: t.kind.as_str().to_string(),
                value: t.value,
                precision: format!("{:?}", t.precision).to_lowercase(),
                anchored: t.anchored,
                rule: t.rule.to_string(),
            })
            .collect();
        locate(doc);
    }

    /// The whole pipeline for one article.
    pub fn process(&self, article: Article) -> Doc {
        let mut doc = Doc::from_article(article);
        self.analyze(&mut doc);
        self.code(&mut doc);
        self.graph(&mut doc);
        doc
    }

    /// Codes one Penn Treebank tree (as in PETRARCH's records) instead of
    /// running Petrel's own analysis.
    pub fn process_ptb(
        &self,
        id: &str,
        tree: &str,
        date: Option<chrono::NaiveDate>,
    ) -> Result<Doc, String> {
        let t = petrel_treebank::ptb::parse_tree(tree).map_err(|e| e.to_string())?;
        let mut doc = petrel_treebank::ptb::to_doc(&t, id);
        doc.published = date;
        self.code(&mut doc);
        Ok(doc)
    }
}

/// Fills `doc.locations` and links each event to the place it happened at
/// ([`petrel_geo::action_geo`], else the dateline place). Leaves the layer
/// empty when the embedded gazetteer cannot be loaded.
fn locate(doc: &mut Doc) {
    let Ok(gaz) = petrel_geo::Gazetteer::embedded() else {
        return;
    };
    let locs = petrel_geo::event_places(doc, gaz);
    let dateline_end = petrel_text::dateline(&doc.text).map(|d| d.end);
    let dateline_loc = dateline_end.and_then(|end| locs.iter().position(|l| l.span.end <= end));
    let mut events: Vec<Vec<usize>> = vec![Vec::new(); locs.len()];
    for (ei, e) in doc.events.iter().enumerate() {
        if let Some(li) = petrel_geo::action_geo(doc, e.verb_tokens.start, &locs).or(dateline_loc) {
            events[li].push(ei);
        }
    }
    doc.locations = locs
        .into_iter()
        .zip(events)
        .map(|(l, events)| petrel_doc::LocationMention {
            gdelt_type: l.gdelt_type(),
            span: l.span,
            tokens: l.tokens,
            name: l.name,
            geonameid: l.geonameid,
            lat: l.lat,
            lon: l.lon,
            country_iso3: l.country_iso3,
            fips: l.fips,
            admin1: l.admin1,
            feature_class: l.feature_class,
            feature_code: l.feature_code,
            score: l.score,
            events,
        })
        .collect();
}

/// Makes a leading dateline ("BOGOTA, May 2 (Reuters) -") a sentence of its
/// own, so the parser does not read the place name as the subject of the
/// first clause.
fn split_dateline(doc: &mut Doc) {
    let Some(d) = petrel_text::dateline(&doc.text) else {
        return;
    };
    let Some(first) = doc.sentences.first().cloned() else {
        return;
    };
    let toks = first.tokens.clone();
    let Some(k) = toks
        .clone()
        .find(|&t| doc.tokens.span[t as usize].start >= d.end)
    else {
        return;
    };
    if k <= toks.start || doc.tokens.span[toks.start as usize].start >= d.end {
        return;
    }
    let head = petrel_doc::Sentence {
        span: doc.tokens_span(toks.start..k),
        tokens: toks.start..k,
    };
    let tail = petrel_doc::Sentence {
        span: doc.tokens_span(k..toks.end),
        tokens: k..toks.end,
    };
    doc.sentences.splice(0..1, [head, tail]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_filled_and_events_placed() {
        let p = match Pipeline::embedded() {
            Ok(p) => p,
            Err(e) => panic!("embedded pipeline: {e}"),
        };
        let doc = p.process(Article {
            id: "g".into(),
            text: "BAGHDAD, May 2 (Reuters) - Iraqi police arrested two men in Mosul on Tuesday. \
                   Later, Iraq condemned Turkey."
                .into(),
            ..Article::default()
        });
        let names: Vec<&str> = doc.locations.iter().map(|l| l.name.as_str()).collect();
        assert!(names.contains(&"Mosul"), "{names:?}");
        assert!(names.contains(&"Baghdad"), "{names:?}");
        let mosul = doc.locations.iter().find(|l| l.name == "Mosul");
        assert!(mosul.is_some_and(|l| l.country_iso3 == "IRQ" && l.fips == "IZ"));
        // Every event has a place here: its clause's, else the dateline's.
        assert!(!doc.events.is_empty());
        let placed: usize = doc.locations.iter().map(|l| l.events.len()).sum();
        assert_eq!(placed, doc.events.len(), "{:?}", doc.locations);
        let arrest = doc.events.iter().position(|e| e.cameo == "173");
        assert!(
            arrest.is_some_and(|a| mosul.is_some_and(|m| m.events.contains(&a))),
            "{:?}",
            doc.locations
        );
        for l in &doc.locations {
            assert!(l.events.iter().all(|&e| e < doc.events.len()));
        }
    }

    #[test]
    fn a_dateline_becomes_its_own_sentence() {
        let mut doc = Doc::new(
            "d",
            "BOGOTA, May 2 (Reuters) - Colombia severed ties with Israel. Petro spoke.",
        );
        petrel_text::tokenize(&mut doc);
        let before = doc.sentences.len();
        split_dateline(&mut doc);
        assert_eq!(doc.sentences.len(), before + 1);
        assert_eq!(
            doc.span_text(doc.sentences[0].span),
            "BOGOTA, May 2 (Reuters) -"
        );
        assert!(doc
            .span_text(doc.sentences[1].span)
            .starts_with("Colombia severed"));

        let mut plain = Doc::new("p", "Colombia severed ties with Israel.");
        petrel_text::tokenize(&mut plain);
        split_dateline(&mut plain);
        assert_eq!(plain.sentences.len(), 1);
    }
}
