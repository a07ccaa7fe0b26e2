//! Lists detection and resolution errors on GeoWebNews (for error analysis):
//! `cargo run -p petrel-geo --release --example gwn_errors -- ../shared/data/geo/geowebnews`

use petrel_geo::{evaluate_geowebnews, Gazetteer};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: gwn_errors DIR")?;
    let gaz = Gazetteer::embedded()?;
    let r = evaluate_geowebnews(Path::new(&dir), gaz)?;
    for e in &r.errors {
        println!("{e}");
    }
    eprintln!(
        "P {:.3} R {:.3} F1 {:.3}; accuracy@161km {:.3} ({}/{})",
        r.precision(),
        r.recall(),
        r.f1(),
        r.accuracy_161km(),
        r.res_within_161km,
        r.res_scorable
    );
    Ok(())
}
