//! The log on stderr: warnings and notes by default, errors only with `-q`, what kmdiag is
//! doing with `-v` (settings and files read, port opened, profile chosen) and more with `-vv`.
//! A small `log::Log`; results never go through it (they go to stdout), and errors are
//! printed by `main` whatever the level, so `-q` can never hide one.

use log::{Level, LevelFilter, Log, Metadata, Record};
use std::io::Write;

/// How much to say, from `-q` and `-v`.
pub fn level(quiet: bool, verbose: u8) -> LevelFilter {
    match (quiet, verbose) {
        (true, _) => LevelFilter::Error,
        (false, 0) => LevelFilter::Info,
        (false, 1) => LevelFilter::Debug,
        (false, _) => LevelFilter::Trace,
    }
}

/// The prefix of a line at `level`: warnings and the `-v` lines say what they are; notes
/// (info) read as kmdiag's own sentences, as they did before there was a log.
pub fn prefix(level: Level) -> &'static str {
    match level {
        Level::Error => "kmdiag: error: ",
        Level::Warn => "kmdiag: warning: ",
        Level::Info => "kmdiag: ",
        Level::Debug => "kmdiag: debug: ",
        Level::Trace => "kmdiag: trace: ",
    }
}

struct StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        // Only kmdiag's own records: a dependency's debug lines are not what the user asked
        // about with -v.
        metadata.level() <= log::max_level() && metadata.target().starts_with("kmdiag")
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            // One write per line, so lines from worker threads never interleave mid-line.
            // Messages quote inputs (file names, values), so control characters are escaped.
            let text = format!("{}{}\n", prefix(record.level()), record.args());
            let line = crate::input::terminal_safe(&text, false);
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
    }
}

static LOGGER: StderrLogger = StderrLogger;

/// Installs the logger at `level` (once; a second call only changes the level).
pub fn init(level: LevelFilter) {
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(level);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_keeps_errors_and_verbose_adds_the_doing() {
        assert_eq!(level(true, 0), LevelFilter::Error);
        assert_eq!(level(true, 2), LevelFilter::Error);
        assert_eq!(level(false, 0), LevelFilter::Info);
        assert_eq!(level(false, 1), LevelFilter::Debug);
        assert_eq!(level(false, 3), LevelFilter::Trace);
    }

    #[test]
    fn warnings_keep_the_prefix_they_always_had() {
        assert_eq!(prefix(Level::Warn), "kmdiag: warning: ");
        assert_eq!(prefix(Level::Info), "kmdiag: ");
    }
}
