//! Speed of the diagnosis engine on full 10×10 sweeps, against parsing the same sweep as the
//! baseline measured in the same run. Target (issue 2): one diagnosis in 1 ms of CPU or less.
//! Run: `cargo bench --bench engine`.

use criterion::{Criterion, criterion_group, criterion_main};
use kmdiag::diagnose::diagnose;
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn case(
    file: &str,
    profile: &str,
    offset: i64,
    apartments: &str,
) -> (String, Layout, kmdiag::diagnose::ForwardPrior) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-sweeps");
    let text =
        std::fs::read_to_string(dir.join(file)).expect("reference sweeps beside the repository");
    let p = resolve(profile).unwrap();
    let spec = LayoutSpec {
        offset,
        apartments: Some(parse_apartments(apartments).unwrap()),
        ..Default::default()
    };
    let layout = Layout::build(&p, p.switch(None).unwrap(), &spec).unwrap();
    (text, layout, p.nominal_forward_ohms.into())
}

fn bench(c: &mut Criterion) {
    for (name, file, profile, offset, apartments) in [
        ("healthy", "ref-0006.csv", "vizit", 0, "7-74"),
        ("two_shorts", "ref-0017.csv", "eltis", 326, "327-422"),
        ("reversed_and_leak", "ref-0019.csv", "eltis", 330, "337-430"),
    ] {
        let (text, layout, prior) = case(file, profile, offset, apartments);
        let (sweep, _) =
            kmdiag::sweep::parse_sweep(&text, Path::new(file), &layout.labels).unwrap();
        c.bench_function(&format!("parse/{name}"), |b| {
            b.iter(|| kmdiag::sweep::parse_sweep(black_box(&text), Path::new(file), &layout.labels))
        });
        c.bench_function(&format!("diagnose/{name}"), |b| {
            b.iter(|| diagnose(black_box(&sweep), &layout, &prior))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
