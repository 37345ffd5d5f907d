//! The catalogue's own tests: every language has every key with the same values, every key is
//! used by the code, every message renders in every language; language resolution.

use super::catalogue::{LANGUAGES, source};
use super::*;
use crate::msg;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// Each message of a catalogue and the names of the values (`$name`) it uses.
fn keys(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let res = fluent_syntax::parser::parse(source(lang))
        .unwrap_or_else(|(_, e)| panic!("{lang:?} catalogue does not parse: {e:?}"));
    let mut out = BTreeMap::new();
    for entry in res.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                assert!(
                    m.attributes.is_empty(),
                    "{lang:?} {}: attributes are not used",
                    m.id.name
                );
                let new = out.insert(m.id.name.to_string(), vars).is_none();
                assert!(new, "{lang:?} repeats {}", m.id.name);
            }
            ast::Entry::Junk { content } => panic!("{lang:?} catalogue has junk: {content}"),
            ast::Entry::Term(t) => {
                panic!("{lang:?} uses a term (-{}); keep to messages", t.id.name)
            }
            _ => {}
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expr_vars(expression, vars);
        }
    }
}

fn expr_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expr_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn every_language_has_every_key_with_the_same_values() {
    let en = keys(Lang::En);
    for (lang, _, _) in LANGUAGES {
        let other = keys(lang);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang:?} has keys English lacks: {extra:?}"
        );
        for (k, vars) in &en {
            assert_eq!(
                vars, &other[k],
                "{lang:?} {k} uses other values than English"
            );
        }
    }
}

/// Every `.rs` file under `src/`, as text.
fn sources() -> String {
    fn walk(dir: &std::path::Path, out: &mut String) {
        for e in std::fs::read_dir(dir).expect("src/ is readable") {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("tests.rs") {
                out.push_str(&std::fs::read_to_string(&p).expect("a source file"));
            }
        }
    }
    let mut out = String::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out
}

#[test]
fn every_key_is_named_by_the_code() {
    let code = sources();
    let unused: Vec<String> = keys(Lang::En)
        .into_keys()
        .filter(|k| !code.contains(&format!("\"{k}\"")))
        .collect();
    assert!(unused.is_empty(), "keys no code names: {unused:?}");
}

#[test]
fn every_message_renders_in_every_language_with_sample_values() {
    for (lang, _, _) in LANGUAGES {
        for (key, vars) in keys(Lang::En) {
            let id: &'static str = Box::leak(key.clone().into_boxed_str());
            // Counts that pick each Russian plural form, and text.
            for sample in [
                Arg::Count(1),
                Arg::Count(3),
                Arg::Count(5),
                Arg::Count(21),
                Arg::Text("X".into()),
            ] {
                let mut m = Message::new(id);
                for v in &vars {
                    let name: &'static str = Box::leak(v.clone().into_boxed_str());
                    m = m.arg(name, sample.clone());
                }
                let text = m.render(lang);
                // `nothing` is the one message that is empty on purpose (an absent clause).
                assert!(
                    !text.is_empty() || key == "nothing",
                    "{lang:?} {key} is empty"
                );
                assert!(
                    !text.contains("{$") && !text.contains("{???}") && text != key,
                    "{lang:?} {key} renders with a missing value: {text}"
                );
            }
        }
    }
}

#[test]
fn russian_counts_take_the_right_plural_form() {
    let worse = |n: u32| msg!("diff-worse-count", n = n).render(Lang::Ru);
    assert_eq!(worse(1), "1 изменение к худшему.");
    assert_eq!(worse(3), "3 изменения к худшему.");
    assert_eq!(worse(5), "5 изменений к худшему.");
    assert_eq!(worse(21), "21 изменение к худшему.");
    assert_eq!(worse(12), "12 изменений к худшему.");
    let en = |n: u32| msg!("diff-worse-count", n = n).render(Lang::En);
    assert_eq!(en(1), "1 change for the worse.");
    assert_eq!(en(7), "7 changes for the worse.");
}

#[test]
fn the_flag_wins_then_kmdiag_lang_then_settings_then_the_os_locale() {
    let s = |flag, env, settings, os| LangSources {
        flag,
        env,
        settings,
        os_locale: os,
    };
    let ru = Some(Lang::Ru);
    let en = Some(Lang::En);
    assert_eq!(
        Lang::resolve(&s(en, Some("ru"), ru, Some("ru-RU"))),
        Ok(Lang::En)
    );
    assert_eq!(
        Lang::resolve(&s(None, Some("ru_RU.UTF-8"), en, Some("en-US"))),
        Ok(Lang::Ru)
    );
    assert_eq!(
        Lang::resolve(&s(None, None, ru, Some("en-US"))),
        Ok(Lang::Ru)
    );
    assert_eq!(
        Lang::resolve(&s(None, Some(""), None, Some("ru-RU"))),
        Ok(Lang::Ru)
    );
    assert_eq!(
        Lang::resolve(&s(None, None, None, Some("ru_RU.UTF-8"))),
        Ok(Lang::Ru)
    );
    assert_eq!(
        Lang::resolve(&s(None, None, None, Some("de-DE"))),
        Ok(Lang::En)
    );
    assert_eq!(Lang::resolve(&s(None, None, None, Some("C"))), Ok(Lang::En));
    assert_eq!(Lang::resolve(&s(None, None, None, None)), Ok(Lang::En));
    let bad = Lang::resolve(&s(None, Some("klingon"), None, Some("ru-RU"))).unwrap_err();
    assert!(bad.en().contains("'klingon'"), "{}", bad.en());
}

#[test]
fn russian_writes_tens_and_units_in_cyrillic() {
    assert_eq!(Lang::Ru.line_label("D4"), "Д4");
    assert_eq!(Lang::Ru.line_label("E10"), "Е10");
    assert_eq!(Lang::Ru.line_label("LINE"), "LINE");
    assert_eq!(Lang::Ru.line_label("EXT"), "EXT");
    assert_eq!(Lang::En.line_label("D4"), "D4");
    assert_eq!(Lang::Ru.line_labels("D4/E7"), "Д4/Е7");
    assert_eq!(Lang::Ru.line_labels("D3–D4"), "Д3–Д4");
}

#[test]
fn hid_twins_take_the_russian_plural_of_devices() {
    let said = |n: usize| {
        crate::msg!("hid-twins", count = n, names = "a, b").render(crate::i18n::Lang::Ru)
    };
    assert!(said(2).contains("2 устройства USB-HID"), "{}", said(2));
    assert!(said(5).contains("5 устройств USB-HID"), "{}", said(5));
}
