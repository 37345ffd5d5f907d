//! The HTML report in a real browser (Debian's headless Chromium, installed by
//! `scripts/setup.sh`): it renders to a phone-sized screenshot and to A4 PDF pages, shows the
//! grid and the findings, and nothing is wider than a 360 px phone screen.
//!
//! Chromium's headless window is never narrower than 500 px, so the page is measured inside a
//! 360 px iframe (`srcdoc`, same origin, so a probe script can read it) and the probe writes
//! what it measured into the DOM that `--dump-dom` prints. A control page that does overflow
//! proves the probe can fail. Without Chromium these tests fail, saying how to install it.

mod report_fixture;

use kmdiag::export::{Format, Style, exporter};
use kmdiag::i18n::Lang;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// The browser, or a failure that says what to do.
fn chromium() -> PathBuf {
    let path =
        std::env::var_os("KMDIAG_CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from);
    assert!(
        path.exists(),
        "headless Chromium not found at {}: run scripts/setup.sh (apt-get install chromium), \
         or set KMDIAG_CHROMIUM to the browser; the HTML report tests need it",
        path.display()
    );
    path
}

/// Runs Chromium headless on a file with extra flags, in a fresh profile, killed after two
/// minutes; returns stdout.
fn run_chromium(page: &Path, flags: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let out = Command::new("timeout")
        .arg("120")
        .arg(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Containers give /dev/shm a few MB; Chromium then crashes without this.
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("cannot start timeout/chromium");
    assert!(
        out.status.success(),
        "chromium failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn attr_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;")
}

/// Measures `html` at `width` CSS pixels inside an iframe; returns the probe's JSON.
fn measure(html: &str, width: u32) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temporary folder");
    let page = dir.path().join("probe.html");
    let probe = format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="report" style="width:{width}px;height:800px;border:0" srcdoc="{}"></iframe>
<script>
window.addEventListener('load', function () {{
  var doc = document.getElementById('report').contentDocument;
  var win = doc.defaultView;
  var w = win.innerWidth;
  var wide = [];
  doc.querySelectorAll('body *').forEach(function (el) {{
    var r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) {{
      wide.push(el.tagName + '.' + el.getAttribute('class') + ' right=' + Math.round(r.right));
    }}
  }});
  var narrow = [];
  doc.querySelectorAll('dl.facts dd').forEach(function (el) {{
    if (el.getBoundingClientRect().width < 120) narrow.push(el.textContent);
  }});
  var grids = [];
  doc.querySelectorAll('svg.matrix').forEach(function (el) {{
    var r = el.getBoundingClientRect();
    grids.push({{width: Math.round(r.width), height: Math.round(r.height)}});
  }});
  var findings = [];
  doc.querySelectorAll('li.finding h4').forEach(function (el) {{ findings.push(el.textContent); }});
  var out = document.createElement('pre');
  out.id = 'kmdiag-probe';
  out.textContent = JSON.stringify({{
    innerWidth: w,
    scrollWidth: doc.documentElement.scrollWidth,
    wide: wide.slice(0, 20),
    narrow: narrow,
    grids: grids,
    cells: doc.querySelectorAll('svg.matrix g.cell').length,
    faultCells: doc.querySelectorAll('svg.matrix g.cell rect[stroke-width="3"]').length,
    findings: findings,
    legend: doc.querySelectorAll('ul.legend li').length,
    firstHeading: (doc.querySelector('h2') || {{}}).textContent,
    summaryLinks: Array.prototype.map.call(doc.querySelectorAll('table.summary a'), function (a) {{
      var target = doc.getElementById(a.getAttribute('href').slice(1));
      return target && target.getBoundingClientRect().top > a.getBoundingClientRect().top
        ? target.querySelector('h2').textContent : null;
    }})
  }});
  document.body.appendChild(out);
}});
</script></body></html>"#,
        attr_escape(html)
    );
    std::fs::write(&page, probe).expect("write the probe page");
    let dom = run_chromium(
        &page,
        &[
            "--window-size=800,900",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ],
    );
    let start = dom
        .find(r#"<pre id="kmdiag-probe">"#)
        .unwrap_or_else(|| panic!("the probe did not run; chromium printed:\n{dom}"));
    let rest = &dom[start + r#"<pre id="kmdiag-probe">"#.len()..];
    let json = &rest[..rest.find("</pre>").expect("closing </pre>")];
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("probe output is not JSON ({e}): {json}"))
}

fn html(lang: Lang, report: &kmdiag::export::Report) -> String {
    exporter(Format::Html, Style::new(false, lang)).render(report)
}

fn assert_fits_a_phone(m: &serde_json::Value, what: &str) {
    assert_eq!(m["innerWidth"], 360, "{what}: the frame is a 360 px phone");
    assert!(
        m["scrollWidth"].as_u64().is_some_and(|w| w <= 360),
        "{what}: the page is wider than the phone: {m}"
    );
    assert_eq!(
        m["wide"].as_array().map(Vec::len),
        Some(0),
        "{what}: elements stick out: {m}"
    );
    assert_eq!(
        m["narrow"].as_array().map(Vec::len),
        Some(0),
        "{what}: header values squeezed: {m}"
    );
}

#[test]
fn building_report_shows_grid_and_findings_and_fits_a_phone() {
    let m = measure(&html(Lang::En, &report_fixture::building()), 360);
    assert_fits_a_phone(&m, "English building report");
    assert_eq!(m["cells"], 200, "two 10×10 grids: {m}");
    let grids = m["grids"].as_array().expect("grids");
    assert_eq!(grids.len(), 2);
    for g in grids {
        let w = g["width"].as_u64().unwrap_or(0);
        assert!(
            (300..=360).contains(&w),
            "the grid fills the phone's width: {g}"
        );
    }
    // Entrance 2: short and high resistance; entrance 3: 7 cut-off crossings, reversed, leak.
    assert_eq!(m["faultCells"], 11, "fault cells are outlined: {m}");
    let findings: Vec<&str> = m["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(findings.len(), 5, "{findings:?}");
    assert!(
        findings[0].contains("apt 117") && findings[0].contains("short"),
        "{findings:?}"
    );
    assert!(findings[2].contains("line E9"), "{findings:?}");
    assert!(m["legend"].as_u64().unwrap_or(0) >= 8, "{m}");
    // The summary comes first, and each of its links leads down to its entrance.
    assert_eq!(m["firstHeading"], "Summary", "{m}");
    assert_eq!(
        m["summaryLinks"],
        serde_json::json!(["Entrance 2", "Entrance 3"]),
        "{m}"
    );
}

/// Pages of a PDF that Chromium printed (each page object is `/Type /Page`).
fn pdf_pages(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// Prints an HTML page to A4 PDF; returns the PDF's bytes.
fn print_pdf(html: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).expect("write the report");
    let pdf = dir.path().join("report.pdf");
    run_chromium(
        &page,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    std::fs::read(&pdf).expect("chromium wrote no PDF")
}

/// A one-entrance report prints on at most three A4 pages: the fixed report, and the report
/// `kmdiag report` writes of a shipped example with two shorts (its appendix, line-to-line
/// checks included, is what used to fill seven).
#[test]
fn a_one_entrance_report_prints_on_at_most_three_pages() {
    let fixture = pdf_pages(&print_pdf(&html(Lang::En, &report_fixture::single())));
    assert!(
        (1..=3).contains(&fixture),
        "fixture report: {fixture} pages"
    );
    let russian = pdf_pages(&print_pdf(&html(Lang::Ru, &report_fixture::single())));
    assert!(
        (1..=3).contains(&russian),
        "Russian report: {russian} pages"
    );
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/eltis-two-shorts.csv");
    let out = Command::new(assert_cmd::cargo::cargo_bin("kmdiag"))
        .arg("report")
        .arg(&example)
        .args(["--format", "html", "-o", "-"])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .expect("run kmdiag report");
    assert!(out.status.code() == Some(1), "{out:?}");
    let html = String::from_utf8(out.stdout).expect("UTF-8");
    let pages = pdf_pages(&print_pdf(&html));
    assert!((1..=3).contains(&pages), "example report: {pages} pages");
}

#[test]
fn russian_report_fits_a_phone() {
    let m = measure(&html(Lang::Ru, &report_fixture::single()), 360);
    assert_fits_a_phone(&m, "Russian single-sweep report");
    let first = m["findings"][0].as_str().unwrap_or_default();
    assert!(first.contains("кв. 117") && first.contains("КЗ"), "{m}");
}

#[test]
fn the_probe_notices_a_page_that_overflows() {
    let wide = "<!DOCTYPE html><html><body><div style=\"width:700px\">wide</div></body></html>";
    let m = measure(wide, 360);
    assert!(m["scrollWidth"].as_u64().is_some_and(|w| w > 360), "{m}");
    assert!(!m["wide"].as_array().is_some_and(Vec::is_empty), "{m}");
}

#[test]
fn renders_a_phone_screenshot_and_a4_pages() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let page = dir.path().join("report.html");
    std::fs::write(&page, html(Lang::En, &report_fixture::building())).expect("write the report");

    let shot = dir.path().join("phone.png");
    run_chromium(
        &page,
        &[
            "--window-size=390,844",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote no screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 390, "screenshot at phone width");
    assert!(
        png.len() > 20_000,
        "a blank page compresses to almost nothing; got {} bytes",
        png.len()
    );
    if let Some(keep) = std::env::var_os("KMDIAG_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).expect("copy the screenshot");
    }

    let pdf = dir.path().join("report.pdf");
    run_chromium(
        &page,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("chromium wrote no PDF");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let a4 = text.matches("/MediaBox [0 0 594.9").count();
    assert_eq!(pdf_pages(&bytes), a4, "one A4 media box per page");
    assert!(
        a4 >= 2,
        "the report prints on A4 pages (595 × 842 pt); found {a4}"
    );
    assert_eq!(text.matches("/MediaBox").count(), a4, "every page is A4");
}
