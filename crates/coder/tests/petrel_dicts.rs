//! Coding with Petrel's own (embedded) dictionaries, from Penn trees.

use petrel_coder::{code_or_dashes, Coder, CoderOptions};
use petrel_doc::Modality;

fn code(coder: &Coder, ptb: &str) -> Vec<(String, String, String, bool, Modality, Option<String>)> {
    let tree = petrel_treebank::ptb::parse_tree(ptb).expect("tree parses");
    let mut doc = petrel_treebank::ptb::to_doc(&tree, "t");
    coder.code(&mut doc);
    doc.events
        .iter()
        .map(|e| {
            (
                code_or_dashes(&e.source),
                code_or_dashes(&e.target),
                e.cameo.clone(),
                e.negated,
                e.modality,
                e.reported_by.as_ref().map(|a| a.code.clone()),
            )
        })
        .collect()
}

#[test]
fn petrel_dictionaries_code_common_constructions() {
    let dict = match petrel_dict::petrel::embedded() {
        Ok(d) => d,
        Err(e) => panic!("embedded Petrel dictionaries: {e:?}"),
    };
    let coder = Coder::new(&dict, CoderOptions::default());
    // (tree, source, target, CAMEO root, negated, modality)
    let cases: [(&str, &str, &str, &str, bool, Modality); 5] = [
        (
            "(ROOT (S (NP (NNP Colombia)) (VP (VBD severed) (NP (JJ diplomatic) (NNS ties)) (PP (IN with) (NP (NNP Venezuela)))) (. .)))",
            "COL", "VEN", "16", false, Modality::Asserted,
        ),
        (
            "(ROOT (S (NP (NNP Russia)) (VP (VBD threatened) (S (VP (TO to) (VP (VB attack) (NP (NNP Ukraine)))))) (. .)))",
            "RUS", "UKR", "13", false, Modality::Threat,
        ),
        (
            "(ROOT (S (NP (NNP France)) (VP (MD will) (VP (VB sever) (NP (NNS relations)) (PP (IN with) (NP (NNP Iran))))) (. .)))",
            "FRA", "IRN", "16", false, Modality::Future,
        ),
        (
            "(ROOT (S (NP (DT The) (NNP United) (NNPS Nations)) (VP (VBD urged) (NP (NNP Sudan)) (S (VP (TO to) (VP (VB meet) (NP (NNS rebels)))))) (. .)))",
            "IGOUNO", "SDN", "02", false, Modality::Asserted,
        ),
        (
            "(ROOT (S (NP (NNP Germany)) (VP (VBD did) (RB not) (VP (VB condemn) (NP (NNP China)))) (. .)))",
            "DEU", "CHN", "11", true, Modality::Asserted,
        ),
    ];
    // Throughput with the full Petrel dictionaries (coding only).
    let docs: Vec<petrel_doc::Doc> = cases
        .iter()
        .map(|c| {
            petrel_treebank::ptb::to_doc(&petrel_treebank::ptb::parse_tree(c.0).expect("tree"), "t")
        })
        .collect();
    let t0 = std::time::Instant::now();
    let rounds = 200;
    for _ in 0..rounds {
        for d in &docs {
            let mut d = d.clone();
            coder.code(&mut d);
        }
    }
    let n = rounds * docs.len();
    eprintln!(
        "{n} sentences in {:.1} ms: {:.0} sentences/s",
        t0.elapsed().as_secs_f64() * 1e3,
        n as f64 / t0.elapsed().as_secs_f64()
    );
    for (tree, src, tgt, root, negated, modality) in cases {
        let got = code(&coder, tree);
        let hit = got.iter().any(|(s, t, c, n, m, _)| {
            s == src && t == tgt && c.starts_with(root) && *n == negated && *m == modality
        });
        assert!(
            hit,
            "{tree}\n  expected {src}>{tgt}:{root}.. negated={negated} {modality:?}\n  got {got:?}"
        );
    }
}
