//! The message catalogue: one Fluent file per language (`en.ftl`, `ru.ftl`), embedded in the
//! binary, and the rendering of a `Message` through it. Fluent (Mozilla's `fluent-bundle`)
//! brings the CLDR plural rules (1 квартира, 2 квартиры, 5 квартир) and a file format a
//! translator can read without knowing Rust.
//!
//! Pure: the files are compiled in; nothing is read at run time.

use super::Lang;
use super::message::{Arg, Message};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, OnceLock};

/// Every language: its variant, its locale id (for the plural rules) and its catalogue. A
/// new language is one `.ftl` file, one `Lang` variant and one row here.
pub const LANGUAGES: [(Lang, &str, &str); 2] = [
    (Lang::En, "en", include_str!("en.ftl")),
    (Lang::Ru, "ru", include_str!("ru.ftl")),
];

/// The bundles, in `LANGUAGES` order, each built the first time its language is asked for:
/// a run in one language never parses the other catalogues (parsing both was a sixth of a
/// short command's whole process).
static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; LANGUAGES.len()] =
    [const { OnceLock::new() }; LANGUAGES.len()];

/// One language's bundle. The catalogues are part of the program and a test parses them,
/// so an error here is a bug in the build, not in anything a user gave.
fn bundle(id: &str, text: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(text.to_string())
        .unwrap_or_else(|(_, e)| panic!("catalogue {id}.ftl does not parse: {e:?}"));
    let locale = id.parse().expect("a registered locale id parses");
    let mut b = FluentBundle::new_concurrent(vec![locale]);
    // No Unicode isolation marks around values: the text goes to terminals and files, where
    // the invisible marks would be stray bytes (and every value here runs left to right).
    b.set_use_isolating(false);
    b.add_resource(resource)
        .unwrap_or_else(|e| panic!("catalogue {id}.ftl repeats a key: {e:?}"));
    b
}

fn bundle_of(lang: Lang) -> &'static FluentBundle<FluentResource> {
    let i = LANGUAGES
        .iter()
        .position(|(l, _, _)| *l == lang)
        .expect("every Lang is registered in LANGUAGES");
    let (_, id, text) = LANGUAGES[i];
    BUNDLES[i].get_or_init(|| bundle(id, text))
}

/// The catalogue text of one language, for the tests that walk every key.
pub fn source(lang: Lang) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(l, _, _)| *l == lang)
        .map(|(_, _, t)| *t)
        .expect("every Lang is registered in LANGUAGES")
}

/// A message in `lang`. A key missing from `lang` falls back to English, then to the key
/// itself (the catalogue test makes both impossible in a build that passed its tests).
pub fn render(lang: Lang, m: &Message) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in &m.args {
        args.set(*name, value_of(lang, value));
    }
    format(lang, m.id, Some(&args))
        .or_else(|| format(Lang::En, m.id, Some(&args)))
        .map(Cow::into_owned)
        .unwrap_or_else(|| m.id.to_string())
}

/// A message without values, as static text (labels, headers). Kept in a small cache when
/// Fluent had to build it (one entry per key and language, so bounded by the catalogue).
pub fn text(lang: Lang, id: &'static str) -> &'static str {
    static BUILT: LazyLock<Mutex<HashMap<(Lang, &'static str), &'static str>>> =
        LazyLock::new(Default::default);
    match format(lang, id, None).or_else(|| format(Lang::En, id, None)) {
        Some(Cow::Borrowed(s)) => s,
        Some(Cow::Owned(s)) => {
            let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
            built
                .entry((lang, id))
                .or_insert_with(|| Box::leak(s.into_boxed_str()))
        }
        None => id,
    }
}

fn format<'a>(lang: Lang, id: &str, args: Option<&'a FluentArgs<'a>>) -> Option<Cow<'a, str>> {
    let bundle = bundle_of(lang);
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    debug_assert!(errors.is_empty(), "message {id} in {lang:?}: {errors:?}");
    Some(text)
}

/// A value as Fluent takes it: counts stay numbers (they choose plural forms), everything
/// else is rendered to text in `lang` first.
fn value_of(lang: Lang, v: &Arg) -> FluentValue<'static> {
    match v {
        Arg::Count(n) => FluentValue::from(*n),
        other => FluentValue::from(text_of(lang, other)),
    }
}

fn text_of(lang: Lang, v: &Arg) -> String {
    match v {
        Arg::Text(s) => s.clone(),
        Arg::Count(n) => n.to_string(),
        Arg::Line { label, localize } => match localize {
            true => lang.line_labels(label),
            false => label.clone(),
        },
        Arg::Msg(m) => render(lang, m),
        Arg::List(items) => items
            .iter()
            .map(|i| text_of(lang, i))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
