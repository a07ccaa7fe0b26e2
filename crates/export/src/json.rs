//! The JSON annotation contract and the JSON form of one event.

use petrel_doc::{CharMap, Doc, Span};
use petrel_store::{ActorRecord, EventRecord, SpanText};
use serde_json::{json, Map, Value};

/// An `f32` as the JSON number it prints as (`2.8`, not `2.799999952…`).
pub(crate) fn num(x: f32) -> Value {
    if !x.is_finite() {
        return Value::Null;
    }
    let shortest: f64 = format!("{x}").parse().unwrap_or(x as f64);
    serde_json::Number::from_f64(shortest).map_or(Value::Null, Value::Number)
}

fn span_value(s: &SpanText) -> Value {
    json!({"start": s.start, "end": s.end, "text": s.text})
}

fn byte_span(doc: &Doc, cm: &CharMap, span: Span) -> Value {
    span_value(&SpanText::from_doc(doc, cm, span))
}

fn actor_value(a: &Option<ActorRecord>) -> Value {
    match a {
        None => Value::Null,
        Some(a) => json!({"code": a.code, "span": span_value(&a.span), "via": a.via}),
    }
}

/// The event object of the contract:
/// `{"cameo","root","quad_class","goldstein","plover":{"type","mode"},
/// "source":{"code","span","via"}|null,"target":…,"verb":{"span"},"negated",
/// "date","date_precision","date_text"|null,"sentence","rule","modality","reported_by":{…}|null,"confidence"}`.
pub fn event_json(e: &EventRecord) -> Value {
    json!({
        "cameo": e.cameo,
        "root": e.root,
        "quad_class": e.quad_class,
        "goldstein": num(e.goldstein),
        "plover": {"type": e.plover_type, "mode": e.plover_mode},
        "source": actor_value(&e.source),
        "target": actor_value(&e.target),
        "verb": {"span": span_value(&e.verb)},
        "negated": e.negated,
        "date": e.date.map(|d| d.to_string()),
        "date_precision": e.date_precision,
        "date_text": e.date_text,
        "sentence": e.sentence_idx,
        "rule": e.rule,
        "modality": e.modality,
        "reported_by": actor_value(&e.reported_by),
        "confidence": num(e.confidence),
    })
}

/// The event object of the JSONL export: [`event_json`] plus `"doc_id"`,
/// `"url"`, `"sentence_text"` and `"global_event_id"`.
pub fn event_jsonl(e: &EventRecord) -> Value {
    let mut v = event_json(e);
    if let Value::Object(m) = &mut v {
        m.insert("doc_id".into(), e.doc_id.clone().into());
        m.insert(
            "url".into(),
            e.url.clone().map_or(Value::Null, Value::String),
        );
        m.insert("sentence_text".into(), e.sentence_text.clone().into());
        m.insert("global_event_id".into(), e.global_event_id.into());
    }
    v
}

/// One merged event (JSONL export with `--merged`): [`event_json`] of the
/// representative mention, with `"global_event_id"` the merged event's id,
/// `"is_root"`, `"num_mentions"`, `"num_sources"`, `"num_articles"`,
/// `"num_stories"`, and `"mentions"`: one object per mention with
/// `"doc_id"`, `"url"`, `"story_id"`, `"event_idx"`, `"sentence"`,
/// `"sentence_text"`, `"source"`/`"target"` spans (or `null`), `"verb"`
/// span, `"in_lead"` and `"confidence"` (character offsets, end exclusive).
pub fn merged_event_json(m: &petrel_store::MergedEvent) -> Value {
    let rep = m.record();
    let mut v = event_json(&rep);
    let span = |a: &Option<ActorRecord>| a.as_ref().map_or(Value::Null, |a| span_value(&a.span));
    let mentions: Vec<Value> = m
        .mentions
        .iter()
        .map(|x| {
            let e = &x.event;
            json!({
                "doc_id": e.doc_id,
                "url": e.url,
                "story_id": x.story_id,
                "event_idx": e.idx,
                "sentence": e.sentence_idx,
                "sentence_text": e.sentence_text,
                "source": span(&e.source),
                "target": span(&e.target),
                "verb": span_value(&e.verb),
                "in_lead": e.in_lead,
                "confidence": num(e.confidence),
            })
        })
        .collect();
    if let Value::Object(o) = &mut v {
        o.insert("global_event_id".into(), m.cluster_id.into());
        o.insert("is_root".into(), m.is_root.into());
        o.insert("num_mentions".into(), m.num_mentions.into());
        o.insert("num_sources".into(), m.num_sources.into());
        o.insert("num_articles".into(), m.num_articles.into());
        o.insert("num_stories".into(), m.num_stories.into());
        o.insert("mentions".into(), mentions.into());
    }
    v
}

/// The annotation contract for one document:
/// `{"id","published","text","sentences":[{"start","end","text"}],
/// "tokens":[{"start","end","text","lemma","upos","xpos","head","deprel"}],
/// "entities":[{"start","end","text","label","code"}],
/// "named_entities":[{"start","end","text","label","source"}],
/// "times":[{"start","end","text","type","value","precision","rule"}],
/// "quotes":[{"content","cue","speaker","speaker_resolved","speaker_code","kind","nested"}],
/// "counts":[{"type","number","qualifier","span","object","trigger","sentence"}],
/// "tone":{…}|null,"events":[…]}`.
///
/// Every offset is in characters (Unicode scalar values), end exclusive.
/// Token fields whose layer has not been filled are `null`; `head` is an
/// index into `tokens` or `null` for a root.
pub fn annotate_json(doc: &Doc) -> Value {
    let cm = CharMap::new(&doc.text);
    let t = &doc.tokens;
    let tokens: Vec<Value> = (0..t.len())
        .map(|i| {
            let mut m = match byte_span(doc, &cm, t.span[i]) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            m.insert(
                "lemma".into(),
                t.lemma.get(i).map_or(Value::Null, |s| s.clone().into()),
            );
            m.insert(
                "upos".into(),
                t.upos.get(i).map_or(Value::Null, |u| u.as_str().into()),
            );
            m.insert(
                "xpos".into(),
                t.xpos.get(i).map_or(Value::Null, |s| s.clone().into()),
            );
            m.insert(
                "head".into(),
                t.head
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or(Value::Null, |h| h.into()),
            );
            m.insert(
                "deprel".into(),
                t.deprel.get(i).map_or(Value::Null, |s| s.clone().into()),
            );
            Value::Object(m)
        })
        .collect();
    // A span as a JSON object, to which each layer adds its fields.
    let span_map = |s: petrel_doc::Span| match byte_span(doc, &cm, s) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let entities: Vec<Value> = doc
        .entities
        .iter()
        .map(|e| {
            let mut m = span_map(e.span);
            m.insert("label".into(), e.label.as_str().into());
            m.insert(
                "code".into(),
                e.code.clone().map_or(Value::Null, Value::String),
            );
            Value::Object(m)
        })
        .collect();
    // Statistical NER (petrel-nlp): PERSON, ORG, GPE, LOC, NORP.
    let named_entities: Vec<Value> = doc
        .named_entities
        .iter()
        .map(|e| {
            let mut m = span_map(e.span);
            m.insert("label".into(), e.label.as_str().into());
            m.insert("source".into(), e.source.clone().into());
            Value::Object(m)
        })
        .collect();
    let sentences: Vec<Value> = doc
        .sentences
        .iter()
        .map(|s| byte_span(doc, &cm, s.span))
        .collect();
    let times: Vec<Value> = doc
        .times
        .iter()
        .map(|t| {
            let mut m = span_map(t.span);
            m.insert("type".into(), t.kind.clone().into());
            m.insert("value".into(), t.value.clone().into());
            m.insert("precision".into(), t.precision.clone().into());
            m.insert("rule".into(), t.rule.clone().into());
            Value::Object(m)
        })
        .collect();
    let span_or_null =
        |s: Option<petrel_doc::Span>| s.map_or(Value::Null, |s| byte_span(doc, &cm, s));
    let quotes: Vec<Value> = doc
        .quotes
        .iter()
        .map(|q| {
            json!({
                "content": byte_span(doc, &cm, q.content),
                "cue": span_or_null(q.cue),
                "speaker": span_or_null(q.speaker),
                "speaker_resolved": span_or_null(q.speaker_resolved),
                "speaker_code": q.speaker_code,
                "kind": q.kind,
                "nested": q.nested,
            })
        })
        .collect();
    let counts: Vec<Value> = doc
        .counts
        .iter()
        .map(|c| {
            json!({
                "type": c.kind,
                "number": c.number,
                "qualifier": c.qualifier,
                "span": byte_span(doc, &cm, c.span),
                "object": span_or_null(c.object),
                "trigger": byte_span(doc, &cm, c.trigger),
                "sentence": c.sentence,
            })
        })
        .collect();
    let locations: Vec<Value> = doc
        .locations
        .iter()
        .map(|l| {
            let mut m = span_map(l.span);
            m.insert("name".into(), l.name.clone().into());
            m.insert(
                "geonameid".into(),
                l.geonameid.map_or(Value::Null, |g| g.into()),
            );
            m.insert("lat".into(), l.lat.into());
            m.insert("lon".into(), l.lon.into());
            m.insert("country".into(), l.country_iso3.clone().into());
            m.insert("admin1".into(), l.admin1.clone().into());
            m.insert("feature_class".into(), l.feature_class.to_string().into());
            m.insert("events".into(), l.events.clone().into());
            Value::Object(m)
        })
        .collect();
    let lead = petrel_store::lead_end(doc);
    let events: Vec<Value> = doc
        .events
        .iter()
        .enumerate()
        .map(|(i, ev)| event_json(&EventRecord::from_event(doc, &cm, lead, i, ev)))
        .collect();
    json!({
        "id": doc.id,
        "published": doc.published.map(|d| d.to_string()),
        "text": doc.text,
        "sentences": sentences,
        "tokens": tokens,
        "entities": entities,
        "named_entities": named_entities,
        "times": times,
        "locations": locations,
        "quotes": quotes,
        "counts": counts,
        "tone": doc.tone,
        "events": events,
    })
}
