//! The terminal kmdiag writes to: whether to colour (`--color`, `NO_COLOR`, a terminal or not)
//! and how wide a table may be. Decided once at start (`init`), read by the commands; the
//! decisions themselves are pure functions, tested without a terminal.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Colour even into a pipe or a file (for `less -R`).
    Always,
    /// Never colour.
    Never,
}

/// Narrowest table width worth arranging for: below it a table's columns would be a few
/// letters each and unreadable, so a tiny terminal gets this width and wraps its lines.
pub const MIN_TABLE_WIDTH: u16 = 40;

static COLOR: OnceLock<ColorChoice> = OnceLock::new();

/// Sets the colour choice for the run (the first call wins; later ones are ignored).
pub fn init(color: ColorChoice) {
    let _ = COLOR.set(color);
}

/// True when output to a stream that `is_terminal` describes should be coloured.
/// `no_color` is the value of `NO_COLOR`: set and not empty means no colour (no-color.org),
/// unless the user asked for colour with `--color always`.
pub fn decide_color(choice: ColorChoice, is_terminal: bool, no_color: Option<&str>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(str::is_empty),
    }
}

/// Colour on stdout, by `--color`, `NO_COLOR` and whether stdout is a terminal.
pub fn stdout_color() -> bool {
    let no_color = std::env::var("NO_COLOR").ok();
    decide_color(
        COLOR.get().copied().unwrap_or_default(),
        std::io::stdout().is_terminal(),
        no_color.as_deref(),
    )
}

/// The width tables on stdout must fit, or `None` for the stable layout that snapshots,
/// pipes and files get (the same bytes on every machine).
pub fn stdout_table_width() -> Option<u16> {
    let out = std::io::stdout();
    if !out.is_terminal() {
        return None;
    }
    table_width(terminal_size::terminal_size_of(out).map(|(w, _)| w.0))
}

/// The width for a terminal of `columns` (unknown: `None`, the stable layout).
pub fn table_width(columns: Option<u16>) -> Option<u16> {
    columns.filter(|c| *c > 0).map(|c| c.max(MIN_TABLE_WIDTH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_only_without_no_color() {
        assert!(decide_color(ColorChoice::Auto, true, None));
        assert!(decide_color(ColorChoice::Auto, true, Some("")));
        assert!(!decide_color(ColorChoice::Auto, true, Some("1")));
        assert!(!decide_color(ColorChoice::Auto, false, None));
    }

    #[test]
    fn always_and_never_overrule_the_terminal_and_no_color() {
        assert!(decide_color(ColorChoice::Always, false, Some("1")));
        assert!(!decide_color(ColorChoice::Never, true, None));
    }

    #[test]
    fn a_terminal_gives_its_width_and_a_tiny_one_the_minimum() {
        assert_eq!(table_width(Some(80)), Some(80));
        assert_eq!(table_width(Some(12)), Some(MIN_TABLE_WIDTH));
        assert_eq!(table_width(Some(0)), None);
        assert_eq!(table_width(None), None);
    }
}
