//! `kmdiag read` and `kmdiag ports` end to end: decoding captures from files (table and JSON),
//! argument errors (exit 2), and a meter on a real pseudo-terminal: live readings, a silent
//! meter and an unplugged cable (exit 3).

use assert_cmd::Command;
#[cfg(unix)]
use kmdiag::acquire::meter::{MeterReading, Mode, Unit, es51922, fs9922};
use predicates::prelude::*;
#[cfg(unix)]
use std::io::BufReader;
#[cfg(unix)]
use std::io::Write;
use std::path::PathBuf;
#[cfg(unix)]
use std::process::{Child, ChildStderr};
#[cfg(unix)]
use std::sync::Mutex;
#[cfg(unix)]
use std::time::Duration;

/// `TTYPort::pair` is not thread-safe: one pty test at a time.
#[cfg(unix)]
static PTY: Mutex<()> = Mutex::new(());

fn capture(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dmm-captures")
        .join(rel);
    assert!(p.is_file(), "capture {} is missing", p.display());
    p
}

fn kmdiag() -> Command {
    Command::cargo_bin("kmdiag").unwrap()
}

#[test]
fn reads_a_ut61e_resistance_capture_as_a_table() {
    kmdiag()
        .args(["read", "--meter", "ut61e", "--from-file"])
        .arg(capture("es51922_uni-t_ut61e/ut61e_resistance_70ohm.bin"))
        .assert()
        .success()
        .stdout(concat!(
            "      70.5 Ω  resistance   AUTO\n",
            "     70.51 Ω  resistance   AUTO\n",
            "     70.51 Ω  resistance   AUTO\n",
            "     70.33 Ω  resistance   AUTO\n",
            "     70.18 Ω  resistance   AUTO\n",
        ));
}

#[test]
fn json_lines_carry_value_unit_mode_and_overload() {
    let out = kmdiag()
        .args([
            "read",
            "--meter",
            "ut61e",
            "--format",
            "json",
            "--from-file",
        ])
        .arg(capture("es51922_uni-t_ut61e/ut61e_resistance_ol.bin"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for v in &lines {
        assert_eq!(v["value"], serde_json::Value::Null);
        assert_eq!(v["unit"], "ohm");
        assert_eq!(v["mode"], "resistance");
        assert_eq!(v["overload"], true);
        assert_eq!(v["flags"], serde_json::json!(["AUTO"]));
    }
}

#[test]
fn every_protocol_with_captures_reads_from_file() {
    for (meter, rel, first) in [
        (
            "vc820",
            "fs9721_voltcraft_vc820_ut-d04/vc820_win_100ohm_nosw.bin",
            "100.5 Ω",
        ),
        (
            "vc940",
            "ut71x_voltcraft_vc940/voltcraft_vc940_power_on.irtx.bin",
            "0 V",
        ),
        ("idm103n", "es51978_iso-tech_idm103n/es51978.bin", "6.79 MΩ"),
        (
            "va18b",
            "fs9721_v-and-a_va18b/v_and_a_va18b_cable_ir_serial_usb.rx.bin",
            "1 mV",
        ),
    ] {
        let out = kmdiag()
            .args(["read", "--meter", meter, "--count", "1", "--from-file"])
            .arg(capture(rel))
            .output()
            .unwrap();
        assert!(out.status.success(), "{meter}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().count(), 1, "{meter}: {text}");
        assert!(text.trim_start().starts_with(first), "{meter}: {text}");
    }
}

#[test]
fn diode_mode_gets_a_note_naming_the_mode() {
    kmdiag()
        .args(["read", "--meter", "ut61e", "--count", "1", "--from-file"])
        .arg(capture("es51922_uni-t_ut61e/ut61e_diode_0_62v.bin"))
        .assert()
        .success()
        .stdout(predicate::str::contains("diode"))
        .stderr(predicate::str::contains("the meter is in diode mode"));
}

#[test]
fn volts_on_the_line_get_a_warning() {
    kmdiag()
        .args(["read", "--meter", "vc820", "--count", "1", "--from-file"])
        .arg(capture(
            "fs9721_voltcraft_vc820_ut-d04/vc820_linux_5v_nosw.bin",
        ))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the line is powered (4.99 V DC): disconnect the panel",
        ));
}

#[test]
fn unknown_meter_exits_2_and_lists_models() {
    kmdiag()
        .args(["read", "--meter", "ut62", "--port", "/dev/null"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown meter model 'ut62'"))
        .stderr(predicate::str::contains("ut61e"))
        .stderr(predicate::str::contains("owon-xdm1041"));
}

#[test]
fn wrong_model_for_a_recording_exits_2() {
    kmdiag()
        .args(["read", "--meter", "ut61e", "--from-file"])
        .arg(capture(
            "ut71x_voltcraft_vc940/voltcraft_vc940_one_sample.irtx.bin",
        ))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no valid packet"));
}

#[test]
fn port_or_file_is_required_and_bad_levels_are_refused() {
    kmdiag().args(["read", "--meter", "ut61e"]).assert().code(2);
    kmdiag()
        .args([
            "read",
            "--meter",
            "ut61e",
            "--port",
            "/dev/null",
            "--dtr",
            "maybe",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'maybe' is not on or off"));
}

#[test]
fn missing_port_exits_3_with_advice() {
    kmdiag()
        .args(["read", "--meter", "ut61e", "--port", "/dev/ttyKMDIAG9"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("kmdiag ports"));
}

#[test]
fn record_refuses_to_overwrite_before_opening_the_port() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("rec.bin");
    std::fs::write(&rec, b"keep").unwrap();
    kmdiag()
        .args([
            "read",
            "--meter",
            "ut61e",
            "--port",
            "/dev/ttyKMDIAG9",
            "--record",
        ])
        .arg(&rec)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read(&rec).unwrap(), b"keep");
}

#[test]
fn ports_lists_and_names_hid_cables() {
    kmdiag()
        .arg("ports")
        .assert()
        .success()
        .stdout(predicate::str::contains("--port hid"));
    let out = kmdiag()
        .args(["ports", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["ports"].is_array());
    assert!(v["not_serial"].as_array().unwrap().len() >= 4);
}

#[cfg(unix)]
fn ohms(v: f64) -> MeterReading {
    MeterReading {
        value: Some(v),
        unit: Unit::Ohm,
        mode: Mode::Resistance,
        overload: false,
        flags: vec!["AUTO"],
    }
}

/// A pseudo-terminal pair whose master end is not inherited by kmdiag (so dropping it is a
/// real hang-up), plus the slave's path.
#[cfg(unix)]
fn pty() -> (serialport::TTYPort, serialport::TTYPort, String) {
    use std::os::fd::AsRawFd;
    let (master, slave) = serialport::TTYPort::pair().unwrap();
    for fd in [master.as_raw_fd(), slave.as_raw_fd()] {
        // SAFETY: plain fcntl on descriptors we own.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    let path = serialport::SerialPort::name(&slave).unwrap();
    (master, slave, path)
}

/// Starts `kmdiag read ARGS` and waits until it says it has opened the port.
#[cfg(unix)]
fn start_read(args: &[&str]) -> (Child, BufReader<ChildStderr>, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kmdiag"))
        .arg("read")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    assert!(first.contains("Ctrl-C stops"), "kmdiag said: {first}");
    (child, err, first)
}

/// Waits for kmdiag to finish; returns (exit code, stdout, rest of stderr).
#[cfg(unix)]
fn finish(
    mut child: std::process::Child,
    mut err: std::io::BufReader<std::process::ChildStderr>,
) -> (Option<i32>, String, String) {
    use std::io::Read;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            panic!("kmdiag read did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    (status.code(), out, rest)
}

/// A meter on a pseudo-terminal: the test writes packets on the master side; kmdiag opens the
/// slave path like a real port. The master stays open until kmdiag has read everything.
#[cfg(unix)]
#[test]
fn reads_a_live_meter_over_a_pty_and_records_it() {
    let _guard = PTY.lock().unwrap_or_else(|e| e.into_inner());
    let (mut master, slave, path) = pty();
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("live.bin");
    let rec_arg = rec.to_string_lossy().to_string();
    let (child, err, _) = start_read(&[
        "--meter", "ut61e", "--count", "3", "--port", &path, "--record", &rec_arg,
    ]);
    let mut packets = vec![0x00, 0x3F, 0x0D]; // cable power-up noise
    for v in [12.5, 470.0, 1500.0] {
        packets.extend(es51922::encode(&ohms(v)));
    }
    master.write_all(&packets).unwrap();
    master.flush().unwrap();
    let (code, text, stderr) = finish(child, err);
    drop((master, slave));
    assert_eq!(code, Some(0), "{text}{stderr}");
    assert_eq!(
        text,
        concat!(
            "      12.5 Ω  resistance   AUTO\n",
            "       470 Ω  resistance   AUTO\n",
            "      1.5 kΩ  resistance   AUTO\n",
        )
    );
    // The recording decodes to the same readings.
    kmdiag()
        .args(["read", "--meter", "ut61e", "--from-file"])
        .arg(&rec)
        .assert()
        .success()
        .stdout(text);
}

#[cfg(unix)]
#[test]
fn a_silent_meter_exits_3_with_the_pc_link_hint() {
    let _guard = PTY.lock().unwrap_or_else(|e| e.into_inner());
    let (master, slave, path) = pty();
    let (child, err, _) = start_read(&["--meter", "ut61d", "--timeout", "0.5", "--port", &path]);
    let (code, out, stderr) = finish(child, err);
    drop((master, slave));
    assert_eq!(code, Some(3), "{out}{stderr}");
    assert!(stderr.contains("REL/RS232"), "{stderr}");
    assert!(stderr.contains("read them with --port hid"), "{stderr}");
    assert!(stderr.contains(&path), "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_unplugged_meter_exits_3_after_its_readings() {
    let _guard = PTY.lock().unwrap_or_else(|e| e.into_inner());
    let (mut master, slave, path) = pty();
    drop(slave);
    let (child, err, _) = start_read(&["--meter", "ut61d", "--timeout", "5", "--port", &path]);
    master.write_all(&fs9922::encode(&ohms(82.5))).unwrap();
    master.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(master); // the cable is pulled
    let (code, stdout, stderr) = finish(child, err);
    assert_eq!(code, Some(3), "{stdout}{stderr}");
    assert_eq!(stdout, "      82.5 Ω  resistance   AUTO\n");
    assert!(stderr.contains("lost"), "{stderr}");
    assert!(stderr.contains("check the cable"), "{stderr}");
}

/// An OWON XDM1041 simulated on the master side with `scpi::Responder`: kmdiag identifies it,
/// switches it to Ω, and reads values; the simulator speaks the wire protocol line by line.
#[cfg(unix)]
#[test]
fn reads_an_scpi_meter_over_a_pty() {
    use kmdiag::acquire::meter::scpi::{Family, Responder};
    use std::io::{BufRead, BufReader};
    let _guard = PTY.lock().unwrap_or_else(|e| e.into_inner());
    let (master, slave, path) = pty();
    let volts = MeterReading {
        value: Some(0.002),
        unit: Unit::Volt,
        mode: Mode::VoltageDc,
        overload: false,
        flags: vec![],
    };
    let mut sim = Responder::new(Family::Owon, "OWON,XDM1041,2136195,V4.3.0,3", volts);
    sim.ok_replies = true;
    let mut writer = master.try_clone_native().unwrap();
    let served = std::thread::spawn(move || {
        let mut lines = BufReader::new(master);
        let mut seen = Vec::new();
        let mut line = String::new();
        loop {
            match lines.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => {}
                // The master's reads time out while kmdiag thinks; a partial line stays put.
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
                Err(_) => break,
            }
            let cmd = line.trim().to_string();
            line.clear();
            // CONF:RES switches the simulated meter to Ω: it then shows the open line as OL.
            if let Some(reply) = sim.respond(&cmd) {
                writer.write_all(format!("{reply}\n").as_bytes()).unwrap();
            }
            let done = cmd == "SYST:LOC";
            seen.push(cmd);
            if done {
                break;
            }
        }
        seen
    });
    // kmdiag identifies the meter before it reports the port open: serve first.
    let (child, err, opened) =
        start_read(&["--meter", "owon-xdm1041", "--count", "2", "--port", &path]);
    assert!(
        opened.contains("reading OWON XDM1041 (serial 2136195"),
        "{opened}"
    );
    let (code, out, stderr) = finish(child, err);
    let seen = served.join().unwrap();
    drop(slave);
    assert_eq!(code, Some(0), "{out}{stderr}");

    assert_eq!(out, "        OL Ω  resistance\n        OL Ω  resistance\n");
    assert_eq!(seen[0], "*IDN?");
    assert!(seen.contains(&"CONF:RES".to_string()), "{seen:?}");
    assert!(seen.contains(&"MEAS1?".to_string()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("SYST:LOC"));
}
