//! The engine against the 40 reference sweeps from an independent physical model
//! (copied into `tests/fixtures/reference-sweeps`): every fault class, ghosts at
//! several compliance voltages, interacting faults and open lines. The expected findings come
//! from `truth.jsonl`, and every one of the 40 must be diagnosed exactly, including the two
//! bad contacts that read under range-dropped ghosts (`ref-0005`, `ref-0026`).

use kmdiag::diagnose::{Subject, diagnose};
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn folder() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-sweeps");
    assert!(
        dir.join("truth.jsonl").exists(),
        "reference sweeps not found at {}: they ship with the repository",
        dir.display()
    );
    dir
}

/// (file, expected findings as "apartment:fault" / "line:fault", found findings)
fn run_all() -> Vec<(String, BTreeSet<String>, BTreeSet<String>)> {
    let dir = folder();
    let truth = std::fs::read_to_string(dir.join("truth.jsonl")).unwrap();
    let mut out = Vec::new();
    for line in truth.lines().filter(|l| !l.trim().is_empty()) {
        let t: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = t["file"].as_str().unwrap().to_string();
        let profile = resolve(t["profile"].as_str().unwrap()).unwrap();
        let switch = profile.switch(None).unwrap();
        let spec = LayoutSpec {
            offset: t["offset"].as_i64().unwrap(),
            apartments: Some(parse_apartments(t["apartments"].as_str().unwrap()).unwrap()),
            ..Default::default()
        };
        let layout = Layout::build(&profile, switch, &spec).unwrap();
        let text = std::fs::read_to_string(dir.join(&file)).unwrap();
        let (sweep, _) =
            kmdiag::sweep::parse_sweep(&text, &dir.join(&file), &layout.labels).unwrap();
        let d = diagnose(&sweep, &layout, &profile.nominal_forward_ohms.into());
        let want: BTreeSet<String> = t["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let who = f
                    .get("apartment")
                    .map_or_else(|| f["bus"].as_str().unwrap().to_string(), |a| a.to_string());
                format!("{who}:{}", f["fault"].as_str().unwrap())
            })
            .collect();
        let got: BTreeSet<String> =
            d.findings
                .iter()
                .map(|f| {
                    let who = match &f.subject {
                        Subject::Handset { apartment, cell } => apartment
                            .map_or_else(|| layout.labels.cell_label(*cell), |a| a.to_string()),
                        Subject::Bus { line, .. } => layout.labels.label(*line).to_string(),
                    };
                    format!("{who}:{}", f.fault.key())
                })
                .collect();
        out.push((file, want, got));
    }
    out
}

#[test]
fn every_reference_sweep_is_diagnosed_exactly() {
    let results = run_all();
    assert_eq!(results.len(), 40);
    let wrong: Vec<String> = results
        .iter()
        .filter(|(_, want, got)| want != got)
        .map(|(file, want, got)| format!("{file}: want {want:?} got {got:?}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn healthy_reference_entrances_have_no_finding_at_all() {
    for (file, want, got) in run_all() {
        if want.is_empty() {
            assert!(got.is_empty(), "{file}: {got:?}");
        }
    }
}
