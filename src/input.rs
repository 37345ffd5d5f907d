//! Reading input files safely: every file kmdiag reads (sweep, map, profile, plan, JSON to
//! compare) comes through here. Only a regular file or `-` (stdin) is read — never a device,
//! a FIFO or a folder, which could block or never end — and never more than a stated limit,
//! so no input can make kmdiag grow without bound. Also the one place that shortens values
//! quoted in messages (`clip`), so an error never echoes megabytes of a bad file.
//!
//! Only this module opens input files; parsers take the bytes it returns.

use crate::i18n::Message;
use crate::msg;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One mebibyte, for stating limits.
pub const MIB: u64 = 1024 * 1024;

/// Largest sweep file: a full sweep of the largest switch a profile may describe (100 × 100
/// crossings, both directions, plus every D–D and E–E pair: about 40,000 rows of up to 60
/// bytes with a time stamp and a note) is about 2.4 MB; 16 MiB leaves room for comments and
/// redone rows while keeping a runaway file from costing more than a few hundred MB to parse.
pub const SWEEP_LIMIT: u64 = 16 * MIB;
/// Largest map file: 10,000 apartments (a 100 × 100 matrix) of about 20 bytes is 200 kB.
pub const MAP_LIMIT: u64 = 4 * MIB;
/// Largest profile: the built-in ones are about 2 kB; a hundred switch models fit in 64 kB.
pub const PROFILE_LIMIT: u64 = MIB;
/// Largest building plan: a district of 20,000 entrances at about 200 bytes each is 4 MB.
pub const PLAN_LIMIT: u64 = 32 * MIB;
/// Largest single JSON document read whole (a `diagnose` or single-entrance check): one
/// entrance of a 100 × 100 switch is about 1.5 MB. Building documents are streamed instead,
/// one entrance at a time, each under this limit.
pub const DOCUMENT_LIMIT: u64 = 64 * MIB;

/// Why an input could not be read. Display is `message` in the run's language.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum InputError {
    /// The OS refused (missing file, no permission, …).
    Open {
        /// What the file was meant to be ("sweep file").
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error (part of this message, once).
        cause: std::io::Error,
    },
    /// It exists but is a folder, a device, a FIFO or a socket.
    NotAFile {
        /// What the file was meant to be.
        what: &'static str,
        /// The path.
        path: PathBuf,
        /// What it is: the catalogue key of "a folder", "a character device", …
        kind: &'static str,
    },
    /// Larger than the limit for its kind.
    TooLarge {
        /// What the file was meant to be.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The limit, in MiB.
        limit_mib: u64,
    },
}

impl InputError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            InputError::Open { what, path, cause } => msg!(
                "error-input-open",
                what = file_kind(what),
                path = path,
                cause = crate::i18n::os_error(cause)
            ),
            InputError::NotAFile { what, path, kind } => msg!(
                "error-input-not-a-file",
                what = file_kind(what),
                path = path,
                kind = Message::new(kind)
            ),
            InputError::TooLarge {
                what,
                path,
                limit_mib,
            } => msg!(
                "error-input-too-large",
                what = file_kind(what),
                path = path,
                limit = *limit_mib
            ),
        }
    }
}

/// What an input was meant to be ("sweep file", as the callers name it) in the run's words.
pub fn file_kind(what: &str) -> Message {
    match what {
        "sweep file" => msg!("file-sweep"),
        "map file" => msg!("file-map"),
        "profile" => msg!("file-profile"),
        "building plan" => msg!("file-plan"),
        "check to compare" => msg!("file-check"),
        other => msg!("file-other", what = other),
    }
}

/// True for the path `-`, which means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// What a non-regular file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "file-is-folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "file-is-char-device";
        }
        if t.is_block_device() {
            return "file-is-block-device";
        }
        if t.is_fifo() {
            return "file-is-fifo";
        }
        if t.is_socket() {
            return "file-is-socket";
        }
    }
    "file-is-other"
}

/// Opens `path` for reading without blocking on a FIFO or a device, and checks it is a
/// regular file.
pub fn open_regular(path: &Path, what: &'static str) -> Result<std::fs::File, InputError> {
    let open_err = |cause| InputError::Open {
        what,
        path: path.to_path_buf(),
        cause,
    };
    // Look before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(open_err)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            what,
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // If the path was swapped for a FIFO after the look, do not block on it.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(open_err)?;
    let meta = file.metadata().map_err(open_err)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            what,
            path: path.to_path_buf(),
            kind: kind_of(&meta),
        });
    }
    Ok(file)
}

/// Opens `path` (or stdin for `-`) as a stream, checked as `open_regular` does.
pub fn open_input(path: &Path, what: &'static str) -> Result<Box<dyn Read + Send>, InputError> {
    if is_stdin(path) {
        return Ok(Box::new(std::io::stdin()));
    }
    Ok(Box::new(open_regular(path, what)?))
}

/// Reads a whole input: a regular file or `-` (stdin), at most `limit` bytes. `what` names
/// it in messages ("sweep file").
pub fn read_input(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, InputError> {
    let too_large = || InputError::TooLarge {
        what,
        path: path.to_path_buf(),
        limit_mib: limit.div_ceil(MIB),
    };
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if is_stdin(path) {
        Box::new(std::io::stdin().lock())
    } else {
        let file = open_regular(path, what)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > limit {
            return Err(too_large());
        }
        bytes.reserve(size as usize);
        Box::new(file)
    };
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|cause| InputError::Open {
            what,
            path: path.to_path_buf(),
            cause,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a whole input as UTF-8 text (a leading BOM is kept for the parser to skip); bad
/// UTF-8 is an error naming the line and byte.
pub fn read_text(path: &Path, limit: u64, what: &'static str) -> anyhow::Result<String> {
    let bytes = read_input(path, limit, what)?;
    utf8(bytes, path, what)
}

/// Bytes as UTF-8 text, or an error naming the line and byte of the first bad byte.
pub fn utf8(bytes: Vec<u8>, path: &Path, what: &str) -> anyhow::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        anyhow::Error::msg(msg!(
            "error-not-utf8",
            path = path,
            line = line,
            byte = at + 1,
            what = file_kind(what)
        ))
    })
}

/// The most characters of a value an error message quotes.
pub const CLIP_CHARS: usize = 80;

/// The most characters of a whole message (an error with its context) printed: enough for
/// the longest sentence kmdiag writes with its quoted values.
pub const MESSAGE_CHARS: usize = 2000;

/// A value as an error quotes it: at most `CLIP_CHARS` characters (then "…" and how long it
/// was), control characters written as escapes so they cannot drive the terminal.
pub fn clip(value: &str) -> String {
    clip_to(value, CLIP_CHARS)
}

/// Like `clip`, for at most `max` characters (a parser's message, a whole error).
pub fn clip_to(value: &str, max: usize) -> String {
    let mut out = String::new();
    for (chars, c) in value.chars().enumerate() {
        if chars == max {
            out.push_str(&format!("… ({} characters)", value.chars().count()));
            return out;
        }
        push_escaped(&mut out, c);
    }
    out
}

/// Appends `c`, or its escape when it is a control character.
fn push_escaped(out: &mut String, c: char) {
    if c.is_control() {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// Text for a terminal: every control character except line feed and tab written as an
/// escape (`\u{1b}`), so text from plans, sweeps and profiles cannot move the cursor, change
/// the window title or hide output. With `keep_sgr`, colour sequences (`ESC [ … m`, what
/// kmdiag itself emits for colour) are kept.
pub fn terminal_safe(text: &str, keep_sgr: bool) -> std::borrow::Cow<'_, str> {
    let needs = text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    if !needs {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && keep_sgr {
            let body = &rest[1..];
            if let Some(tail) = body.strip_prefix('[') {
                let params = tail
                    .find(|ch: char| !(ch.is_ascii_digit() || ch == ';'))
                    .unwrap_or(tail.len());
                if tail[params..].starts_with('m') {
                    let len = 2 + params + 1;
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                    continue;
                }
            }
        }
        if c == '\n' || c == '\t' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_clipped_and_controls_escaped() {
        let long = "x".repeat(1000);
        let c = clip(&long);
        assert!(c.len() < 120 && c.contains("1000 characters"), "{c}");
        assert_eq!(clip("D\u{1b}[2J"), "D\\u{1b}[2J");
        assert_eq!(clip("ok"), "ok");
    }

    #[test]
    fn terminal_text_keeps_colour_but_not_other_escapes() {
        assert_eq!(terminal_safe("a\nb\tc", false), "a\nb\tc");
        assert_eq!(
            terminal_safe("\u{1b}]0;title\u{7}x", true),
            "\\u{1b}]0;title\\u{7}x"
        );
        assert_eq!(
            terminal_safe("\u{1b}[31mred\u{1b}[0m", true),
            "\u{1b}[31mred\u{1b}[0m"
        );
        assert_eq!(terminal_safe("\u{1b}[31mred", false), "\\u{1b}[31mred");
        assert_eq!(terminal_safe("\u{1b}[2J", true), "\\u{1b}[2J");
        assert_eq!(terminal_safe("a\rb", false), "a\\rb");
    }

    #[test]
    fn only_regular_files_are_read_and_never_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_input(dir.path(), 10, "sweep file").unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
        let p = dir.path().join("s.csv");
        std::fs::write(&p, vec![b'a'; 2 * MIB as usize + 1]).unwrap();
        let e = read_input(&p, 2 * MIB, "sweep file")
            .unwrap_err()
            .to_string();
        assert!(e.contains("larger than 2 MiB"), "{e}");
        std::fs::write(&p, b"plus").unwrap();
        assert_eq!(read_input(&p, 4, "sweep file").unwrap(), b"plus");
        let e = read_input(&dir.path().join("none.csv"), 4, "sweep file").unwrap_err();
        assert!(e.to_string().starts_with("cannot read sweep file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_blocking() {
        let e = read_input(Path::new("/dev/zero"), 10, "sweep file").unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.csv");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_input(&fifo, 10, "map file").unwrap_err();
        assert!(e.to_string().contains("named pipe"), "{e}");
    }
}
