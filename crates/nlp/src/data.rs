//! Gold training/evaluation sentences read from CoNLL-U.

use crate::Error;
use petrel_treebank::conllu;
use std::path::Path;

/// One gold sentence (syntactic words only).
#[derive(Debug, Clone, Default)]
pub(crate) struct GoldSentence {
    pub words: Vec<String>,
    pub lemma: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
    /// 1-based head, 0 = root.
    pub head: Vec<u32>,
    pub deprel: Vec<String>,
}

impl GoldSentence {
    pub(crate) fn from_conllu(s: &conllu::Sentence) -> GoldSentence {
        let mut g = GoldSentence::default();
        for w in &s.words {
            g.words.push(w.form.clone());
            g.lemma.push(w.lemma.clone());
            g.upos.push(w.upos.clone());
            g.xpos.push(w.xpos.clone());
            g.head.push(w.head.unwrap_or(0));
            g.deprel.push(w.deprel.clone());
        }
        g
    }
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }
}

pub(crate) fn read_conllu(path: &Path) -> Result<Vec<conllu::Sentence>, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    conllu::parse(&text).map_err(|e| Error::Data(format!("{}: {e}", path.display())))
}

pub(crate) fn load(path: &Path) -> Result<Vec<GoldSentence>, Error> {
    Ok(read_conllu(path)?
        .iter()
        .map(GoldSentence::from_conllu)
        .filter(|s| s.len() > 0)
        .collect())
}

/// All sentences of the documents named in `list` (one name per line,
/// relative to `sources`, `.conllu` appended when missing). Names whose file
/// is absent are returned in the second value.
pub(crate) fn load_list(
    list: &Path,
    sources: &Path,
) -> Result<(Vec<GoldSentence>, Vec<String>), Error> {
    let names =
        std::fs::read_to_string(list).map_err(|e| Error::Io(format!("{}: {e}", list.display())))?;
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for name in names
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut p = sources.join(name);
        if !p.exists() {
            p = sources.join(format!("{name}.conllu"));
        }
        if !p.exists() {
            missing.push(name.to_string());
            continue;
        }
        out.extend(load(&p)?);
    }
    Ok((out, missing))
}
