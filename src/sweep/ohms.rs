//! Reading one resistance value as people and spreadsheets write it: `712.5`, `712,5` (decimal
//! comma), `1.2k`, `1,2 кОм`, `712 Ω`, `1.2 MΩ`, `OL`. Pure.
//!
//! Never a guess: a value that could mean two things (`1,200` in a comma-separated file: 1.2 Ω
//! or 1200 Ω?) is an error that says how to write it unambiguously.

use crate::i18n::Message;
use crate::input::clip;
use crate::model::Reading;
use crate::msg;

/// Which decimal marks a file can use, from its column separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMarks {
    /// A `,`-separated file: `.` is the decimal point; a comma can only sit inside a quoted
    /// field, where it is a decimal comma unless it could be a thousands separator.
    Point,
    /// A `;`- or tab-separated file (what Russian Excel writes): `,` is the decimal comma; a
    /// `.` is a decimal point unless it could be a thousands separator (German Excel).
    Comma,
}

/// Parses a reading: a number ≥ 0 with an optional unit, or `OL`. The error says what is
/// wrong with the text and how to write it.
pub fn parse_reading(text: &str, marks: DecimalMarks) -> Result<Reading, Message> {
    let text = text.trim();
    // What meters, adapters and kmdiag write — digits and a decimal point in a ',' file — is
    // read directly: most of a sweep, and the cost of reading thousands of them.
    if marks == DecimalMarks::Point
        && !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Ok(v) = text.parse::<f64>()
    {
        return Ok(Reading::Ohms(v));
    }
    if ["OL", "O.L", "ОL"]
        .iter()
        .any(|o| text.eq_ignore_ascii_case(o))
    {
        return Ok(Reading::Open);
    }
    if text.is_empty() {
        return Err(msg!("ohms-missing"));
    }
    let split = text
        .char_indices()
        .find(|&(i, c)| {
            let sign = matches!(c, '+' | '-')
                && i > 0
                && text[..i].ends_with(['e', 'E'])
                && is_exponent(text, i - 1, text[..i].chars().last().unwrap_or(' '));
            !(c.is_ascii_digit() || c == '.' || c == ',' || sign || is_exponent(text, i, c))
        })
        .map_or(text.len(), |(i, _)| i);
    let (number, unit) = text.split_at(split);
    if number.is_empty() {
        return Err(if text.starts_with('-') {
            msg!("ohms-negative", value = clip(text))
        } else {
            msg!("ohms-not-a-number", value = clip(text))
        });
    }
    let value = parse_number(number, marks).map_err(|why| why.arg("value", clip(text)))?;
    let scale = unit_scale(unit.trim()).map_err(|why| why.arg("value", clip(text)))?;
    let ohms = value * scale;
    if !ohms.is_finite() {
        return Err(msg!("ohms-not-finite", value = clip(text)));
    }
    Ok(Reading::Ohms(ohms))
}

/// True when `c` at byte `i` is the `e`/`E` of an exponent (`1.2e3`), not the start of a unit.
fn is_exponent(text: &str, i: usize, c: char) -> bool {
    if !matches!(c, 'e' | 'E') || i == 0 {
        return false;
    }
    let rest = &text[i + 1..];
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    rest.starts_with(|d: char| d.is_ascii_digit())
        && text[..i].ends_with(|d: char| d.is_ascii_digit())
}

/// The number part: digits with at most one decimal mark, and an optional exponent.
fn parse_number(number: &str, marks: DecimalMarks) -> Result<f64, Message> {
    let (mantissa, exponent) = match number.find(['e', 'E']) {
        Some(i) => (&number[..i], Some(&number[i + 1..])),
        None => (number, None),
    };
    let points = mantissa.matches('.').count();
    let commas = mantissa.matches(',').count();
    if points > 0 && commas > 0 {
        return Err(msg!("ohms-mixed-marks"));
    }
    if points + commas > 1 {
        return Err(msg!("ohms-many-marks"));
    }
    // Could the mark be a thousands separator? 1-3 digits, the mark, exactly three digits.
    let grouped = |mark: char| {
        mantissa
            .split_once(mark)
            .is_some_and(|(a, b)| (1..=3).contains(&a.len()) && b.len() == 3 && exponent.is_none())
    };
    match marks {
        DecimalMarks::Point if commas == 1 && grouped(',') => {
            return Err(msg!("ohms-ambiguous-comma"));
        }
        DecimalMarks::Comma if points == 1 && grouped('.') => {
            return Err(msg!("ohms-ambiguous-point"));
        }
        _ => {}
    }
    let plain = match exponent {
        Some(e) => format!("{}e{e}", mantissa.replace(',', ".")),
        None => mantissa.replace(',', "."),
    };
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(msg!("ohms-bad-number")),
    }
}

/// The factor of a unit written after the number: nothing or an ohm sign (×1), `k`/`к` (×10³),
/// `M`/`М` (×10⁶), each with or without `Ω`/`Ohm`/`Ом`.
fn unit_scale(unit: &str) -> Result<f64, Message> {
    if unit.is_empty() {
        return Ok(1.0);
    }
    // The ohm word in any case: Ω, Ω (the ohm sign), ohm(s), Ом.
    const OHM_WORDS: [&str; 5] = ["Ω", "Ω", "ohms", "ohm", "ом"];
    let chars: Vec<char> = unit.chars().collect();
    let mut prefix = unit.to_string();
    for word in OHM_WORDS {
        let n = word.chars().count();
        if chars.len() >= n
            && chars[chars.len() - n..]
                .iter()
                .collect::<String>()
                .to_lowercase()
                == word.to_lowercase()
        {
            prefix = chars[..chars.len() - n]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string();
            break;
        }
    }
    let prefix = prefix.as_str();
    match prefix {
        "" => Ok(1.0),
        "k" | "K" | "к" | "К" => Ok(1e3),
        "M" | "М" => Ok(1e6),
        "m" | "м" => Err(msg!("ohms-milliohms")),
        _ => Err(msg!("ohms-unknown-unit", unit = clip(unit))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ohms(text: &str, marks: DecimalMarks) -> Result<f64, String> {
        parse_reading(text, marks)
            .map(|r| r.ohms().unwrap_or(f64::INFINITY))
            .map_err(|m| m.en())
    }

    #[test]
    fn reads_units_and_decimal_commas() {
        let p = DecimalMarks::Point;
        let c = DecimalMarks::Comma;
        assert_eq!(ohms("712.5", p), Ok(712.5));
        assert_eq!(ohms("712,5", p), Ok(712.5));
        assert_eq!(ohms("712,5", c), Ok(712.5));
        assert_eq!(ohms("1.2k", p), Ok(1200.0));
        assert_eq!(ohms("1,2 кОм", c), Ok(1200.0));
        assert_eq!(ohms("1,2 КОМ", c), Ok(1200.0));
        assert_eq!(ohms("712 Ω", p), Ok(712.0));
        assert_eq!(ohms("712Ω", p), Ok(712.0));
        assert_eq!(ohms("712 Ом", c), Ok(712.0));
        assert_eq!(ohms("712 ohm", p), Ok(712.0));
        assert_eq!(ohms("1.2 MΩ", p), Ok(1_200_000.0));
        assert_eq!(ohms("1,2 МОм", c), Ok(1_200_000.0));
        assert_eq!(ohms("1,2 kΩ", c), Ok(1200.0));
        assert_eq!(ohms("1.5e3", p), Ok(1500.0));
        assert_eq!(ohms("1,5E+3", c), Ok(1500.0));
        assert_eq!(ohms("1,234", c), Ok(1.234));
        assert_eq!(ohms("1.234", p), Ok(1.234));
        assert_eq!(ohms("0", p), Ok(0.0));
        assert_eq!(parse_reading("ol", p), Ok(Reading::Open));
        assert_eq!(parse_reading(" O.L ", c), Ok(Reading::Open));
    }

    #[test]
    fn ambiguous_or_wrong_values_are_errors_that_quote_them() {
        let p = DecimalMarks::Point;
        let c = DecimalMarks::Comma;
        for (bad, marks, says) in [
            ("1,200", p, "ambiguous"),
            ("1.200", c, "ambiguous"),
            ("1.234,5", c, "mixes"),
            ("1,234,567", p, "more than one"),
            ("1.2 mΩ", p, "milliohms"),
            ("1.2m", p, "milliohms"),
            ("12 V", p, "unknown unit"),
            ("-3", p, "≥ 0"),
            ("abc", p, "not a number"),
            ("", p, "missing"),
            ("7 k k", p, "unknown unit"),
        ] {
            let e = ohms(bad, marks).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
            if !bad.is_empty() {
                assert!(e.contains(&format!("'{bad}'")), "{bad}: {e}");
            }
        }
    }
}
