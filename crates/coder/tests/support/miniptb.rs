//! Stop-gap Penn tree → UD-style dependency conversion for the PETRARCH
//! unit-test harness, used only until `petrel_treebank::ptb` lands.

use petrel_doc::{Doc, Sentence, Span, Upos};

#[derive(Debug)]
struct Node {
    label: String,
    word: Option<String>,
    kids: Vec<usize>,
    tok: Option<u32>,
    head_tok: u32,
}

fn parse(
    s: &str,
    nodes: &mut Vec<Node>,
    toks: &mut Vec<(String, String)>,
) -> Result<usize, String> {
    let lexed: Vec<String> = s
        .replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(String::from)
        .collect();
    let mut pos = 0;
    fn rec(
        l: &[String],
        pos: &mut usize,
        nodes: &mut Vec<Node>,
        toks: &mut Vec<(String, String)>,
    ) -> Result<usize, String> {
        if l.get(*pos).map(String::as_str) != Some("(") {
            return Err(format!("expected ( at {pos}"));
        }
        *pos += 1;
        let label = if l.get(*pos).map(String::as_str) == Some("(") {
            String::from("ROOT")
        } else {
            let x = l.get(*pos).cloned().ok_or("eof")?;
            *pos += 1;
            x
        };
        let id = nodes.len();
        nodes.push(Node {
            label: label.clone(),
            word: None,
            kids: vec![],
            tok: None,
            head_tok: 0,
        });
        loop {
            match l.get(*pos).map(String::as_str) {
                Some("(") => {
                    let k = rec(l, pos, nodes, toks)?;
                    nodes[id].kids.push(k);
                }
                Some(")") => {
                    *pos += 1;
                    break;
                }
                Some(w) => {
                    let t = toks.len() as u32;
                    toks.push((w.to_string(), label.clone()));
                    nodes[id].word = Some(w.to_string());
                    nodes[id].tok = Some(t);
                    *pos += 1;
                }
                None => return Err("unbalanced".into()),
            }
        }
        Ok(id)
    }
    rec(&lexed, &mut pos, nodes, toks)
}

fn base(l: &str) -> &str {
    l.split(['-', '='])
        .next()
        .filter(|x| !x.is_empty())
        .unwrap_or(l)
}

fn upos_of(tag: &str, w: &str) -> Upos {
    match tag {
        t if t.starts_with("NNP") => Upos::Propn,
        t if t.starts_with("NN") => Upos::Noun,
        t if t.starts_with("VB") => {
            if matches!(
                w.to_lowercase().as_str(),
                "is" | "was" | "are" | "were" | "be" | "been" | "being" | "am" | "'s"
            ) {
                Upos::Aux
            } else {
                Upos::Verb
            }
        }
        "MD" => Upos::Aux,
        t if t.starts_with("JJ") => Upos::Adj,
        t if t.starts_with("RB") => Upos::Adv,
        "IN" | "TO" => Upos::Adp,
        "DT" | "PDT" | "WDT" | "PRP$" => Upos::Det,
        "PRP" | "WP" => Upos::Pron,
        "CD" => Upos::Num,
        "CC" => Upos::Cconj,
        "RP" | "POS" => Upos::Part,
        "," | "." | ":" | "``" | "''" | "-LRB-" | "-RRB-" => Upos::Punct,
        _ => Upos::X,
    }
}

const AUX_WORDS: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do",
    "does", "did", "'s", "'re", "'ve", "'d",
];

/// For a flat coordinated NP (`Mordor , Rohan and Bree`), the head token of
/// each kid's segment (segments split at `,`/CC), when there are 2+ nominal segments.
fn flat_segments(n: &[Node], id: usize) -> Option<Vec<Option<u32>>> {
    let kids = &n[id].kids;
    if base(&n[id].label) != "NP" || !kids.iter().any(|&k| base(&n[k].label) == "CC") {
        return None;
    }
    if kids.iter().any(|&k| !n[k].kids.is_empty()) {
        return None;
    }
    let mut seg_of = Vec::new();
    let mut seg = 0usize;
    let mut heads: Vec<Option<u32>> = vec![None];
    for &k in kids {
        let l = base(&n[k].label);
        if l == "," || l == "CC" {
            seg_of.push(usize::MAX);
            if heads[seg].is_some() {
                seg += 1;
                heads.push(None);
            }
            continue;
        }
        seg_of.push(seg);
        if l.starts_with("NN") {
            heads[seg] = n[k].tok;
        }
    }
    let nominal = heads.iter().filter(|h| h.is_some()).count();
    if nominal < 2 {
        return None;
    }
    // Separators attach to the following segment's head.
    let mut out = Vec::new();
    for (i, s) in seg_of.iter().enumerate() {
        if *s == usize::MAX {
            let next = seg_of[i..].iter().find(|&&x| x != usize::MAX).copied();
            out.push(next.and_then(|x| heads.get(x).copied().flatten()));
        } else {
            out.push(heads.get(*s).copied().flatten());
        }
    }
    Some(out)
}

/// Head child index of a phrase.
fn head_child(n: &[Node], id: usize) -> usize {
    let kids = &n[id].kids;
    let lab = |k: usize| base(&n[k].label).to_string();
    let find = |pred: &dyn Fn(&str) -> bool, rev: bool| -> Option<usize> {
        let it: Vec<usize> = if rev {
            kids.iter().rev().copied().collect()
        } else {
            kids.clone()
        };
        it.into_iter().find(|&k| pred(&lab(k)))
    };
    let l = base(&n[id].label);
    let r = match l {
        "ROOT" => find(&|x| x != "." && x != ",", false),
        "S" | "SQ" | "SINV" | "SBARQ" => {
            find(&|x| x == "VP", false).or_else(|| find(&|x| x == "S", false))
        }
        "VP" => {
            // Content verb is the head: skip auxiliaries followed by a VP.
            let has_vp = kids.iter().any(|&k| lab(k) == "VP" || lab(k) == "S");
            let verb = find(&|x| x.starts_with("VB") || x == "MD" || x == "TO", false);
            match verb {
                Some(v) if has_vp => {
                    let w = n[v].word.clone().unwrap_or_default().to_lowercase();
                    let t = lab(v);
                    let aux = t == "MD" || t == "TO" || AUX_WORDS.contains(&w.as_str());
                    let inner_vp = kids.iter().copied().find(|&k| lab(k) == "VP");
                    if aux && inner_vp.is_some() {
                        inner_vp
                    } else {
                        Some(v)
                    }
                }
                Some(v) => Some(v),
                None => find(&|x| x == "VP", false).or_else(|| find(&|x| x == "S", false)),
            }
        }
        "NP" | "NX" | "NML" | "WHNP" => {
            if let Some(segs) = flat_segments(n, id) {
                let first = segs.iter().flatten().next().copied();
                kids.iter()
                    .copied()
                    .find(|&k| n[k].tok.is_some() && n[k].tok == first)
            } else if kids.iter().any(|&k| lab(k) == "CC")
                && kids.iter().filter(|&&k| lab(k) == "NP").count() >= 2
            {
                find(&|x| x == "NP", false)
            } else if let Some(cc) = kids.iter().position(|&k| lab(k) == "CC").filter(|&c| {
                c > 0
                    && c + 1 < kids.len()
                    && lab(kids[c - 1]).starts_with("NN")
                    && lab(kids[c + 1]).starts_with("NN")
            }) {
                Some(kids[cc - 1])
            } else if kids.len() > 1
                && lab(kids[0]) == "NP"
                && kids[1..]
                    .iter()
                    .any(|&k| matches!(lab(k).as_str(), "PP" | "SBAR" | "VP" | "," | "NP" | "PRN"))
            {
                Some(kids[0])
            } else {
                find(
                    &|x| {
                        x.starts_with("NN")
                            || x == "PRP"
                            || x == "CD"
                            || x == "NP"
                            || x == "NML"
                            || x == "JJ"
                            || x == "DT"
                            || x == "FW"
                            || x == "RB"
                    },
                    true,
                )
            }
        }
        "PP" => find(
            &|x| matches!(x, "NP" | "S" | "SBAR" | "ADJP" | "ADVP" | "VP" | "PP"),
            false,
        ),
        "SBAR" => find(
            &|x| matches!(x, "S" | "SQ" | "SINV" | "SBAR" | "FRAG"),
            false,
        ),
        "ADJP" => find(&|x| x.starts_with("JJ") || x == "ADJP", false),
        "ADVP" => find(&|x| x.starts_with("RB") || x == "ADVP", true),
        "QP" => find(&|x| x == "CD", true),
        "PRT" => find(&|x| x == "RP", false),
        _ => None,
    };
    r.or_else(|| {
        kids.iter()
            .copied()
            .find(|&k| !matches!(lab(k).as_str(), "," | "." | ":" | "CC"))
    })
    .unwrap_or(kids[0])
}

fn finish_heads(n: &mut Vec<Node>, id: usize) -> u32 {
    if let Some(t) = n[id].tok {
        n[id].head_tok = t;
        return t;
    }
    let kids = n[id].kids.clone();
    for &k in &kids {
        finish_heads(n, k);
    }
    if kids.is_empty() {
        return 0;
    }
    let h = head_child(n, id);
    let t = n[h].head_tok;
    n[id].head_tok = t;
    t
}

pub fn to_doc(id: &str, ptb: &str) -> Result<Doc, String> {
    let mut nodes = Vec::new();
    let mut toks = Vec::new();
    let root = parse(ptb, &mut nodes, &mut toks)?;
    finish_heads(&mut nodes, root);
    let nt = toks.len();
    let mut head: Vec<Option<u32>> = vec![None; nt];
    let mut rel: Vec<String> = vec!["root".into(); nt];
    // Assign dependencies top-down.
    fn walk(
        n: &[Node],
        id: usize,
        head: &mut Vec<Option<u32>>,
        rel: &mut Vec<String>,
        toks: &[(String, String)],
    ) {
        if n[id].kids.is_empty() {
            return;
        }
        let h = head_child(n, id);
        let ht = n[id].head_tok;
        let plab = base(&n[id].label).to_string();
        let hlab = base(&n[h].label).to_string();
        let has_cc = n[id].kids.iter().any(|&k| base(&n[k].label) == "CC");
        let passive = plab == "VP" && {
            let aux_be = n[id].kids.iter().any(|&k| {
                let w = n[k].word.clone().unwrap_or_default().to_lowercase();
                matches!(
                    w.as_str(),
                    "is" | "was" | "are" | "were" | "be" | "been" | "being"
                )
            });
            aux_be && toks.get(ht as usize).is_some_and(|t| t.1 == "VBN")
        };
        let mut seen_head = false;
        let mut nobj = 0;
        let segs = flat_segments(n, id);
        let first_seg_head = segs
            .as_ref()
            .and_then(|s| s.iter().flatten().next().copied());
        for (ki, &k) in n[id].kids.iter().enumerate() {
            if let (Some(segs), Some(kt)) = (&segs, n[k].tok) {
                if k == h {
                    seen_head = true;
                    continue;
                }
                let sh = segs[ki];
                let kl = base(&n[k].label).to_string();
                let (hd, r) = match sh {
                    Some(sh) if sh == kt => (first_seg_head, "conj"),
                    Some(sh) => (
                        Some(sh),
                        match kl.as_str() {
                            "," => "punct",
                            "CC" => "cc",
                            "DT" => "det",
                            t if t.starts_with("JJ") => "amod",
                            "POS" => "case",
                            _ => "compound",
                        },
                    ),
                    None => (Some(ht), "dep"),
                };
                if let Some(hd) = hd {
                    if hd != kt {
                        head[kt as usize] = Some(hd);
                        rel[kt as usize] = r.to_string();
                    }
                }
                continue;
            }
            if k == h {
                seen_head = true;
                continue;
            }
            let kt = n[k].head_tok;
            let kl = base(&n[k].label).to_string();
            let kw = n[k].word.clone().unwrap_or_default().to_lowercase();
            let r: String = if matches!(
                kl.as_str(),
                "," | "." | ":" | "``" | "''" | "-LRB-" | "-RRB-"
            ) {
                "punct".into()
            } else if kl == "CC" {
                "cc".into()
            } else if has_cc
                && seen_head
                && (kl == hlab && !hlab.starts_with("NN")
                    || (plab == "NP"
                        && (kl.starts_with("NN") || kl == "NP")
                        && n[id].kids.iter().position(|&x| x == k)
                            > n[id].kids.iter().position(|&x| base(&n[x].label) == "CC")))
            {
                "conj".into()
            } else {
                match plab.as_str() {
                    "S" | "SQ" | "SINV" | "ROOT" => match kl.as_str() {
                        "NP" if !seen_head => {
                            if passive_of(n, h, toks) {
                                "nsubj:pass".into()
                            } else {
                                "nsubj".into()
                            }
                        }
                        "S" if !seen_head => "ccomp".into(),
                        "SBAR" if !seen_head => "advcl".into(),
                        "S" | "SBAR" => "parataxis".into(),
                        "ADVP" | "RB" => "advmod".into(),
                        "PP" => "obl".into(),
                        "NP" => "obl:tmod".into(),
                        "VP" => "conj".into(),
                        _ => "dep".into(),
                    },
                    "VP" => match kl.as_str() {
                        "MD" | "TO" => "aux".into(),
                        t if t.starts_with("VB") && !seen_head => {
                            if passive
                                && matches!(
                                    kw.as_str(),
                                    "is" | "was" | "are" | "were" | "be" | "been" | "being"
                                )
                            {
                                "aux:pass".into()
                            } else {
                                "aux".into()
                            }
                        }
                        "NP" if seen_head => {
                            nobj += 1;
                            if nobj == 1 {
                                "obj".into()
                            } else {
                                "obl:npmod".into()
                            }
                        }
                        "PP" => {
                            if passive
                                && n[k].kids.first().is_some_and(|&f| {
                                    n[f].word.as_deref().map(str::to_lowercase).as_deref()
                                        == Some("by")
                                })
                            {
                                "obl:agent".into()
                            } else {
                                "obl".into()
                            }
                        }
                        "S" => {
                            if seen_head {
                                "xcomp".into()
                            } else {
                                "advcl".into()
                            }
                        }
                        "SBAR" => {
                            let first = n[k]
                                .kids
                                .first()
                                .and_then(|&f| n[f].word.clone())
                                .unwrap_or_default()
                                .to_lowercase();
                            if first == "that"
                                || first == "whether"
                                || base(&n[n[k].kids[0]].label) == "S"
                            {
                                "ccomp".into()
                            } else {
                                "advcl".into()
                            }
                        }
                        "PRT" | "RP" => "compound:prt".into(),
                        "ADVP" | "RB" => "advmod".into(),
                        "ADJP" | "JJ" => "xcomp".into(),
                        "VP" => "conj".into(),
                        "IN" => "mark".into(),
                        _ => "dep".into(),
                    },
                    "NP" | "NML" | "NX" | "WHNP" => match kl.as_str() {
                        "DT" | "PDT" | "WDT" => "det".into(),
                        "PRP$" => "nmod:poss".into(),
                        "POS" => "case".into(),
                        t if t.starts_with("JJ") || t == "ADJP" || t == "VBN" || t == "VBG" => {
                            "amod".into()
                        }
                        "CD" | "QP" => "nummod".into(),
                        "NP" if !seen_head
                            && n[k].kids.iter().any(|&x| base(&n[x].label) == "POS") =>
                        {
                            "nmod:poss".into()
                        }
                        "NP" if seen_head => "appos".into(),
                        t if t.starts_with("NN") || t == "NP" || t == "NML" || t == "FW" => {
                            "compound".into()
                        }
                        "PP" => "nmod".into(),
                        "SBAR" => "acl:relcl".into(),
                        "VP" | "S" => "acl".into(),
                        "ADVP" | "RB" => "advmod".into(),
                        "PRN" => "appos".into(),
                        _ => "dep".into(),
                    },
                    "PP" => match kl.as_str() {
                        "IN" | "TO" => "case".into(),
                        "RB" | "ADVP" => "advmod".into(),
                        _ => "dep".into(),
                    },
                    "SBAR" => match kl.as_str() {
                        "IN" | "WHNP" | "WHADVP" | "DT" => "mark".into(),
                        _ => "dep".into(),
                    },
                    "ADJP" | "ADVP" | "QP" => match kl.as_str() {
                        "RB" | "ADVP" => "advmod".into(),
                        "PP" => "obl".into(),
                        "S" => "xcomp".into(),
                        _ => "dep".into(),
                    },
                    _ => "dep".into(),
                }
            };
            if kt != ht {
                head[kt as usize] = Some(ht);
                rel[kt as usize] = r;
            }
        }
        for &k in &n[id].kids {
            walk(n, k, head, rel, toks);
        }
    }
    fn passive_of(n: &[Node], vp: usize, toks: &[(String, String)]) -> bool {
        let ht = n[vp].head_tok as usize;
        if toks.get(ht).is_none_or(|t| t.1 != "VBN") {
            return false;
        }
        // Any "be" form among the leaves of the VP before the head.
        let mut stack = vec![vp];
        while let Some(x) = stack.pop() {
            if let Some(w) = &n[x].word {
                if (n[x].tok.unwrap_or(0) as usize) < ht
                    && matches!(
                        w.to_lowercase().as_str(),
                        "is" | "was" | "are" | "were" | "be" | "been" | "being"
                    )
                {
                    return true;
                }
            }
            stack.extend(n[x].kids.iter().copied());
        }
        false
    }
    walk(&nodes, root, &mut head, &mut rel, &toks);
    let mut doc = Doc::new(id, "");
    let mut text = String::new();
    for (w, tag) in &toks {
        if !text.is_empty() {
            text.push(' ');
        }
        let s = text.len();
        text.push_str(w);
        doc.tokens.span.push(Span::new(s, text.len()));
        doc.tokens.lemma.push(lemma(w, tag));
        doc.tokens.upos.push(upos_of(tag, w));
        doc.tokens.xpos.push(tag.clone());
    }
    doc.tokens.head = head;
    doc.tokens.deprel = rel;
    doc.sentences.push(Sentence {
        span: Span::new(0, text.len()),
        tokens: 0..nt as u32,
    });
    doc.text = text;
    Ok(doc)
}

fn lemma(w: &str, tag: &str) -> String {
    let w = w.to_lowercase();
    if tag.starts_with("NNS") || tag == "NNPS" {
        if let Some(s) = w.strip_suffix("ies") {
            return format!("{s}y");
        }
        if let Some(s) = w.strip_suffix("s") {
            return s.to_string();
        }
    }
    if tag.starts_with("VB") {
        let irregular = [
            ("said", "say"),
            ("says", "say"),
            ("broke", "break"),
            ("broken", "break"),
            ("met", "meet"),
            ("left", "leave"),
            ("held", "hold"),
            ("began", "begin"),
            ("begun", "begin"),
            ("fought", "fight"),
            ("was", "be"),
            ("is", "be"),
            ("were", "be"),
            ("are", "be"),
            ("has", "have"),
            ("had", "have"),
            ("did", "do"),
            ("made", "make"),
            ("paid", "pay"),
            ("sought", "seek"),
            ("cut", "cut"),
            ("won", "win"),
            ("shot", "shoot"),
            ("fired", "fire"),
        ];
        if let Some((_, l)) = irregular.iter().find(|(f, _)| *f == w) {
            return l.to_string();
        }
        for (suf, rep) in [
            ("ied", "y"),
            ("ies", "y"),
            ("ing", ""),
            ("ed", ""),
            ("es", ""),
            ("s", ""),
        ] {
            if let Some(s) = w.strip_suffix(suf) {
                if s.len() >= 3 {
                    let mut s = format!("{s}{rep}");
                    if (suf == "ed" || suf == "ing")
                        && !s.ends_with('e')
                        && rep.is_empty()
                    {
                        let b = s.as_bytes();
                        let n = b.len();
                        if n >= 2 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z')
                        {
                            s.pop();
                        }
                    }
                    return s;
                }
            }
        }
    }
    w
}
