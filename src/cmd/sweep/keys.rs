//! The keyboard of the guided sweep: Enter or space records the reading shown, `r` redoes
//! the last point, `s` skips, `q` stops, Ctrl-C interrupts. The letters work on the Latin and
//! the Russian layout alike (`r`/`s`/`q`/`a` arrive as `к`/`ы`/`й`/`ф` on a ЙЦУКЕН keyboard).
//! On a terminal the keys act at once (raw mode, restored on drop); otherwise the same keys
//! are read as lines from standard input on a helper thread, so nothing ever blocks waiting
//! for a key.
//!
//! Must not print anything but the line endings raw mode needs.

use crate::acquire::capture::Key;
use std::io::{BufRead, IsTerminal};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The key a typed character stands for, on either layout (case-insensitive).
pub fn key_for_char(c: char) -> Option<Key> {
    match c.to_lowercase().next().unwrap_or(c) {
        ' ' | 'a' | 'ф' => Some(Key::Accept),
        'r' | 'к' => Some(Key::Redo),
        's' | 'ы' => Some(Key::Skip),
        'q' | 'й' => Some(Key::Stop),
        _ => None,
    }
}

/// Parses a key typed as a line (when standard input is not a terminal): an empty line is
/// Enter; one letter, or the word, on either layout.
pub fn parse_line(line: &str) -> Option<Key> {
    let word = line.trim().to_lowercase();
    match word.as_str() {
        "" | "accept" => Some(Key::Accept),
        "redo" => Some(Key::Redo),
        "skip" => Some(Key::Skip),
        "quit" | "stop" => Some(Key::Stop),
        _ => {
            let mut chars = word.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => key_for_char(c),
                _ => None,
            }
        }
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

    /// No keyboard at all: no key is ever pressed.
    pub fn none() -> Keys {
        Keys::from_channel(channel().1)
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
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            let key = match k.code {
                // Ctrl-C on either layout (the Russian layout sends Ctrl+С as 'c' too, but
                // some terminals report the Cyrillic letter).
                KeyCode::Char('c' | 'C' | 'с' | 'С') if ctrl => Some(Key::Interrupt),
                KeyCode::Enter => Some(Key::Accept),
                KeyCode::Backspace => Some(Key::Redo),
                KeyCode::Esc => Some(Key::Stop),
                KeyCode::Char(c) if !ctrl => key_for_char(c),
                _ => None,
            };
            if let Some(key) = key {
                return Some(key);
            }
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
        assert_eq!(parse_line("q"), Some(Key::Stop));
        assert_eq!(parse_line("probe D3 E7"), None);
        assert_eq!(parse_line("rs"), None);
    }

    #[test]
    fn the_russian_layout_works_like_the_latin_one() {
        for (latin, russian) in [('r', 'к'), ('s', 'ы'), ('q', 'й'), ('a', 'ф')] {
            assert_eq!(key_for_char(latin), key_for_char(russian));
            assert!(key_for_char(russian).is_some());
            let upper: String = russian.to_uppercase().collect();
            assert_eq!(parse_line(&upper), key_for_char(latin), "{upper}");
        }
        assert_eq!(parse_line("й"), Some(Key::Stop));
        assert_eq!(key_for_char(' '), Some(Key::Accept));
    }
}
