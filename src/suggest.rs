//! "Did you mean": the known names closest to a typo (profiles, switch models, meters). Pure.
//!
//! Names are compared the way kmdiag looks them up — case, `-`, `_`, `.` and spaces ignored —
//! by Damerau–Levenshtein distance (a swapped pair of letters is one edit, the commonest typo).

/// Most names offered at once: more is a list, not a suggestion.
const MAX_SUGGESTIONS: usize = 4;

/// The known names nearest to `typed`, best first; empty when none is near enough. Near
/// enough: at most one edit for names of up to four letters, else a third of the letters
/// (rounded down) — "eltsi" finds "eltis", "ut61x" finds "ut61b" … "ut61e", but "abc" finds
/// nothing among the vendors.
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let key = normalise(typed);
    if key.is_empty() {
        return Vec::new();
    }
    let limit = (key.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|name| (strsim::damerau_levenshtein(&key, &normalise(name)), name))
        .filter(|(d, _)| *d <= limit)
        .collect();
    let Some(best) = scored.iter().map(|(d, _)| *d).min() else {
        return Vec::new();
    };
    scored.retain(|(d, _)| *d == best);
    scored.sort_by_key(|(_, name)| *name);
    scored.dedup_by_key(|(_, name)| normalise(name));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, name)| name)
        .collect()
}

/// " (did you mean 'a'?)" / " (did you mean 'a' or 'b'?)", or "" when nothing is close;
/// appended to the value an error quotes.
pub fn did_you_mean<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = closest(typed, known)
        .into_iter()
        .map(|n| format!("'{n}'"))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        [rest @ .., last] => format!(" (did you mean {} or {last}?)", rest.join(", ")),
    }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VENDORS: [&str; 6] = ["metakom", "eltis", "vizit", "cyfral", "beward", "factorial"];

    #[test]
    fn a_swapped_pair_finds_the_vendor() {
        assert_eq!(closest("eltsi", VENDORS), ["eltis"]);
        assert_eq!(closest("Metacom", VENDORS), ["metakom"]);
        assert_eq!(closest("vizt", VENDORS), ["vizit"]);
    }

    #[test]
    fn nothing_close_suggests_nothing() {
        assert!(closest("abc", VENDORS).is_empty());
        assert!(closest("", VENDORS).is_empty());
        assert_eq!(did_you_mean("zzzzzz", VENDORS), "");
    }

    #[test]
    fn equally_close_names_are_all_offered() {
        let meters = ["ut61b", "ut61c", "ut61d", "ut61e", "ut71a", "vc820"];
        assert_eq!(
            closest("ut61x", meters),
            ["ut61b", "ut61c", "ut61d", "ut61e"]
        );
        assert_eq!(
            did_you_mean("UT-61X", meters),
            " (did you mean 'ut61b', 'ut61c', 'ut61d' or 'ut61e'?)"
        );
    }

    #[test]
    fn switch_models_compare_without_their_punctuation() {
        let models = ["KM100-7.1", "KM100-7.2", "KM20-1"];
        assert_eq!(closest("km1007.1", models), ["KM100-7.1"]);
        assert_eq!(did_you_mean("KM20-l", models), " (did you mean 'KM20-1'?)");
    }
}
