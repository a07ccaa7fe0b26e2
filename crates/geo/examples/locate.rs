//! Prints the places found in a text: `cargo run -p petrel-geo --release --example locate -- "text"`
//! (reads standard input when no argument is given).

use petrel_doc::Doc;
use petrel_geo::{find_locations, Gazetteer};
use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        std::io::stdin().read_to_string(&mut text)?;
    }
    let t = std::time::Instant::now();
    let gaz = Gazetteer::embedded()?;
    eprintln!(
        "gazetteer: {} places loaded in {:.3} s",
        gaz.len(),
        t.elapsed().as_secs_f64()
    );
    let doc = Doc::new("stdin", text);
    for l in find_locations(&doc, gaz) {
        println!(
            "{}\t{}-{}\t{}\t{}\t{:.3},{:.3}\t{} {}\t{}\ttype {}\tscore {:.2}",
            doc.span_text(l.span),
            l.span.start,
            l.span.end,
            l.name,
            l.geonameid.map(|i| i.to_string()).unwrap_or_default(),
            l.lat,
            l.lon,
            l.country_iso2,
            l.admin1,
            l.feature_code,
            l.gdelt_type(),
            l.score
        );
    }
    Ok(())
}
