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

/// The runs of two or more Latin words in `text` that are not shared tokens: each one is an
/// English phrase left in a Russian text.
fn latin_runs(text: &str) -> Vec<String> {
    let mut text = text.to_string();
    for s in FROM_INPUT {
        text = text.replace(s, " ");
    }
    let mut runs = Vec::new();
    for line in text.lines() {
        let mut run: Vec<&str> = Vec::new();
        for token in line.split_whitespace() {
            // Flags, file paths, profile and model names with digits or dashes are shared.
            let shared = token.starts_with("--")
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
                && !SHARED.contains(&word.as_str());
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
