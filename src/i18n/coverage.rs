//! The translations are complete: every message exists in every language
//! with the same arguments, and every key the code asks for exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::Locale;

/// Message id → the variables its pattern uses, for one language.
fn messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(locale.tag());
    let mut out = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .ftl files in {}", dir.display());
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable .ftl");
        let resource = fluent_syntax::parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.display()));
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    variables(p, &mut vars);
                }
                let id = m.id.name.to_string();
                assert!(
                    out.insert(id.clone(), vars).is_none(),
                    "{id} is defined twice in {}",
                    locale.tag()
                );
            }
        }
    }
    out
}

fn variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_variables(inline, out),
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                variables(&v.value, out);
            }
        }
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

/// Every key passed to `t!`, `text` or `text_in` as a literal in `src/`.
fn keys_used() -> BTreeSet<(String, String)> {
    let mut keys = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // This file quotes the call shapes in comments.
            if path.extension().is_none_or(|x| x != "rs") || path.ends_with("i18n/coverage.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("readable source");
            let file = path.display().to_string();
            for call in ["t!(", "text(", "text_in("] {
                for (at, _) in source.match_indices(call) {
                    // A whole name: not `assert_text(` or `.text(`.
                    let before = source[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                        continue;
                    }
                    let mut rest = &source[at + call.len()..];
                    // `text_in(locale, "key", …)`: the key is the second argument.
                    if call == "text_in(" {
                        rest = rest.split_once(',').map_or("", |(_, r)| r);
                    }
                    // Only a literal key; a key in a variable is checked
                    // where it is defined (the formatting tests).
                    let Some(literal) = rest.trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let Some(key) = literal.split('"').next() else {
                        continue;
                    };
                    if is_key(key) {
                        keys.insert((key.to_string(), file.clone()));
                    }
                }
            }
        }
    }
    keys
}

/// Message ids are lowercase words joined by `-`.
fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[test]
fn every_language_has_every_message_with_the_same_arguments() {
    let en = messages(Locale::En);
    assert!(en.len() > 100, "only {} English messages", en.len());
    for locale in Locale::ALL {
        let other = messages(locale);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", locale.tag());
        assert!(
            extra.is_empty(),
            "{} has keys English lacks: {extra:?}",
            locale.tag()
        );
        for (id, vars) in &en {
            // A date's pattern picks padded or plain parts per language.
            if id.starts_with("format-") {
                continue;
            }
            assert_eq!(
                &other[id],
                vars,
                "{id} takes different arguments in {}",
                locale.tag()
            );
        }
    }
}

#[test]
fn every_key_the_code_uses_exists() {
    let en = messages(Locale::En);
    let used = keys_used();
    assert!(used.len() > 100, "found only {} keys in use", used.len());
    let missing: Vec<_> = used.iter().filter(|(k, _)| !en.contains_key(k)).collect();
    assert!(
        missing.is_empty(),
        "keys used but not translated: {missing:?}"
    );
}

#[test]
fn the_chinese_text_is_chinese() {
    // A copied English line in the Chinese file is a missing translation.
    let en = messages(Locale::En);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let zh = std::fs::read_to_string(dir.join("zh-CN/main.ftl")).expect("zh-CN/main.ftl");
    let en_src = std::fs::read_to_string(dir.join("en/main.ftl")).expect("en/main.ftl");
    let line_of = |src: &str, id: &str| {
        src.lines()
            .find(|l| l.starts_with(&format!("{id} =")))
            .map(str::to_string)
    };
    // Names and technical terms that stay as they are.
    const SAME: &[&str] = &[
        "page-title",
        "none-dash",
        "check-api-v2",
        "check-referrers",
        "tag-helm-chart",
        "tag-chart",
        "tag-entrypoint",
        "tag-cmd",
        "tag-referrers-api",
    ];
    let same: Vec<_> = en
        .keys()
        .filter(|id| !SAME.contains(&id.as_str()))
        .filter(|id| {
            let (a, b) = (line_of(&en_src, id), line_of(&zh, id));
            a.is_some() && a == b && !a.unwrap_or_default().ends_with("= {")
        })
        .collect();
    assert!(same.is_empty(), "untranslated in zh-CN: {same:?}");
}
