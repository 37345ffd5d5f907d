//! The conventions a technician expects of a command-line tool, run on the binary: shell
//! completions and manual pages that know every command; a settings file, KMDIAG_*
//! variables and flags in that order of strength; the user's own profiles; --color, -q, -v;
//! did-you-mean. Every run here points KMDIAG_CONFIG at its own temporary folder, so nothing
//! is read from the real user's settings.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

const ENTRANCE: [&str; 6] = [
    "--profile",
    "eltis",
    "--offset",
    "72",
    "--apartments",
    "73-144",
];
const FAULTY: &str = "examples/eltis-two-shorts.csv";
const UT61E_70_OHM: &str =
    "tests/fixtures/dmm-captures/es51922_uni-t_ut61e/ut61e_resistance_70ohm.bin";

/// kmdiag with its settings in `settings` (a folder) and none of the KMDIAG_* variables of the
/// environment the tests run in.
fn kmdiag(settings: &Path) -> Command {
    let mut c = Command::cargo_bin("kmdiag").expect("binary");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("KMDIAG_CONFIG", settings)
        .env_remove("KMDIAG_PROFILE")
        .env_remove("KMDIAG_PORT")
        .env_remove("KMDIAG_METER")
        .env_remove("NO_COLOR");
    c
}

/// A settings folder holding `config` as its config.toml.
fn settings_with(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    dir
}

/// Every command the parser knows, as `kmdiag --help` lists them.
fn commands() -> Vec<String> {
    let help = Command::cargo_bin("kmdiag")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let listed: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(listed.len() >= 13, "{listed:?}");
    listed
}

#[test]
fn completion_scripts_generate_for_every_shell_and_know_every_command() {
    let empty = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = kmdiag(empty.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for command in commands() {
            assert!(script.contains(&command), "{shell} lacks {command}");
        }
        // Flags of a command, and the values of a value enum, are completed too.
        assert!(script.contains("apartments"), "{shell}");
        assert!(script.contains("powershell"), "{shell}");
    }
    kmdiag(empty.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

#[test]
fn the_manual_page_lists_every_command_and_each_command_has_its_own() {
    let empty = tempfile::tempdir().unwrap();
    let out = kmdiag(empty.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "not roff: {}",
        &page[..80]
    );
    assert!(page.contains(".TH kmdiag 1"), "{page}");
    for command in commands() {
        assert!(
            page.contains(&format!("kmdiag\\-{command}(1)")),
            "{command}"
        );
    }
    // One command's page carries its own flags.
    let diagnose = kmdiag(empty.path())
        .args(["man", "diagnose"])
        .output()
        .unwrap();
    let diagnose = String::from_utf8(diagnose.stdout).unwrap();
    assert!(diagnose.contains(".TH kmdiag-diagnose 1"), "{diagnose}");
    assert!(diagnose.contains(&format!("\"kmdiag {}", env!("CARGO_PKG_VERSION"))));
    assert!(diagnose.contains("\\-\\-partial"), "{diagnose}");
    assert!(diagnose.contains("KMDIAG_PROFILE"), "{diagnose}");
    // Every page into a folder: kmdiag.1 and one per command, nested ones too.
    let dir = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .args(["man", "--all", "-o"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(dir.path().join("kmdiag.1").is_file());
    for command in commands() {
        let page = dir.path().join(format!("kmdiag-{command}.1"));
        assert!(page.is_file(), "{}", page.display());
    }
    assert!(dir.path().join("kmdiag-config-show.1").is_file());
    // Written atomically and never over an existing page without --force.
    kmdiag(empty.path())
        .args(["man", "--all", "-o"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    kmdiag(empty.path())
        .args(["man", "diagnos"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'diagnose'"));
}

/// What `kmdiag map 10 EXTRA…` says apartment 10 is on: a different crossing for each
/// numbering.
fn apartment_10(c: &mut Command, extra: &[&str]) -> String {
    let out = c.args(["map", "10"]).args(extra).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_profile_comes_from_the_flag_then_the_variable_then_the_settings_file() {
    let settings = settings_with("profile = \"metakom\"\n");
    let dir = settings.path();
    // The file alone: Metakom numbers units from 1, so flat 10 is the tenth units line.
    assert_eq!(
        apartment_10(&mut kmdiag(dir), &[]),
        "apartment 10: D0/E10 (matrix 1)\n"
    );
    // The variable beats the file: Eltis counts units from 0.
    assert_eq!(
        apartment_10(kmdiag(dir).env("KMDIAG_PROFILE", "eltis"), &[]),
        "apartment 10: D1/E0 (matrix 1)\n"
    );
    // The flag beats both: Factorial's 8×8 matrix.
    assert_eq!(
        apartment_10(
            kmdiag(dir).env("KMDIAG_PROFILE", "eltis"),
            &["--profile", "factorial"]
        ),
        "apartment 10: D1/E2 (matrix 1)\n"
    );
    // Without any of them the profile is still required.
    let empty = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .args(["map", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--profile"));
}

#[test]
fn a_folder_check_takes_its_profile_from_the_settings_but_a_building_plan_keeps_its_own() {
    let settings = settings_with("profile = \"eltis\"\n");
    let sweeps = tempfile::tempdir().unwrap();
    std::fs::copy(FAULTY, sweeps.path().join("entrance-1.csv")).unwrap();
    kmdiag(settings.path())
        .arg("check")
        .arg(sweeps.path())
        .args(["--offset", "72", "--apartments", "73-144"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("115"));
    // A plan names each entrance's profile; a default profile is no reason to refuse it.
    kmdiag(settings.path())
        .env("KMDIAG_PROFILE", "metakom")
        .args(["check", "examples/building/building.toml"])
        .assert()
        .stderr(predicate::str::contains("apply to a folder").not());
}

#[test]
fn a_default_profile_never_overrides_a_sweeps_header_but_fills_in_where_there_is_none() {
    // The example's header says eltis; a default of vizit must not change that, or warn.
    let settings = settings_with("profile = \"vizit\"\n");
    let out = kmdiag(settings.path())
        .env("KMDIAG_PROFILE", "cyfral")
        .args(["diagnose", FAULTY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("profile eltis"));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // The same readings without the header: the default is what says the switch.
    let bare = tempfile::tempdir().unwrap();
    let headerless = bare.path().join("bare.csv");
    let text: String = std::fs::read_to_string(FAULTY)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&headerless, text).unwrap();
    let flats = ["--offset", "72", "--apartments", "73-144"];
    let settings = settings_with("profile = \"eltis\"\n");
    kmdiag(settings.path())
        .arg("diagnose")
        .arg(&headerless)
        .args(flats)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("profile eltis"))
        .stdout(predicate::str::contains("apt 115"));
    let empty = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .arg("diagnose")
        .arg(&headerless)
        .args(flats)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --profile"));
}

#[test]
fn an_empty_variable_is_no_variable() {
    // KMDIAG_PROFILE= leaves the settings file's profile in force, not an empty name.
    let settings = settings_with("profile = \"metakom\"\n");
    assert_eq!(
        apartment_10(kmdiag(settings.path()).env("KMDIAG_PROFILE", ""), &[]),
        "apartment 10: D0/E10 (matrix 1)\n"
    );
    let empty = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .env("KMDIAG_PROFILE", " ")
        .args(["map", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("required"));
}

/// KMDIAG_CONFIG= means the OS config folder: on Linux $XDG_CONFIG_HOME/kmdiag, here a
/// temporary one, so the real user's settings are not read.
#[cfg(target_os = "linux")]
#[test]
fn without_kmdiag_config_the_settings_are_in_the_os_config_folder() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("kmdiag");
    let out = kmdiag(home.path())
        .env("KMDIAG_CONFIG", "")
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .args(["config", "path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", folder.join("config.toml").display())
    );
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("config.toml"), "profile = \"metakom\"\n").unwrap();
    assert_eq!(
        apartment_10(
            kmdiag(home.path())
                .env("KMDIAG_CONFIG", "")
                .env("XDG_CONFIG_HOME", home.path())
                .env("HOME", home.path()),
            &[]
        ),
        "apartment 10: D0/E10 (matrix 1)\n"
    );
}

/// `read --from-file` of a UT61E capture with the meter the settings and variables choose,
/// or `extra` flags.
fn read_capture(c: &mut Command, extra: &[&str]) -> std::process::Output {
    c.args(["read", "--count", "1", "--from-file", UT61E_70_OHM])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn the_meter_comes_from_the_flag_then_the_variable_then_the_settings_file() {
    let settings = settings_with("meter = \"ut61e\"\n");
    let dir = settings.path();
    let out = read_capture(&mut kmdiag(dir), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ω"));
    // A VC-820 from the variable cannot decode the UT61E's bytes.
    let out = read_capture(kmdiag(dir).env("KMDIAG_METER", "vc820"), &[]);
    assert!(!out.status.success());
    // The flag puts it right again.
    let out = read_capture(
        kmdiag(dir).env("KMDIAG_METER", "vc820"),
        &["--meter", "ut61e"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The port a failed `read … EXTRA` tried, from its error message.
fn port_tried(c: &mut Command, extra: &[&str]) -> String {
    let out = c
        .args(["read", "--meter", "ut61e"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    err.split("cannot open ")
        .nth(1)
        .and_then(|rest| rest.split(':').take(3).collect::<Vec<_>>().join(":").into())
        .unwrap_or(err)
}

#[test]
fn the_port_comes_from_the_flag_then_the_variable_then_the_settings_file() {
    // Nothing listens on these local ports, so each run fails at once naming the port.
    let settings = settings_with("port = \"tcp://127.0.0.1:1\"\n");
    let dir = settings.path();
    assert_eq!(port_tried(&mut kmdiag(dir), &[]), "tcp://127.0.0.1:1");
    assert_eq!(
        port_tried(kmdiag(dir).env("KMDIAG_PORT", "tcp://127.0.0.1:2"), &[]),
        "tcp://127.0.0.1:2"
    );
    assert_eq!(
        port_tried(
            kmdiag(dir).env("KMDIAG_PORT", "tcp://127.0.0.1:2"),
            &["--port", "tcp://127.0.0.1:3"]
        ),
        "tcp://127.0.0.1:3"
    );
    // A default port does not stand in the way of decoding a recording; an explicit one does.
    let out = read_capture(&mut kmdiag(dir), &["--meter", "ut61e"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    kmdiag(dir)
        .args([
            "read",
            "--meter",
            "ut61e",
            "--port",
            "COM3",
            "--from-file",
            UT61E_70_OHM,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from-file"));
}

#[test]
fn a_mistake_in_the_settings_file_names_file_line_and_column_and_config_still_finds_it() {
    let settings = settings_with("port = \"COM3\"\nmeter = \"ut61x\"\n");
    let file = settings.path().join("config.toml");
    kmdiag(settings.path())
        .args(["map", "10", "--profile", "eltis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:2:9: meter = \"ut61x\"",
            file.display()
        )))
        .stderr(predicate::str::contains(
            "did you mean 'ut61b', 'ut61c', 'ut61d' or 'ut61e'",
        ));
    let settings = settings_with("[labels]\ncolour = \"red\"\n");
    kmdiag(settings.path())
        .args(["profiles"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "config.toml:1:2: unknown field `labels`",
        ));
    // `config path` and `config show` work on a broken file, so it can be found and fixed.
    kmdiag(settings.path())
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!(
            "{}\n",
            settings.path().join("config.toml").display()
        ));
    kmdiag(settings.path())
        .args(["config", "show"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("cannot be used"));
    // A file named with --config must exist.
    let empty = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .args(["--config"])
        .arg(empty.path().join("nope.toml"))
        .args(["map", "10", "--profile", "eltis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn config_init_writes_an_example_that_reads_back_as_no_settings() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that is not there yet: used for nothing until `config init` makes it.
    let folder = dir.path().join("kmdiag");
    kmdiag(&folder)
        .args(["map", "10", "--profile", "eltis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    kmdiag(&folder).args(["config", "init"]).assert().success();
    let file = folder.join("config.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("#profile = \"eltis\""), "{text}");
    kmdiag(&folder)
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("not set: give --profile"));
    kmdiag(&folder)
        .args(["config", "init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    // Uncommented, the example's values are in effect; a .toml path is the file itself.
    let own = dir.path().join("field.toml");
    std::fs::write(&own, text.replace("#profile = ", "profile = ")).unwrap();
    kmdiag(&own)
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("profile  eltis"));
}

#[test]
fn the_users_own_profiles_join_the_built_ins_and_are_listed_with_their_source() {
    let settings = tempfile::tempdir().unwrap();
    let profiles = settings.path().join("profiles");
    std::fs::create_dir(&profiles).unwrap();
    let eltis = std::fs::read_to_string("profiles/eltis.toml").unwrap();
    // An Eltis board whose installer numbered units from one.
    let mine = eltis
        .replace("name = \"eltis\"", "name = \"eltis-from-one\"")
        .replace("numbering = \"decimal\"", "numbering = \"units_from_one\"");
    assert_ne!(mine, eltis);
    std::fs::write(profiles.join("eltis-from-one.toml"), &mine).unwrap();
    assert_eq!(
        apartment_10(
            &mut kmdiag(settings.path()),
            &["--profile", "eltis-from-one"]
        ),
        "apartment 10: D0/E10 (matrix 1)\n"
    );
    let listed = kmdiag(settings.path()).arg("profiles").output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    let row = listed
        .lines()
        .find(|l| l.contains("eltis-from-one"))
        .expect("listed");
    assert!(
        row.contains(&profiles.join("eltis-from-one.toml").display().to_string()),
        "{row}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.contains("│ eltis ") && l.contains("built in")),
        "{listed}"
    );
    // A typo among them is suggested too.
    kmdiag(settings.path())
        .args(["map", "10", "--profile", "eltis-from-on"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'eltis-from-one'"))
        .stderr(predicate::str::contains("yours are eltis-from-one"));
    // The name inside must be the file's.
    std::fs::write(profiles.join("renamed.toml"), &mine).unwrap();
    kmdiag(settings.path())
        .args(["map", "10", "--profile", "renamed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("name = \"renamed\""));
}

#[test]
fn color_never_writes_no_escape_codes_and_always_does_even_into_a_pipe() {
    let empty = tempfile::tempdir().unwrap();
    let run = |color: &str| {
        kmdiag(empty.path())
            .args(["diagnose", FAULTY])
            .args(ENTRANCE)
            .args(["--color", color])
            .output()
            .unwrap()
    };
    let never = run("never");
    assert_eq!(never.status.code(), Some(1));
    assert!(
        !never.stdout.contains(&0x1b),
        "escape code with --color never"
    );
    assert!(
        run("always").stdout.contains(&0x1b),
        "no colour with --color always"
    );
    // auto: a pipe is not a terminal.
    assert!(!run("auto").stdout.contains(&0x1b));
    // --color always wins over NO_COLOR (a flag is the user's word for this run).
    let out = kmdiag(empty.path())
        .env("NO_COLOR", "1")
        .args(["diagnose", FAULTY])
        .args(ENTRANCE)
        .args(["--color", "always"])
        .output()
        .unwrap();
    assert!(out.stdout.contains(&0x1b));
}

/// A sweep with one crossing measured twice, which kmdiag warns about.
fn sweep_with_a_repeated_row(dir: &Path) -> std::path::PathBuf {
    let mut text = std::fs::read_to_string(FAULTY).unwrap();
    text.push_str("D0,E1,700\n");
    let path = dir.join("twice.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn quiet_silences_warnings_but_never_errors_and_verbose_says_what_is_done() {
    let empty = tempfile::tempdir().unwrap();
    let sweep = sweep_with_a_repeated_row(empty.path());
    let diagnose = |flag: Option<&str>| {
        let mut c = kmdiag(empty.path());
        c.arg("diagnose").arg(&sweep).args(ENTRANCE);
        if let Some(f) = flag {
            c.arg(f);
        }
        c.output().unwrap()
    };
    let plain = diagnose(None);
    let plain_err = String::from_utf8(plain.stderr).unwrap();
    assert!(plain_err.contains("kmdiag: warning:"), "{plain_err}");
    let quiet = diagnose(Some("-q"));
    assert_eq!(quiet.status.code(), plain.status.code());
    assert_eq!(quiet.stdout, plain.stdout);
    assert_eq!(String::from_utf8(quiet.stderr).unwrap(), "");
    // -q still prints an error.
    kmdiag(empty.path())
        .args(["-q", "diagnose", "missing.csv"])
        .args(ENTRANCE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kmdiag: error:"));
    // -v says which settings, profile and file.
    let verbose = diagnose(Some("-v"));
    let err = String::from_utf8(verbose.stderr).unwrap();
    for said in [
        "debug: no settings file at",
        "debug: profile eltis (from --profile)",
        "debug: profile eltis: built in",
        "readings from",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    assert_eq!(verbose.stdout, plain.stdout);
    kmdiag(empty.path())
        .args(["-q", "-v", "profiles"])
        .assert()
        .code(2);
}

#[test]
fn a_mistyped_profile_switch_or_meter_gets_a_suggestion() {
    let empty = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .args(["diagnose", FAULTY, "--profile", "eltsi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown profile 'eltsi' (did you mean 'eltis'?)",
        ));
    kmdiag(empty.path())
        .args([
            "diagnose",
            FAULTY,
            "--profile",
            "eltis",
            "--switch",
            "KM100-71",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'KM100-7.1'?"));
    kmdiag(empty.path())
        .args([
            "read",
            "--meter",
            "ut61",
            "--count",
            "1",
            "--from-file",
            UT61E_70_OHM,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"))
        .stderr(predicate::str::contains("'ut61e'"));
    // Nothing close: no suggestion, just the list.
    kmdiag(empty.path())
        .args(["diagnose", FAULTY, "--profile", "qwertyuiop"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean").not())
        .stderr(predicate::str::contains("built-in profiles are"));
}

#[test]
fn the_version_names_the_crate_version() {
    let empty = tempfile::tempdir().unwrap();
    kmdiag(empty.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "kmdiag {}",
            env!("CARGO_PKG_VERSION")
        )));
}

#[test]
fn a_building_plan_on_stdin_needs_full_paths_and_says_so() {
    let settings = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string("examples/building/building.toml").unwrap();
    // Relative to what? A plan on stdin has no folder: refused with the key and what to do.
    kmdiag(settings.path())
        .args(["check", "-"])
        .write_stdin(plan.clone())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("entrance[1].sweep")
                .and(predicate::str::contains("standard input"))
                .and(predicate::str::contains("give the plan as a file")),
        );
    // With the paths written in full the same building is checked as from the file.
    let folder = std::fs::canonicalize("examples/building").unwrap();
    let full = |dir: &str| format!("\"{}/", folder.join(dir).display()).replace('\\', "/");
    let absolute = plan
        .replace("\"sweeps/", &full("sweeps"))
        .replace("\"maps/", &full("maps"));
    let from_file = kmdiag(settings.path())
        .args([
            "check",
            "examples/building/building.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let from_stdin = kmdiag(settings.path())
        .args(["check", "-", "--format", "json"])
        .write_stdin(absolute)
        .output()
        .unwrap();
    assert_eq!(from_stdin.status.code(), from_file.status.code());
    // Each entrance's findings and readings, whatever the path its source is named by.
    let judged = |out: &[u8]| {
        let doc: serde_json::Value = serde_json::from_slice(out).unwrap();
        let entrances = doc["entrances"].as_array().unwrap().clone();
        (entrances.iter())
            .map(|e| (e["findings"].clone(), e["cells"].clone()))
            .collect::<Vec<_>>()
    };
    let (stdin, file) = (judged(&from_stdin.stdout), judged(&from_file.stdout));
    assert_eq!(file.len(), 3, "the example building has three entrances");
    assert!(
        file.iter()
            .any(|(f, _)| f.as_array().is_some_and(|f| !f.is_empty())),
        "the example building has faults to compare"
    );
    assert_eq!(stdin, file);
}
