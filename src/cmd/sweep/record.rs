//! The sweep's output file. Everything about it is checked before anything is written: a new
//! file must not exist (unless `--force`) and its folder must; a file to `--resume` must be a
//! sweep of this switch, or it is refused untouched. Readings then only ever go to the end of
//! the file, one complete row per write. The guided sweep holds its last recorded row back
//! until the next one (or the end), so a redo replaces it instead of leaving two rows for one
//! point.
//!
//! The only change to an existing file other than appending: a row cut short at the very end
//! (the laptop died mid-write) is cut off, after the rest of the file has been validated.

use crate::acquire::capture::Point;
use crate::model::Measurement;
use crate::msg;
use crate::profile::{Layout, LineLabels};
use crate::sweep::{HEADER, SweepHeader, format_row};
use anyhow::{Context, Result, anyhow, bail};
use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What is in the output file before the run, once validated.
#[derive(Debug)]
pub struct Existing {
    /// Points the file already holds.
    pub done: HashSet<Point>,
    /// How the file is opened for the first reading.
    pub open: Open,
    /// A row cut short at the end: the length to keep and the bytes dropped.
    pub cut: Option<(u64, Vec<u8>)>,
}

/// How the output file is opened when the first reading arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// A new file (or, with `--force`, one replaced): header, then rows.
    Create {
        /// Replace an existing file.
        replace: bool,
    },
    /// An existing sweep: rows appended.
    Append,
}

/// The longest cut-off row kept as "a row cut short": a row is two labels and a number
/// (`D10,E10,123456.789` is 18 bytes); anything longer without a line end is not ours.
const MAX_CUT_ROW_BYTES: usize = 64;

/// True when `tail` (the bytes after the last line end) can be the start of a sweep row —
/// whole terminal labels, then the start of a label, a number or `OL` — or the zero bytes a
/// power cut can leave at the end of a file.
fn is_cut_row(tail: &[u8], labels: &LineLabels) -> bool {
    if tail.iter().all(|&b| b == 0) {
        return true;
    }
    let Ok(text) = std::str::from_utf8(tail) else {
        return false;
    };
    let fields: Vec<&str> = text.split(',').collect();
    if tail.len() > MAX_CUT_ROW_BYTES || fields.len() > 3 {
        return false;
    }
    let (cut, whole) = fields.split_last().unwrap_or((&"", &[]));
    let number_start = |f: &str| {
        f.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
            || "OL".starts_with(&f.to_ascii_uppercase())
    };
    let label_start = |f: &str| f.len() <= 8 && f.chars().all(char::is_alphanumeric);
    whole.iter().all(|f| labels.parse(f).is_some())
        && if whole.len() == 2 {
            number_start(cut)
        } else {
            label_start(cut)
        }
}

/// Checks the output file for a new sweep (`resume` false) or a resumed one, without
/// changing anything. Errors say what is wrong with the file and that it was left as it was.
pub fn inspect(path: &Path, layout: &Layout, resume: bool, force: bool) -> Result<Existing> {
    // A folder, device, pipe or link is never the sweep file, whatever --force says.
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.is_file()
    {
        crate::output::check_writable(path, true)?;
    }
    let exists = std::fs::symlink_metadata(path).is_ok();
    let new = |replace| Existing {
        done: HashSet::new(),
        open: Open::Create { replace },
        cut: None,
    };
    if !resume {
        if exists && !force {
            bail!(msg!("sweep-output-exists", path = path));
        }
        check_folder(path)?;
        return Ok(new(exists));
    }
    if !exists {
        check_folder(path)?;
        return Ok(new(false));
    }
    let bytes = crate::input::read_input(path, crate::input::SWEEP_LIMIT, "sweep file")?;
    let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let tail = &bytes[keep..];
    let text = std::str::from_utf8(&bytes[..keep])
        .map_err(|e| anyhow!(msg!("resume-not-utf8", path = path, byte = e.valid_up_to())))?;
    if text.trim().is_empty() {
        // No header yet: an empty file, or one cut while its header was written.
        let header_start = std::str::from_utf8(tail)
            .is_ok_and(|t| HEADER.starts_with(t.trim_start()))
            || tail.iter().all(|&b| b == 0);
        if !header_start {
            bail!(msg!("resume-no-header", path = path, header = HEADER));
        }
        return Ok(new(true));
    }
    if !tail.is_empty() && !is_cut_row(tail, &layout.labels) {
        bail!(msg!(
            "resume-bad-last-line",
            path = path,
            line = format!("{:?}", String::from_utf8_lossy(tail))
        ));
    }
    let done = match crate::sweep::parse_sweep(text, path, &layout.labels) {
        Ok((sweep, _)) => sweep
            .measurements()
            .into_iter()
            .map(|m| (m.plus, m.minus))
            .collect(),
        Err(crate::sweep::SweepError::Empty { .. }) => HashSet::new(),
        Err(e) => {
            return Err(anyhow!(e).context(msg!("resume-does-not-match", path = path)));
        }
    };
    Ok(Existing {
        done,
        open: Open::Append,
        cut: (!tail.is_empty()).then(|| (keep as u64, tail.to_vec())),
    })
}

/// The folder a new output file goes into must exist.
fn check_folder(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!(msg!("file-no-folder", path = path, folder = dir));
    }
    Ok(())
}

/// Cuts a validated file back to `keep` bytes, dropping a row cut short at its end.
pub fn cut_short_row(path: &Path, keep: u64) -> Result<()> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| msg!("resume-cannot-open-to-cut", path = path))?;
    f.set_len(keep)
        .and_then(|_| f.sync_data())
        .with_context(|| msg!("resume-cannot-cut", path = path))
}

/// Creates the output file and writes its `#` header (none when `header` is empty) and its
/// column header, in one write: the one place a sweep file is begun.
pub fn create_output(path: &Path, replace: bool, header: &SweepHeader) -> Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if replace {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    let mut f = opts
        .open(path)
        .with_context(|| msg!("file-cannot-create", path = path))?;
    let mut start = match header == &SweepHeader::default() {
        true => String::new(),
        false => header.to_text(),
    };
    start.push_str(HEADER);
    start.push('\n');
    f.write_all(start.as_bytes())
        .with_context(|| msg!("file-cannot-write", path = path))?;
    Ok(f)
}

/// Where readings go: the output file, opened on the first row written (so a port that fails
/// to open leaves no empty file behind).
pub struct Recorder {
    path: PathBuf,
    labels: LineLabels,
    file: Option<File>,
    open: Open,
    /// Force each row to the disk before going on (the guided sweep: one row every few
    /// seconds, so the cost is nothing and a dead battery loses no reading).
    sync: bool,
    /// A recorded row not written yet (guided sweep: a redo can take it back).
    held: Option<Measurement>,
    /// Points in the file, plus the held one.
    have: HashSet<Point>,
    /// Rows written in this run.
    pub written: usize,
    /// The `#` header a new file starts with (an appended file keeps the one it has).
    header: SweepHeader,
}

impl Recorder {
    /// The `#` header to begin a new file with (`sweep::SweepHeader`); never written when
    /// appending to a file being resumed.
    pub fn with_header(mut self, header: SweepHeader) -> Recorder {
        self.header = header;
        self
    }

    /// A recorder for the output file as `inspect` found it.
    pub fn new(path: &Path, labels: LineLabels, existing: &Existing, sync: bool) -> Recorder {
        Recorder {
            path: path.to_path_buf(),
            labels,
            file: None,
            open: existing.open,
            sync,
            held: None,
            have: existing.done.clone(),
            written: 0,
            header: SweepHeader::default(),
        }
    }

    /// Writes one row at once (the adapter sweep).
    pub fn push(&mut self, m: &Measurement) -> Result<()> {
        self.write(m)?;
        self.have.insert((m.plus, m.minus));
        Ok(())
    }

    /// Writes the row held before and holds `m` (the guided sweep).
    pub fn hold(&mut self, m: Measurement) -> Result<()> {
        self.finish()?;
        self.have.insert((m.plus, m.minus));
        self.held = Some(m);
        Ok(())
    }

    /// Drops the held row (a redo measures it again).
    pub fn retract(&mut self) -> Option<Measurement> {
        let m = self.held.take()?;
        self.have.remove(&(m.plus, m.minus));
        Some(m)
    }

    /// Writes the held row, if any.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(m) = self.held.take()
            && let Err(e) = self.write(&m)
        {
            self.held = Some(m);
            return Err(e);
        }
        Ok(())
    }

    /// How many of `plan`'s points the file holds (counting the held row, which is written
    /// before the run ends).
    pub fn count_in(&self, plan: &[Point]) -> usize {
        count_done(plan, &self.have)
    }

    fn write(&mut self, m: &Measurement) -> Result<()> {
        let file = match &mut self.file {
            Some(f) => f,
            None => {
                let f = match self.open {
                    Open::Create { replace } => create_output(&self.path, replace, &self.header)?,
                    Open::Append => std::fs::OpenOptions::new()
                        .append(true)
                        .open(&self.path)
                        .with_context(|| msg!("file-cannot-append", path = &self.path))?,
                };
                self.file.insert(f)
            }
        };
        // One write per row: a row is in the file whole or not at all.
        let row = format!("{}\n", format_row(&self.labels, m));
        file.write_all(row.as_bytes())
            .and_then(|_| if self.sync { file.sync_data() } else { Ok(()) })
            .with_context(|| msg!("file-cannot-write", path = &self.path))?;
        self.written += 1;
        Ok(())
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        // Best effort on an unexpected exit (a panic): the held row is a real reading.
        let _ = self.finish();
    }
}

/// How many of `plan`'s points are in `have`: the one count both the stop message and
/// `--resume` give.
pub fn count_done(plan: &[Point], have: &HashSet<Point>) -> usize {
    plan.iter().filter(|p| have.contains(p)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Reading, Terminal};
    use crate::profile::{LayoutSpec, resolve};

    fn layout() -> Layout {
        let p = resolve("eltis").unwrap();
        let s = p.switch(None).unwrap().clone();
        Layout::build(&p, &s, &LayoutSpec::default()).unwrap()
    }

    fn m(d: u16, e: u16, ohms: f64) -> Measurement {
        Measurement {
            plus: Terminal::tens(d),
            minus: Terminal::units(e),
            reading: Reading::Ohms(ohms),
        }
    }

    #[test]
    fn a_text_file_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "shopping list\nmilk, bread\nno newline at the end",
            "hello",
            "plus,minus,ohms\nD0,E1,702.5\nthis line is far too long to be a row that was cut short",
            "plus,minus,ohms\nD0,E1,702.5\nnot a row",
            "plus,minus,ohms\nD0,E1,702.5\nD1,E1,7 Ohm",
        ] {
            let path = dir.path().join("notes.txt");
            std::fs::write(&path, text).unwrap();
            let e = inspect(&path, &layout(), true, false).unwrap_err();
            assert!(format!("{e:#}").contains("left as it was"), "{e:#}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
    }

    #[test]
    fn a_row_cut_short_is_dropped_only_after_the_rest_validates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.csv");
        std::fs::write(&path, "plus,minus,ohms\nD0,E1,702.5\nD1,E1,7").unwrap();
        let ex = inspect(&path, &layout(), true, false).unwrap();
        assert_eq!(ex.done.len(), 1);
        assert_eq!(ex.open, Open::Append);
        let (keep, tail) = ex.cut.clone().unwrap();
        assert_eq!(tail, b"D1,E1,7");
        // Nothing changed by inspecting.
        assert!(std::fs::read_to_string(&path).unwrap().ends_with(",7"));
        cut_short_row(&path, keep).unwrap();
        let mut rec = Recorder::new(&path, layout().labels.clone(), &ex, false);
        rec.push(&m(1, 1, 715.0)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "plus,minus,ohms\nD0,E1,702.5\nD1,E1,715\n"
        );
    }

    #[test]
    fn an_empty_file_or_a_cut_header_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.csv");
        for text in ["", "\n", "plus,mi"] {
            std::fs::write(&path, text).unwrap();
            let ex = inspect(&path, &layout(), true, false).unwrap();
            assert_eq!(ex.open, Open::Create { replace: true }, "{text:?}");
        }
    }

    #[test]
    fn a_held_row_is_written_at_the_next_or_the_end_and_a_retracted_one_never() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.csv");
        let ex = inspect(&path, &layout(), false, false).unwrap();
        let plan = vec![
            (Terminal::tens(0), Terminal::units(1)),
            (Terminal::tens(1), Terminal::units(1)),
        ];
        let mut rec = Recorder::new(&path, layout().labels.clone(), &ex, true);
        rec.hold(m(0, 1, 700.0)).unwrap();
        assert!(!path.exists(), "nothing written while the row is held");
        assert_eq!(rec.count_in(&plan), 1);
        assert!(rec.retract().is_some());
        assert_eq!(rec.count_in(&plan), 0);
        rec.hold(m(0, 1, 703.0)).unwrap();
        rec.hold(m(1, 1, 760.0)).unwrap();
        rec.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "plus,minus,ohms\nD0,E1,703\nD1,E1,760\n"
        );
        assert_eq!(rec.count_in(&plan), 2);
    }
}
