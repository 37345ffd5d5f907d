//! Keys of the guided sweep: accept now, redo the last point, skip, quit. On a terminal the
//! keys act at once (raw mode, restored on drop); otherwise the same keys are read as lines
//! from standard input on a helper thread, so nothing ever blocks waiting for a key.
//!
//! Must not print anything but the line endings raw mode needs.

use std::io::{BufRead, IsTerminal};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// What the technician asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Enter, space or `a`: take the reading on the display now (an OL point, or a point that
    /// reads like the one before).
    Accept,
    /// `r` or Backspace: measure the previous point again.
    Redo,
    /// `s`: leave this point out (a later `--resume` asks for it again).
    Skip,
    /// `q`, Esc or Ctrl-C: stop; the file keeps everything measured.
    Quit,
}

/// The help line shown at the start.
pub const HELP: &str =
    "keys: Enter = take the reading now, r = redo the last point, s = skip, q = quit";

/// Parses a key typed as a line (when standard input is not a terminal).
pub fn parse_line(line: &str) -> Option<Key> {
    match line.trim().to_ascii_lowercase().as_str() {
        "" | "a" | "accept" => Some(Key::Accept),
        "r" | "redo" => Some(Key::Redo),
        "s" | "skip" => Some(Key::Skip),
        "q" | "quit" => Some(Key::Quit),
        _ => None,
    }
}

/// The keyboard.
pub struct Keys {
    raw: bool,
    lines: Option<Receiver<Key>>,
}

impl Keys {
    /// Raw keys when standard input is a terminal, else lines read on a helper thread.
    pub fn open() -> Keys {
        if std::io::stdin().is_terminal() && crossterm::terminal::enable_raw_mode().is_ok() {
            return Keys {
                raw: true,
                lines: None,
            };
        }
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if let Some(k) = parse_line(&line)
                    && tx.send(k).is_err()
                {
                    break;
                }
            }
        });
        Keys {
            raw: false,
            lines: Some(rx),
        }
    }

    /// Keys sent on a channel (a program driving the sweep, e.g. a test).
    pub fn from_channel(keys: Receiver<Key>) -> Keys {
        Keys {
            raw: false,
            lines: Some(keys),
        }
    }

    /// True when the terminal is in raw mode (messages need `\r\n`).
    pub fn raw(&self) -> bool {
        self.raw
    }

    /// A key, if one was pressed; never waits.
    pub fn poll(&mut self) -> Option<Key> {
        if let Some(rx) = &self.lines {
            // Empty, or standard input closed: no key.
            return rx.try_recv().ok();
        }
        use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
        while event::poll(Duration::ZERO).unwrap_or(false) {
            let Ok(Event::Key(k)) = event::read() else {
                continue;
            };
            if k.kind == KeyEventKind::Release {
                continue;
            }
            let key = match k.code {
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Key::Quit,
                KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('a') => Key::Accept,
                KeyCode::Char('r') | KeyCode::Backspace => Key::Redo,
                KeyCode::Char('s') => Key::Skip,
                KeyCode::Char('q') | KeyCode::Esc => Key::Quit,
                _ => continue,
            };
            return Some(key);
        }
        None
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if self.raw {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_typed_as_lines() {
        assert_eq!(parse_line(""), Some(Key::Accept));
        assert_eq!(parse_line(" R "), Some(Key::Redo));
        assert_eq!(parse_line("skip"), Some(Key::Skip));
        assert_eq!(parse_line("q"), Some(Key::Quit));
        assert_eq!(parse_line("probe D3 E7"), None);
    }
}
