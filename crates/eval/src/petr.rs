//! Reader for PETRARCH validation records: `PETR.UnitTest.records.xml`
//! (284 records, 385 expected codings, coded with the `PETR.Validate.*`
//! dictionaries named in its `<Environment>`) and the GSR-style variant whose
//! `<Sentence .../>` tags are self-closed.
//!
//! The files are XML-like but not strictly well-formed (comments with `--`
//! inside, self-closed records followed by `</Sentence>`, unescaped text), so
//! this is a small tolerant hand parser: comments are skipped, unknown
//! elements are ignored, entities `&amp; &lt; &gt; &quot; &apos;` are decoded
//! in text. Malformed structure (an unterminated tag or comment, an
//! `EventCoding` outside a record, a record without `<Text>` or without an
//! `id`) is reported with its line number; all problems are collected.
//!
//! `<Config option=".." value="..">` elements apply to the records after
//! them; each [`Record`] carries the settings in force for it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// What a record expects the coder to produce, one per `<EventCoding>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// `sourcecode`, `targetcode`, `eventcode` as written (a new actor the
    /// dictionaries do not know is a quoted phrase: `"INJURY TOLL"`).
    Event {
        source: String,
        target: String,
        code: String,
    },
    /// `<EventCoding noevents="True">`: the sentence must yield no event.
    NoEvents,
    /// `<EventCoding error="...">`: PETRARCH must reject the record for this
    /// reason (`dateline`, `bad_input_parse`, `storydiscard`, ...).
    Error(String),
}

/// One validation record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    /// `date` attribute as written (`YYYYMMDD`).
    pub date_raw: String,
    pub date: Option<NaiveDate>,
    pub category: String,
    /// Every attribute of the `<Sentence>` tag (`sentence`, `evaluate`, ...).
    pub attrs: BTreeMap<String, String>,
    /// The text, with runs of whitespace (line breaks included) collapsed.
    pub text: String,
    /// The `<Parse>` content (Penn Treebank, or CoNLL-U in GSR files), trimmed.
    pub parse: Option<String>,
    pub expected: Vec<Expected>,
    /// Settings in force for this record: the `<Environment>` configs, then
    /// every `<Config>` met before the record.
    pub config: BTreeMap<String, String>,
    /// Line of the `<Sentence>` tag.
    pub line: usize,
}

impl Record {
    /// The expected `(source, target, code)` triples.
    pub fn expected_events(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.expected.iter().filter_map(|e| match e {
            Expected::Event {
                source,
                target,
                code,
            } => Some((source.as_str(), target.as_str(), code.as_str())),
            _ => None,
        })
    }

    /// True when the record expects no event at all (no-event or error records).
    pub fn expects_no_events(&self) -> bool {
        self.expected_events().next().is_none()
    }

    /// A boolean setting (`"True"`/`"true"`/`"1"`), if set.
    pub fn config_flag(&self, option: &str) -> Option<bool> {
        self.config
            .get(option)
            .map(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
    }
}

/// The `<Environment>` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub verbfile: Option<String>,
    pub actorfile: Option<String>,
    pub agentfile: Option<String>,
    pub discardfile: Option<String>,
    pub errorfile: Option<String>,
    /// `<Include>` categories.
    pub include: Vec<String>,
    pub pause: Option<String>,
    /// `<Config>` settings given inside the environment.
    pub config: BTreeMap<String, String>,
}

impl Environment {
    /// The dictionary paths named by the environment, resolved in `dir`, as
    /// (verbs, actors, agents, discards) lists for
    /// `petrel_dict::petrarch::load_set`.
    pub fn dictionary_paths(&self, dir: &Path) -> [Vec<PathBuf>; 4] {
        let p = |f: &Option<String>| f.iter().map(|f| dir.join(f)).collect::<Vec<_>>();
        [
            p(&self.verbfile),
            p(&self.actorfile),
            p(&self.agentfile),
            p(&self.discardfile),
        ]
    }
}

/// A parsed validation file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationFile {
    pub environment: Environment,
    pub records: Vec<Record>,
}

impl ValidationFile {
    /// Number of `<EventCoding>` elements (events, no-event and error marks).
    pub fn codings(&self) -> usize {
        self.records.iter().map(|r| r.expected.len()).sum()
    }

    /// Loads the dictionaries the environment names, from `dir`.
    pub fn load_dictionaries(
        &self,
        dir: &Path,
    ) -> Result<petrel_dict::Dictionaries, Vec<petrel_dict::DictError>> {
        let [v, a, g, d] = self.environment.dictionary_paths(dir);
        petrel_dict::petrarch::load_set(&v, &a, &g, &d)
    }
}

/// A problem in a validation file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for PetrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PetrError {}

/// `PETR.UnitTest.records.xml` in the shared data folder, if present.
pub fn unit_test_path() -> Option<PathBuf> {
    let p = crate::shared_data()?.join("events/petrarch2-unit-tests/PETR.UnitTest.records.xml");
    p.is_file().then_some(p)
}

/// Reads and parses a validation file.
pub fn load(path: &Path) -> Result<ValidationFile, Vec<PetrError>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![PetrError {
            line: 0,
            message: format!("cannot read {}: {e}", path.display()),
        }]
    })?;
    parse(&String::from_utf8_lossy(&bytes))
}

// ---------------------------------------------------------------------------
// Lexer

#[derive(Debug)]
enum Node<'a> {
    Open {
        name: &'a str,
        attrs: BTreeMap<String, String>,
        self_closed: bool,
        line: usize,
    },
    Close {
        name: &'a str,
    },
    Text(&'a str),
}

fn line_at(text: &str, pos: usize, cache: &mut (usize, usize)) -> usize {
    // Incremental: positions are visited in increasing order.
    let (p, l) = *cache;
    let (from, base) = if pos >= p { (p, l) } else { (0, 1) };
    let n = base
        + text.as_bytes()[from..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
    *cache = (pos, n);
    n
}

fn parse_attrs(s: &str, line: usize, errors: &mut Vec<PetrError>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let name = &s[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            // A bare attribute: keep it with an empty value.
            out.insert(name.to_string(), String::new());
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            errors.push(PetrError {
                line,
                message: format!("attribute `{name}` without a value"),
            });
            break;
        }
        let q = b[i];
        let value = if q == b'"' || q == b'\'' {
            match s[i + 1..].find(q as char) {
                Some(len) => {
                    let v = &s[i + 1..i + 1 + len];
                    i += len + 2;
                    v
                }
                None => {
                    errors.push(PetrError {
                        line,
                        message: format!("unterminated value of attribute `{name}`"),
                    });
                    break;
                }
            }
        } else {
            let st = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            &s[st..i]
        };
        out.insert(name.to_string(), decode(value));
    }
    out
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn lex<'a>(text: &'a str, errors: &mut Vec<PetrError>) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut cache = (0, 1);
    while pos < text.len() {
        let Some(lt) = text[pos..].find('<').map(|o| o + pos) else {
            out.push(Node::Text(&text[pos..]));
            break;
        };
        if lt > pos {
            out.push(Node::Text(&text[pos..lt]));
        }
        let line = line_at(text, lt, &mut cache);
        let rest = &text[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(e) => pos = lt + 4 + e + 3,
                None => {
                    errors.push(PetrError {
                        line,
                        message: "unterminated comment `<!--`".into(),
                    });
                    break;
                }
            }
            continue;
        }
        let Some(gt) = rest.find('>') else {
            errors.push(PetrError {
                line,
                message: "unterminated tag".into(),
            });
            break;
        };
        let inner = &rest[1..gt];
        pos = lt + gt + 1;
        if inner.starts_with('?') || inner.starts_with('!') {
            continue; // declaration or doctype
        }
        if let Some(name) = inner.strip_prefix('/') {
            out.push(Node::Close { name: name.trim() });
            continue;
        }
        let (inner, self_closed) = match inner.strip_suffix('/') {
            Some(i) => (i, true),
            None => (inner, false),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = &inner[..name_end];
        if name.is_empty() || name.contains('<') {
            errors.push(PetrError {
                line,
                message: format!("malformed tag `<{}>`", inner.trim()),
            });
            continue;
        }
        let attrs = parse_attrs(&inner[name_end..], line, errors);
        out.push(Node::Open {
            name,
            attrs,
            self_closed,
            line,
        });
    }
    out
}

/// Collects the text up to the closing tag `name`; `None` when it is missing.
fn content_until<'a>(nodes: &[Node<'a>], i: &mut usize, name: &str) -> Option<String> {
    let mut s = String::new();
    while *i < nodes.len() {
        match &nodes[*i] {
            Node::Text(t) => s.push_str(t),
            Node::Close { name: n } if *n == name => {
                *i += 1;
                return Some(decode(&s));
            }
            _ => return None,
        }
        *i += 1;
    }
    None
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses the text of a validation file.
pub fn parse(text: &str) -> Result<ValidationFile, Vec<PetrError>> {
    let mut errors = Vec::new();
    let nodes = lex(text, &mut errors);
    let mut file = ValidationFile::default();
    let mut config: BTreeMap<String, String> = BTreeMap::new();
    let mut in_env = false;
    let mut cur: Option<Record> = None;
    let finish = |r: Option<Record>, file: &mut ValidationFile, errors: &mut Vec<PetrError>| {
        if let Some(r) = r {
            if r.text.is_empty() {
                errors.push(PetrError {
                    line: r.line,
                    message: format!("record `{}` has no <Text>", r.id),
                });
            }
            file.records.push(r);
        }
    };
    let mut i = 0;
    while i < nodes.len() {
        let node = &nodes[i];
        i += 1;
        match node {
            Node::Text(_) => {}
            Node::Close { name } => match *name {
                "Environment" => {
                    in_env = false;
                    config = file.environment.config.clone();
                }
                "Sentence" | "Sentences" => finish(cur.take(), &mut file, &mut errors),
                _ => {}
            },
            Node::Open {
                name,
                attrs,
                self_closed,
                line,
            } => {
                let line = *line;
                let body = |i: &mut usize, errors: &mut Vec<PetrError>| -> String {
                    if *self_closed {
                        return String::new();
                    }
                    content_until(&nodes, i, name).unwrap_or_else(|| {
                        errors.push(PetrError {
                            line,
                            message: format!("<{name}> without </{name}>"),
                        });
                        String::new()
                    })
                };
                match *name {
                    "Environment" => in_env = true,
                    "Verbfile" | "Actorfile" | "Agentfile" | "Discardfile" | "Errorfile"
                    | "Include" | "Pause"
                        if in_env =>
                    {
                        let v = body(&mut i, &mut errors).trim().to_string();
                        let env = &mut file.environment;
                        match *name {
                            "Verbfile" => env.verbfile = Some(v),
                            "Actorfile" => env.actorfile = Some(v),
                            "Agentfile" => env.agentfile = Some(v),
                            "Discardfile" => env.discardfile = Some(v),
                            "Errorfile" => env.errorfile = Some(v),
                            "Include" => {
                                env.include = v.split_whitespace().map(str::to_string).collect()
                            }
                            _ => env.pause = Some(v),
                        }
                    }
                    "Config" => {
                        match (attrs.get("option"), attrs.get("value")) {
                            (Some(o), Some(v)) => {
                                if in_env {
                                    file.environment.config.insert(o.clone(), v.clone());
                                }
                                config.insert(o.clone(), v.clone());
                            }
                            _ => errors.push(PetrError {
                                line,
                                message: "<Config> needs `option` and `value`".into(),
                            }),
                        }
                        if !self_closed {
                            // Skip an empty body up to </Config>.
                            let _ = content_until(&nodes, &mut i, "Config");
                        }
                    }
                    "Sentence" => {
                        finish(cur.take(), &mut file, &mut errors);
                        let id = attrs.get("id").cloned().unwrap_or_default();
                        if id.is_empty() {
                            errors.push(PetrError {
                                line,
                                message: "<Sentence> without an id".into(),
                            });
                        }
                        let date_raw = attrs.get("date").cloned().unwrap_or_default();
                        let date = NaiveDate::parse_from_str(&date_raw, "%Y%m%d").ok();
                        if date.is_none() {
                            errors.push(PetrError {
                                line,
                                message: format!(
                                    "record `{id}`: bad date `{date_raw}` (expected YYYYMMDD)"
                                ),
                            });
                        }
                        cur = Some(Record {
                            id,
                            date_raw,
                            date,
                            category: attrs.get("category").cloned().unwrap_or_default(),
                            attrs: attrs.clone(),
                            text: String::new(),
                            parse: None,
                            expected: Vec::new(),
                            config: config.clone(),
                            line,
                        });
                    }
                    "EventCoding" => {
                        if !self_closed {
                            let _ = content_until(&nodes, &mut i, "EventCoding");
                        }
                        let Some(r) = cur.as_mut() else {
                            errors.push(PetrError {
                                line,
                                message: "<EventCoding> outside a record".into(),
                            });
                            continue;
                        };
                        let get = |k: &str| attrs.get(k).cloned();
                        let e = if let Some(v) = get("noevents") {
                            if !v.eq_ignore_ascii_case("true") {
                                errors.push(PetrError {
                                    line,
                                    message: format!("noevents=\"{v}\": only True is meaningful"),
                                });
                            }
                            Expected::NoEvents
                        } else if let Some(v) = get("error") {
                            Expected::Error(v)
                        } else {
                            match (get("sourcecode"), get("targetcode"), get("eventcode")) {
                                (Some(source), Some(target), Some(code)) => Expected::Event {
                                    source,
                                    target,
                                    code,
                                },
                                _ => {
                                    errors.push(PetrError {
                                        line,
                                        message: "<EventCoding> needs sourcecode, targetcode and eventcode".into(),
                                    });
                                    continue;
                                }
                            }
                        };
                        r.expected.push(e);
                    }
                    "Text" | "Parse" => {
                        let v = body(&mut i, &mut errors);
                        match cur.as_mut() {
                            Some(r) if *name == "Text" => r.text = collapse(&v),
                            Some(r) => r.parse = Some(v.trim().to_string()),
                            None => errors.push(PetrError {
                                line,
                                message: format!("<{name}> outside a record"),
                            }),
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    finish(cur.take(), &mut file, &mut errors);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<Validation>
<!-- a comment with -- inside and <Tags> -->
<Environment>
    <Verbfile>PETR.Validate.verbs.txt</Verbfile>
    <Include>valid DEMO</Include>
    <Config option="stop_on_error" value="True"></Config>
</Environment>
<Sentences>
<Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
<!--EventCoding sourcecode="X" targetcode="Y" eventcode="041"-->
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode='"INJURY TOLL"' targetcode="OSG" eventcode="223"></EventCoding>
<Text>
Arnor is about to restore full
diplomatic ties with Gondor &amp; Rohan.
</Text>
<Parse>
(ROOT (S (NP (NNP Arnor)) (CC &amp;)))
</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date="19950102" id="DEMO-01" category="DEMO" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing.</Text>
</Sentence>
<Sentence category="GOLD" date="20150609" id="GOLD_0" evaluate="true"/>
<EventCoding eventcode="195" sourcecode="USA" targetcode="IRQMUS" />
<Text>
The United States launched an air strike.
</Text>
<Sentence category="GOLD" date="20150609" id="GOLD_2" evaluate="true"/>
<EventCoding error="storydiscard"/>
<Text>Second.</Text>
</Sentence>
</Sentences>
</Validation>
"#;

    #[test]
    fn parses_both_styles() {
        let f = parse(SAMPLE).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            f.environment.verbfile.as_deref(),
            Some("PETR.Validate.verbs.txt")
        );
        assert_eq!(f.environment.include, vec!["valid", "DEMO"]);
        assert_eq!(f.records.len(), 4);
        assert_eq!(f.codings(), 5);
        let r = &f.records[0];
        assert_eq!(r.id, "DEMO-00");
        assert_eq!(r.line, 9);
        assert_eq!(r.date, NaiveDate::from_ymd_opt(1995, 1, 1));
        assert_eq!(
            r.text,
            "Arnor is about to restore full diplomatic ties with Gondor & Rohan."
        );
        assert_eq!(
            r.parse.as_deref(),
            Some("(ROOT (S (NP (NNP Arnor)) (CC &)))")
        );
        let ev: Vec<_> = r.expected_events().collect();
        assert_eq!(
            ev,
            vec![("ARN", "GON", "064"), ("\"INJURY TOLL\"", "OSG", "223")]
        );
        assert_eq!(r.config_flag("stop_on_error"), Some(true));
        assert_eq!(r.config_flag("require_dyad"), None);
        let r = &f.records[1];
        assert!(r.expects_no_events());
        assert_eq!(r.expected, vec![Expected::NoEvents]);
        assert_eq!(r.config_flag("require_dyad"), Some(false));
        let g = &f.records[2];
        assert_eq!(g.attrs.get("evaluate").map(String::as_str), Some("true"));
        assert_eq!(
            g.expected_events().collect::<Vec<_>>(),
            vec![("USA", "IRQMUS", "195")]
        );
        assert_eq!(g.text, "The United States launched an air strike.");
        assert_eq!(
            f.records[3].expected,
            vec![Expected::Error("storydiscard".into())]
        );
    }

    #[test]
    fn reports_structural_errors() {
        let bad = "<Sentences>\n<EventCoding sourcecode=\"A\" targetcode=\"B\" eventcode=\"1\"/>\n<Sentence date=\"1995\" category=\"X\">\n<EventCoding sourcecode=\"A\"/>\n</Sentence>\n<!-- open";
        let e = parse(bad).err().unwrap_or_default();
        let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![6, 2, 3, 3, 4, 3], "{e:?}");
    }
}
