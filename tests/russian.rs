//! Russian, whole: `diagnose --lang ru` and a Russian report (Markdown and HTML) snapshotted,
//! and checked that no English sentence is left in them — no run of two or more Latin words
//! outside the tokens every language shares (units, OL, flags, file paths, model names,
//! values quoted from the sweep file).

use assert_cmd::Command;

fn kmdiag() -> Command {
    let mut c = Command::cargo_bin("kmdiag").unwrap();
    // A fixed report date, and no language from the machine running the tests.
    c.env("SOURCE_DATE_EPOCH", "1764000000")
        .env_remove("KMDIAG_LANG")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// Text copied from the sweep files as written there (their meter line): not kmdiag's words.
const FROM_INPUT: [&str; 1] = ["simulated ohmmeter, 1 mA test current, 2.8 V compliance"];

/// Words that are the same in a Russian text: units, the meter's "OL", program and file names.
const SHARED: [&str; 7] = ["OL", "kmdiag", "mA", "kΩ", "MΩ", "Ω", "V"];

/// Keys of kmdiag's files (profile TOML) that messages name: syntax, the same in every
/// language.
const FILE_KEYS: [&str; 6] = ["model", "tens", "units", "matrices", "min", "max"];

/// The runs of two or more Latin words in `text` that are not shared tokens: each one is an
/// English phrase left in a Russian text.
fn latin_runs(text: &str) -> Vec<String> {
    let mut text = text.to_string();
    for s in FROM_INPUT {
        text = text.replace(s, " ");
    }
    // A command to type (`kmdiag profiles show eltis`, 'kmdiag config path') is the same in
    // every language.
    for (open, close) in [("`", "`"), ("'kmdiag ", "'"), ("'sudo ", "'")] {
        while let Some(a) = text.find(open) {
            let Some(len) = text[a + open.len()..].find(close) else {
                break;
            };
            text.replace_range(a..a + open.len() + len + close.len(), " ");
        }
    }
    let mut runs = Vec::new();
    for line in text.lines() {
        let mut run: Vec<&str> = Vec::new();
        for token in line.split_whitespace() {
            // Flags, file paths and extensions, profile and model names with digits or dashes
            // are shared.
            let shared = token.starts_with("--")
                || token.starts_with('.')
                || token.contains('/')
                || token.contains(".csv")
                || token.contains('_')
                || token.chars().any(|c| c.is_ascii_digit());
            let word: String = token
                .chars()
                .filter(|c| c.is_alphabetic() || *c == '\'')
                .collect();
            let latin = !shared
                && word.chars().count() >= 2
                && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
                && !SHARED.contains(&word.as_str())
                && !FILE_KEYS.contains(&word.as_str());
            if latin {
                run.push(token);
            } else if word.chars().any(|c| c.is_alphabetic()) || shared {
                if run.len() >= 2 {
                    runs.push(run.join(" "));
                }
                run.clear();
            }
        }
        if run.len() >= 2 {
            runs.push(run.join(" "));
        }
    }
    runs
}

/// The text a reader sees in an HTML page: no tags, no style sheet.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let body = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    };
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn stdout(args: &[&str]) -> String {
    let out = kmdiag().args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_checker_finds_an_english_phrase_and_passes_shared_tokens() {
    assert!(latin_runs("кв. 90: 12 Ω; OL на D1/E8, --offset 72, KM100-7.1").is_empty());
    assert_eq!(
        latin_runs("кв. 90: reads 12 Ω forward"),
        Vec::<String>::new()
    );
    assert_eq!(
        latin_runs("кв. 90: disconnect apartment 90"),
        vec!["disconnect apartment"]
    );
    assert!(latin_runs("прибор kmdiag: обрыв (OL), 705 Ω").is_empty());
}

#[test]
fn diagnose_in_russian_has_no_english_sentence() {
    for example in ["eltis-two-shorts", "vizit-bus-short", "metakom-short"] {
        let path = format!("examples/{example}.csv");
        let text = stdout(&["diagnose", &path, "--lang", "ru"]);
        assert!(
            latin_runs(&text).is_empty(),
            "{example}: {:?}",
            latin_runs(&text)
        );
        insta::assert_snapshot!(format!("diagnose_ru_{example}"), text);
    }
}

#[test]
fn kmdiag_lang_and_the_flag_choose_russian_and_the_flag_wins() {
    let by_env = kmdiag()
        .env("KMDIAG_LANG", "ru")
        .args(["diagnose", "examples/vizit-bus-short.csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&by_env.stdout).contains("Неисправность"));
    let flag = kmdiag()
        .env("KMDIAG_LANG", "ru")
        .args(["diagnose", "examples/vizit-bus-short.csv", "--lang", "en"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&flag.stdout).contains("Fault"));
    let locale = kmdiag()
        .env("LANG", "ru_RU.UTF-8")
        .args(["diagnose", "examples/vizit-bus-short.csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&locale.stdout).contains("Неисправность"));
}

#[test]
fn an_unknown_kmdiag_lang_is_bad_input() {
    kmdiag()
        .env("KMDIAG_LANG", "fr")
        .args(["diagnose", "examples/vizit-bus-short.csv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("KMDIAG_LANG is 'fr'"));
}

#[test]
fn json_stays_english_under_russian() {
    let json = stdout(&[
        "diagnose",
        "examples/vizit-bus-short.csv",
        "--lang",
        "ru",
        "--format",
        "json",
    ]);
    assert!(json.contains("\"evidence\": \"D3–D4 reads"), "{json}");
    assert!(!json.contains("Д3"), "{json}");
}

#[test]
fn a_russian_report_has_no_english_sentence() {
    for (format, name) in [("md", "markdown"), ("html", "html")] {
        let text = stdout(&[
            "report",
            "examples/eltis-two-shorts.csv",
            "--format",
            format,
            "-o",
            "-",
            "--lang",
            "ru",
        ]);
        let seen = match format {
            "html" => html_text(&text),
            _ => text.clone(),
        };
        assert!(
            latin_runs(&seen).is_empty(),
            "{format}: {:?}",
            latin_runs(&seen)
        );
        insta::assert_snapshot!(format!("report_ru_{name}"), text);
    }
}

/// Stderr of a run, its exit code.
fn stderr_of(args: &[&str]) -> (String, Option<i32>) {
    let out = kmdiag().args(args).output().unwrap();
    (String::from_utf8(out.stderr).unwrap(), out.status.code())
}

#[test]
fn a_bad_sweep_file_is_refused_in_russian_naming_the_file_line_and_column() {
    let file = "tests/fixtures/bad-sweeps/unknown-terminal.csv";
    let (ru, code) = stderr_of(&["diagnose", file, "--profile", "vizit", "--lang", "ru"]);
    assert_eq!(code, Some(2), "{ru}");
    assert_eq!(
        ru.trim_end(),
        format!(
            "kmdiag: ошибка: {file}: строка 3, столбец 'minus': неизвестная клемма 'X9'; ожидалась D0-D9 или E0-E9"
        )
    );
    assert!(latin_runs(&ru).is_empty(), "{:?}", latin_runs(&ru));
    // English is unchanged.
    let (en, _) = stderr_of(&["diagnose", file, "--profile", "vizit"]);
    assert!(
        en.contains("line 3, column 'minus': unknown terminal 'X9'; expected D0-D9 or E0-E9"),
        "{en}"
    );
}

#[test]
fn a_missing_file_and_a_folder_are_refused_in_russian() {
    let (ru, code) = stderr_of(&["diagnose", "no/such.csv", "--lang", "ru"]);
    assert_eq!(code, Some(2), "{ru}");
    assert!(
        ru.contains("не удалось прочитать файл обхода no/such.csv"),
        "{ru}"
    );
    assert!(latin_runs(&ru).is_empty(), "{:?}", latin_runs(&ru));
    let (ru, code) = stderr_of(&["diagnose", "examples", "--profile", "vizit", "--lang", "ru"]);
    assert_eq!(code, Some(2), "{ru}");
    assert!(ru.contains("это папка, а не обычный файл"), "{ru}");
    assert!(latin_runs(&ru).is_empty(), "{:?}", latin_runs(&ru));
}

/// Every message of the Russian catalogue, rendered with placeholder values, is free of
/// English phrases: what the guided sweep, the errors and the reports say comes from here.
#[test]
fn no_russian_message_holds_an_english_phrase() {
    use kmdiag::i18n::{Arg, Lang, Message, catalogue};
    let source = catalogue::source(Lang::Ru);
    let mut checked = 0;
    let mut english = Vec::new();
    for line in source.lines() {
        let Some((key, _)) = line.split_once(" =") else {
            continue;
        };
        if key.is_empty() || key.starts_with([' ', '#']) {
            continue;
        }
        // The message's own text (its first line and any continuation lines) names its values.
        let body: String = source[source.find(line).unwrap()..]
            .lines()
            .enumerate()
            .take_while(|(i, l)| *i == 0 || l.starts_with([' ', '}']))
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let mut m = Message::new(Box::leak(key.to_string().into_boxed_str()));
        for var in body.split('$').skip(1) {
            let name: String = var
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !m.args.iter().any(|(n, _)| *n == name) {
                m = m.arg(Box::leak(name.into_boxed_str()), Arg::Count(3));
            }
        }
        let text = m.render(Lang::Ru);
        if !latin_runs(&text).is_empty() {
            english.push(format!("{key}: {:?} in {text}", latin_runs(&text)));
        }
        checked += 1;
    }
    assert!(english.is_empty(), "{}", english.join("\n"));
    assert!(checked > 300, "only {checked} messages found");
}

/// A guided sweep against the simulated meter behind a TCP port: its prompts and its stop
/// message are Russian, and `q` keeps the file (exit 5).
#[test]
fn a_guided_sweep_speaks_russian() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let bin = env!("CARGO_BIN_EXE_kmdiag");
    let mut sim = std::process::Command::new(bin)
        .args(["simulate", "--profile", "vizit", "--apartments", "1-10"])
        .args([
            "--serve",
            "ut61e",
            "--speed",
            "10",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut sim_err = BufReader::new(sim.stderr.take().unwrap());
    let port = loop {
        let mut line = String::new();
        assert!(sim_err.read_line(&mut line).unwrap() > 0, "simulator ended");
        if let Some(rest) = line.split("use it with --port ").nth(1) {
            break rest.trim().to_string();
        }
    };
    // Keep reading the simulator's stderr so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in sim_err.lines() {});
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ru.csv");
    let mut sweep = std::process::Command::new(bin)
        .env_remove("KMDIAG_LANG")
        .env("LANG", "C")
        .args(["sweep", "--lang", "ru", "--meter", "ut61e", "--port", &port])
        .args(["--profile", "vizit", "--apartments", "1-10", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(sweep.stderr.take().unwrap());
    let mut said = String::new();
    let started = Instant::now();
    while !said.contains("проверка напряжения") {
        assert!(started.elapsed() < Duration::from_secs(30), "{said}");
        let mut line = String::new();
        if err.read_line(&mut line).unwrap() == 0 {
            break;
        }
        said.push_str(&line);
    }
    let mut stdin = sweep.stdin.take().unwrap();
    writeln!(stdin, "q").unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    said.push_str(&rest);
    let code = sweep.wait().unwrap().code();
    let _ = sim.stdin.take().map(|mut s| writeln!(s, "quit"));
    let _ = sim.wait();
    assert_eq!(code, Some(5), "{said}");
    assert!(said.contains("обход с подсказками"), "{said}");
    assert!(said.contains("щупы на Д0 и Е0"), "{said}");
    assert!(said.contains("обход остановлен монтёром"), "{said}");
    assert!(said.contains("оставшиеся 40 показаний"), "{said}");
    let said = said.replace(&port, " ").replace("UNI-T UT61E", " ");
    assert!(latin_runs(&said).is_empty(), "{:?}", latin_runs(&said));
}
