//! Snapshot tests of every exporter on a fixed report (tests/report_fixture), in English and
//! Russian, plus the properties a snapshot cannot show at a glance: the HTML needs no network,
//! user text is escaped, CSV has one row per crossing, JSON keys stay English.

mod report_fixture;

use kmdiag::export::{Format, Report, Style, Unchecked, exporter};
use kmdiag::i18n::Lang;

fn render(format: Format, lang: Lang, report: &Report) -> String {
    exporter(format, Style::new(false, lang)).render(report)
}

#[test]
fn table_english() {
    insta::assert_snapshot!(render(Format::Table, Lang::En, &report_fixture::single()));
}

#[test]
fn table_russian() {
    insta::assert_snapshot!(render(Format::Table, Lang::Ru, &report_fixture::single()));
}

#[test]
fn table_building_english() {
    insta::assert_snapshot!(render(Format::Table, Lang::En, &report_fixture::building()));
}

#[test]
fn markdown_english() {
    insta::assert_snapshot!(render(
        Format::Markdown,
        Lang::En,
        &report_fixture::building()
    ));
}

#[test]
fn markdown_russian() {
    insta::assert_snapshot!(render(
        Format::Markdown,
        Lang::Ru,
        &report_fixture::building()
    ));
}

#[test]
fn markdown_single_sweep() {
    insta::assert_snapshot!(render(
        Format::Markdown,
        Lang::En,
        &report_fixture::single()
    ));
}

#[test]
fn html_english() {
    insta::assert_snapshot!(render(Format::Html, Lang::En, &report_fixture::building()));
}

#[test]
fn html_russian() {
    insta::assert_snapshot!(render(Format::Html, Lang::Ru, &report_fixture::single()));
}

#[test]
fn csv_english() {
    insta::assert_snapshot!(render(Format::Csv, Lang::En, &report_fixture::building()));
}

#[test]
fn csv_russian() {
    insta::assert_snapshot!(render(Format::Csv, Lang::Ru, &report_fixture::single()));
}

#[test]
fn json_single_sweep() {
    insta::assert_snapshot!(render(Format::Json, Lang::En, &report_fixture::single()));
}

#[test]
fn json_building() {
    insta::assert_snapshot!(render(Format::Json, Lang::En, &report_fixture::building()));
}

#[test]
fn json_is_the_same_in_russian() {
    let r = report_fixture::building();
    assert_eq!(
        render(Format::Json, Lang::Ru, &r),
        render(Format::Json, Lang::En, &r)
    );
}

#[test]
fn json_entrance_document_keeps_its_keys() {
    let text = render(Format::Json, Lang::En, &report_fixture::single());
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    for key in [
        "entrance",
        "source",
        "profile",
        "switch",
        "matrix",
        "offset",
        "typical_forward_ohms",
        "healthy",
        "summary",
        "findings",
        "cells",
        "notes",
        "date",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["findings"][0]["fault"], "short");
    assert_eq!(v["findings"][0]["apartment"], 117);
    assert_eq!(v["findings"][0]["tens"], "D4");
}

#[test]
fn html_is_self_contained() {
    for r in [report_fixture::single(), report_fixture::building()] {
        let html = render(Format::Html, Lang::En, &r);
        for banned in [
            "http:", "https:", "//", "<script", "<link", "@import", "url(", "src=",
        ] {
            // "//" would be a protocol-relative address; the CSS has no comments.
            assert!(
                !html.contains(banned),
                "the page must not contain {banned:?}"
            );
        }
        assert!(html.contains("<svg"), "the grid is inline SVG");
        assert!(html.contains("@page"), "the page prints to A4");
        assert!(
            html.contains("name=\"viewport\""),
            "the page is made for phones"
        );
    }
}

#[test]
fn html_escapes_the_reports_text() {
    let html = render(Format::Html, Lang::En, &report_fixture::building());
    assert!(html.contains("&lt;Vizit BVD-M201&gt;"));
    assert!(!html.contains("<Vizit"));
}

#[test]
fn markdown_keeps_tables_intact_when_text_has_pipes() {
    let md = render(Format::Markdown, Lang::En, &report_fixture::single());
    assert!(md.contains("4.80 kΩ \\| 4.75 kΩ"), "{md}");
}

#[test]
fn csv_has_one_row_per_crossing() {
    let r = report_fixture::building();
    let text = render(Format::Csv, Lang::En, &r);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let all: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("valid CSV")).collect();
    let (checks, rows): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| &r[5] == "line_check");
    assert_eq!(rows.len(), 200, "two 10×10 matrices");
    assert_eq!(checks.len(), 4, "D0–D1 and E0–E1 of each entrance");
    assert_eq!(
        checks[0].iter().collect::<Vec<_>>(),
        ["2", "1", "D0", "D1", "", "line_check", "OL", "", "", ""]
    );
    let short = rows
        .iter()
        .find(|r| &r[4] == "117")
        .expect("apartment 117 is in the CSV");
    assert_eq!(
        short.iter().collect::<Vec<_>>(),
        [
            "2", "1", "D4", "E5", "117", "short", "12", "11", "short", "0.93"
        ]
    );
    let cut = rows
        .iter()
        .find(|r| &r[0] == "3" && &r[2] == "D0" && &r[3] == "E9")
        .expect("E9 crossing of entrance 3");
    assert_eq!(&cut[5], "open");
    assert_eq!(
        &cut[8], "open",
        "a line fault is named on the crossings it cuts off"
    );
    assert_eq!(&cut[6], "OL");
}

#[test]
fn russian_labels_use_cyrillic_letters_and_words() {
    let r = report_fixture::building();
    for format in [Format::Table, Format::Markdown, Format::Html] {
        let text = render(format, Lang::Ru, &r).to_lowercase();
        for word in [
            "д4/е5",
            "кз",
            "плохой контакт",
            "переполюсовка",
            "утечка",
            "обрыв",
            "подъезд",
            "квартира",
        ] {
            assert!(text.contains(word), "{format:?} in Russian lacks {word:?}");
        }
    }
}

/// The building fixture with a third entrance that could not be checked.
fn building_with_a_failure() -> Report {
    let mut r = report_fixture::building();
    r.not_checked.push(Unchecked {
        entrance: "4".into(),
        apartments: Some("217-288".into()),
        error: "cannot read sweep file sweeps/entrance-4.csv: No such file or directory".into(),
        after: 1,
    });
    r
}

/// The summary section of a Markdown report: from its heading to the next `## `.
fn summary_of(markdown: &str, heading: &str) -> String {
    let start = markdown.find(heading).expect("the report has a summary");
    let rest = &markdown[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].trim_end().to_string()
}

#[test]
fn building_summary_english() {
    let md = render(Format::Markdown, Lang::En, &building_with_a_failure());
    insta::assert_snapshot!(summary_of(&md, "## Summary"));
}

#[test]
fn building_summary_russian() {
    let md = render(Format::Markdown, Lang::Ru, &building_with_a_failure());
    insta::assert_snapshot!(summary_of(&md, "## Сводка"));
}

#[test]
fn a_building_report_opens_with_its_summary_then_faults_then_healthy() {
    let mut r = building_with_a_failure();
    // Entrance 2 repaired: no findings, so it goes after entrance 3.
    r.entrances[0].diagnosis.findings.clear();
    for format in [Format::Markdown, Format::Html, Format::Table] {
        let text = render(format, Lang::En, &r);
        let at = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("{format:?} lacks {s:?}"))
        };
        assert!(at("Summary") < at("Entrance 3"), "{format:?}");
        assert!(
            at("Entrance 3") < at("Entrance 2"),
            "{format:?}: faults first"
        );
        assert!(text.contains("not checked: cannot read"), "{format:?}");
    }
    let html = render(Format::Html, Lang::En, &r);
    assert!(
        html.contains(r##"<a href="#entrance-1">2</a>"##),
        "summary links to the entrances"
    );
    assert!(html.contains(r#"id="entrance-1""#));
}

#[test]
fn the_appendix_lists_crossings_with_a_flat_or_a_reading_and_sums_up_the_rest() {
    let md = render(Format::Markdown, Lang::En, &report_fixture::single());
    let appendix = &md[md.find("## Appendix").expect("appendix")..];
    // 72 flats less the one not measured; no row for the 28 crossings without a flat.
    let rows = appendix.lines().filter(|l| l.starts_with("| D")).count();
    assert_eq!(rows, 71, "{appendix}");
    assert!(
        appendix.contains("| **D0** | OL |"),
        "the D–D triangle: {appendix}"
    );
    assert!(
        appendix.contains("Not measured: D6/E8 (apt 140)"),
        "{appendix}"
    );
    assert!(
        appendix.contains("No apartment, open both ways: 28"),
        "{appendix}"
    );
}

#[test]
fn an_excel_csv_has_a_bom_semicolons_and_decimal_commas() {
    let style = Style {
        csv: kmdiag::export::CsvDialect::Excel,
        ..Style::new(false, Lang::En)
    };
    let text = exporter(Format::Csv, style).render(&report_fixture::single());
    assert!(text.starts_with("\u{feff}entrance;matrix;tens;"), "{text}");
    assert!(text.contains(";D0;E1;73;ok;706,5;OL;;\n"), "{text}");
    assert!(text.contains(";117;short;12;11;short;0,93\n"), "{text}");
}
