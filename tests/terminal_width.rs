//! Tables that fit the terminal: at 80 columns (and a narrow 60) every line of every table
//! report fits, in English and Russian, while pipes and files keep the stable layout
//! (`width: None`, the snapshots). The binary on a pseudo-terminal of 80 columns fits it too.

mod report_fixture;

use kmdiag::export::{Format, Report, Style, exporter};
use kmdiag::i18n::Lang;

fn render(lang: Lang, width: Option<u16>, report: &Report) -> String {
    exporter(
        Format::Table,
        Style {
            width,
            ..Style::new(false, lang)
        },
    )
    .render(report)
}

/// The lines of the tables in `text` (sentences around them wrap in any terminal).
fn table_lines(text: &str) -> String {
    text.lines()
        .filter(|l| l.starts_with(['┌', '│', '├', '╞', '└']))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Lines wider than `width` characters (what a terminal shows as one column each: box
/// drawing and Cyrillic letters are one character).
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|l| l.chars().count() > width)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_table_line_fits_80_and_60_columns() {
    for report in [report_fixture::single(), report_fixture::building()] {
        for lang in [Lang::En, Lang::Ru] {
            for width in [80u16, 60] {
                let text = render(lang, Some(width), &report);
                let tables = table_lines(&text);
                assert!(!tables.is_empty());
                let wide = too_wide(&tables, width as usize);
                assert!(wide.is_empty(), "{lang:?} at {width}:\n{}", wide.join("\n"));
            }
        }
    }
}

#[test]
fn the_stable_layout_is_wider_than_80_and_does_not_depend_on_a_width() {
    let report = report_fixture::single();
    let stable = render(Lang::En, None, &report);
    assert!(
        !too_wide(&stable, 80).is_empty(),
        "the check above would prove nothing"
    );
    assert_eq!(stable, render(Lang::En, None, &report));
}

/// Runs kmdiag with stdout on a pseudo-terminal `columns` wide and returns what it printed.
#[cfg(unix)]
fn on_terminal(columns: u16, args: &[&str]) -> String {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    use std::process::{Command, Stdio};

    // macOS's posix_openpt takes no O_CLOEXEC: set it after, on every OS alike, so kmdiag does
    // not inherit the master.
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    rustix::io::fcntl_setfd(&master, rustix::io::FdFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let user = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(name.to_str().unwrap())
        .unwrap();
    let size = rustix::termios::Winsize {
        ws_row: 50,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&user, size).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmdiag"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::from(user))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read until the child's end closes (EIO on Linux, end of file on macOS).
    let mut master = std::fs::File::from(master);
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match master.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
    child.wait().unwrap();
    // The terminal turns each "\n" into "\r\n".
    String::from_utf8(bytes).unwrap().replace("\r\n", "\n")
}

#[cfg(unix)]
#[test]
fn kmdiag_on_an_80_column_terminal_fits_its_tables_to_it() {
    let diagnose = [
        "diagnose",
        "examples/eltis-two-shorts.csv",
        "--profile",
        "eltis",
        "--offset",
        "72",
        "--apartments",
        "73-144",
        "--color",
        "never",
    ];
    let text = on_terminal(80, &diagnose);
    assert!(text.contains("apt 115"), "{text}");
    let wide = too_wide(&table_lines(&text), 80);
    assert!(wide.is_empty(), "{}", wide.join("\n"));
    // The same run into a pipe keeps the stable 120-column findings table.
    let piped = assert_cmd::Command::cargo_bin("kmdiag")
        .unwrap()
        .args(diagnose)
        .output()
        .unwrap();
    let piped = String::from_utf8(piped.stdout).unwrap();
    assert!(!too_wide(&table_lines(&piped), 80).is_empty());
    let profiles = on_terminal(80, &["profiles"]);
    assert!(profiles.contains("metakom"), "{profiles}");
    let wide = too_wide(&table_lines(&profiles), 80);
    assert!(wide.is_empty(), "{}", wide.join("\n"));
}

/// `check`'s building summary, drawn row by row to keep memory flat, fits the terminal too:
/// its widest columns wrap between words instead of running off the edge.
#[cfg(unix)]
#[test]
fn check_on_an_80_column_terminal_fits_its_building_summary() {
    let text = on_terminal(
        80,
        &[
            "check",
            "examples/building/building.toml",
            "--color",
            "never",
        ],
    );
    assert!(text.contains("Worst"), "{text}");
    assert!(text.contains("apt 159"), "{text}");
    let wide = too_wide(&table_lines(&text), 80);
    assert!(wide.is_empty(), "{}", wide.join("\n"));
}
