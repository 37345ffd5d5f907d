//! Every real capture in `tests/fixtures/dmm-captures/` decoded and checked packet by packet against
//! `readings.tsv` (value, mode, unit, OL, flags); the same streams cut mid-packet, sprinkled
//! with noise, truncated, and with parity bits set; plus property tests that no byte stream
//! makes a decoder panic and that a valid packet after garbage is found.
//!
//! A missing capture folder fails the tests: it ships with the repository.

use kmdiag::acquire::link::LinkSettings;
use kmdiag::acquire::meter::es519xx::Variant;
use kmdiag::acquire::meter::{
    Chip, Decoder, MeterReading, Mode, Unit, canonical_flags, es519xx, es51922, fs9721, fs9922,
    ut61eplus, ut71x,
};
use kmdiag::acquire::transport::hid::{Bridge, HidDevice, HidPort, ch9325};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn captures_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dmm-captures");
    assert!(
        dir.join("readings.tsv").is_file(),
        "capture folder {} is missing: the decoder tests need it and it ships with the repository",
        dir.display()
    );
    dir
}

/// One row of readings.tsv.
#[derive(Debug, Clone)]
struct Row {
    offset: usize,
    hex: Vec<u8>,
    decoded: String,
}

fn load_rows() -> BTreeMap<String, Vec<Row>> {
    let text = std::fs::read_to_string(captures_dir().join("readings.tsv")).unwrap();
    let mut rows: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "bad readings.tsv line {line:?}");
        let hex = cols[3]
            .split_whitespace()
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect();
        rows.entry(cols[0].to_string()).or_default().push(Row {
            offset: cols[2].parse().unwrap(),
            hex,
            decoded: cols[4].to_string(),
        });
    }
    rows
}

fn chip_for(path: &str) -> Chip {
    let folder = path.split('/').next().unwrap();
    match folder.split('_').next().unwrap() {
        "es51922" => Chip::Es51922,
        "es51978" => Chip::Es519xx(Variant::Es51978),
        "fs9721" => Chip::Fs9721,
        "ut71x" => Chip::Ut71x,
        other => panic!("no decoder for capture folder {other:?}"),
    }
}

/// What readings.tsv says one packet shows.
#[derive(Debug)]
struct Expected {
    value: Option<f64>,
    mode: Mode,
    unit: Unit,
    overload: bool,
    /// Flags to compare, and the set of flag words the decode column can express at all.
    flags: Vec<&'static str>,
    comparable: &'static [&'static str],
    /// protocols.md gives no exponent for this mode: the decoder must say UNSCALED.
    unscaled: bool,
}

fn flag_words(decoded: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for word in decoded.split_whitespace() {
        if let Some(list) = word.strip_prefix("flags=") {
            for f in list.split(',') {
                if let Some(known) = kmdiag::acquire::meter::FLAG_ORDER.iter().find(|k| **k == f) {
                    out.push(*known);
                }
            }
        }
        for (key, flag) in [
            ("AC=True", "AC"),
            ("DC=True", "DC"),
            ("AUTO=True", "AUTO"),
            ("MAN=True", "MANUAL"),
        ] {
            if word == key {
                out.push(flag);
            }
        }
    }
    canonical_flags(&out)
}

fn prefixed(number: &str, unit: &str) -> f64 {
    let v: f64 = number.parse().unwrap();
    match unit {
        "mV" | "mA" => v / 1e3,
        _ => v,
    }
}

fn expected(chip: Chip, decoded: &str) -> Expected {
    let flags = flag_words(decoded);
    let ac = flags.contains(&"AC");
    let volt = if ac { Mode::VoltageAc } else { Mode::VoltageDc };
    let current = if ac { Mode::CurrentAc } else { Mode::CurrentDc };
    let kind_of = |k: &str| -> (Mode, Unit) {
        match k {
            "Ohm" => (Mode::Resistance, Unit::Ohm),
            "continuity" => (Mode::Continuity, Unit::Ohm),
            "diode" => (Mode::Diode, Unit::Volt),
            "F" => (Mode::Capacitance, Unit::Farad),
            "Hz" => (Mode::Frequency, Unit::Hertz),
            "%" => (Mode::DutyCycle, Unit::Percent),
            "V" | "mV" | "DCV" | "DCmV" => (volt, Unit::Volt),
            "A" | "mA" | "uA" | "10A" => (current, Unit::Ampere),
            "degC" => (Mode::Temperature, Unit::Celsius),
            "W" => (Mode::Other, Unit::None),
            other => panic!("unknown kind {other:?} in {decoded:?}"),
        }
    };
    // UT71x OL rows carry no flag columns: nothing to compare then.
    let has_flags = decoded.contains("flags=") || decoded.contains("AUTO=");
    let comparable: &'static [&'static str] = match chip {
        _ if !has_flags => &[],
        Chip::Es51922 => &[
            "DC", "AC", "AUTO", "HOLD", "REL", "MAX", "MIN", "PMAX", "PMIN",
        ],
        Chip::Fs9721 => &["DC", "AC", "AUTO"],
        _ => &["DC", "AC", "AUTO", "MANUAL"],
    };
    // "OL (Ohm) range=6 …" / "UL (%) …"
    for (prefix, overload) in [("OL (", true), ("UL (", false)] {
        if let Some(rest) = decoded.strip_prefix(prefix) {
            let kind = &rest[..rest.find(')').unwrap()];
            let (mode, unit) = kind_of(kind);
            return Expected {
                value: None,
                mode,
                unit,
                overload,
                flags,
                comparable,
                unscaled: false,
            };
        }
    }
    let words: Vec<&str> = decoded.split_whitespace().collect();
    let (value, kind) = match chip {
        // "70.51 Ohm [Ohm] …" — the bracket names the function.
        Chip::Es51922 => (words[0].parse().unwrap(), words[2].trim_matches(['[', ']'])),
        // "0.10986 [DCmV] …" — already in base units.
        Chip::Ut71x => (words[0].parse().unwrap(), words[1].trim_matches(['[', ']'])),
        // "-007.7 mV flags=…", "6.79e+06 Ohm …" — displayed number and unit.
        _ => (prefixed(words[0], words[1]), words[1]),
    };
    let (mode, unit) = kind_of(kind);
    Expected {
        value: Some(value),
        mode,
        unit,
        overload: false,
        flags,
        comparable,
        unscaled: kind == "W",
    }
}

fn assert_matches(got: &MeterReading, want: &Expected, what: &str) {
    assert_eq!(got.mode, want.mode, "{what}: mode of {got:?}");
    assert_eq!(got.unit, want.unit, "{what}: unit of {got:?}");
    assert_eq!(got.overload, want.overload, "{what}: OL of {got:?}");
    if want.unscaled {
        assert_eq!(got.value, None, "{what}");
        assert!(got.flags.contains(&"UNSCALED"), "{what}: {got:?}");
    } else {
        match (got.value, want.value) {
            (None, None) => {}
            (Some(g), Some(w)) => assert!(
                (g - w).abs() <= 1e-9 * w.abs().max(1e-12),
                "{what}: value {g} but readings.tsv says {w}"
            ),
            (g, w) => panic!("{what}: value {g:?} but readings.tsv says {w:?}"),
        }
    }
    let pick = |flags: &[&'static str]| -> Vec<&'static str> {
        flags
            .iter()
            .copied()
            .filter(|f| want.comparable.contains(f))
            .collect()
    };
    assert_eq!(
        pick(&got.flags),
        pick(&want.flags),
        "{what}: flags of {got:?}"
    );
}

/// The readings each capture must decode to, in order (ES519xx: one per repeated pair).
fn expected_stream(chip: Chip, rows: &[Row]) -> Vec<Expected> {
    match chip {
        Chip::Es519xx(_) => rows
            .chunks(2)
            .map(|pair| {
                assert_eq!(pair.len(), 2, "an ES519xx block without its repeat");
                assert_eq!(pair[0].hex, pair[1].hex, "the repeat differs");
                expected(chip, &pair[0].decoded)
            })
            .collect(),
        _ => rows.iter().map(|r| expected(chip, &r.decoded)).collect(),
    }
}

fn decode_all(chip: Chip, bytes: &[u8], chunk: usize) -> Vec<MeterReading> {
    let mut d = chip.decoder().unwrap();
    bytes.chunks(chunk.max(1)).flat_map(|c| d.push(c)).collect()
}

fn bin_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for f in std::fs::read_dir(&path).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "bin") {
                    let rel = f.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_capture_decodes_to_readings_tsv() {
    let dir = captures_dir();
    let rows = load_rows();
    let bins = bin_files(&dir);
    assert_eq!(bins.len(), 67, "MANIFEST.md lists 67 captures");
    let mut packets = 0;
    for rel in &bins {
        let file_rows = rows
            .get(rel)
            .unwrap_or_else(|| panic!("{rel} has no rows in readings.tsv"));
        let chip = chip_for(rel);
        let bytes = std::fs::read(dir.join(rel)).unwrap();
        let want = expected_stream(chip, file_rows);
        // Each listed packet decodes alone, at its offset.
        for (i, row) in file_rows.iter().enumerate() {
            let len = row.hex.len();
            assert_eq!(
                &bytes[row.offset..row.offset + len],
                &row.hex[..],
                "{rel} #{i}"
            );
            let e = expected(chip, &row.decoded);
            if !matches!(chip, Chip::Es519xx(_)) {
                let got = decode_all(chip, &row.hex, len);
                assert_eq!(got.len(), 1, "{rel} packet {i} did not decode");
                assert_matches(&got[0], &e, &format!("{rel} packet {i}"));
            }
        }
        // The whole stream, in one piece and byte by byte, gives exactly these readings.
        for chunk in [bytes.len(), 1, 7] {
            let got = decode_all(chip, &bytes, chunk);
            assert_eq!(got.len(), want.len(), "{rel} (chunks of {chunk})");
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_matches(g, w, &format!("{rel} reading {i}"));
            }
        }
        packets += want.len();
    }
    assert!(packets > 400, "only {packets} packets checked");
}

#[test]
fn resistance_captures_give_resistances() {
    let dir = captures_dir();
    let check = |rel: &str, chip: Chip, want: &[Option<f64>]| {
        let bytes = std::fs::read(dir.join(rel)).unwrap();
        let got = decode_all(chip, &bytes, 64);
        let values: Vec<Option<f64>> = got.iter().map(|r| r.value).collect();
        assert!(got.iter().all(|r| r.mode == Mode::Resistance), "{rel}");
        assert_eq!(&values[..want.len()], want, "{rel}");
    };
    check(
        "es51922_uni-t_ut61e/ut61e_resistance_70ohm.bin",
        Chip::Es51922,
        &[
            Some(70.5),
            Some(70.51),
            Some(70.51),
            Some(70.33),
            Some(70.18),
        ],
    );
    check(
        "es51922_uni-t_ut61e/ut61e_resistance_ol.bin",
        Chip::Es51922,
        &[None, None, None],
    );
    check(
        "fs9721_voltcraft_vc820_ut-d04/vc820_linux_100ohm_nosw.bin",
        Chip::Fs9721,
        &[Some(100.4), Some(100.4)],
    );
    check(
        "es51978_iso-tech_idm103n/es51978.bin",
        Chip::Es519xx(Variant::Es51978),
        &[Some(6.79e6), Some(7.27e6), Some(7.51e6)],
    );
}

/// Every capture with its stream damaged: starting mid-packet, noise between packets, and
/// stopping mid-packet. The decoder resyncs within one packet and loses only damaged ones.
#[test]
fn damaged_streams_lose_only_the_damaged_packets() {
    let dir = captures_dir();
    let rows = load_rows();
    for rel in bin_files(&dir) {
        let chip = chip_for(&rel);
        let bytes = std::fs::read(dir.join(&rel)).unwrap();
        let clean = decode_all(chip, &bytes, 64);
        let file_rows = &rows[&rel];
        let step = match chip {
            Chip::Es519xx(_) => 2,
            _ => 1,
        };
        let starts: Vec<usize> = file_rows.iter().step_by(step).map(|r| r.offset).collect();
        let plen = file_rows[0].hex.len() * step;
        if starts.len() < 2 {
            continue;
        }
        // Start 3 bytes into the first packet: the first reading is lost, no other.
        let got = decode_all(chip, &bytes[starts[0] + 3..], 5);
        assert_eq!(got, clean[1..].to_vec(), "{rel}: mid-packet start");
        // Cut 2 bytes before the end of the last packet: only the last reading is lost.
        let end = starts[starts.len() - 1] + plen - 2;
        let got = decode_all(chip, &bytes[..end], 5);
        assert_eq!(got, clean[..clean.len() - 1].to_vec(), "{rel}: truncated");
        // Noise between packets (after the first): every packet still decodes.
        let noise: &[u8] = &[0x00, 0xFF, 0x0D, 0x0A, 0x35, 0x13, 0x2B];
        let mut noisy = Vec::new();
        let mut last = 0;
        for &s in &starts[1..] {
            noisy.extend_from_slice(&bytes[last..s]);
            noisy.extend_from_slice(noise);
            last = s;
        }
        noisy.extend_from_slice(&bytes[last..]);
        assert_eq!(decode_all(chip, &noisy, 3), clean, "{rel}: noise");
        // 7-bit protocols: bit 7 carrying odd parity (a CH9325 cable) changes nothing.
        if chip.seven_bit() {
            let with_parity: Vec<u8> = bytes
                .iter()
                .map(|&b| if b.count_ones() % 2 == 0 { b | 0x80 } else { b })
                .collect();
            assert_eq!(decode_all(chip, &with_parity, 9), clean, "{rel}: parity");
        }
    }
}

/// A UT-D04 playing back reports: what a CH9325 would have sent while the capture was taken.
/// Records the feature reports it is sent; gone (like an unplugged cable) after the last one.
struct UtD04Replay {
    reports: std::collections::VecDeque<Vec<u8>>,
    features: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
}

impl HidDevice for UtD04Replay {
    fn send_feature_report(&mut self, report: &[u8]) -> std::io::Result<()> {
        self.features.lock().unwrap().push(report.to_vec());
        Ok(())
    }
    fn write_report(&mut self, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
    fn read_report(&mut self, buf: &mut [u8], _: std::time::Duration) -> std::io::Result<usize> {
        let r = self
            .reports
            .pop_front()
            .ok_or_else(|| std::io::Error::other("device disconnected"))?;
        buf[..r.len()].copy_from_slice(&r);
        Ok(r.len())
    }
}

/// `bytes` as a CH9325 hands them on: reports of 1 to 7 bytes in a changing rhythm (so packets
/// are split across reports at every offset), "no data" reports between some of them, and for
/// a 7-bit protocol the odd-parity bit in bit 7 of each byte (protocols.md §1.3).
fn ch9325_reports(bytes: &[u8], seven_bit: bool) -> Vec<Vec<u8>> {
    let wire: Vec<u8> = bytes
        .iter()
        .map(|&b| {
            if seven_bit {
                ch9325::with_odd_parity(b)
            } else {
                b
            }
        })
        .collect();
    let mut reports = vec![ch9325::IDLE.to_vec()];
    let (mut at, mut turn) = (0, 0usize);
    while at < wire.len() {
        let n = [7, 3, 1, 5, 7, 2, 6][turn % 7].min(wire.len() - at);
        reports.push(ch9325::frame(&wire[at..at + n])[0].to_vec());
        if turn % 3 == 0 {
            reports.push(ch9325::IDLE.to_vec());
        }
        at += n;
        turn += 1;
    }
    reports
}

/// Every VC-820 capture taken on a UT-D04 cable, and every UT61E capture (the UT61E is sold
/// with the UT-D04 too), re-framed into the reports the cable's CH9325 sends, go through
/// kmdiag's HID transport: the baud rate it sets is the meter's, the byte stream it gives
/// back is the capture's exactly (parity bits stripped for the 7o1 UT61E), and that stream
/// decodes to readings.tsv.
#[test]
fn ut_d04_captures_decode_to_readings_tsv_through_the_hid_path() {
    let dir = captures_dir();
    let rows = load_rows();
    let mut files = 0;
    for rel in bin_files(&dir) {
        let (model, baud_report) = match rel.split('/').next().unwrap() {
            "fs9721_voltcraft_vc820_ut-d04" => ("vc820", [0, 0x60, 0x09, 0, 0, 3]),
            "es51922_uni-t_ut61e" => ("ut61e", [0, 0x00, 0x4B, 0, 0, 3]),
            _ => continue,
        };
        let m = kmdiag::acquire::meter::find_model(model).unwrap();
        let bytes = std::fs::read(dir.join(&rel)).unwrap();
        let features = std::sync::Arc::default();
        let device = UtD04Replay {
            reports: ch9325_reports(&bytes, m.chip.seven_bit()).into(),
            features: std::sync::Arc::clone(&features),
        };
        let settings = LinkSettings::for_model(m, None, None, None);
        let mut port = HidPort::start(Box::new(device), Bridge::Ch9325, "hid", &settings).unwrap();
        assert_eq!(
            *features.lock().unwrap(),
            vec![baud_report.to_vec()],
            "{rel}"
        );
        let mut through = Vec::new();
        let mut buf = [0u8; 64];
        let end = loop {
            match std::io::Read::read(&mut port, &mut buf) {
                Ok(n) => through.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert!(end.to_string().contains("went away"), "{rel}: {end}");
        assert_eq!(through, bytes, "{rel}: the stream out of the HID reports");
        let want = expected_stream(m.chip, &rows[&rel]);
        let got = decode_all(m.chip, &through, 64);
        assert_eq!(got.len(), want.len(), "{rel}");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_matches(g, w, &format!("{rel} reading {i} through the UT-D04"));
        }
        files += 1;
    }
    assert_eq!(files, 22 + 39, "22 VC-820 and 39 UT61E captures");
}

fn all_decoders() -> Vec<(&'static str, Box<dyn Decoder>)> {
    vec![
        ("es51922", Box::new(es51922::decoder())),
        ("es51978", Box::new(es519xx::decoder(Variant::Es51978))),
        ("es51986", Box::new(es519xx::decoder(Variant::Es51986))),
        ("fs9721", Box::new(fs9721::decoder())),
        ("fs9922", Box::new(fs9922::decoder())),
        ("ut71x", Box::new(ut71x::decoder())),
        ("ut61e+", Box::new(ut61eplus::decoder())),
    ]
}

fn packets() -> Vec<(&'static str, Vec<u8>)> {
    let r = MeterReading {
        value: Some(47.5),
        unit: Unit::Ohm,
        mode: Mode::Resistance,
        overload: false,
        flags: vec!["AUTO"],
    };
    vec![
        ("es51922", es51922::encode(&r)),
        ("es51978", es519xx::encode(Variant::Es51978, &r)),
        ("es51986", es519xx::encode(Variant::Es51986, &r)),
        ("fs9721", fs9721::encode(&r)),
        ("fs9922", fs9922::encode(&r)),
        ("ut71x", ut71x::encode(&r)),
        ("ut61e+", ut61eplus::encode(&r)),
    ]
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600),
                                chunk in 1usize..40) {
        for (_, mut d) in all_decoders() {
            for c in bytes.chunks(chunk) {
                for r in d.push(c) {
                    // Whatever decodes is a sane reading.
                    prop_assert!(r.value.is_none_or(f64::is_finite));
                    prop_assert!(!(r.overload && r.value.is_some()));
                }
            }
        }
    }

    #[test]
    fn a_valid_packet_after_garbage_is_found(garbage in proptest::collection::vec(any::<u8>(), 0..200)) {
        for ((name, mut d), (_, packet)) in all_decoders().into_iter().zip(packets()) {
            let mut stream = garbage.clone();
            stream.extend_from_slice(&packet);
            stream.extend_from_slice(&packet);
            let got = d.push(&stream);
            let last = got.last();
            prop_assert!(last.is_some_and(|r| r.value == Some(47.5)), "{}: {:?}", name, got);
        }
    }
}
